/**
 * The command line of `stc export`: its options, arguments, help and examples.
 *
 * @module
 */

import { type CommandSpec, profileOption } from "../../cli/spec.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc export`. */
export const EXPORT_SPEC = {
  name: "export",
  summary: COMMAND_SUMMARIES.export,
  description: `
Prints 'get_session -p PROFILE -i KEYID,SECRET -b BUCKET -d' (without -b/-d when the profile has no roles bucket).
Paste it into a shell with stc's functions or session-tool.sh, or feed it to 'stc import -'. The line holds the
secret key: do not leave it in a terminal scrollback or a shared file.`,
  args: [],
  options: [
    profileOption("Profile whose key to export (default: the selected profile)"),
  ],
  examples: [
    {
      command: "stc export -p awsops",
      description: "Print the import command for profile awsops",
    },
    {
      command: "stc export | ssh bastion2 stc import -",
      description: "Copy the key to another host without it touching a command line",
    },
  ],
} as const satisfies CommandSpec;
