/**
 * The one way stc talks HTTP to AWS: `fetch` with deadlines that really end a request, for the AWS SDK (as its
 * request handler) and for the console federation endpoint alike, and failures classified into
 * {@linkcode NetworkError}s that name the endpoint.
 *
 * Two deadlines bound every exchange (seconds, from the environment):
 * - `STC_CONNECT_TIMEOUT` (default 10): the answer must start (connection, TLS handshake, status line) within it;
 * - `STC_REQUEST_TIMEOUT` (default 30): a whole call ends within it — for the SDK all attempts, retries and
 *   back-off included; for a single request, its last byte.
 *
 * @module
 */

import { ExitCode, StcError } from "../core/errors.ts";
import type { Env } from "../core/env.ts";
import { msg } from "../core/message.ts";
import { caBundle, type ProfileConfig } from "./settings.ts";

/** Deadlines of network calls, in milliseconds. */
export interface Timeouts {
  /** Until the answer starts: connection, TLS handshake and status line. */
  connectMs: number;
  /** A whole call, retries included. */
  requestMs: number;
}

/** The defaults of {@linkcode Timeouts}, documented in the README. */
export const DEFAULT_TIMEOUTS: Readonly<Timeouts> = { connectMs: 10_000, requestMs: 30_000 };

function seconds(env: Env, name: string, fallbackMs: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallbackMs;
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(value > 0) || value > 3600) {
    throw new StcError(msg`${name} must be a number of seconds between 0 and 3600`, {
      hint: msg`unset it, or set e.g. ${name}=${fallbackMs / 1000}`,
      exitCode: ExitCode.Usage,
    });
  }
  return Math.round(value * 1000);
}

/**
 * The deadlines set by `STC_CONNECT_TIMEOUT` and `STC_REQUEST_TIMEOUT` (seconds, fractions allowed), else the
 * defaults. The connect deadline never exceeds the request deadline.
 *
 * @example
 * ```ts
 * import { timeoutsFrom } from "./transport.ts";
 * timeoutsFrom({ STC_REQUEST_TIMEOUT: "5" }); // { connectMs: 5000, requestMs: 5000 }
 * ```
 */
export function timeoutsFrom(env: Env): Timeouts {
  const requestMs = seconds(env, "STC_REQUEST_TIMEOUT", DEFAULT_TIMEOUTS.requestMs);
  const connectMs = seconds(env, "STC_CONNECT_TIMEOUT", DEFAULT_TIMEOUTS.connectMs);
  return { connectMs: Math.min(connectMs, requestMs), requestMs };
}

/** What went wrong on the way to an endpoint. */
export type NetworkFailure =
  | "connect-timeout"
  | "request-timeout"
  | "refused"
  | "reset"
  | "dns"
  | "tls"
  | "proxy"
  | "other";

/**
 * A request that got no usable answer. `host` is the endpoint (`host:port`); `reason` is short text without the
 * request URL (which may hold credentials). `code` is the Node-style code the AWS SDK's retry strategy knows.
 */
export class NetworkError extends Error {
  /** The kind of failure. */
  readonly failure: NetworkFailure;
  /** The endpoint, `host[:port]`. */
  readonly host: string;
  /** Node-style code (ECONNRESET, …) for the SDK's error classification, when there is one. */
  readonly code?: string;

  /** Creates the error; `reason` is shown to the user. */
  constructor(failure: NetworkFailure, host: string, reason: string) {
    super(reason);
    this.name = failure.endsWith("timeout") ? "StcTimeout" : "StcNetworkError";
    this.failure = failure;
    this.host = host;
    const code = CODES[failure];
    if (code) this.code = code;
  }
}

const CODES: Partial<Record<NetworkFailure, string>> = {
  refused: "ECONNREFUSED",
  reset: "ECONNRESET",
  dns: "ENOTFOUND",
};

/** The `host[:port]` of a URL, for messages. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the configured endpoint";
  }
}

/**
 * Classifies an error from `fetch` (or reading its body) into a {@linkcode NetworkError}. The fetch error's text
 * quotes the URL, so only the part after it is kept.
 */
export function classifyFetchError(error: unknown, host: string): NetworkError {
  if (error instanceof NetworkError) return error;
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : "";
  // "error sending request for url (URL): client error (Connect): tcp connect error: …" → the part after the URL.
  // Any other URL (a proxy's may hold its credentials) is left out too.
  const detail = text.replace(/\(\s*https?:\/\/[^)]*\)/g, "")
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, "(url)")
    .replace(/\s+/g, " ").trim();
  const pick = (re: RegExp) => re.exec(detail)?.[0];
  const proxy = pick(/proxy[^()]*/i);
  if (proxy) {
    return new NetworkError("proxy", host, `the proxy failed: ${proxy.replace(/[:\s]+$/, "")}`);
  }
  const tls = pick(/(invalid peer certificate|certificate|handshake|tls)[^()]*/i);
  if (tls) return new NetworkError("tls", host, `TLS failed: ${tls.replace(/[:\s]+$/, "")}`);
  if (/refused/i.test(detail)) return new NetworkError("refused", host, "connection refused");
  if (/dns error|failed to lookup|name or service not known|no address/i.test(detail)) {
    return new NetworkError("dns", host, "the host name could not be resolved");
  }
  if (
    /reset|closed|broken pipe|incomplete|unexpected eof|connection error|hang ?up/i.test(detail)
  ) {
    return new NetworkError("reset", host, "the connection was closed before a complete answer");
  }
  return new NetworkError("other", host, "the request failed");
}

function timeoutError(failure: "connect-timeout" | "request-timeout", host: string, ms: number) {
  const what = failure === "connect-timeout" ? "no answer" : "no complete answer";
  const variable = failure === "connect-timeout" ? "STC_CONNECT_TIMEOUT" : "STC_REQUEST_TIMEOUT";
  return new NetworkError(failure, host, `${what} within ${ms / 1000} s (${variable})`);
}

/**
 * The PEM text of the CA bundle the settings name (`AWS_CA_BUNDLE`, else the profile's `ca_bundle`), or undefined
 * when none is set. Errors name the setting, never the file's content.
 */
export async function readCaBundle(
  env: Env,
  profile?: ProfileConfig,
): Promise<{ pem: string; file: string; source: string } | undefined> {
  const chosen = caBundle(env, profile);
  if (!chosen) return undefined;
  const hint = msg`set ${chosen.source} to a PEM file of the certificates to trust, or unset it`;
  let pem: string;
  try {
    const info = await Deno.stat(chosen.value);
    if (!info.isFile || info.size > 4 * 1024 * 1024) {
      throw new Error("not a regular file under 4 MiB");
    }
    pem = await Deno.readTextFile(chosen.value);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "no such file"
      : error instanceof Error
      ? error.message.replace(/[^\x20-\x7e]/g, "?")
      : "unreadable";
    throw new StcError(msg`${chosen.source}: cannot read the certificate file: ${reason}`, {
      hint,
    });
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new StcError(msg`${chosen.source}: the file holds no PEM certificate`, { hint });
  }
  return { pem, file: chosen.value, source: chosen.source };
}

/**
 * An HTTP client trusting the certificates of `AWS_CA_BUNDLE` (else the profile's `ca_bundle`; a PEM file)
 * besides Deno's roots, as the AWS CLI and SDKs do; undefined when neither is set, for `fetch`'s own client.
 * Proxies come from `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` either way. The caller closes the client.
 */
export async function openHttpClient(
  env: Env,
  profile?: ProfileConfig,
): Promise<Deno.HttpClient | undefined> {
  const bundle = await readCaBundle(env, profile);
  return bundle ? Deno.createHttpClient({ caCerts: [bundle.pem] }) : undefined;
}

/** Options of {@linkcode fetchBytes}. */
export interface FetchOptions {
  /** Method, headers and body, as for `fetch`. */
  init: RequestInit;
  /** The HTTP client ({@linkcode openHttpClient}); `fetch`'s own when absent. */
  client?: Deno.HttpClient;
  /** Deadlines. */
  timeouts: Timeouts;
  /** Ends the request early (e.g. the deadline of a whole SDK call). */
  signal?: AbortSignal;
}

/** A complete answer. */
export interface FetchedResponse {
  /** HTTP status. */
  status: number;
  /** Status text. */
  statusText: string;
  /** Header fields, lower-case names. */
  headers: Record<string, string>;
  /** The whole body. */
  body: Uint8Array;
}

/**
 * Fetches `url` and reads the whole body, within the deadlines: the answer must start within `connectMs` and end
 * within `requestMs`. Failures are {@linkcode NetworkError}s naming the host; when `signal` ends the request, its
 * reason is thrown.
 */
export async function fetchBytes(url: string, options: FetchOptions): Promise<FetchedResponse> {
  const host = hostOf(url);
  const { connectMs, requestMs } = options.timeouts;
  const controller = new AbortController();
  const abort = (reason: unknown) => controller.abort(reason);
  const connectTimer = setTimeout(
    () => abort(timeoutError("connect-timeout", host, connectMs)),
    connectMs,
  );
  const requestTimer = setTimeout(
    () => abort(timeoutError("request-timeout", host, requestMs)),
    requestMs,
  );
  const outer = options.signal;
  const onOuterAbort = () => abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  outer?.addEventListener("abort", onOuterAbort, { once: true });
  try {
    const response = await fetch(url, {
      ...options.init,
      signal: controller.signal,
      ...(options.client ? { client: options.client } : {}),
    });
    clearTimeout(connectTimer);
    const body = new Uint8Array(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => headers[name] = value);
    return { status: response.status, statusText: response.statusText, headers, body };
  } catch (error) {
    if (controller.signal.aborted) throw controller.signal.reason;
    throw classifyFetchError(error, host);
  } finally {
    clearTimeout(connectTimer);
    clearTimeout(requestTimer);
    outer?.removeEventListener("abort", onOuterAbort);
  }
}

/** The parts of the AWS SDK's HTTP request stc's handler reads (smithy's `HttpRequest`). */
export interface SdkHttpRequest {
  /** HTTP method. */
  method: string;
  /** `https:` or `http:`. */
  protocol: string;
  /** Host name, or IPv6 address in brackets. */
  hostname: string;
  /** Port, when not the protocol's default. */
  port?: number;
  /** Path, already encoded. */
  path: string;
  /** Query parameters, not yet encoded. */
  query?: Record<string, string | string[] | null | undefined>;
  /** Header fields (signed). */
  headers: Record<string, string>;
  /** The body: a string, bytes or a stream. */
  body?: unknown;
}

/** What the handler answers (smithy's `HttpResponse` shape). */
export interface SdkHttpResponse {
  /** HTTP status. */
  statusCode: number;
  /** Status text. */
  reason?: string;
  /** Header fields, lower-case names. */
  headers: Record<string, string>;
  /** The whole body, read already, as a stream for the SDK. */
  body: ReadableStream<Uint8Array>;
}

/** The handler stc gives every AWS SDK client: smithy's `HttpHandler` contract, over {@linkcode fetchBytes}. */
export interface SdkRequestHandler {
  /** Smithy metadata. */
  metadata: { handlerProtocol: string };
  /** Sends one attempt. */
  handle(
    request: SdkHttpRequest,
    options?: { abortSignal?: unknown },
  ): Promise<{ response: SdkHttpResponse }>;
  /** Smithy calls it to change settings; stc's handler has none to change. */
  updateHttpClientConfig(key: string, value: unknown): void;
  /** Smithy reads it; there is nothing to report. */
  httpHandlerConfigs(): Record<string, never>;
  /** Nothing to release: each attempt's connection ends with it. */
  destroy(): void;
  /** The `host[:port]` of the last request sent, for messages about the answer. */
  lastHost(): string | undefined;
}

// Fields fetch sets itself from the URL and body, or that belong to one hop.
const OWN_FIELDS = new Set(["host", "content-length", "transfer-encoding", "expect", "connection"]);

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function urlOf(request: SdkHttpRequest): string {
  const query = Object.entries(request.query ?? {}).flatMap(([key, value]) => {
    if (value === null || value === undefined) return [rfc3986(key)];
    return [value].flat().map((v) => `${rfc3986(key)}=${rfc3986(v)}`);
  }).join("&");
  const port = request.port ? `:${request.port}` : "";
  return `${request.protocol}//${request.hostname}${port}${request.path}${
    query ? `?${query}` : ""
  }`;
}

async function bodyOf(body: unknown): Promise<BodyInit | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body as BodyInit;
  if (body instanceof ReadableStream) return new Uint8Array(await new Response(body).arrayBuffer());
  // A Node stream (the SDK's own streaming bodies): collected, as stc's bodies are small.
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
    const parts: Uint8Array[] = [];
    for await (const part of body as AsyncIterable<Uint8Array | string>) {
      parts.push(typeof part === "string" ? new TextEncoder().encode(part) : part);
    }
    return new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
  }
  throw new TypeError("unsupported request body");
}

/**
 * An AWS SDK request handler that sends through {@linkcode fetchBytes}: each attempt must start answering within
 * `connectMs` and is bounded by `requestMs`; the SDK's own `abortSignal` (the deadline of the whole call) ends it
 * too. Answers are read whole before the SDK sees them.
 */
export function sdkRequestHandler(
  timeouts: Timeouts,
  client?: Deno.HttpClient,
): SdkRequestHandler {
  let last: string | undefined;
  return {
    metadata: { handlerProtocol: "http/1.1" },
    async handle(request, options = {}) {
      const url = urlOf(request);
      last = hostOf(url);
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => !OWN_FIELDS.has(name.toLowerCase())),
      );
      const answer = await fetchBytes(url, {
        init: {
          method: request.method,
          headers,
          body: await bodyOf(request.body),
          redirect: "manual",
        },
        timeouts,
        client,
        // The SDK passes on the signal given to `send` (a real AbortSignal; its own type is narrower).
        signal: options.abortSignal as AbortSignal | undefined,
      });
      const bytes = answer.body;
      return {
        response: {
          statusCode: answer.status,
          reason: answer.statusText,
          headers: answer.headers,
          body: new ReadableStream({
            start(controller) {
              controller.enqueue(bytes);
              controller.close();
            },
          }),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
    lastHost: () => last,
  };
}
