/**
 * The command line of `stc rotate`: its options, arguments, help and examples.
 *
 * @module
 */

import { type CommandSpec, profileOption } from "../../cli/spec.ts";
import {
  DEFAULT_PROPAGATION_TIMEOUT_S,
  PROPAGATION_TIMEOUT_VARIABLE,
  RECORD_SUFFIX,
} from "../../keys/rotation.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc rotate`. */
export const ROTATE_SPEC = {
  name: "rotate",
  summary: COMMAND_SUMMARIES.rotate,
  description: `
Creates a new access key for the IAM user of the profile, saves it, checks that AWS accepts it
(new keys take a few seconds to propagate; the wait is bounded by ${PROPAGATION_TIMEOUT_VARIABLE}
seconds, default ${DEFAULT_PROPAGATION_TIMEOUT_S}) and only then deletes the old key. It prints the commands that
import the new key on another host (stc's, and session-tool.sh's get_session). Progress and the new password go to stderr; only the import
command goes to stdout.

The profile keeps a working key at every step. The rotation is recorded in the credentials file, in
the profile PROFILE${RECORD_SUFFIX} (the old key's id, the new one's, the step; the new key's secret
only until it is proven). If a step fails or stc is killed, stc says what state the keys are in, and
the next 'stc rotate' of the profile first finishes exactly that rotation: it deletes a key it
created but could not save (if IAM shows it never used), or proves the new key, moves it into the
profile and deletes the old one.

IAM allows two keys per user. If the user has another key, stc stops and names it, unless -t is
given: then it deletes that key, rotates the profile's key and creates a second key for another host.

With -y the console password is changed too: the current one is asked for without echo, the new one
is generated to fit the account's password policy and shown once on stderr. With -n it is not
changed; without either, stc asks.`,
  args: [],
  options: [
    profileOption("The profile whose key to rotate"),
    {
      name: "password",
      short: "y",
      type: "boolean",
      description: "Also change the console password",
    },
    {
      name: "keep-password",
      short: "n",
      type: "boolean",
      description: "Do not change the console password (do not ask)",
    },
    {
      name: "two-keys",
      short: "t",
      type: "boolean",
      description: "Delete the user's other key, rotate, and create a second key for another host",
    },
  ],
  examples: [
    { command: "stc rotate -n", description: "Rotate the key of the default profile" },
    {
      command: "stc rotate -p awsops -y",
      description: "Rotate the key of 'awsops' and change the console password",
    },
    {
      command: "stc rotate -t -n",
      description: "Use two keys: one for this host, one printed for the other host",
    },
  ],
} as const satisfies CommandSpec;
