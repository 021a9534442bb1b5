/**
 * A credential server for one role (`stc serve`, `stc exec --server`): the endpoint on 127.0.0.1, the role's
 * credentials renewed from the base session through the agent's cache, and a timer that announces the base
 * session's end. Renewals never ask for an MFA code (the program owns the terminal): once the base session is
 * over, the server answers an error naming `stc session`, and renews again from the new session the agent gets.
 *
 * @module
 */

import { withAgentSession } from "../agent/lookup.ts";
import {
  cachedCredentials,
  type CachedRequest,
  type RoleCacheContext,
} from "../agent/role_cache.ts";
import { ensureBaseSession } from "../agent/ensure.ts";
import { ExitCode, StcError } from "../core/errors.ts";
import { msg } from "../core/message.ts";
import { formatLocalTime, secondsLeft } from "../core/time.ts";
import { readBaseSession } from "../session/variables.ts";
import type { Term } from "../term/term.ts";
import { type Endpoint, type Refusal, startEndpoint } from "./endpoint.ts";
import { createRenewal, RENEW_BEFORE_SECONDS, type Renewal, type Renewed } from "./renewal.ts";

/** How often the base session's end is checked between requests. */
const CHECK_INTERVAL_MS = 30_000;

/** A running credential server. */
export interface CredentialServer {
  /** Where it listens, and its token. */
  readonly endpoint: Endpoint;
  /** Its credentials and renewals. */
  readonly renewal: Renewal;
  /** Stops it. */
  close(): Promise<void>;
}

/** A Term that refuses every question: renewals happen while a program owns the terminal. */
function withoutQuestions(term: Term): Term {
  const refuse = () =>
    Promise.reject(
      new StcError("the MFA session is over and the server does not ask for a new code", {
        hint: "run 'stc session' in a terminal; the server then renews from the new session",
        exitCode: ExitCode.SessionExpired,
      }),
    );
  return {
    ...term,
    stdinIsTerminal: false,
    prompt: refuse,
    confirm: refuse,
    promptNewSecret: refuse,
    choose: refuse,
  };
}

/**
 * Obtains the role's credentials (asking for an MFA code through `context.term` when no base session is held,
 * as `stc exec` does), then starts serving them.
 */
export async function startCredentialServer(
  context: RoleCacheContext,
  request: CachedRequest & { alias: string },
): Promise<CredentialServer> {
  // The base session made here (an MFA code) is the one renewals use when the agent is off.
  const started = await ensureBaseSession(context, request.profile);
  const quiet = { ...context, env: started.env, term: withoutQuestions(context.term) };
  const obtain = async (
    minSeconds: number,
    from: RoleCacheContext = quiet,
  ): Promise<Renewed> => {
    const env = await withAgentSession(from.env, request.profile, context.now());
    const base = readBaseSession(env);
    if (!base || secondsLeft(base.expiration, context.now()) <= 0) {
      throw new StcError(
        base
          ? msg`the MFA session expired at ${formatLocalTime(new Date(base.expiration))}`
          : "there is no MFA session",
        {
          hint: "run 'stc session' in a terminal; the server then renews from the new session",
          exitCode: ExitCode.SessionExpired,
        },
      );
    }
    const credentials = await cachedCredentials({ ...from, env }, request, minSeconds);
    return { credentials, baseExpiration: new Date(base.expiration) };
  };
  const initial = await obtain(RENEW_BEFORE_SECONDS, { ...context, env: started.env });
  const renewal = createRenewal({
    label: request.alias,
    obtain,
    now: () => context.now(),
    notices: context.term,
    initial,
  });
  const refused = new Set<Refusal>();
  const endpoint = startEndpoint({
    credentials: () => renewal.serve(),
    onRefused(why) {
      // Once per kind: a flood of refused requests must not flood the terminal.
      if (refused.has(why)) return;
      refused.add(why);
      context.term.warn(msg`refused a request (${why}); further ones like it are not reported`);
    },
  });
  const timer = setInterval(() => renewal.checkBase(), CHECK_INTERVAL_MS);
  Deno.unrefTimer(timer);
  return {
    endpoint,
    renewal,
    async close() {
      clearInterval(timer);
      await endpoint.close();
    },
  };
}
