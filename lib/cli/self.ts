/**
 * How this stc runs itself again (the shell functions of `stc init`, the agent, `stc exec --server`): the
 * compiled binary alone, or `deno run` of main.ts with stc's permissions and loading flags.
 *
 * @module
 */

/** The facts about the running program that decide how to re-run it. */
export interface RuntimeFacts {
  /** True inside a `deno compile`d binary. */
  standalone: boolean;
  /** The running executable: the stc binary, or deno. */
  execPath: string;
  /** URL of main.ts (from source). */
  mainUrl: string;
}

/** The facts of this process. */
export function currentRuntime(): RuntimeFacts {
  return {
    standalone: Deno.build.standalone,
    execPath: Deno.execPath(),
    mainUrl: new URL("../../main.ts", import.meta.url).href,
  };
}

/** Permissions stc runs with from source; the same set as the compiled binary's (see deno.json). */
export const PERMISSION_FLAGS: readonly string[] = [
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-net",
  "--allow-run",
  "--allow-sys=osRelease,uid",
];

/**
 * How `deno run` loads stc from source: `import()`s load when reached, as in the compiled binary, instead of
 * every module any command could import (the AWS SDK's graph included) being read before the first line runs.
 */
export const LOAD_FLAGS: readonly string[] = ["--unstable-lazy-dynamic-imports"];

/** How to run this stc again: the compiled binary itself, or `deno run` of main.ts with stc's permissions. */
export function selfCommand(runtime: RuntimeFacts = currentRuntime()): string[] {
  if (runtime.standalone) return [runtime.execPath];
  const main = new URL(runtime.mainUrl);
  const script = main.protocol === "file:" ? decodeURIComponent(main.pathname) : main.href;
  return [runtime.execPath, "run", "--quiet", ...LOAD_FLAGS, ...PERMISSION_FLAGS, script];
}
