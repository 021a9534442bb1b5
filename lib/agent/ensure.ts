/**
 * A base session for commands that run programs (`stc exec`, `stc credential-process`): the shell's or the
 * agent's when there is one (cli/main.ts put it in the environment), else a new one, made with an MFA code and
 * handed to the agent so that the next program needs none.
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import { newBaseSession, type NewSessionContext } from "../session/new_session.ts";
import { readBaseSession, type SessionRecord } from "../session/variables.ts";
import { BASE_SESSION_VARIABLE } from "../session/variable_names.ts";
import { shareSession } from "./share.ts";

/** `env` with an unexpired base session of `profile` (any profile when undefined), made when missing. */
export async function ensureBaseSession(
  context: NewSessionContext & { readonly self: readonly string[] },
  profile: string | undefined,
): Promise<{ env: Env; session: SessionRecord }> {
  const current = readBaseSession(context.env);
  if (
    current && Date.parse(current.expiration) > context.now().getTime() &&
    (profile === undefined || current.profile === profile)
  ) return { env: context.env, session: current };
  const session = await newBaseSession(context, profile);
  await shareSession(context.env, context.self, context.term, session);
  return { env: { ...context.env, [BASE_SESSION_VARIABLE]: JSON.stringify(session) }, session };
}
