/**
 * `stc version`: print the version (the same as `stc --version`).
 *
 * @module
 */

import type { Command } from "../cli/command.ts";
import { printLine } from "../cli/output.ts";
import { VERSION } from "../core/version.ts";

/** The `version` command. */
export const versionCommand: Command = {
  name: "version",
  summary: "Print the version of stc",
  args: [],
  options: [],
  run: () => Promise.resolve([printLine(`stc ${VERSION}`)]),
};
