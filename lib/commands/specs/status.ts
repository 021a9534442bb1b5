/**
 * The command line of `stc status`: its options, arguments, help and examples.
 *
 * @module
 */

import type { CommandSpec } from "../../cli/spec.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc status`. */
export const STATUS_SPEC = {
  name: "status",
  summary: COMMAND_SUMMARIES.status,
  description: `
Reads the variables stc set; no network unless --verify, which asks AWS (GetCallerIdentity) and fails with exit
code 3 (expired), 4 (invalid) or 5 (unreachable).`,
  args: [],
  options: [
    { name: "json", type: "boolean", description: "Print JSON for scripts" },
    { name: "verify", type: "boolean", description: "Check the credentials with AWS" },
  ],
  examples: [
    { command: "stc status", description: "Who am I and for how long" },
    { command: "stc status --json | jq .secondsLeft", description: "Time left, for a prompt" },
  ],
} as const satisfies CommandSpec;
