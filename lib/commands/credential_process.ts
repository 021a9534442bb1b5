/**
 * `stc credential-process`: a role's credentials as the JSON the AWS SDKs and CLI read from a `credential_process`
 * (Version 1). Role credentials are cached by the session agent and renewed when fewer than 5 minutes are left,
 * so hundreds of SDK clients make one AssumeRole. MFA codes are asked for on the controlling terminal only.
 *
 * @module
 */

import { type Command, type Context, defineCommand } from "../cli/command.ts";
import { printLine } from "../cli/output.ts";
import { agentRole, releaseAgentRole, storeAgentRole } from "../agent/client.ts";
import { ensureBaseSession } from "../agent/ensure.ts";
import { agentDisabled } from "../agent/socket_path.ts";
import { loadProfiles } from "../config/aws_files.ts";
import type { Credentials } from "../core/credentials.ts";
import { ExitCode, StcError } from "../core/errors.ts";
import { obtainRoleCredentials } from "../roles/assume.ts";
import { sessionCredentials } from "../session/variables.ts";
import { terminalPrompts } from "../session/tty_prompt.ts";
import { SPECS } from "./specs.ts";

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

async function obtain(
  context: Context,
  alias: string | undefined,
  profile: string | undefined,
): Promise<{ credentials: Credentials; profile: string }> {
  const term = terminalPrompts(context.term, noTerminal);
  const base = await ensureBaseSession({ ...context, term }, profile);
  if (alias === undefined) {
    return { credentials: sessionCredentials(base.session), profile: base.session.profile };
  }
  const result = await obtainRoleCredentials(
    { ...context, env: base.env, term },
    { role: alias, ...(profile ? { profile } : {}) },
  );
  return { credentials: result.credentials, profile: result.profile };
}

/** `stc credential-process`. */
export const credentialProcessCommand: Command = defineCommand(
  SPECS["credential-process"],
  async (context, input) => {
    const alias = input.args.alias;
    const profile = input.options.profile;
    const useAgent = !agentDisabled(context.env, (await loadProfiles(context.env)).files);
    // The role's credentials are cached under what was asked for; the MFA session itself lives in the agent.
    const key = JSON.stringify(["role", profile ?? "", alias ?? ""]);
    // With the agent, one caller renews a role at a time and the others get its result: one AssumeRole.
    const lookup = useAgent && alias !== undefined
      ? await agentRole(context.env, key, RENEW_BEFORE_SECONDS)
      : undefined;
    if (lookup?.credentials) {
      const cached = lookup.credentials;
      return [
        printLine(credentialProcessJson({ ...cached, expiration: new Date(cached.expiration) })),
      ];
    }
    let credentials: Credentials;
    try {
      const obtained = await obtain(context, alias, profile);
      credentials = obtained.credentials;
      // Stored also when the agent was started meanwhile (by this command's new session).
      if (useAgent && alias !== undefined && credentials.sessionToken && credentials.expiration) {
        await storeAgentRole(context.env, key, obtained.profile, {
          accessKeyId: credentials.accessKeyId,
          secretAccessKey: credentials.secretAccessKey,
          sessionToken: credentials.sessionToken,
          expiration: credentials.expiration.toISOString(),
        });
      } else if (lookup?.lease) await releaseAgentRole(context.env, key);
    } catch (error) {
      if (lookup?.lease) await releaseAgentRole(context.env, key).catch(() => {});
      throw error;
    }
    return [printLine(credentialProcessJson(credentials))];
  },
);
