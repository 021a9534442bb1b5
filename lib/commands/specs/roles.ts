/**
 * The command line of `stc roles`: its options, arguments, help and examples.
 *
 * @module
 */

import { type CommandSpec, profileOption } from "../../cli/spec.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc roles`. */
export const ROLES_SPEC = {
  name: "roles",
  summary: COMMAND_SUMMARIES.roles,
  description: `
Lists every alias 'stc assume' accepts, in this order (for an alias defined twice, the first wins):
  1. ~/.aws/<profile>_roles.cfg (your own) and ~/.aws/<profile>_session-tool_roles.cfg (the
     organisation's), one 'alias role_arn [session_name [external_id]]' per line, as session-tool.sh;
  2. profiles in ~/.aws/config with role_arn (and source_profile, external_id, role_session_name,
     duration_seconds, mfa_serial), so plain AWS CLI role profiles work as they are;
  3. ~/.aws/accounts, Coinbase assume-role's {"name": "123456789012"}: account names, used with a
     role name (stc assume NAME ROLE).
Bad lines are reported with file:line on stderr and skipped.

--download fetches the organisation's list from S3 (session-tool_bucketname, session-tool_rolesfile,
default session-tool_roles.cfg, set in the profile) with the profile's access key. The download must be
a valid list before it replaces the current file, atomically: a broken or empty object never destroys
a good list. --upload publishes your local copy with the shell's current credentials (usually an
assumed role allowed to write the bucket).`,
  args: [],
  options: [
    profileOption("Profile whose roles files to use"),
    { name: "json", type: "boolean", description: "Print the roles as JSON (for scripts)" },
    { name: "names", type: "boolean", description: "Print only the names, one per line" },
    {
      name: "download",
      type: "boolean",
      description: "Download the organisation's list from S3",
    },
    { name: "upload", type: "boolean", description: "Upload the organisation's list to S3" },
    {
      name: "write-config",
      type: "boolean",
      description: "Write a credential_process profile per alias into ~/.aws/config",
    },
  ],
  examples: [
    { command: "stc roles", description: "List the aliases with account, role and source" },
    { command: "stc roles --download", description: "Refresh the organisation's list from S3" },
    { command: "stc roles --json | jq -r '.roles[].alias'", description: "Aliases for a script" },
  ],
} as const satisfies CommandSpec;
