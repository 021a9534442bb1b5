/**
 * `stc version`: print the version (the same as `stc --version`).
 *
 * @module
 */

import { type Command, defineCommand } from "../cli/command.ts";
import { printLine } from "../cli/output.ts";
import { VERSION } from "../core/version.ts";
import { SPECS } from "./specs.ts";

/** `stc version`. */
export const versionCommand: Command = defineCommand(
  SPECS.version,
  () => Promise.resolve([printLine(`stc ${VERSION}`)]),
);
