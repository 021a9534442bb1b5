/**
 * The strict local AWS emulator: STS, IAM and S3 (path style) on one endpoint, routed by the
 * SigV4 credential scope, plus the console federation endpoint and `/__admin/` controls.
 *
 * Listens on 127.0.0.1 only. Connections pass through a small TCP relay in front of
 * `Deno.serve`, so an injected "drop" fault can close the client's socket before any response
 * byte is written (a real dropped connection, which `Deno.serve` alone cannot produce).
 *
 * @module
 */

import { type AccessKeyInfo, type EmulatorControls, handleAdmin } from "./admin.ts";
import { authenticate, type Caller, readAuth } from "./auth.ts";
import { faultError, takeFault, validFault } from "./faults.ts";
import { handleFederation } from "./federation.ts";
import { IAM_ACTIONS } from "./iam.ts";
import type { QueryHandler } from "./query.ts";
import { handleS3, routeS3, type S3Route } from "./s3.ts";
import {
  createState,
  elapsedMs,
  findUser,
  type Fixture,
  latencyFor,
  makeObject,
  nowMs,
  type RequestRecord,
  type State,
  type UserState,
} from "./state.ts";
import { STS_ACTIONS } from "./sts.ts";
import { totp } from "./totp.ts";
import { AwsError, httpDate, queryError, queryResponse, s3Error, type Service } from "./xml.ts";

export type { AccessKeyInfo, EmulatorControls, RequestsOptions } from "./admin.ts";
export type {
  CredentialOverride,
  CredentialsFault,
  ErrorFault,
  FaultBase,
  FaultKind,
  FaultSpec,
  Fixture,
  LoginRecord,
  PlainFault,
  RequestRecord,
} from "./state.ts";
export { type Interval, maxInFlight, overlapping } from "./timeline.ts";

/** Options of {@linkcode startEmulator}. */
export interface EmulatorOptions {
  /** Seed; defaults to test/emulator/fixture.json. */
  fixture?: Fixture;
  /** Suppress the log of unexpected internal errors. */
  quiet?: boolean;
}

/** A running emulator. */
export interface Emulator extends EmulatorControls {
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** `ENDPOINT/federation`. */
  readonly federationEndpoint: string;
  /** AWS_ENDPOINT_URL, STC_FEDERATION_ENDPOINT and AWS_EC2_METADATA_DISABLED for a subprocess. */
  env(): Record<string, string>;
  /**
   * Resolves with the first request, received already or arriving later, that `match` accepts,
   * as the record stands when it matches. A request arriving later is matched on arrival, before
   * authentication: `authenticated` is still false and `endedAt` absent. Lets a test act while
   * a request is in flight (held back by `setLatency`) without sleeping. Rejects when the
   * emulator closes first. In-process only.
   */
  waitForRequest(match: (request: RequestRecord) => boolean): Promise<RequestRecord>;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

const API_VERSIONS = { sts: "2011-06-15", iam: "2010-05-08" } as const;
const QUERY_ACTIONS: Record<"sts" | "iam", Record<string, QueryHandler>> = {
  sts: STS_ACTIONS,
  iam: IAM_ACTIONS,
};

/** Loads the default fixture shipped next to this module. */
export async function defaultFixture(): Promise<Fixture> {
  return JSON.parse(await Deno.readTextFile(new URL("./fixture.json", import.meta.url)));
}

/** Starts an emulator on 127.0.0.1 with a random port. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const state = createState(options.fixture ?? await defaultFixture());
  const quiet = options.quiet ?? false;
  const relay = new Map<number, { client: Deno.Conn; upstream: Deno.Conn }>();

  const controls = makeControls(state);
  const closing = new AbortController();
  const waiters = new Set<Waiter>();
  const env: HandlerEnv = { state, controls, quiet, closing: closing.signal, waiters };
  const dropConnection = (remotePort: number) => {
    const link = relay.get(remotePort);
    if (!link) return;
    for (const conn of [link.client, link.upstream]) {
      try {
        conn.close();
      } catch { /* already closed */ }
    }
  };

  const inner = Deno.serve(
    {
      hostname: "127.0.0.1",
      port: 0,
      onListen() {},
      onError(e) {
        if (!quiet) console.error("emulator: internal error:", e);
        return new Response("internal emulator error", { status: 500 });
      },
    },
    (req, info) => handle(env, req, () => dropConnection((info.remoteAddr as Deno.NetAddr).port)),
  );
  const innerPort = inner.addr.port;

  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const tasks = new Set<Promise<void>>();
  const relayConn = async (client: Deno.Conn) => {
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect({ hostname: "127.0.0.1", port: innerPort });
    } catch {
      client.close();
      return;
    }
    const port = (upstream.localAddr as Deno.NetAddr).port;
    relay.set(port, { client, upstream });
    const closeBoth = () => {
      for (const conn of [client, upstream]) {
        try {
          conn.close();
        } catch { /* already closed */ }
      }
    };
    const opts = { preventClose: true, preventAbort: true, preventCancel: true };
    await Promise.race([
      client.readable.pipeTo(upstream.writable, opts).catch(() => {}),
      upstream.readable.pipeTo(client.writable, opts).catch(() => {}),
    ]);
    closeBoth();
    relay.delete(port);
  };
  const acceptLoop = (async () => {
    try {
      for await (const client of listener) {
        const t = relayConn(client).catch(() => {});
        tasks.add(t);
        t.finally(() => tasks.delete(t));
      }
    } catch { /* listener closed */ }
  })();

  const endpoint = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`;
  let closed = false;
  return {
    ...controls,
    endpoint,
    federationEndpoint: `${endpoint}/federation`,
    env: () => ({
      AWS_ENDPOINT_URL: endpoint,
      STC_FEDERATION_ENDPOINT: `${endpoint}/federation`,
      AWS_EC2_METADATA_DISABLED: "true",
    }),
    waitForRequest(match) {
      return new Promise((resolve, reject) => {
        const seen = state.requests.find(match);
        if (seen) return resolve(structuredClone(seen));
        if (closed) return reject(new Error("emulator: closed"));
        waiters.add({ match, resolve, reject });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      closing.abort();
      for (const w of waiters) w.reject(new Error("emulator: closed before the request arrived"));
      waiters.clear();
      listener.close();
      await acceptLoop;
      for (const { client, upstream } of relay.values()) {
        for (const conn of [client, upstream]) {
          try {
            conn.close();
          } catch { /* already closed */ }
        }
      }
      await Promise.allSettled([...tasks]);
      await inner.shutdown();
    },
  };
}

function userOrThrow(state: State, userName: string): UserState {
  const user = findUser(state, userName);
  if (!user) throw new Error(`emulator: no user ${userName}`);
  return user;
}

function makeControls(state: State): EmulatorControls {
  return {
    totp(userName, offsetWindows = 0) {
      const device = userOrThrow(state, userName).mfaDevices[0];
      if (!device) throw new Error(`emulator: user ${userName} has no MFA device`);
      return totp(device.secret, nowMs(state), offsetWindows);
    },
    mfaSerial(userName) {
      const device = userOrThrow(state, userName).mfaDevices[0];
      if (!device) throw new Error(`emulator: user ${userName} has no MFA device`);
      return device.serial;
    },
    now: () => new Date(nowMs(state)),
    advanceClock(seconds) {
      state.clockOffsetMs += seconds * 1000;
    },
    setClockOffset(seconds) {
      state.clockOffsetMs = seconds * 1000;
    },
    injectFault(fault) {
      state.faults.push(validFault(fault));
    },
    clearFaults() {
      state.faults.length = 0;
    },
    faults: () => structuredClone(state.faults),
    setKeyPropagationDelay(seconds) {
      state.keyPropagationDelayMs = seconds * 1000;
    },
    accessKeys: (userName): AccessKeyInfo[] =>
      userOrThrow(state, userName).keys.map((k) => ({
        accessKeyId: k.id,
        secretAccessKey: k.secret,
        status: k.status,
        createDate: new Date(k.createDate),
        usableFrom: new Date(k.usableFrom),
        lastUsed: k.lastUsed ? new Date(k.lastUsed.at) : undefined,
      })),
    object: (bucket, key) => state.buckets.get(bucket)?.objects.get(key)?.body.slice(),
    putObject(bucket, key, body) {
      const b = state.buckets.get(bucket);
      if (!b) throw new Error(`emulator: no bucket ${bucket}`);
      const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body.slice();
      b.objects.set(key, makeObject(bytes, "application/octet-stream", nowMs(state), {}));
    },
    userPassword: (userName) => userOrThrow(state, userName).password,
    logins: () => state.logins.map((l) => ({ ...l })),
    calls: (action) => state.calls.get(action) ?? 0,
    requests: (options = {}) =>
      structuredClone(
        options.includeUnauthenticated
          ? state.requests
          : state.requests.filter((r) => r.authenticated),
      ),
    setLatency(action, ms) {
      if (action === "") throw new Error("emulator: latency needs an action or *");
      if (!(Number.isFinite(ms) && ms >= 0)) throw new Error("emulator: latency must be >= 0 ms");
      state.latencies.set(action, ms);
      for (const watcher of [...state.latencyWatchers]) watcher();
    },
    clearLatencies() {
      state.latencies.clear();
      for (const watcher of [...state.latencyWatchers]) watcher();
    },
    latencies: () => Object.fromEntries(state.latencies),
    setListMfaDevicesRequiresUserName(required) {
      state.listMfaDevicesRequiresUserName = required;
    },
  };
}

/** What every request handler shares: state, controls and the emulator's lifetime. */
interface HandlerEnv {
  state: State;
  controls: EmulatorControls;
  quiet: boolean;
  /** Aborted by `close()`, so that answers held back by a latency do not delay shutdown. */
  closing: AbortSignal;
  /** Pending `waitForRequest` calls. */
  waiters: Set<Waiter>;
}

/** A pending {@linkcode Emulator.waitForRequest}. */
interface Waiter {
  match: (request: RequestRecord) => boolean;
  resolve: (request: RequestRecord) => void;
  reject: (reason: Error) => void;
}

async function handle(env: HandlerEnv, req: Request, drop: () => void): Promise<Response> {
  const { state } = env;
  const url = new URL(req.url);
  if (url.pathname.startsWith("/__admin/")) return handleAdmin(env.controls, req, url);
  const requestId = crypto.randomUUID();
  const headers = { date: httpDate(nowMs(state)) };
  if (url.pathname === "/federation") {
    if (req.method !== "GET") return new Response("Method not allowed\n", { status: 405 });
    return handleFederation(state, url, headers);
  }

  const startedAt = elapsedMs(state);
  const rawBody = new Uint8Array(await req.arrayBuffer());
  const isQuery = req.method === "POST" && url.pathname === "/" ||
    url.searchParams.has("Action");
  let service: Service = isQuery ? "sts" : "s3";
  // Parsed before authentication so that rejected requests are recorded with their action too.
  let params: URLSearchParams | undefined;
  let route: S3Route | undefined;
  let routeError: unknown;
  if (isQuery) {
    params = queryParams(req, url, rawBody);
  } else {
    try {
      route = routeS3(req, url);
    } catch (e) {
      routeError = e;
    }
  }
  const action = params?.get("Action") ?? route?.action ?? "";
  const rec = record(service, action, params, req, startedAt);
  state.requests.push(rec);
  for (const w of env.waiters) {
    let matched: boolean;
    try {
      matched = w.match(rec);
    } catch (e) {
      // A throwing predicate is the waiting test's problem, not this request's.
      env.waiters.delete(w);
      w.reject(e as Error);
      continue;
    }
    if (!matched) continue;
    env.waiters.delete(w);
    w.resolve(structuredClone(rec));
  }

  const render = (e: AwsError): Response => {
    rec.errorCode = e.code;
    return service === "s3"
      ? s3Error(e, requestId, headers, req.method === "HEAD")
      : queryError(service, e, requestId, headers);
  };
  let answer: Response | "drop";
  try {
    answer = await respond();
  } catch (e) {
    if (!(e instanceof AwsError) && !env.quiet) console.error("emulator: internal error:", e);
    answer = render(e instanceof AwsError ? e : faultError(service, "500"));
  }
  await holdAnswer(state, action, env.closing);
  rec.endedAt = elapsedMs(state);
  if (answer === "drop") {
    drop();
    return new Response(null, { status: 500 });
  }
  rec.status = answer.status;
  return answer;

  async function respond(): Promise<Response | "drop"> {
    const auth = readAuth(req, url, service);
    if (!auth) {
      throw isQuery
        ? new AwsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token")
        : new AwsError(403, "AccessDenied", "Access Denied");
    }
    if (auth.service !== "sts" && auth.service !== "iam" && auth.service !== "s3") {
      throw new AwsError(
        403,
        "SignatureDoesNotMatch",
        `Credential should be scoped to correct service: '${auth.service}' is not served here. `,
      );
    }
    service = rec.service = auth.service;

    const { caller, payload } = authenticate(state, service, auth, req, url, rawBody);
    rec.authenticated = true;
    rec.caller = caller.arn;
    if (routeError !== undefined) throw routeError;
    state.calls.set(action, (state.calls.get(action) ?? 0) + 1);
    // Credentials faults wait for the action to issue credentials (see runQuery).
    const fault = takeFault(state, action, (f) => f.kind !== "credentials");
    if (fault?.kind === "drop") return "drop";
    if (fault?.kind === "error") throw new AwsError(fault.status, fault.code, fault.message);
    if (fault?.kind === "throttle" || fault?.kind === "500") {
      throw faultError(service, fault.kind);
    }

    if (service === "s3") {
      return await handleS3(
        { state, caller, req, url, payload, now: nowMs(state), requestId, headers },
        route!,
      );
    }
    return runQuery(service, action, params!, state, caller, requestId, headers);
  }
}

/** Query-protocol parameters: the query string plus a form-encoded POST body. */
function queryParams(req: Request, url: URL, body: Uint8Array): URLSearchParams {
  const params = new URLSearchParams(url.search);
  const type = req.headers.get("content-type") ?? "";
  if (req.method === "POST" && type.startsWith("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(new TextDecoder().decode(body))) params.append(k, v);
  }
  return params;
}

/**
 * Holds back the answer to `action` by its latency, counted from now. A change of latencies while it waits
 * counts: lowering or clearing the latency releases an answer already held longer, so a test can hold an answer
 * for as long as it needs and then let it go. Resolves at once when `signal` aborts (the emulator is closing).
 */
function holdAnswer(state: State, action: string, signal: AbortSignal): Promise<void> {
  const since = performance.now();
  if (latencyFor(state, action) <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      clearTimeout(timer);
      state.latencyWatchers.delete(schedule);
      signal.removeEventListener("abort", done);
      resolve();
    };
    function schedule(): void {
      clearTimeout(timer);
      const left = since + latencyFor(state, action) - performance.now();
      if (left <= 0) return done();
      timer = setTimeout(done, left);
    }
    state.latencyWatchers.add(schedule);
    signal.addEventListener("abort", done);
    schedule();
  });
}

const REDACTED_PARAMS = new Set(["OldPassword", "NewPassword"]);
const UNRECORDED_HEADERS = new Set(["authorization", "x-amz-security-token"]);

function record(
  service: Service,
  action: string,
  params: URLSearchParams | undefined,
  req: Request,
  startedAt: number,
): RequestRecord {
  const p: Record<string, string> = {};
  for (const [k, v] of params ?? []) p[k] = REDACTED_PARAMS.has(k) ? "***" : v;
  const h: Record<string, string> = {};
  for (const [k, v] of req.headers) if (!UNRECORDED_HEADERS.has(k)) h[k] = v;
  return { service, action, params: p, headers: h, authenticated: false, startedAt };
}

function runQuery(
  service: "sts" | "iam",
  action: string,
  params: URLSearchParams,
  state: State,
  caller: Caller,
  requestId: string,
  headers: HeadersInit,
): Response {
  const version = params.get("Version");
  if (action === "") throw new AwsError(400, "MissingAction", "Missing Action");
  const handler = Object.hasOwn(QUERY_ACTIONS[service], action)
    ? QUERY_ACTIONS[service][action]
    : undefined;
  if (!handler || version !== API_VERSIONS[service]) {
    throw new AwsError(
      400,
      "InvalidAction",
      `Could not find operation ${action} for version ${version ?? "NO_VERSION_SPECIFIED"}`,
    );
  }
  if (service === "iam" && caller.kind === "session-token" && !caller.mfa) {
    // AWS: GetSessionToken credentials cannot call IAM unless MFA was included.
    throw new AwsError(
      403,
      "InvalidClientTokenId",
      "The security token included in the request is invalid",
    );
  }
  const takeCredentials = () => {
    const fault = takeFault(state, action, (f) => f.kind === "credentials");
    return fault?.kind === "credentials" ? fault.credentials : undefined;
  };
  const result = handler({ state, caller, params, now: nowMs(state), takeCredentials });
  return queryResponse(service, action, result, requestId, headers);
}
