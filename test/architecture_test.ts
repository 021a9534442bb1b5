/**
 * The architecture of lib/, enforced: which folder may import which, no circular imports, which folders may do
 * network I/O, write files, write to the terminal or read the process environment, and the module budget of
 * start-up: no command's static module graph holds an npm package or a Node built-in (the AWS SDK, age,
 * csv-parse and `node:crypto` are imported where they are used).
 *
 * @module
 */
import assert from "node:assert/strict";
import { REPO_ROOT } from "./helpers.ts";

const LIB = `${REPO_ROOT}lib/`;

/**
 * The folders of lib/ and what each may import (besides itself). Reading down the list, each folder builds on the
 * ones above it; `cli/spec.ts`, the shape of a command line, is a leaf every folder may use.
 */
const RULES: Readonly<Record<string, readonly string[]>> = {
  core: [],
  fs: ["core"],
  config: ["core", "fs"],
  term: ["core"],
  shell: ["core", "fs", "term"],
  aws: ["core", "fs", "config", "term"],
  session: ["core", "fs", "config", "aws", "term", "shell"],
  roles: ["core", "fs", "config", "aws", "term", "shell", "session"],
  console: ["core", "fs", "config", "aws", "term"],
  keys: ["core", "fs", "config", "aws", "term", "shell"],
  agent: ["core", "fs", "config", "aws", "term", "shell", "session", "roles"],
  server: ["core", "fs", "config", "aws", "term", "shell", "session", "roles", "agent"],
  commands: [
    "core",
    "fs",
    "config",
    "aws",
    "term",
    "shell",
    "session",
    "roles",
    "console",
    "keys",
    "agent",
    "server",
    "cli",
  ],
  cli: [
    "core",
    "fs",
    "config",
    "aws",
    "term",
    "shell",
    "session",
    "roles",
    "console",
    "keys",
    "agent",
    "server",
    "commands",
  ],
};

/** What commands may use of cli/: the types of a command and its context, parsing, and the output writer. */
const CLI_FOR_COMMANDS = [
  "cli/command.ts",
  "cli/spec.ts",
  "cli/parse.ts",
  "cli/output.ts",
  "cli/stdout.ts",
];
/** What cli/ may use of commands/: the overview (names, summaries) and the seed functions; the rest is loaded. */
const COMMANDS_FOR_CLI = ["commands/overview.ts", "commands/seed.ts"];

/** Calls only some folders may make, by what they are. */
const CAPABILITIES: readonly { what: string; pattern: RegExp; allowed: readonly string[] }[] = [
  {
    what: "network I/O to AWS (fetch, TLS, HTTP clients)",
    pattern: /\bfetch\(|Deno\.connectTls\(|Deno\.createHttpClient\(|Deno\.startTls\(/,
    allowed: ["aws"],
  },
  { what: "connections", pattern: /Deno\.connect\(/, allowed: ["aws", "agent"] },
  {
    what: "listening",
    pattern: /Deno\.listen(Tls)?\(|Deno\.serve\(/,
    allowed: ["agent", "server"],
  },
  {
    what: "file writes",
    pattern:
      /Deno\.(writeFile|writeTextFile|rename|remove|mkdir|chmod|chown|truncate|symlink|link|copyFile|makeTempDir|makeTempFile|utime)(Sync)?\(|\b(write|create|createNew|append|truncate): true/,
    allowed: ["fs"],
  },
  {
    what: "writes to stderr",
    pattern: /Deno\.stderr\b|console\.(log|error|warn|info)\(/,
    allowed: ["term"],
  },
  { what: "writes to stdout", pattern: /Deno\.stdout\.write/, allowed: ["cli/stdout.ts"] },
  { what: "reading the process environment", pattern: /Deno\.env\b/, allowed: ["cli/main.ts"] },
  {
    what: "running programs",
    pattern: /new Deno\.Command\(/,
    allowed: ["console", "agent", "commands", "session"],
  },
];

interface Module {
  /** Path below lib/, e.g. `cli/main.ts`. */
  path: string;
  /** Its folder, e.g. `cli`. */
  folder: string;
  /** Source without comments. */
  code: string;
  /** Imported lib/ modules (paths below lib/), static and dynamic. */
  imports: { path: string; dynamic: boolean }[];
}

function resolveRelative(from: string, specifier: string): string {
  const url = new URL(specifier, `file://${LIB}${from}`);
  return url.pathname.slice(LIB.length);
}

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

async function libModules(): Promise<Module[]> {
  const modules: Module[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(`${LIB}${dir}`)) {
      const path = `${dir}${entry.name}`;
      if (entry.isDirectory) await walk(`${path}/`);
      else if (path.endsWith(".ts") && !path.endsWith("_test.ts")) {
        const code = stripComments(await Deno.readTextFile(`${LIB}${path}`));
        const imports: Module["imports"] = [];
        for (
          const match of code.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)"(\.\.?\/[^"]+)"/g)
        ) {
          const target = resolveRelative(path, match[1]);
          if (!target.startsWith("..") && target.endsWith(".ts")) {
            imports.push({
              path: target,
              dynamic: match[0].startsWith("import(") || /import\s*\(/.test(match[0]),
            });
          }
        }
        modules.push({ path, folder: path.includes("/") ? path.split("/")[0] : "", code, imports });
      }
    }
  };
  await walk("");
  return modules;
}

const modules = await libModules();

Deno.test("every module of lib/ is in a folder with a rule", () => {
  const unknown = modules.filter((m) => !Object.hasOwn(RULES, m.folder)).map((m) => m.path);
  assert.deepEqual(unknown, []);
});

Deno.test("folders import only what their rule allows", () => {
  const violations: string[] = [];
  for (const module of modules) {
    for (const { path } of module.imports) {
      const folder = path.split("/")[0];
      if (folder === module.folder || path === "cli/spec.ts") continue;
      if (module.folder === "commands" && folder === "cli" && !CLI_FOR_COMMANDS.includes(path)) {
        violations.push(
          `${module.path} -> ${path} (commands use only ${CLI_FOR_COMMANDS.join(", ")})`,
        );
      } else if (
        module.folder === "cli" && folder === "commands" && !COMMANDS_FOR_CLI.includes(path)
      ) {
        const dynamic = module.path === "cli/registry.ts" &&
          module.imports.some((i) => i.path === path && i.dynamic);
        if (!dynamic) {
          violations.push(`${module.path} -> ${path} (commands are loaded by cli/registry.ts)`);
        }
      } else if (!(RULES[module.folder] ?? []).includes(folder)) {
        violations.push(`${module.path} -> ${path}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

Deno.test("no module imports commands/ but cli/ and commands/ itself", () => {
  const importers = modules.filter((m) =>
    m.folder !== "cli" && m.folder !== "commands" &&
    m.imports.some((i) => i.path.startsWith("commands/"))
  ).map((m) => m.path);
  assert.deepEqual(importers, []);
});

Deno.test("no circular imports between modules", () => {
  const byPath = new Map(modules.map((m) => [m.path, m]));
  const state = new Map<string, "visiting" | "done">();
  const cycles: string[] = [];
  const visit = (path: string, trail: string[]) => {
    if (state.get(path) === "done") return;
    if (state.get(path) === "visiting") {
      cycles.push([...trail.slice(trail.indexOf(path)), path].join(" -> "));
      return;
    }
    state.set(path, "visiting");
    for (const { path: next } of byPath.get(path)?.imports ?? []) visit(next, [...trail, path]);
    state.set(path, "done");
  };
  for (const module of modules) visit(module.path, []);
  assert.deepEqual(cycles, []);
});

Deno.test("network, files, terminal, environment and programs are reached only from their folders", () => {
  const violations: string[] = [];
  for (const module of modules) {
    for (const { what, pattern, allowed } of CAPABILITIES) {
      const ok = allowed.some((a) => a.endsWith(".ts") ? module.path === a : module.folder === a);
      if (!ok && pattern.test(module.code)) violations.push(`${module.path}: ${what}`);
    }
  }
  assert.deepEqual(violations, []);
});

interface Dependency {
  specifier: string;
  code?: { specifier: string };
  isDynamic?: boolean;
}

interface ModuleInfo {
  specifier: string;
  dependencies?: Dependency[];
}

async function moduleGraph(): Promise<Map<string, ModuleInfo>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", `${REPO_ROOT}main.ts`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const modules: ModuleInfo[] = JSON.parse(new TextDecoder().decode(out.stdout)).modules;
  return new Map(modules.map((m) => [m.specifier, m]));
}

/** Everything `root` loads before it runs: its static imports, transitively (dynamic ones load on use). */
function staticGraph(graph: Map<string, ModuleInfo>, root: string): Set<string> {
  const seen = new Set<string>();
  const queue = [root];
  while (queue.length > 0) {
    const current = queue.pop()!;
    if (seen.has(current)) continue;
    seen.add(current);
    for (const dep of graph.get(current)?.dependencies ?? []) {
      const target = dep.code?.specifier;
      if (target && !dep.isDynamic) queue.push(target);
    }
  }
  return seen;
}

/**
 * The start-up budget: what main.ts and each command load before running may not include an npm package (the AWS
 * SDK, age, csv-parse) or a Node built-in (`node:crypto` alone costs more than Deno's own start-up; `node:util`,
 * `node:path` and `node:os` a good part of it). They are imported with `import()` where they are used.
 */
Deno.test("start-up budget: no command statically loads an npm package or a Node built-in", async () => {
  const graph = await moduleGraph();
  const roots = [
    `file://${REPO_ROOT}main.ts`,
    `file://${LIB}cli/dispatch.ts`,
    ...modules.filter((m) => m.folder === "commands")
      .map((m) => `file://${LIB}${m.path}`),
  ];
  const heavy: string[] = [];
  for (const root of roots) {
    assert.ok(graph.has(root), `${root} is in main.ts's graph (through the registry)`);
    for (const specifier of staticGraph(graph, root)) {
      if (specifier.startsWith("npm:") || specifier.startsWith("node:")) {
        heavy.push(`${root.slice(`file://${REPO_ROOT}`.length)} loads ${specifier}`);
      }
    }
  }
  assert.deepEqual(heavy, []);
  // The walk is real: the dispatcher reaches the registry and a command's graph reaches the AWS layer.
  assert.ok(staticGraph(graph, `file://${LIB}cli/dispatch.ts`).has(`file://${LIB}cli/registry.ts`));
  assert.ok(
    staticGraph(graph, `file://${LIB}commands/session.ts`).has(`file://${LIB}aws/client.ts`),
  );
});

/**
 * The start-up budget of the commands that need no network (issue 16), on top of the rule above for every
 * command: what their static module graph may hold besides lib/ modules outside `forbiddenFolders`. They run on
 * every shell start, Tab and prompt, so they may load no npm package, no Node built-in but
 * `allowedNodeBuiltins` (none), and not the AWS layer, which exists to load the SDK and open connections.
 */
const OFFLINE_STARTUP_BUDGET = {
  roots: [
    "main.ts",
    "lib/cli/dispatch.ts",
    "lib/commands/init.ts",
    "lib/commands/version.ts",
    "lib/commands/complete.ts",
    "lib/commands/status.ts",
    "lib/commands/roles.ts",
  ],
  allowedNodeBuiltins: [] as readonly string[],
  forbiddenFolders: ["aws/"],
} as const;

Deno.test("offline start-up budget: init, version, help, complete, status and roles load no SDK, node: or AWS layer", async () => {
  const graph = await moduleGraph();
  const over: string[] = [];
  for (const root of OFFLINE_STARTUP_BUDGET.roots) {
    const url = `file://${REPO_ROOT}${root}`;
    assert.ok(graph.has(url), `${root} is in main.ts's graph`);
    for (const specifier of staticGraph(graph, url)) {
      const inLib = specifier.startsWith(`file://${LIB}`)
        ? specifier.slice(`file://${LIB}`.length)
        : "";
      if (
        specifier.startsWith("npm:") ||
        (specifier.startsWith("node:") &&
          !OFFLINE_STARTUP_BUDGET.allowedNodeBuiltins.includes(specifier)) ||
        OFFLINE_STARTUP_BUDGET.forbiddenFolders.some((folder) => inLib.startsWith(folder))
      ) {
        over.push(`${root} loads ${specifier.replace(`file://${REPO_ROOT}`, "")}`);
      }
    }
  }
  assert.deepEqual(over, []);
  // The check is real: a network command's graph does reach the AWS layer.
  const assume = staticGraph(graph, `file://${LIB}commands/assume.ts`);
  assert.ok([...assume].some((s) => s.startsWith(`file://${LIB}aws/`)));
});

/**
 * How many modules the commands run on every shell start, Tab and prompt load before they run: the static graph
 * of the command with that of the dispatcher (`main.ts` alone is what `--version` loads). From source each module
 * costs `deno run` a read, a hash and cache look-ups, so a module added to these graphs must be worth it; raise
 * a number only for one that is, lower it when a graph shrinks.
 */
const STARTUP_MODULE_BUDGET: Readonly<Record<string, number>> = {
  "main.ts": 4,
  "lib/cli/dispatch.ts": 20,
  "lib/cli/help.ts": 23,
  "lib/commands/init.ts": 25,
  "lib/commands/complete.ts": 24,
  "lib/commands/version.ts": 24,
  "lib/commands/status.ts": 26,
  "lib/commands/roles.ts": 38,
};

Deno.test("start-up module budget: --version, the dispatcher and the offline commands load few modules", async () => {
  const graph = await moduleGraph();
  const dispatcher = staticGraph(graph, `file://${LIB}cli/dispatch.ts`);
  const over: string[] = [];
  for (const [root, budget] of Object.entries(STARTUP_MODULE_BUDGET)) {
    const own = staticGraph(graph, `file://${REPO_ROOT}${root}`);
    const loaded = root === "main.ts" ? own : new Set([...dispatcher, ...own]);
    if (loaded.size > budget) over.push(`${root}: ${loaded.size} modules (budget ${budget})`);
  }
  assert.deepEqual(over, []);
  // --version loads nothing of the dispatcher.
  assert.ok(!staticGraph(graph, `file://${REPO_ROOT}main.ts`).has(`file://${LIB}cli/dispatch.ts`));
});

Deno.test("only aws/ imports the AWS SDK", async () => {
  const graph = await moduleGraph();
  const importers = new Set<string>();
  for (const module of graph.values()) {
    if (!module.specifier.startsWith(`file://${LIB}`)) continue;
    for (const dep of module.dependencies ?? []) {
      if ((dep.code?.specifier ?? "").includes("@aws-sdk/")) {
        importers.add(module.specifier.slice(`file://${LIB}`.length).split("/")[0]);
      }
    }
  }
  assert.deepEqual([...importers], ["aws"]);
});
