/**
 * The command line of `stc complete`: its options, arguments, help and examples.
 *
 * @module
 */

import type { CommandSpec } from "../../cli/spec.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc complete`. */
export const COMPLETE_SPEC = {
  name: "complete",
  summary: COMMAND_SUMMARIES.complete,
  description: `
'stc complete KIND [PREFIX]' prints the names of a kind that start with PREFIX, one a line: commands,
profiles, roles (every alias 'stc assume' accepts), accounts, shells or services.

'stc complete words' reads a command line from stdin, one word a line, the last being the word under the
cursor, and prints what fits there: a mode line ('values', 'files' or 'files:EXT'), then the candidates, each
optionally followed by a tab and a description. The words come on stdin rather than as arguments because a
half-typed line may hold a secret.`,
  args: [
    {
      name: "kind",
      description: "words, commands, profiles, roles, accounts, shells or services",
    },
    { name: "prefix", description: "Only names starting with it", optional: true },
  ],
  options: [],
  examples: [
    { command: "stc complete roles dev", description: "Role aliases starting with 'dev'" },
    {
      command: "printf '%s\\n' stc session -p '' | stc complete words",
      description: "What to offer after 'stc session -p '",
    },
  ],
} as const satisfies CommandSpec;
