/**
 * The credentials in the shell, for the commands that check them with AWS (`stc session -v`, `stc status
 * --verify`): both fail the same way, with exit code 3, when there are none or they have expired.
 *
 * @module
 */

import type { Context } from "../cli/command.ts";
import { type Credentials, credentialsFromEnv } from "../core/credentials.ts";
import { ExitCode, StcError } from "../core/errors.ts";
import { formatLocalTime, secondsLeft } from "../core/time.ts";
import { msg } from "../core/message.ts";

/** The shell's credentials; fails with exit code 3 when there are none or they have expired. */
export function requireShellCredentials(context: Context): Credentials {
  const credentials = credentialsFromEnv(context.env);
  if (!credentials) {
    throw new StcError("no AWS credentials in this shell", {
      hint: "get a session with 'stc session', or restore one with 'stc session -r'",
      exitCode: ExitCode.SessionExpired,
    });
  }
  if (credentials.expiration && secondsLeft(credentials.expiration, context.now()) <= 0) {
    throw new StcError(
      msg`the session in this shell expired at ${formatLocalTime(credentials.expiration)}`,
      {
        hint: "get a new one with 'stc session', or restore one with 'stc session -r'",
        exitCode: ExitCode.SessionExpired,
      },
    );
  }
  return credentials;
}
