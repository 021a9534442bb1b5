/**
 * Reachability of an endpoint, step by step, for `stc doctor`: the TCP connection, the TLS handshake against the
 * trust stc's calls use (the built-in roots plus `AWS_CA_BUNDLE`/`ca_bundle`), and an HTTP answer through stc's own
 * transport (proxy included), each timed, with the server's `Date` for the clock offset. Each step is bounded by
 * `STC_CONNECT_TIMEOUT`; the HTTP step also by `STC_REQUEST_TIMEOUT`.
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import { StcError } from "../core/errors.ts";
import { proxyFor, shownProxy } from "./proxy.ts";
import type { ProfileConfig } from "./settings.ts";
import {
  classifyFetchError,
  fetchBytes,
  type NetworkFailure,
  readCaBundle,
  timeoutsFrom,
} from "./transport.ts";

/** One step of a probe. */
export interface ProbeStep {
  /** What was tried. */
  step: "tcp" | "tls" | "http";
  /** Milliseconds it took (until it failed, when it did). */
  ms: number;
  /** Set when the step failed: the kind and a short reason (no URL). */
  failure?: { kind: NetworkFailure | "config"; reason: string };
  /** The HTTP status, for the http step. */
  status?: number;
}

/** What {@linkcode probeEndpoint} found. */
export interface ProbeResult {
  /** `host:port` probed. */
  host: string;
  /** The proxy the request went through, shown without credentials; undefined for a direct connection. */
  proxy?: string;
  /** The steps tried, in order; the last one failed when any did. */
  steps: ProbeStep[];
  /** Seconds the server's clock is ahead of this host's (negative: behind), from its `Date` header. */
  clockOffsetSeconds?: number;
  /** Whether every step succeeded. */
  ok: boolean;
}

/** Runs `run` within `ms`, ending it through `abort` when the time is up. */
async function within<T>(
  ms: number,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error("timeout")), ms);
  try {
    return await run(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

function failed(error: unknown, host: string, timedOut: boolean, ms: number, what: string) {
  if (timedOut) {
    return {
      kind: "connect-timeout" as const,
      reason: `no ${what} within ${ms / 1000} s (STC_CONNECT_TIMEOUT)`,
    };
  }
  const classified = classifyFetchError(
    error instanceof Error ? new Error(`${error.name}: ${error.message}`) : error,
    host,
  );
  return { kind: classified.failure, reason: classified.message };
}

/**
 * Probes `url`: TCP and TLS directly (when no proxy applies), then an HTTP GET of the URL through stc's transport.
 * Never throws for network failures; a malformed setting (timeouts, CA bundle) is reported as a `config` failure.
 */
export async function probeEndpoint(
  url: string,
  env: Env,
  profile?: ProfileConfig,
): Promise<ProbeResult> {
  const target = new URL(url);
  const port = Number(target.port || (target.protocol === "https:" ? 443 : 80));
  const hostname = target.hostname.replace(/^\[|\]$/g, "");
  const host = `${target.hostname}:${port}`;
  const steps: ProbeStep[] = [];
  const done = (extra: Partial<ProbeResult> = {}): ProbeResult => ({
    host,
    steps,
    ok: steps.every((s) => !s.failure),
    ...extra,
  });
  let timeouts;
  let bundle;
  try {
    timeouts = timeoutsFrom(env);
    bundle = await readCaBundle(env, profile);
  } catch (error) {
    const reason = error instanceof StcError ? error.message : "invalid network settings";
    steps.push({ step: "tcp", ms: 0, failure: { kind: "config", reason } });
    return done();
  }
  const proxy = proxyFor(url, env);
  const connectMs = timeouts.connectMs;

  if (!proxy) {
    let started = performance.now();
    let conn: Deno.TcpConn | undefined;
    try {
      conn = await within(connectMs, (signal) => Deno.connect({ hostname, port, signal }));
      steps.push({ step: "tcp", ms: performance.now() - started });
    } catch (error) {
      const ms = performance.now() - started;
      steps.push({
        step: "tcp",
        ms,
        failure: failed(error, host, ms >= connectMs, connectMs, "connection"),
      });
      return done();
    }
    if (target.protocol === "https:") {
      started = performance.now();
      let tls: Deno.TlsConn | undefined;
      const timer = setTimeout(() => (tls ?? conn)?.close(), connectMs);
      try {
        tls = await Deno.startTls(conn, {
          hostname,
          ...(bundle ? { caCerts: [bundle.pem] } : {}),
        });
        await tls.handshake();
        steps.push({ step: "tls", ms: performance.now() - started });
      } catch (error) {
        const ms = performance.now() - started;
        const timedOut = ms >= connectMs;
        const failure = timedOut ? failed(error, host, true, connectMs, "TLS handshake") : {
          kind: "tls" as const,
          reason: `TLS failed: ${
            (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ")
              .replace(/[^\x20-\x7e]/g, "?").slice(0, 160)
          }`,
        };
        steps.push({ step: "tls", ms, failure });
        return done();
      } finally {
        clearTimeout(timer);
        try {
          (tls ?? conn).close();
        } catch {
          // Closed by the deadline already.
        }
      }
    } else {
      conn.close();
    }
  }

  const client = bundle ? Deno.createHttpClient({ caCerts: [bundle.pem] }) : undefined;
  const started = performance.now();
  try {
    const answer = await fetchBytes(url, {
      init: { method: "GET", redirect: "manual" },
      timeouts,
      ...(client ? { client } : {}),
    });
    const ended = performance.now();
    steps.push({ step: "http", ms: ended - started, status: answer.status });
    const date = Date.parse(answer.headers.date ?? "");
    // The Date header has one-second resolution; the answer was dated between the request and its end.
    const localMidpoint = Date.now() - (ended - started) / 2;
    const offset = Number.isNaN(date) ? undefined : Math.round((date - localMidpoint) / 1000);
    return done({
      ...(proxy ? { proxy: shownProxy(proxy.url) } : {}),
      ...(offset !== undefined ? { clockOffsetSeconds: offset } : {}),
    });
  } catch (error) {
    const classified = classifyFetchError(error, host);
    steps.push({
      step: "http",
      ms: performance.now() - started,
      failure: { kind: classified.failure, reason: classified.message },
    });
    return done(proxy ? { proxy: shownProxy(proxy.url) } : {});
  } finally {
    client?.close();
  }
}
