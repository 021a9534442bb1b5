/**
 * `stc credential-process`: a role's credentials as the JSON the AWS SDKs and CLI read from a `credential_process`
 * (Version 1). Role credentials are cached by the session agent and renewed when fewer than 5 minutes are left,
 * so hundreds of SDK clients make one AssumeRole. MFA codes are asked for on the controlling terminal only.
 *
 * @module
 */

import { type Command, defineCommand } from "../cli/command.ts";
import { printLine } from "../cli/output.ts";
import { cachedCredentials } from "../agent/role_cache.ts";
import type { Credentials } from "../core/credentials.ts";
import { ExitCode, StcError } from "../core/errors.ts";
import { terminalPrompts } from "../session/tty_prompt.ts";
import { CREDENTIAL_PROCESS_SPEC } from "./specs/credential_process.ts";

/** Cached credentials with fewer seconds left than this are renewed. */
export const RENEW_BEFORE_SECONDS = 300;

/** The JSON of a `credential_process`. */
export function credentialProcessJson(credentials: Credentials): string {
  return JSON.stringify({
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: credentials.expiration?.toISOString(),
  });
}

function noTerminal(): StcError {
  return new StcError(
    "an MFA code is needed and there is no terminal to ask for it",
    {
      hint: "run 'stc session' in a terminal first (the session agent then serves this), " +
        "or set mfa_process in the profile",
      exitCode: ExitCode.SessionExpired,
    },
  );
}

/** `stc credential-process`. */
export const credentialProcessCommand: Command = defineCommand(
  CREDENTIAL_PROCESS_SPEC,
  async (context, input) => {
    const term = terminalPrompts(context.term, noTerminal);
    const credentials = await cachedCredentials(
      { ...context, term },
      {
        ...(input.args.alias !== undefined ? { alias: input.args.alias } : {}),
        ...(input.options.profile !== undefined ? { profile: input.options.profile } : {}),
      },
      RENEW_BEFORE_SECONDS,
    );
    return [printLine(credentialProcessJson(credentials))];
  },
);
