/**
 * The command line of `stc doctor`: its options, arguments, help and examples.
 *
 * @module
 */

import { type CommandSpec, profileOption } from "../../cli/spec.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc doctor`. */
export const DOCTOR_SPEC = {
  name: "doctor",
  summary: COMMAND_SUMMARIES.doctor,
  description: `
One line per check: ✓ works, ✗ broken (with the fix below it), ! worth knowing, - skipped. Checks the binary, the
shell integration, ~/.aws (0700), the credentials file and stored sessions (0600), the selected profile and where
the choice came from, its access key (masked) and mfa_serial, the endpoint of STS, IAM, S3 and the console sign-in
and the setting that chose it, the proxy and CA bundle in effect, then (unless --offline) each endpoint's TCP
connection, TLS handshake and HTTP answer with times, the clock offset from the answer's Date, and the session
agent when one runs. Exit 0 when everything the profile needs works, 1 otherwise (the shell integration and
IAM/sign-in are needed only by some commands: shown with !).`,
  args: [],
  options: [
    profileOption("Profile to check (default: the one stc would use)"),
    { name: "offline", type: "boolean", description: "Skip the network checks" },
    { name: "json", type: "boolean", description: "Print JSON for scripts" },
  ],
  examples: [
    { command: "stc doctor", description: "Check everything for the default profile" },
    { command: "stc doctor -p prod --offline", description: "Files and settings of 'prod' only" },
  ],
} as const satisfies CommandSpec;
