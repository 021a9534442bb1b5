/**
 * The command line of `stc serve`: its options, arguments, help and examples.
 *
 * @module
 */

import { type CommandSpec, profileOption } from "../../cli/spec.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc serve`. */
export const SERVE_SPEC = {
  name: "serve",
  summary: COMMAND_SUMMARIES.serve,
  description: `
Runs a credential server for the role ALIAS in the foreground until INT or TERM. It speaks the container
credentials protocol every AWS SDK and the AWS CLI read: a program with AWS_CONTAINER_CREDENTIALS_FULL_URI and
AWS_CONTAINER_AUTHORIZATION_TOKEN set (and no AWS_PROFILE or keys) fetches the role's credentials from it, and
stc assumes the role again from the MFA session before they expire, so programs run past the role's one hour
for as long as the MFA session lasts. It listens on 127.0.0.1 on a random port and answers only requests
carrying its random token with a loopback Host. The token is a secret: it is never shown on a terminal. The
variables to set are written as shell code to --env-file (mode 0600, removed when the server stops), or to
stdout when stdout is not a terminal.`,
  args: [
    { name: "alias", description: "Role alias", complete: "role" },
  ],
  options: [
    profileOption("Profile whose session, roles and key to use"),
    {
      name: "env-file",
      type: "string",
      valueName: "PATH",
      description: "Write the variables to set here (mode 0600) as shell code to source",
    },
  ],
  examples: [
    {
      command: "stc serve dev-admin --env-file ~/.stc-dev-admin.env",
      description: "Serve dev-admin; in another shell: . ~/.stc-dev-admin.env",
    },
  ],
} as const satisfies CommandSpec;
