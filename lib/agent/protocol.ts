/**
 * The session agent's protocol: one JSON request and one JSON response per connection, each a single line of at
 * most {@linkcode MAX_MESSAGE_BYTES}, versioned by {@linkcode PROTOCOL_VERSION}. Parsing is total: anything that
 * is not a valid request becomes an error response, never an exception in the agent.
 *
 * @example
 * ```ts
 * import { parseRequest } from "./protocol.ts";
 * const request = parseRequest('{"v":1,"op":"status"}');
 * console.assert("op" in request && request.op === "status");
 * ```
 *
 * @module
 */

import { parseSessionRecord, type SessionRecord } from "../session/variables.ts";

/** The protocol version both sides speak; a request of another version is refused. */
export const PROTOCOL_VERSION = 1;

/** The largest request or response, newline included: a session is about 1.5 KB. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** Role credentials as the agent caches them. */
export interface CachedRole {
  /** Access key id. */
  accessKeyId: string;
  /** Secret access key. */
  secretAccessKey: string;
  /** Session token. */
  sessionToken: string;
  /** Expiry, ISO 8601. */
  expiration: string;
}

/** What a client may ask the agent. */
export type AgentRequest =
  | { op: "ping" }
  | { op: "status" }
  /** A base session: the profile's, or without a profile the one handed over last. */
  | { op: "get-session"; profile?: string }
  | { op: "put-session"; session: SessionRecord }
  /**
   * Cached role credentials with at least `minSeconds` left. With `lease`, a caller that gets none becomes the one
   * that renews them (`lease: true` in the answer) and later callers wait for its `put-role` (or `release-role`,
   * or the lease's end) instead of assuming the role too.
   */
  | { op: "get-role"; key: string; minSeconds?: number; lease?: boolean }
  | { op: "put-role"; key: string; profile: string; credentials: CachedRole }
  /** Gives a lease back without credentials (the renewal failed). */
  | { op: "release-role"; key: string }
  /** Forgets everything and exits. */
  | { op: "forget-all" };

/** What the agent holds, as `status` lists it: no secrets. */
export interface AgentStatusEntry {
  /** The profile of a base session. */
  profile: string;
  /** IAM user ARN. */
  userArn: string;
  /** Expiry, ISO 8601. */
  expiration: string;
  /** How many role credentials are cached for this profile. */
  roles: number;
}

/** The agent's answer. */
export type AgentResponse =
  | { v: number; ok: true; pid?: number }
  | { v: number; ok: true; sessions: AgentStatusEntry[]; pid: number }
  | { v: number; ok: true; session: SessionRecord | null }
  | { v: number; ok: true; credentials: CachedRole | null; lease?: boolean }
  | { v: number; ok: false; error: string };

/** An error response. */
export interface ProtocolError {
  /** What was wrong with the request (no part of it is echoed). */
  error: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const KEY_LIMIT = 512;

function shortString(value: unknown, limit = KEY_LIMIT): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= limit;
}

/** Validates role credentials received over the socket. */
export function parseCachedRole(value: unknown): CachedRole | undefined {
  if (!isObject(value)) return undefined;
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = value;
  if (
    !shortString(accessKeyId) || !shortString(secretAccessKey) ||
    !shortString(sessionToken, MAX_MESSAGE_BYTES) || !shortString(expiration) ||
    Number.isNaN(Date.parse(expiration))
  ) return undefined;
  return { accessKeyId, secretAccessKey, sessionToken, expiration };
}

/** Parses one request line; a {@linkcode ProtocolError} for anything else. */
export function parseRequest(line: string): AgentRequest | ProtocolError {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { error: "the request is not JSON" };
  }
  if (!isObject(value)) return { error: "the request is not a JSON object" };
  if (value.v !== PROTOCOL_VERSION) {
    return { error: `unsupported protocol version (this agent speaks ${PROTOCOL_VERSION})` };
  }
  switch (value.op) {
    case "ping":
    case "status":
    case "forget-all":
      return { op: value.op };
    case "get-session":
      if (value.profile === undefined) return { op: "get-session" };
      return shortString(value.profile)
        ? { op: "get-session", profile: value.profile }
        : { error: "get-session: profile must be a string" };
    case "put-session": {
      const session = isObject(value.session)
        ? parseSessionRecord(JSON.stringify(value.session))
        : undefined;
      return session ? { op: "put-session", session } : { error: "put-session: not a session" };
    }
    case "get-role": {
      if (!shortString(value.key)) return { error: "get-role: key must be a string" };
      const { minSeconds, lease } = value;
      if (
        (minSeconds !== undefined &&
          (typeof minSeconds !== "number" || !(minSeconds >= 0 && minSeconds <= 86_400))) ||
        (lease !== undefined && typeof lease !== "boolean")
      ) return { error: "get-role: minSeconds must be 0-86400 seconds, lease a boolean" };
      return {
        op: "get-role",
        key: value.key,
        ...(minSeconds !== undefined ? { minSeconds } : {}),
        ...(lease !== undefined ? { lease } : {}),
      };
    }
    case "release-role":
      return shortString(value.key)
        ? { op: "release-role", key: value.key }
        : { error: "release-role: key must be a string" };
    case "put-role": {
      const credentials = parseCachedRole(value.credentials);
      if (!shortString(value.key) || !shortString(value.profile) || !credentials) {
        return { error: "put-role: needs key, profile and credentials" };
      }
      return { op: "put-role", key: value.key, profile: value.profile, credentials };
    }
    default:
      return { error: "unknown operation" };
  }
}

/** One request as sent over the socket (a line). */
export function encodeRequest(request: AgentRequest): string {
  return `${JSON.stringify({ v: PROTOCOL_VERSION, ...request })}\n`;
}
