/**
 * The session agent: a per-user process holding base MFA sessions and cached role credentials in memory only,
 * serving them over a Unix socket in a directory only the user can enter (like ssh-agent: other users cannot
 * reach it, the user's own programs can). It exits when the last thing it holds has expired, on `forget-all`,
 * and on SIGTERM, SIGINT or SIGHUP; a crash loses only what it held.
 *
 * @module
 */

import { dirname } from "../fs/path.ts";
import { ensureOwnPrivateDir, removeStaleSocket } from "../fs/private_dir.ts";
import { StcError } from "../core/errors.ts";
import type { SessionRecord } from "../session/variables.ts";
import {
  type AgentRequest,
  type AgentResponse,
  type AgentStatusEntry,
  type CachedRole,
  MAX_MESSAGE_BYTES,
  parseRequest,
  PROTOCOL_VERSION,
} from "./protocol.ts";
import { msg } from "../core/message.ts";

/** How long a fresh agent waits for its first session before it exits. */
export const IDLE_START_MS = 60_000;
/** How long a client may take to send its request. */
const REQUEST_TIMEOUT_MS = 5_000;
/**
 * How long a lease on renewing a role lasts: an AssumeRole (with retries) is far shorter; callers waiting on it
 * get nothing after that and renew themselves.
 */
export const LEASE_MS = 30_000;

/** What the agent holds. */
export interface AgentState {
  /** Base sessions by profile. */
  sessions: Map<string, SessionRecord>;
  /** The profile of the session handed over last (the one a request without a profile gets). */
  lastProfile?: string;
  /** Cached role credentials by key, with the profile whose session made them. */
  roles: Map<string, { profile: string; credentials: CachedRole }>;
  /** Roles being renewed, by key: until when, and the callers waiting for the result. */
  leases: Map<string, { until: number; waiters: ((credentials: CachedRole | null) => void)[] }>;
}

/** An empty state. */
export function emptyState(): AgentState {
  return { sessions: new Map(), roles: new Map(), leases: new Map() };
}

/** Ends the lease on `key`, answering its waiters with `credentials`. */
function endLease(state: AgentState, key: string, credentials: CachedRole | null): void {
  const lease = state.leases.get(key);
  if (!lease) return;
  state.leases.delete(key);
  for (const waiter of lease.waiters) waiter(credentials);
}

/** Drops what has expired at `now`; returns the time of the next expiry (ms), or undefined when empty. */
export function pruneExpired(state: AgentState, now: number): number | undefined {
  let next: number | undefined;
  const consider = (expiration: string) => {
    const at = Date.parse(expiration);
    if (at <= now) return false;
    next = next === undefined ? at : Math.min(next, at);
    return true;
  };
  for (const [profile, session] of state.sessions) {
    if (!consider(session.expiration)) state.sessions.delete(profile);
  }
  if (state.lastProfile !== undefined && !state.sessions.has(state.lastProfile)) {
    state.lastProfile = undefined;
  }
  for (const [key, role] of state.roles) {
    if (!consider(role.credentials.expiration)) state.roles.delete(key);
  }
  return next;
}

/** What the agent answers a request with; `wait` when the answer comes once a lease ends. */
export interface Answer {
  /** The response. */
  response: AgentResponse;
  /** Set when the agent should stop. */
  exit?: boolean;
  /** The response, later: a caller waiting on another's renewal. */
  wait?: Promise<AgentResponse>;
}

/** The answer to one request (pure apart from `state`). */
export function handleRequest(
  state: AgentState,
  request: AgentRequest,
  now: number,
  pid: number,
): Answer {
  const v = PROTOCOL_VERSION;
  pruneExpired(state, now);
  switch (request.op) {
    case "ping":
      return { response: { v, ok: true, pid } };
    case "status": {
      const sessions: AgentStatusEntry[] = [...state.sessions.values()].map((s) => ({
        profile: s.profile,
        userArn: s.userArn,
        expiration: s.expiration,
        roles: [...state.roles.values()].filter((r) => r.profile === s.profile).length,
      }));
      return { response: { v, ok: true, sessions, pid } };
    }
    case "get-session": {
      const profile = request.profile ?? state.lastProfile;
      const session = profile === undefined ? undefined : state.sessions.get(profile);
      return { response: { v, ok: true, session: session ?? null } };
    }
    case "put-session":
      state.sessions.set(request.session.profile, request.session);
      state.lastProfile = request.session.profile;
      // Roles assumed with the profile's earlier session stay valid: they are credentials of their own.
      return { response: { v, ok: true } };
    case "get-role": {
      const cached = state.roles.get(request.key)?.credentials;
      const fresh = cached &&
          Date.parse(cached.expiration) - now > (request.minSeconds ?? 0) * 1000
        ? cached
        : null;
      if (fresh || !request.lease) return { response: { v, ok: true, credentials: fresh } };
      const lease = state.leases.get(request.key);
      if (!lease || lease.until <= now) {
        if (lease) endLease(state, request.key, null);
        state.leases.set(request.key, { until: now + LEASE_MS, waiters: [] });
        return { response: { v, ok: true, credentials: null, lease: true } };
      }
      const wait = new Promise<AgentResponse>((resolve) =>
        lease.waiters.push((credentials) => resolve({ v, ok: true, credentials }))
      );
      return { response: { v, ok: true, credentials: null }, wait };
    }
    case "put-role":
      state.roles.set(request.key, { profile: request.profile, credentials: request.credentials });
      endLease(state, request.key, request.credentials);
      return { response: { v, ok: true } };
    case "release-role":
      endLease(state, request.key, null);
      return { response: { v, ok: true } };
    case "forget-all":
      state.sessions.clear();
      state.roles.clear();
      for (const key of [...state.leases.keys()]) endLease(state, key, null);
      state.lastProfile = undefined;
      return { response: { v, ok: true }, exit: true };
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads one line of at most MAX_MESSAGE_BYTES; undefined when the client sent too much or closed early. */
async function readLine(conn: Deno.Conn): Promise<string | { error: string }> {
  const buffer = new Uint8Array(MAX_MESSAGE_BYTES);
  let filled = 0;
  while (filled < buffer.length) {
    const n = await conn.read(buffer.subarray(filled));
    if (n === null) break;
    const newline = buffer.subarray(filled, filled + n).indexOf(10);
    filled += n;
    if (newline >= 0) return decoder.decode(buffer.subarray(0, filled - n + newline));
  }
  return filled >= buffer.length
    ? { error: `the request is larger than ${MAX_MESSAGE_BYTES} bytes` }
    : { error: "the request has no end of line" };
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.length;) done += await conn.write(bytes.subarray(done));
}

async function serveConnection(
  conn: Deno.Conn,
  answer: (request: AgentRequest) => Answer,
): Promise<boolean> {
  let timer = setTimeout(() => conn.close(), REQUEST_TIMEOUT_MS);
  let exit = false;
  try {
    const line = await readLine(conn);
    const request = typeof line === "string" ? parseRequest(line) : line;
    let response: AgentResponse;
    if ("error" in request) response = { v: PROTOCOL_VERSION, ok: false, error: request.error };
    else {
      const result = answer(request);
      ({ response, exit = false } = result);
      if (result.wait) {
        clearTimeout(timer);
        timer = setTimeout(() => conn.close(), LEASE_MS + REQUEST_TIMEOUT_MS);
        response = await result.wait;
      }
    }
    await writeAll(conn, encoder.encode(`${JSON.stringify(response)}\n`));
  } catch {
    // A client that hung up or timed out gets nothing; the agent carries on.
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch {
      // Closed by the timeout already.
    }
  }
  return exit;
}

/** Whether something answers on the socket at `path`. */
async function answers(path: string): Promise<boolean> {
  try {
    const conn = await Deno.connect({ transport: "unix", path });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

/** Options of {@linkcode serveAgent}. */
export interface ServeOptions {
  /** Called once the socket listens (the starter waits for it). */
  onReady?: () => void;
  /** The current time in ms. */
  now?: () => number;
  /** How long to wait for a first session before exiting. */
  idleStartMs?: number;
}

/**
 * Listens on `path` until the agent holds nothing unexpired, is told to forget everything, or gets a signal.
 * The socket's directory is created 0700 or checked (owner, mode); a socket left by a killed agent is replaced,
 * one of a running agent is not (fails).
 */
export async function serveAgent(path: string, options: ServeOptions = {}): Promise<void> {
  const now = options.now ?? Date.now;
  await ensureOwnPrivateDir(dirname(path));
  if (await answers(path)) {
    throw new StcError(msg`an agent is already running on ${path}`, {
      hint: "see it with 'stc agent --status'; stop it with 'stc session -c --all'",
    });
  }
  await removeStaleSocket(path);
  const listener = Deno.listen({ transport: "unix", path });
  const state = emptyState();
  let stopping = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (timer !== undefined) clearTimeout(timer);
    listener.close();
  };
  const schedule = (delay: number) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      const next = pruneExpired(state, now());
      if (next === undefined) stop();
      else schedule(next - now());
    }, Math.max(0, Math.min(delay, 2 ** 31 - 1)));
  };
  schedule(options.idleStartMs ?? IDLE_START_MS);
  const signals: Deno.Signal[] = ["SIGTERM", "SIGINT", "SIGHUP"];
  for (const signal of signals) Deno.addSignalListener(signal, stop);
  options.onReady?.();
  try {
    for await (const conn of listener) {
      serveConnection(conn, (request) => {
        const result = handleRequest(state, request, now(), Deno.pid);
        if (request.op === "get-role" && "lease" in result.response && result.response.lease) {
          // A renewer that never reports back: its waiters are answered when its lease ends.
          const lease = state.leases.get(request.key);
          Deno.unrefTimer(setTimeout(() => {
            if (state.leases.get(request.key) === lease) endLease(state, request.key, null);
          }, LEASE_MS));
        }
        if (request.op === "put-session" || request.op === "put-role") {
          const next = pruneExpired(state, now());
          if (next !== undefined) schedule(next - now());
        }
        return result;
      }).then((exit) => exit && stop());
    }
  } catch (error) {
    if (!stopping) throw error;
  } finally {
    stop();
    for (const signal of signals) Deno.removeSignalListener(signal, stop);
    await removeStaleSocket(path);
  }
}
