/**
 * The entry point: `stc --version` at once, everything else through the dispatcher, which is loaded for it.
 *
 * @module
 */

import { VERSION } from "../core/version.ts";
import { writeStdout } from "./stdout.ts";

/** Runs stc with the given arguments and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  // Asked by scripts and prompts: answered before the rest of stc loads.
  if (argv[0] === "--version" || argv[0] === "-V") {
    writeStdout(`stc ${VERSION}\n`);
    return 0; // ExitCode.Ok, without loading the module of exit codes
  }
  const { run } = await import("./dispatch.ts");
  return await run(argv, Deno.env.toObject());
}
