/**
 * The command line of `stc version`: its options, arguments, help and examples.
 *
 * @module
 */

import type { CommandSpec } from "../../cli/spec.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc version`. */
export const VERSION_SPEC = {
  name: "version",
  summary: COMMAND_SUMMARIES.version,
  args: [],
  options: [],
} as const satisfies CommandSpec;
