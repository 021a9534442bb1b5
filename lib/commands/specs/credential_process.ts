/**
 * The command line of `stc credential-process`: its options, arguments, help and examples.
 *
 * @module
 */

import { type CommandSpec, profileOption } from "../../cli/spec.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc credential-process`. */
export const CREDENTIAL_PROCESS_SPEC = {
  name: "credential-process",
  summary: COMMAND_SUMMARIES["credential-process"],
  description: `
Prints {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"} for the role ALIAS (or
the MFA session of -p PROFILE), for 'credential_process' in ~/.aws/config ('stc roles --write-config' writes
those profiles). The role's credentials are cached by the session agent and renewed when fewer than 5 minutes
are left, so many SDK clients make one AssumeRole. When no MFA session is held, the MFA code is asked for on the
terminal (/dev/tty), never on stdin or stdout; without a terminal it fails with exit code 3: run 'stc session'
first.`,
  args: [
    {
      name: "alias",
      description: "Role alias (default: the MFA session itself)",
      optional: true,
      complete: "role",
    },
  ],
  options: [
    profileOption("Profile whose session, roles and key to use"),
  ],
  examples: [
    { command: "stc credential-process dev-admin", description: "JSON for dev-admin" },
  ],
} as const satisfies CommandSpec;
