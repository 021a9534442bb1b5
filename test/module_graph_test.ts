/**
 * Guards on the module graph: commands that need no network must not load the AWS SDK (or any npm package) at
 * start-up, and AWS is reached only through lib/aws/client.ts.
 */
import assert from "node:assert/strict";
import { REPO_ROOT } from "./helpers.ts";

interface Dependency {
  specifier: string;
  code?: { specifier: string };
  type?: { specifier: string };
  isDynamic?: boolean;
}

interface ModuleInfo {
  specifier: string;
  dependencies?: Dependency[];
}

async function moduleGraph(): Promise<ModuleInfo[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", `${REPO_ROOT}main.ts`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout)).modules;
}

Deno.test("main.ts loads no npm package statically: the AWS SDK, age and csv-parse are imported on use", async () => {
  const modules = await moduleGraph();
  const bySpecifier = new Map(modules.map((m) => [m.specifier, m]));
  const root = new URL(`file://${REPO_ROOT}main.ts`).href;
  const seen = new Set<string>();
  const staticNpm: string[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const current = queue.pop()!;
    if (seen.has(current)) continue;
    seen.add(current);
    for (const dep of bySpecifier.get(current)?.dependencies ?? []) {
      const target = dep.code?.specifier;
      if (!target || dep.isDynamic) continue;
      if (target.startsWith("npm:")) staticNpm.push(`${current} -> ${target}`);
      else if (target.startsWith("file:")) queue.push(target);
    }
  }
  assert.ok(seen.size > 10, "the walk reached the command modules");
  assert.deepEqual(staticNpm, []);
});

Deno.test("only lib/aws/client.ts imports the AWS SDK", async () => {
  const importers = new Set<string>();
  for (const module of await moduleGraph()) {
    if (!module.specifier.startsWith("file:")) continue;
    for (const dep of module.dependencies ?? []) {
      if ((dep.code?.specifier ?? "").includes("@aws-sdk/")) {
        importers.add(module.specifier.slice(`file://${REPO_ROOT}`.length));
      }
    }
  }
  assert.deepEqual([...importers], ["lib/aws/client.ts"]);
});
