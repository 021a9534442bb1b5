/**
 * Role credentials shared through the session agent: the one path of `stc credential-process` and of the
 * credential server (`stc serve`, `stc exec --server`). Credentials with enough time left come from the agent's
 * cache; otherwise one caller at a time (the agent's lease) assumes the role and stores the result, and callers
 * meanwhile wait for it: hundreds of SDK clients make one AssumeRole.
 *
 * @module
 */

import type { Credentials } from "../core/credentials.ts";
import { loadProfiles } from "../config/aws_files.ts";
import { type AssumeContext, obtainRoleCredentials } from "../roles/assume.ts";
import { sessionCredentials } from "../session/variables.ts";
import { agentRole, releaseAgentRole, storeAgentRole } from "./client.ts";
import { ensureBaseSession } from "./ensure.ts";
import { agentDisabled } from "./socket_path.ts";

/** What obtaining credentials needs: assuming a role, and how to run stc again (to start the agent). */
export interface RoleCacheContext extends AssumeContext {
  /** How to run this stc again. */
  readonly self: readonly string[];
}

/** The credentials asked for: a role alias of a profile, or the profile's MFA session without an alias. */
export interface CachedRequest {
  /** Role alias; undefined for the MFA session's own credentials. */
  alias?: string;
  /** Profile whose session, roles and key to use. */
  profile?: string;
}

/** The agent's cache key of a request: what was asked for, not what it resolved to. */
export function roleCacheKey(request: CachedRequest): string {
  return JSON.stringify(["role", request.profile ?? "", request.alias ?? ""]);
}

async function obtain(
  context: RoleCacheContext,
  request: CachedRequest,
): Promise<{ credentials: Credentials; profile: string }> {
  const base = await ensureBaseSession(context, request.profile);
  if (request.alias === undefined) {
    return { credentials: sessionCredentials(base.session), profile: base.session.profile };
  }
  const result = await obtainRoleCredentials(
    { ...context, env: base.env },
    { role: request.alias, ...(request.profile ? { profile: request.profile } : {}) },
  );
  return { credentials: result.credentials, profile: result.profile };
}

/**
 * Credentials for `request` with at least `minSeconds` left: the agent's cached ones, else new ones (the base
 * session from the context's environment or the agent, else a new one asked through `context.term`), stored in
 * the agent for the next caller.
 */
export async function cachedCredentials(
  context: RoleCacheContext,
  request: CachedRequest,
  minSeconds: number,
): Promise<Credentials> {
  const useAgent = !agentDisabled(context.env, (await loadProfiles(context.env)).files);
  const key = roleCacheKey(request);
  const lookup = useAgent && request.alias !== undefined
    ? await agentRole(context.env, key, minSeconds)
    : undefined;
  if (lookup?.credentials) {
    const cached = lookup.credentials;
    return { ...cached, expiration: new Date(cached.expiration) };
  }
  try {
    const { credentials, profile } = await obtain(context, request);
    // Stored also when the agent was started meanwhile (by this command's new session).
    if (
      useAgent && request.alias !== undefined && credentials.sessionToken && credentials.expiration
    ) {
      await storeAgentRole(context.env, key, profile, {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
        expiration: credentials.expiration.toISOString(),
      });
    } else if (lookup?.lease) await releaseAgentRole(context.env, key);
    return credentials;
  } catch (error) {
    if (lookup?.lease) await releaseAgentRole(context.env, key).catch(() => {});
    throw error;
  }
}
