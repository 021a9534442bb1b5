/**
 * Test support: a temporary HOME with real ~/.aws files, and the real stc CLI run as a subprocess.
 *
 * @module
 */

import { selfCommand } from "../lib/cli/self.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** The repository root (with a trailing slash). */
export const REPO_ROOT: string = ROOT;

let denoDir: string | undefined;

/** Deno's cache directory, so subprocesses with a temporary HOME reuse the downloaded npm packages. */
export async function realDenoDir(): Promise<string> {
  if (denoDir) return denoDir;
  const fromEnv = Deno.env.get("DENO_DIR");
  if (fromEnv) return denoDir = fromEnv;
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" })
    .output();
  denoDir = JSON.parse(new TextDecoder().decode(out.stdout)).denoDir as string;
  return denoDir;
}

/** A temporary HOME directory. */
export interface TempHome {
  /** Absolute path of HOME. */
  home: string;
  /** Absolute path of HOME/.aws. */
  aws: string;
  /** Base environment for subprocesses: HOME, PATH, DENO_DIR, NO_COLOR, TZ, LANG, DENO_NO_UPDATE_CHECK, STC_AGENT=off. */
  env: Record<string, string>;
  /** Writes a file below HOME (creating directories), with an optional mode. */
  write(relative: string, text: string, mode?: number): Promise<string>;
  /** Reads a file below HOME, or undefined when missing. */
  read(relative: string): Promise<string | undefined>;
  /** Removes the directory. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Creates a temporary HOME; dispose it with `await using`. */
export async function makeHome(): Promise<TempHome> {
  const home = await Deno.makeTempDir({ prefix: "stc-home-" });
  const env: Record<string, string> = {
    HOME: home,
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    DENO_DIR: await realDenoDir(),
    NO_COLOR: "1",
    TZ: "UTC",
    LANG: "C.UTF-8",
    // `deno run` checks dl.deno.land for updates (through HTTPS_PROXY when a test sets one): tests stay on loopback.
    DENO_NO_UPDATE_CHECK: "1",
    // No test shares a session agent with another, or leaves one running: the agent's tests turn it on with a
    // socket of their own (test/agent_world.ts).
    STC_AGENT: "off",
  };
  return {
    home,
    aws: `${home}/.aws`,
    env,
    async write(relative, text, mode) {
      const path = `${home}/${relative}`;
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(path, text, mode === undefined ? undefined : { mode });
      if (mode !== undefined) await Deno.chmod(path, mode);
      return path;
    },
    async read(relative) {
      try {
        return await Deno.readTextFile(`${home}/${relative}`);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw error;
      }
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(home, { recursive: true });
    },
  };
}

/** The outcome of one stc run. */
export interface RunResult {
  /** Exit code. */
  code: number;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
}

/** Options of {@linkcode runStc}. */
export interface RunOptions {
  /** Environment (replaces the process environment entirely). */
  env: Record<string, string>;
  /** Text fed to stdin; stdin is /dev/null when absent. */
  stdin?: string;
  /** Working directory. */
  cwd?: string;
  /** A command line that runs stc's command line given after it (e.g. `unshare -rm sh -c '…; exec "$@"' sh`). */
  wrapper?: readonly string[];
}

/**
 * The command line that runs the stc under test: the executable named by `STC_BIN` (a compiled binary, or any
 * wrapper), else stc from source as stc itself re-runs it (`deno run … main.ts`).
 */
export function stcCommandLine(): string[] {
  const bin = Deno.env.get("STC_BIN");
  if (bin) return [bin.startsWith("/") ? bin : `${Deno.cwd()}/${bin}`];
  return selfCommand();
}

/** Whether the tests run a given executable (`STC_BIN`) rather than stc from source. */
export function testingBinary(): boolean {
  return Boolean(Deno.env.get("STC_BIN"));
}

/** Runs the real stc CLI (see {@linkcode stcCommandLine}) in a subprocess. */
export async function runStc(args: string[], options: RunOptions): Promise<RunResult> {
  const [command, ...prefix] = [...(options.wrapper ?? []), ...stcCommandLine()];
  const child = new Deno.Command(command, {
    args: [...prefix, ...args],
    env: options.env,
    clearEnv: true,
    cwd: options.cwd,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    try {
      await writer.write(new TextEncoder().encode(options.stdin));
      await writer.close();
    } catch (error) {
      // stc may stop reading (input over its limit) and exit before taking all of it.
      if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    }
  }
  const out = await child.output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/**
 * Evaluates stc's shell output in a real bash and returns the resulting values of the named variables (undefined
 * when unset). The values are read back through files, byte for byte.
 */
export async function evalInBash(
  shellCode: string,
  names: string[],
  initialEnv: Record<string, string> = {},
): Promise<Record<string, string | undefined>> {
  const dir = await Deno.makeTempDir({ prefix: "stc-eval-" });
  try {
    await Deno.writeTextFile(`${dir}/code.sh`, shellCode);
    const reads = names.map((name, i) =>
      `if [ -n "\${${name}+set}" ]; then printf '%s' "$${name}" > '${dir}/v${i}'; fi`
    ).join("\n");
    const script = `set -eu\neval "$(cat '${dir}/code.sh')"\n${reads}\n`;
    const out = await new Deno.Command("bash", {
      args: ["-c", script],
      env: initialEnv,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (out.code !== 0) {
      throw new Error(`bash failed (${out.code}): ${new TextDecoder().decode(out.stderr)}`);
    }
    const values: Record<string, string | undefined> = {};
    for (const [i, name] of names.entries()) {
      try {
        values[name] = await Deno.readTextFile(`${dir}/v${i}`);
      } catch {
        values[name] = undefined;
      }
    }
    return values;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

let scriptChecked: Promise<boolean> | undefined;

/**
 * Whether util-linux `script` is installed to give a command a pseudo-terminal (macOS's BSD `script` takes other
 * arguments). Tests that need a terminal skip, saying so, when it is not.
 */
export function terminalAvailable(): Promise<boolean> {
  scriptChecked ??= (async () => {
    try {
      const out = await new Deno.Command("script", {
        args: ["--version"],
        stdout: "piped",
        stderr: "null",
      }).output();
      return out.success && new TextDecoder().decode(out.stdout).includes("util-linux");
    } catch {
      return false;
    }
  })();
  return scriptChecked;
}

/** Quotes a word for a POSIX shell command line. */
export function shellWord(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Runs the real stc with `args` on a pseudo-terminal (stdin, stdout and stderr), as in an interactive shell, and
 * returns its exit code and everything it wrote (CRLF turned into LF). Check {@linkcode terminalAvailable} first.
 */
export async function runStcOnTerminal(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  const line = [...stcCommandLine(), ...args].map(shellWord).join(" ");
  const out = await new Deno.Command("script", {
    args: ["-qfec", line, "/dev/null"],
    env: { SHELL: "/bin/sh", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, output: new TextDecoder().decode(out.stdout).replaceAll("\r\n", "\n") };
}
