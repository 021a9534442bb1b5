import assert from "node:assert/strict";
import {
  classifyFetchError,
  DEFAULT_TIMEOUTS,
  fetchBytes,
  NetworkError,
  timeoutsFrom,
} from "./transport.ts";
import { ExitCode, StcError } from "../core/errors.ts";
import { type StallMode, startStalledServer, startTlsFront } from "../../test/net_fixtures.ts";
import { startEmulator } from "../../test/emulator/server.ts";

const FAST = { connectMs: 300, requestMs: 800 };

Deno.test("timeoutsFrom: STC_CONNECT_TIMEOUT and STC_REQUEST_TIMEOUT in seconds, else the defaults", () => {
  assert.deepEqual(timeoutsFrom({}), DEFAULT_TIMEOUTS);
  assert.deepEqual(timeoutsFrom({ STC_CONNECT_TIMEOUT: "", STC_REQUEST_TIMEOUT: " " }), {
    connectMs: 10_000,
    requestMs: 30_000,
  });
  assert.deepEqual(timeoutsFrom({ STC_CONNECT_TIMEOUT: "0.5", STC_REQUEST_TIMEOUT: "2" }), {
    connectMs: 500,
    requestMs: 2000,
  });
  // The answer cannot start later than the call ends.
  assert.deepEqual(timeoutsFrom({ STC_REQUEST_TIMEOUT: "4" }), {
    connectMs: 4000,
    requestMs: 4000,
  });
  for (const bad of ["0", "-1", "abc", "1e3", "3601", "Infinity", "5s"]) {
    assert.throws(
      () => timeoutsFrom({ STC_CONNECT_TIMEOUT: bad }),
      (e: unknown) =>
        e instanceof StcError && e.exitCode === ExitCode.Usage &&
        e.message === "STC_CONNECT_TIMEOUT must be a number of seconds between 0 and 3600",
      bad,
    );
  }
});

const STALLS: [StallMode, string, RegExp][] = [
  ["accept-silent", "connect-timeout", /^no answer within 0\.3 s \(STC_CONNECT_TIMEOUT\)$/],
  ["http-silent", "connect-timeout", /^no answer within 0\.3 s \(STC_CONNECT_TIMEOUT\)$/],
  ["slow-drip", "request-timeout", /^no complete answer within 0\.8 s \(STC_REQUEST_TIMEOUT\)$/],
];

for (const [mode, failure, message] of STALLS) {
  Deno.test(`fetchBytes: a ${mode} server ends in a ${failure} naming the endpoint`, async () => {
    await using server = startStalledServer(mode, { intervalMs: 50 });
    const started = performance.now();
    const error = await fetchBytes(`${server.endpoint}/x`, { init: {}, timeouts: FAST }).then(
      () => assert.fail("a stalled server answered"),
      (e) => e,
    );
    const elapsed = performance.now() - started;
    assert.ok(error instanceof NetworkError, String(error));
    assert.equal(error.failure, failure);
    assert.equal(error.host, new URL(server.endpoint).host);
    assert.match(error.message, message);
    const bound = failure === "connect-timeout" ? FAST.connectMs : FAST.requestMs;
    assert.ok(elapsed >= bound - 20 && elapsed < bound + 1000, `${elapsed} ms`);
    if (mode === "slow-drip") assert.ok(server.bytesDripped() > 0);
  });
}

Deno.test("fetchBytes: the caller's signal ends the request with its reason", async () => {
  await using server = startStalledServer("http-silent");
  const abort = new AbortController();
  const pending = fetchBytes(server.endpoint, {
    init: {},
    timeouts: DEFAULT_TIMEOUTS,
    signal: abort.signal,
  });
  await server.whenRequests(1);
  abort.abort(new Error("deadline of the call"));
  await assert.rejects(pending, /deadline of the call/);
});

Deno.test("fetchBytes: refused connections and untrusted certificates are classified", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await assert.rejects(
    fetchBytes(`http://127.0.0.1:${port}/`, { init: {}, timeouts: FAST }),
    (e: unknown) =>
      e instanceof NetworkError && e.failure === "refused" && e.code === "ECONNREFUSED" &&
      e.host === `127.0.0.1:${port}` && e.message === "connection refused",
  );

  const emu = await startEmulator({ quiet: true });
  try {
    for (const selfSigned of [false, true]) {
      await using front = await startTlsFront(emu.endpoint, { selfSigned });
      await assert.rejects(
        fetchBytes(`${front.endpoint}/__admin/health?secret=S3CR3T`, { init: {}, timeouts: FAST }),
        (e: unknown) =>
          e instanceof NetworkError && e.failure === "tls" &&
          /^TLS failed: .*(certificate|UnknownIssuer)/i.test(e.message) &&
          !e.message.includes("S3CR3T") && !e.message.includes("http"),
      );
    }
  } finally {
    await emu.close();
  }
});

Deno.test("classifyFetchError: keeps no URL of the request or of a proxy", () => {
  const fetchError = (detail: string) =>
    new TypeError("fetch failed", {
      cause: new Error(`error sending request for url (https://h:1/?Session=S3CR3T): ${detail}`),
    });
  const proxy = classifyFetchError(
    fetchError("client error (Connect): proxy at http://u:PR0XYPASS@p:3128 failed"),
    "h:1",
  );
  assert.equal(proxy.failure, "proxy");
  assert.equal(proxy.message, "the proxy failed: proxy at");
  const tls = classifyFetchError(
    fetchError("client error (Connect): invalid peer certificate: UnknownIssuer"),
    "h:1",
  );
  assert.equal(tls.message, "TLS failed: invalid peer certificate: UnknownIssuer");
  const reset = classifyFetchError(
    fetchError("client error (SendRequest): connection closed before message completed"),
    "h:1",
  );
  assert.deepEqual([reset.failure, reset.code], ["reset", "ECONNRESET"]);
  for (const e of [proxy, tls, reset]) {
    assert.ok(!/S3CR3T|PR0XYPASS|https?:/.test(e.message), e.message);
  }
});
