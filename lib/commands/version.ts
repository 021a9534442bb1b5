/**
 * `stc version`: print the version (the same as `stc --version`).
 *
 * @module
 */

import { type Command, defineCommand } from "../cli/command.ts";
import { printLine } from "../cli/output.ts";
import { VERSION } from "../core/version.ts";
import { VERSION_SPEC } from "./specs/version.ts";

/** `stc version`. */
export const versionCommand: Command = defineCommand(
  VERSION_SPEC,
  () => Promise.resolve([printLine(`stc ${VERSION}`)]),
);
