/**
 * The command line of `stc assume`: its options, arguments, help and examples.
 *
 * @module
 */

import { type CommandSpec, profileOption } from "../../cli/spec.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc assume`. */
export const ASSUME_SPEC = {
  name: "assume",
  summary: COMMAND_SUMMARIES.assume,
  description: `
Assumes the role of an alias ('stc roles' lists them) and exports its credentials with AWS_ROLE_ALIAS,
AWS_ACCOUNT_ID, AWS_ACCOUNT_NAME, AWS_ACCOUNT_ROLE and the expiry variables. Without an alias it
assumes the shell's current role (AWS_ROLE_ALIAS) again, e.g. to renew it; with none, at a terminal,
it lets you pick one (type to filter, arrows, Enter; Esc cancels).

The role is assumed from the shell's MFA session ('stc session'), so one MFA code serves many
assumes. When the shell has none, stc asks for an MFA code, gets the MFA session (12 hours) with it,
keeps it in the shell and assumes from it. AWS limits a role assumed with session credentials to 1
hour. For longer (--duration, or AWS_ROLE_SESSION_TIMEOUT as in Coinbase's assume-role), stc assumes
the role directly with the profile's access key and a fresh MFA code (asked for unless given), which
allows up to the role's maximum session duration.

Coinbase form: 'stc assume ACCOUNT ROLE [MFA [REGION]]' with ACCOUNT a name from ~/.aws/accounts
($ACCOUNTS_FILE) or a 12-digit id; as assume-role does, the account id is passed as the external id,
and a region is exported as AWS_REGION and AWS_DEFAULT_REGION. The profile is -p, else
AWS_PROFILE_ASSUME_ROLE, else the shell's session profile, AWS_PROFILE, then
session_tool_default_profile. The session name CloudTrail shows is your IAM user name, as with
session-tool.sh, unless the role's config profile sets role_session_name (a roles file's session_name
column is not used). A failed assume changes nothing.`,
  args: [
    {
      name: "alias",
      description: "Role alias, or account name/id with a role name (default: AWS_ROLE_ALIAS)",
      optional: true,
      complete: "role",
    },
    {
      name: "role",
      description: "Role name in the account (Coinbase form), or the MFA code",
      optional: true,
    },
    { name: "mfa", description: "MFA code (Coinbase form; '' for none)", optional: true },
    { name: "region", description: "Region, as --region (Coinbase form)", optional: true },
  ],
  options: [
    {
      name: "duration",
      type: "string",
      valueName: "DURATION",
      description: "Session length (e.g. 2h, 7200); over 1h uses the access key + a new MFA code",
    },
    {
      name: "mfa",
      type: "string",
      valueName: "CODE",
      description: "MFA code, when one is needed (else asked for)",
    },
    {
      name: "region",
      type: "string",
      valueName: "REGION",
      description: "Region: of the AWS calls, and exported as AWS_REGION and AWS_DEFAULT_REGION",
    },
    profileOption("Profile whose roles and key to use"),
    {
      name: "renew",
      type: "boolean",
      description:
        "Renew the current role from the MFA session only, quietly (what 'stc init --auto-renew' runs)",
    },
  ],
  examples: [
    { command: "stc assume dev-admin", description: "Assume the role of alias dev-admin" },
    { command: "stc assume", description: "Renew the current role" },
    {
      command: "stc assume --duration 8h prod-admin",
      description: "Eight hours: uses the access key and asks for an MFA code",
    },
    { command: "stc assume prod Admin 123456", description: "Coinbase assume-role form" },
  ],
} as const satisfies CommandSpec;
