/**
 * The command line of `stc session`: its options, arguments, help and examples.
 *
 * @module
 */

import { type CommandSpec, profileOption } from "../../cli/spec.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc session`. */
export const SESSION_SPEC = {
  name: "session",
  summary: COMMAND_SUMMARIES.session,
  description: `
Calls GetSessionToken with the profile's long-term access key and an MFA code, and sets AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, AWS_USER, AWS_EXPIRATION and related variables in the
shell. The MFA device is the profile's mfa_serial, else the user's device (saved as mfa_serial). The session stays
available to later stc commands in the same shell (assume, console) without a new MFA code.

-s stores the session encrypted (age format, passphrase) in ~/.aws/PROFILE.session.age; -r restores it in another
shell (also session-tool.sh's ~/.aws/PROFILE.aes). Exit codes of -v: 3 expired or no session, 4 invalid
credentials, 5 AWS unreachable.`,
  args: [{
    name: "MFA",
    description: "Current code of your MFA device (asked when missing)",
    optional: true,
  }],
  options: [
    profileOption("Profile with the long-term key; remembered as the default"),
    {
      name: "duration",
      type: "string",
      valueName: "TIME",
      description: "Session length: 12h (default), 90m or seconds (900-129600)",
    },
    { name: "save", short: "s", type: "boolean", description: "Store the session encrypted" },
    { name: "restore", short: "r", type: "boolean", description: "Restore a stored session" },
    { name: "list", short: "l", type: "boolean", description: "List stored sessions" },
    { name: "clear", short: "c", type: "boolean", description: "Remove every variable stc set" },
    {
      name: "all",
      type: "boolean",
      description: "With -c: also make the session agent forget everything and exit",
    },
    {
      name: "verify",
      short: "v",
      type: "boolean",
      description:
        "Check the shell's credentials with AWS (exit 3 expired, 4 invalid, 5 unreachable)",
    },
  ],
  examples: [
    {
      command: "stc session 123456",
      description: "Get a 12-hour session with the default profile",
    },
    {
      command: "stc session -p awsops -s",
      description: "Get a session (asks the code) and store it",
    },
    { command: "stc session -r", description: "Restore the stored session in another shell" },
    { command: "stc session -v", description: "Check that the shell's session still works" },
  ],
} as const satisfies CommandSpec;
