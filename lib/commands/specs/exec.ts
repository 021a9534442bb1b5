/**
 * The command line of `stc exec`: its options, arguments, help and examples.
 *
 * @module
 */

import { type CommandSpec, profileOption } from "../../cli/spec.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc exec`. */
export const EXEC_SPEC = {
  name: "exec",
  summary: COMMAND_SUMMARIES.exec,
  description: `
Runs COMMAND (without one, $SHELL) with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
AWS_CREDENTIAL_EXPIRATION, AWS_REGION and stc's informational variables of the role ALIAS, or of the MFA
session of -p PROFILE when no alias is given. AWS_PROFILE is unset so that the program's SDK uses them; the
long-term key and the base session never reach the program. The session comes from the shell (stc function)
or the session agent; without one, an MFA code is asked for. COMMAND's stdin, stdout and stderr are its own,
INT, TERM and HUP are passed on to it, and its exit status is stc's (128+N when a signal N ended it). Nesting
is refused: STC_EXEC is set inside. With --server, the command gets no credentials but
AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN instead (see 'stc help serve'): its SDK
fetches the role's credentials from stc, which assumes the role again before they expire, for as long as the
MFA session lasts; the server stops when the command ends.`,
  args: [
    {
      name: "alias",
      description: "Role alias (default: the MFA session itself)",
      optional: true,
      complete: "role",
    },
    {
      name: "command",
      description: "The command and its arguments",
      afterDashDash: true,
      complete: "command",
    },
  ],
  options: [
    profileOption("Profile whose session, roles and key to use"),
    {
      name: "duration",
      short: "d",
      type: "string",
      valueName: "DURATION",
      description: "Role session length (e.g. 2h); over 1h uses the access key + a new MFA code",
    },
    {
      name: "server",
      type: "boolean",
      description:
        "Serve the role's credentials on 127.0.0.1, renewed before they expire, instead of setting them",
    },
  ],
  examples: [
    {
      command: "stc exec dev-admin -- terraform plan",
      description: "Run terraform as dev-admin",
    },
    {
      command: "stc exec --server dev-admin -- terraform apply",
      description: "Run terraform for longer than the role's hour: credentials renew themselves",
    },
    { command: "stc exec prod-ro", description: "A shell with prod-ro's credentials" },
    { command: "stc exec -p awsops -- aws s3 ls", description: "The MFA session's credentials" },
  ],
} as const satisfies CommandSpec;
