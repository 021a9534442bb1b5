/**
 * The credential endpoint: HTTP on 127.0.0.1 speaking the container-credentials protocol that every AWS SDK and
 * the AWS CLI read through `AWS_CONTAINER_CREDENTIALS_FULL_URI` and `AWS_CONTAINER_AUTHORIZATION_TOKEN`. It
 * answers `GET` of its one path with `{AccessKeyId, SecretAccessKey, Token, Expiration}`, and only to a request
 * whose `Authorization` header is its token (compared in constant time) and whose `Host` is a loopback name
 * with its port (a web page that rebinds a DNS name to 127.0.0.1 sends its own name, and is refused).
 *
 * @example
 * ```ts
 * import { isLoopbackHost, sameSecret } from "./endpoint.ts";
 * import assert from "node:assert/strict";
 * assert.ok(isLoopbackHost("127.0.0.1:8080", 8080));
 * assert.ok(isLoopbackHost("LOCALHOST:8080", 8080));
 * assert.ok(isLoopbackHost("[::1]:8080", 8080));
 * assert.ok(!isLoopbackHost("evil.example:8080", 8080));
 * assert.ok(!isLoopbackHost("127.0.0.1:8081", 8080));
 * assert.ok(sameSecret("abc", "abc"));
 * assert.ok(!sameSecret("abc", "abd"));
 * assert.ok(!sameSecret("", "abc"));
 * ```
 *
 * @module
 */

import type { Credentials } from "../core/credentials.ts";
import { isoSeconds } from "../core/time.ts";

/** The path credentials are served on. */
export const CREDENTIALS_PATH = "/stc/credentials";

/** Bytes of randomness in a token: 256 bits. */
const TOKEN_BYTES = 32;

/** What the endpoint answers: credentials, or an error the SDK reports. */
export type Served =
  | { ok: true; credentials: Credentials }
  | { ok: false; status: number; code: string; message: string };

/** Why a request was refused, for the log. */
export type Refusal = "no token" | "wrong token" | "foreign host" | "method" | "path";

/** What the endpoint needs. */
export interface EndpointOptions {
  /** Credentials for one request (cached and renewed by the caller). */
  credentials(): Promise<Served>;
  /** Called for each refused request (no secret in it). */
  onRefused?(why: Refusal): void;
}

/** A listening endpoint. */
export interface Endpoint {
  /** `http://127.0.0.1:PORT/stc/credentials`, for AWS_CONTAINER_CREDENTIALS_FULL_URI. */
  readonly url: string;
  /** The token, for AWS_CONTAINER_AUTHORIZATION_TOKEN. */
  readonly token: string;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** A new random token, base64url. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** Whether two secrets are equal, in time that depends on `expected`'s length only. */
export function sameSecret(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i] ?? 0) ^ b[i];
  return diff === 0;
}

/** Whether a `Host` header names this endpoint by a loopback name: 127.0.0.1, localhost or [::1], and `port`. */
export function isLoopbackHost(host: string | null, port: number): boolean {
  if (host === null) return false;
  const lower = host.toLowerCase();
  return ["127.0.0.1", "localhost", "[::1]"].some((name) => lower === `${name}:${port}`);
}

function json(status: number, body: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
}

/** The JSON of the container-credentials protocol. */
export function credentialsJson(credentials: Credentials): Record<string, string> {
  return {
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    Token: credentials.sessionToken ?? "",
    Expiration: isoSeconds(credentials.expiration ?? new Date(0)),
  };
}

/** Starts the endpoint on 127.0.0.1, on a port the system chooses. */
export function startEndpoint(options: EndpointOptions): Endpoint {
  const token = newToken();
  const refuse = (why: Refusal, status: number, message: string) => {
    options.onRefused?.(why);
    return json(status, { Code: status === 401 ? "Unauthorized" : "Forbidden", Message: message });
  };
  let port = 0;
  const server = Deno.serve(
    {
      hostname: "127.0.0.1",
      port: 0,
      onListen: () => {},
      // Never a stack trace on the program's terminal, nor in the answer.
      onError: () => json(500, { Code: "InternalError", Message: "stc: the server failed" }),
    },
    async (request) => {
      // The Host first: a rebound page must learn nothing, not even whether the token is right.
      if (!isLoopbackHost(request.headers.get("host"), port)) {
        return refuse("foreign host", 403, "this endpoint answers loopback names only");
      }
      const given = request.headers.get("authorization");
      if (given === null) return refuse("no token", 401, "the authorization token is missing");
      if (!sameSecret(given, token)) return refuse("wrong token", 403, "wrong authorization token");
      if (request.method !== "GET") return refuse("method", 405, "only GET is answered");
      if (new URL(request.url).pathname !== CREDENTIALS_PATH) {
        return refuse("path", 404, "no such path");
      }
      const served = await options.credentials();
      if (!served.ok) return json(served.status, { Code: served.code, Message: served.message });
      return json(200, credentialsJson(served.credentials));
    },
  );
  port = (server.addr as Deno.NetAddr).port;
  return {
    url: `http://127.0.0.1:${port}${CREDENTIALS_PATH}`,
    token,
    async close() {
      await server.shutdown();
    },
  };
}
