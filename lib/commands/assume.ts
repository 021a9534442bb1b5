/**
 * `stc assume`: switch the shell to a role's credentials (session-tool.sh's `assume_role`, Coinbase's
 * `assume-role`).
 *
 * @module
 */

import { type Command, profileOption, toolPath } from "../cli/command.ts";
import { usageError } from "../core/errors.ts";
import { checkMfaCode, isMfaCode } from "../session/mfa.ts";
import { guardSecretOutput } from "../cli/output.ts";
import { obtainRoleCredentials, type RoleRequest } from "../roles/assume.ts";
import { parseDuration, ROLE_LIMITS } from "../core/duration.ts";
import { formatDuration, formatLocalTime, roleActions, secondsLeft } from "../session/variables.ts";
import { info } from "../term/ui.ts";

/** Turns the positional forms into a request: `[alias]`, `alias MFA`, `account role [MFA]`. */
export function roleRequestFromArgs(
  positionals: readonly string[],
  values: Readonly<Record<string, string | boolean | undefined>>,
): RoleRequest {
  const [first, second, third] = positionals;
  const request: RoleRequest = {};
  let mfa = typeof values.mfa === "string" ? values.mfa : undefined;
  const setMfa = (code: string) => {
    if (mfa !== undefined) throw usageError("the MFA code is given twice");
    mfa = code;
  };
  if (first !== undefined) request.role = first;
  if (second !== undefined) {
    // A six-digit second argument is an MFA code: no role name is six digits.
    if (third === undefined && isMfaCode(second)) setMfa(second);
    else request.roleName = second;
  }
  if (third !== undefined) setMfa(third);
  if (mfa !== undefined) request.mfaCode = checkMfaCode(mfa);
  if (typeof values.duration === "string") {
    request.durationSeconds = parseDuration(values.duration, "--duration", ROLE_LIMITS);
  }
  if (typeof values.profile === "string") request.profile = values.profile;
  return request;
}

/** The `assume` command. */
export const assumeCommand: Command = {
  name: "assume",
  summary: "Assume a role: switch the shell to its credentials",
  description: `
Assumes the role of an alias ('stc roles' lists them) and exports its credentials with AWS_ROLE_ALIAS,
AWS_ACCOUNT_ID, AWS_ACCOUNT_NAME, AWS_ACCOUNT_ROLE and the expiry variables. Without an alias it
assumes the shell's current role (AWS_ROLE_ALIAS) again, e.g. to renew it.

The role is assumed from the shell's MFA session ('stc session'), so one MFA code serves many
assumes. AWS limits a role assumed with session credentials to 1 hour. For longer (--duration, or
AWS_ROLE_SESSION_TIMEOUT as in Coinbase's assume-role), and when the shell has no session, stc
assumes the role directly with the profile's access key and a fresh MFA code (asked for unless
given), which allows up to the role's maximum session duration.

Coinbase form: 'stc assume ACCOUNT ROLE [MFA]' with ACCOUNT a name from ~/.aws/accounts or a
12-digit id; as assume-role does, the account id is passed as the external id. The profile is -p,
else AWS_PROFILE_ASSUME_ROLE, else the shell's session profile, AWS_PROFILE, then
session_tool_default_profile. The session name is your IAM user name unless the roles file
(session_name) or profile (role_session_name) sets one. A failed assume changes nothing.`,
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
    { name: "mfa", description: "MFA code (Coinbase form)", optional: true },
  ],
  options: [
    {
      name: "duration",
      short: "d",
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
    profileOption("Profile whose roles and key to use"),
  ],
  examples: [
    { command: "stc assume dev-admin", description: "Assume the role of alias dev-admin" },
    { command: "stc assume", description: "Renew the current role" },
    {
      command: "stc assume -d 8h prod-admin",
      description: "Eight hours: uses the access key and asks for an MFA code",
    },
    { command: "stc assume prod Admin 123456", description: "Coinbase assume-role form" },
  ],
  async run(context, args) {
    const request = roleRequestFromArgs(args.positionals, args.values);
    guardSecretOutput(context);
    const result = await obtainRoleCredentials(context, request);
    const { role, credentials } = result;
    if (credentials.expiration) {
      info(
        `assumed ${role.roleName} in ${role.accountName} (${role.accountId}) until ${
          formatLocalTime(credentials.expiration)
        } (${formatDuration(secondsLeft(credentials.expiration, context.now()))})`,
      );
    }
    return roleActions(result.base, role, credentials, toolPath(context));
  },
};
