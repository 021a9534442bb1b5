/**
 * Talking to the session agent: one request per connection, the socket's directory checked (owner, mode) before
 * every use, and starting the agent in the background (its own session and process group, no terminal, stdio
 * closed) when it is not running.
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import { StcError } from "../core/errors.ts";
import { dirname } from "../fs/path.ts";
import { checkOwnPrivateDir } from "../fs/private_dir.ts";
import { parseSessionRecord, type SessionRecord } from "../session/variables.ts";
import {
  type AgentRequest,
  type AgentStatusEntry,
  type CachedRole,
  encodeRequest,
  MAX_MESSAGE_BYTES,
  parseCachedRole,
} from "./protocol.ts";
import { AGENT_SOCKET_VARIABLE, agentSocketPath } from "./socket_path.ts";

/** How long a request may take before the agent counts as hung. */
const RESPONSE_TIMEOUT_MS = 5_000;
/** How long a caller may wait for another's renewal of a role (the agent's lease). */
const LEASE_MS = 30_000;
/** How long a starting agent may take to listen (from source, deno compiles first). */
const START_TIMEOUT_MS = 30_000;

/** The socket of the user running stc. */
export function socketPath(env: Env): string {
  return agentSocketPath(env, Deno.uid() ?? 0);
}

function agentError(message: string, cause?: unknown): StcError {
  return new StcError(message, {
    hint: "stop it with 'stc session -c --all' (or kill it), or set STC_AGENT=off",
    cause,
  });
}

/**
 * Sends one request; the parsed response object, or undefined when no agent listens (no socket, or one left by
 * a dead agent). Refuses a socket directory that is not private to the user.
 */
export async function agentCall(
  env: Env,
  request: AgentRequest,
  timeoutMs: number = RESPONSE_TIMEOUT_MS,
): Promise<Record<string, unknown> | undefined> {
  const path = socketPath(env);
  if (!await checkOwnPrivateDir(dirname(path))) return undefined;
  let conn: Deno.UnixConn;
  try {
    conn = await Deno.connect({ transport: "unix", path });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.ConnectionRefused) {
      return undefined;
    }
    throw agentError(`cannot reach the agent at ${path}`, error);
  }
  const timer = setTimeout(() => conn.close(), timeoutMs);
  try {
    const bytes = new TextEncoder().encode(encodeRequest(request));
    for (let done = 0; done < bytes.length;) done += await conn.write(bytes.subarray(done));
    const buffer = new Uint8Array(MAX_MESSAGE_BYTES);
    let filled = 0;
    while (filled < buffer.length) {
      const n = await conn.read(buffer.subarray(filled));
      if (n === null) break;
      filled += n;
      if (buffer.subarray(0, filled).includes(10)) break;
    }
    const text = new TextDecoder().decode(buffer.subarray(0, filled)).split("\n")[0];
    const response = JSON.parse(text);
    if (typeof response !== "object" || response === null) throw new Error("not an object");
    if (response.ok !== true) {
      throw agentError(
        `the agent refused the request: ${String(response.error ?? "no reason").slice(0, 200)}`,
      );
    }
    return response;
  } catch (error) {
    if (error instanceof StcError) throw error;
    throw agentError(`the agent at ${path} gave no valid answer`, error);
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch {
      // Closed by the timeout.
    }
  }
}

/** The agent's base session of `profile` (or the one handed over last), unexpired at `now`. */
export async function agentSession(
  env: Env,
  profile: string | undefined,
  now: Date,
): Promise<SessionRecord | undefined> {
  const response = await agentCall(env, { op: "get-session", ...(profile ? { profile } : {}) });
  const session = response?.session
    ? parseSessionRecord(JSON.stringify(response.session))
    : undefined;
  return session && Date.parse(session.expiration) > now.getTime() ? session : undefined;
}

/** What the agent says about a role: its cached credentials, or whether the caller is to renew them. */
export interface RoleLookup {
  /** Credentials with enough time left. */
  credentials?: CachedRole;
  /** True when this caller holds the lease: renew, then {@linkcode storeAgentRole} or {@linkcode releaseAgentRole}. */
  lease: boolean;
}

/**
 * Cached role credentials for `key` with at least `minSeconds` left. When there are none, the first caller gets
 * the lease to renew them, and callers meanwhile wait for its result (up to the lease's end, then renew
 * themselves); undefined when no agent runs.
 */
export async function agentRole(
  env: Env,
  key: string,
  minSeconds: number,
): Promise<RoleLookup | undefined> {
  const response = await agentCall(
    env,
    { op: "get-role", key, minSeconds, lease: true },
    LEASE_MS + RESPONSE_TIMEOUT_MS,
  );
  if (!response) return undefined;
  const credentials = response.credentials ? parseCachedRole(response.credentials) : undefined;
  return { ...(credentials ? { credentials } : {}), lease: response.lease === true };
}

/** Gives the lease on renewing `key` back (the renewal failed), so that waiting callers try themselves. */
export async function releaseAgentRole(env: Env, key: string): Promise<void> {
  await agentCall(env, { op: "release-role", key });
}

/** Caches role credentials in a running agent; false when none runs. */
export async function storeAgentRole(
  env: Env,
  key: string,
  profile: string,
  credentials: CachedRole,
): Promise<boolean> {
  return (await agentCall(env, { op: "put-role", key, profile, credentials })) !== undefined;
}

/** What the running agent holds, and its pid; undefined when none runs. */
export async function agentStatus(
  env: Env,
): Promise<{ pid: number; sessions: AgentStatusEntry[] } | undefined> {
  const response = await agentCall(env, { op: "status" });
  if (!response) return undefined;
  return {
    pid: Number(response.pid),
    sessions: Array.isArray(response.sessions) ? response.sessions as AgentStatusEntry[] : [],
  };
}

/** Tells a running agent to forget everything and exit; false when none runs. */
export async function stopAgent(env: Env): Promise<boolean> {
  return (await agentCall(env, { op: "forget-all" })) !== undefined;
}

/** The variables a started agent keeps: where it listens and what stc needs to run; no credentials. */
const AGENT_ENV = ["PATH", "HOME", "DENO_DIR", "TMPDIR", "XDG_RUNTIME_DIR", "LANG", "NO_COLOR"];

/**
 * Starts the agent in the background unless one runs: `self agent` in its own session (no controlling
 * terminal, its own process group, so it outlives the shell), stdin and stderr closed, and waits until it says it
 * listens.
 */
export async function startAgent(env: Env, self: readonly string[]): Promise<void> {
  if (await agentCall(env, { op: "ping" }) !== undefined) return;
  const agentEnv: Record<string, string> = { [AGENT_SOCKET_VARIABLE]: socketPath(env) };
  for (const name of AGENT_ENV) if (env[name] !== undefined) agentEnv[name] = env[name]!;
  const [program, ...prefix] = self;
  const child = new Deno.Command(program, {
    args: [...prefix, "agent"],
    env: agentEnv,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
    detached: true,
  }).spawn();
  const reader = child.stdout.getReader();
  let said = "";
  const timer = setTimeout(() => reader.cancel(), START_TIMEOUT_MS);
  try {
    while (!said.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      said += new TextDecoder().decode(value);
    }
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
    await child.stdout.cancel().catch(() => {});
    child.unref();
  }
  if (!said.startsWith("ready")) {
    throw new StcError("the session agent did not start", {
      hint: "run 'stc agent' to see why, or set STC_AGENT=off to keep sessions per shell",
    });
  }
}

/** Hands a base session to the agent, starting it first when it is not running. */
export async function handSessionToAgent(
  env: Env,
  self: readonly string[],
  session: SessionRecord,
): Promise<void> {
  await startAgent(env, self);
  await agentCall(env, { op: "put-session", session });
}
