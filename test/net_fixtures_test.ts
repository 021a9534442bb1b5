// Proves each network fault fixture does what it says, for real: fetch and the AWS SDK (signed
// requests verified by the emulator) through stalled servers, a garbage server, the TLS front
// and the proxy; and that close() ends every connection (Deno's sanitizers check the rest).

import assert from "node:assert/strict";
import https from "node:https";
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { type Emulator, startEmulator } from "./emulator/server.ts";
import {
  DRIP_CONTENT_LENGTH,
  GARBAGE_BODY,
  startConnectProxy,
  startGarbageServer,
  startStalledServer,
  startTlsFront,
} from "./net_fixtures.ts";

const ALICE = {
  accessKeyId: "AKIAALICEEXAMPLEKEY1",
  secretAccessKey: "aliceEmulatorSecretKey0123456789abcdefgh",
};
const ALICE_ARN = "arn:aws:iam::111111111111:user/alice";

function portOf(endpoint: string): number {
  return Number(new URL(endpoint).port);
}

/** Reads a raw connection to its end: the text, or "reset" if the peer reset it. */
async function readToEnd(conn: Deno.Conn): Promise<string> {
  const chunks: string[] = [];
  const buf = new Uint8Array(4096);
  try {
    while (true) {
      const n = await conn.read(buf);
      if (n === null) return chunks.join("");
      chunks.push(new TextDecoder().decode(buf.subarray(0, n)));
    }
  } catch (e) {
    if (e instanceof Deno.errors.ConnectionReset) return "reset";
    throw e;
  } finally {
    conn.close();
  }
}

async function assertPortClosed(endpoint: string): Promise<void> {
  await assert.rejects(
    Deno.connect({ hostname: "127.0.0.1", port: portOf(endpoint) }),
    Deno.errors.ConnectionRefused,
  );
}

function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === "AbortError";
}

Deno.test("stalled accept-silent: accepts, never answers; close() ends its connections", async () => {
  const server = startStalledServer("accept-silent");
  try {
    const abort = new AbortController();
    const pending = fetch(server.endpoint, { signal: abort.signal });
    await server.whenConnections(1);
    abort.abort();
    await assert.rejects(pending, isAbort);

    const conn = await Deno.connect({ hostname: "127.0.0.1", port: portOf(server.endpoint) });
    await conn.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    await server.whenConnections(2);
    assert.equal(server.requests(), 0, "it never reads");
    const ended = readToEnd(conn);
    await server.close();
    assert.match(await ended, /^(|reset)$/, "no byte was ever answered");
    await assertPortClosed(server.endpoint);
    await assert.rejects(server.whenConnections(3), /closed/);
  } finally {
    await server.close();
  }
});

Deno.test("stalled http-silent: reads whole requests (length or chunked), never answers", async () => {
  await using server = startStalledServer("http-silent");
  const abort = new AbortController();
  const sized = fetch(server.endpoint, {
    method: "POST",
    body: "x".repeat(100_000),
    signal: abort.signal,
  });
  await server.whenRequests(1);
  const chunked = fetch(server.endpoint, {
    method: "POST",
    body: ReadableStream.from([new TextEncoder().encode("a"), new TextEncoder().encode("b")]),
    signal: abort.signal,
  });
  await server.whenRequests(2);
  assert.equal(server.connections(), 2);
  abort.abort();
  await assert.rejects(sized, isAbort);
  await assert.rejects(chunked, isAbort);

  const conn = await Deno.connect({ hostname: "127.0.0.1", port: portOf(server.endpoint) });
  await conn.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  await server.whenRequests(3);
  const ended = readToEnd(conn);
  await server.close();
  assert.equal(await ended, "", "closed without an answer");
  await assertPortClosed(server.endpoint);
});

Deno.test("stalled slow-drip: a 200 head at once, then one body byte per interval", async () => {
  await using server = startStalledServer("slow-drip", { intervalMs: 5, dripBody: "<Drip/>" });
  const res = await fetch(server.endpoint);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-length"), String(DRIP_CONTENT_LENGTH));
  assert.equal(res.headers.get("content-type"), "text/xml");
  const reader = res.body!.getReader();
  let text = "";
  while (text.length < 10) {
    const { value } = await reader.read();
    text += new TextDecoder().decode(value);
  }
  assert.ok(text.startsWith("<Drip/><Dr"), text);
  await reader.cancel();
  assert.ok(server.bytesDripped() >= 10);

  // A client deadline is the only way out (here the test's own: it is what is being tested).
  const signal = AbortSignal.timeout(100);
  await assert.rejects(
    fetch(server.endpoint, { signal }).then((r) => r.text()),
    (e: unknown) => e instanceof DOMException && e.name === "TimeoutError",
  );
  assert.equal(server.requests(), 2);

  const conn = await Deno.connect({ hostname: "127.0.0.1", port: portOf(server.endpoint) });
  await conn.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  await server.whenRequests(3);
  const ended = readToEnd(conn);
  await server.close();
  assert.match(await ended, /^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\n(<Drip\/>|<Dri|<Dr|<D|<)*/);
  await assertPortClosed(server.endpoint);
});

Deno.test("garbage server: 200 with a body that is not AWS's; the SDK says so", async () => {
  await using server = startGarbageServer();
  const res = await fetch(`${server.endpoint}/x?y=1`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(await res.text(), GARBAGE_BODY);

  const sts = new STSClient({
    endpoint: server.endpoint,
    region: "eu-west-1",
    credentials: ALICE,
    maxAttempts: 1,
  });
  try {
    const err = await sts.send(new GetCallerIdentityCommand({})).then(
      () => assert.fail("the SDK accepted garbage"),
      (e) => e as Error & { $metadata?: { httpStatusCode?: number } },
    );
    assert.match(err.message, /Deserialization error/);
    assert.equal(err.$metadata?.httpStatusCode, 200);
  } finally {
    sts.destroy();
  }
  assert.deepEqual(server.requests(), [{ method: "GET", path: "/x?y=1" }, {
    method: "POST",
    path: "/",
  }]);

  await using custom = startGarbageServer({
    body: new Uint8Array([0xff, 0xfe, 0]),
    contentType: "application/json",
  });
  const bytes = new Uint8Array(await (await fetch(custom.endpoint)).arrayBuffer());
  assert.deepEqual([...bytes], [0xff, 0xfe, 0]);
  await server.close();
  await assertPortClosed(server.endpoint);
});

async function withEmulator(fn: (emu: Emulator) => Promise<void>): Promise<void> {
  const emu = await startEmulator({ quiet: true });
  try {
    await fn(emu);
  } finally {
    await emu.close();
  }
}

Deno.test("TLS front: openssl-made CA and 127.0.0.1/localhost certificate; SigV4 verifies through it", () =>
  withEmulator(async (emu) => {
    await using front = await startTlsFront(emu.endpoint);
    assert.match(front.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
    const verify = await new Deno.Command("openssl", {
      args: ["verify", "-CAfile", front.caFile, front.certFile],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(new TextDecoder().decode(verify.stdout).trim(), `${front.certFile}: OK`);
    const sans = await new Deno.Command("openssl", {
      args: ["x509", "-noout", "-text", "-in", front.certFile],
      stdout: "piped",
    }).output();
    assert.match(new TextDecoder().decode(sans.stdout), /IP Address:127\.0\.0\.1, DNS:localhost/);

    const ca = await Deno.readTextFile(front.caFile);
    const client = Deno.createHttpClient({ caCerts: [ca] });
    try {
      for (const host of ["127.0.0.1", "localhost"]) {
        const url = `https://${host}:${portOf(front.endpoint)}/__admin/health`;
        const res = await fetch(url, { client });
        assert.deepEqual(await res.json(), { ok: true }, host);
      }
    } finally {
      client.close();
    }
    // The system roots do not know the test CA.
    await assert.rejects(fetch(`${front.endpoint}/__admin/health`), TypeError);

    // The AWS SDK signs Host 127.0.0.1:FRONT_PORT; the front passes it on unchanged.
    const agent = new https.Agent({ ca });
    const sts = new STSClient({
      endpoint: front.endpoint,
      region: "eu-west-1",
      credentials: ALICE,
      maxAttempts: 1,
      requestHandler: { httpsAgent: agent },
    });
    try {
      const id = await sts.send(new GetCallerIdentityCommand({}));
      assert.equal(id.Arn, ALICE_ARN);
    } finally {
      sts.destroy();
      agent.destroy();
    }
    const [request] = emu.requests();
    assert.equal(request.headers.host, new URL(front.endpoint).host);
    assert.equal(request.authenticated, true);

    // close() ends open connections and removes the certificates.
    const conn = await Deno.connectTls({
      hostname: "127.0.0.1",
      port: portOf(front.endpoint),
      caCerts: [ca],
    });
    await conn.handshake();
    const ended = readToEnd(conn);
    await front.close();
    assert.equal(await ended, "");
    await assertPortClosed(front.endpoint);
    await assert.rejects(Deno.stat(front.caFile), Deno.errors.NotFound);
  }));

Deno.test("TLS front: a self-signed certificate is refused by a client trusting the test CA", () =>
  withEmulator(async (emu) => {
    await using front = await startTlsFront(emu.endpoint, { selfSigned: true });
    const viaCa = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(front.caFile)] });
    try {
      await assert.rejects(fetch(`${front.endpoint}/__admin/health`, { client: viaCa }), TypeError);
      await front.close(); // (re-closing below is harmless)
      assert.equal(front.connections(), 1);
      assert.deepEqual(emu.requests({ includeUnauthenticated: true }), []);
    } finally {
      viaCa.close();
    }
    // Trusting the certificate itself is how a test accepts it.
    await using again = await startTlsFront(emu.endpoint, { selfSigned: true });
    const trusting = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(again.certFile)] });
    try {
      const res = await fetch(`${again.endpoint}/__admin/health`, { client: trusting });
      assert.deepEqual(await res.json(), { ok: true });
    } finally {
      trusting.close();
    }
  }));

/** Minimal shapes of the SDK's HTTP request and response (smithy's HttpHandler contract). */
interface SdkRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

/**
 * An SDK request handler sending through `fetch` with a Deno HTTP client, so the SDK's signed
 * requests can go through a proxy and trust the test CA.
 */
function fetchHandler(client: Deno.HttpClient) {
  return {
    metadata: { handlerProtocol: "http/1.1" },
    async handle(request: SdkRequest) {
      const query = Object.entries(request.query ?? {}).flatMap(([k, v]) =>
        [v ?? []].flat().map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`)
      ).join("&");
      const port = request.port ? `:${request.port}` : "";
      const url = `${request.protocol}//${request.hostname}${port}${request.path}` +
        (query ? `?${query}` : "");
      const res = await fetch(url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        client,
      });
      return {
        response: {
          statusCode: res.status,
          reason: res.statusText,
          headers: Object.fromEntries(res.headers),
          body: new Uint8Array(await res.arrayBuffer()),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

function stsVia(endpoint: string, client: Deno.HttpClient): STSClient {
  return new STSClient({
    endpoint,
    region: "eu-west-1",
    credentials: ALICE,
    maxAttempts: 1,
    requestHandler: fetchHandler(client),
  });
}

Deno.test("proxy: absolute-form http and CONNECT https, with SigV4 verified behind it", () =>
  withEmulator(async (emu) => {
    await using proxy = startConnectProxy();
    await using front = await startTlsFront(emu.endpoint);
    const client = Deno.createHttpClient({
      proxy: { url: proxy.url },
      caCerts: [await Deno.readTextFile(front.caFile)],
    });
    try {
      const health = await fetch(`${emu.endpoint}/__admin/health`, { client });
      assert.deepEqual(await health.json(), { ok: true });
      const id = await stsVia(emu.endpoint, client).send(new GetCallerIdentityCommand({}));
      assert.equal(id.Arn, ALICE_ARN);
      const viaTls = await stsVia(front.endpoint, client).send(
        new GetSessionTokenCommand({
          SerialNumber: emu.mfaSerial("alice"),
          TokenCode: emu.totp("alice"),
        }),
      );
      assert.match(viaTls.Credentials!.AccessKeyId!, /^ASIA/);
    } finally {
      client.close();
    }
    const emuHost = new URL(emu.endpoint).host;
    const frontHost = new URL(front.endpoint).host;
    assert.deepEqual(proxy.requests(), [
      { method: "GET", target: `${emu.endpoint}/__admin/health`, status: 200 },
      { method: "POST", target: `${emu.endpoint}/`, status: 200 },
      { method: "CONNECT", target: frontHost, status: 200 },
    ]);
    // Each request reached the emulator with the Host its client signed.
    assert.deepEqual(emu.requests().map((r) => [r.action, r.headers.host, r.authenticated]), [
      ["GetCallerIdentity", emuHost, true],
      ["GetSessionToken", frontHost, true],
    ]);
  }));

Deno.test("proxy: Basic credentials required (407 otherwise); targets off this machine get 403", () =>
  withEmulator(async (emu) => {
    const credentials = { username: "stc", password: "p@ss:word" };
    await using proxy = startConnectProxy({ credentials });
    await using front = await startTlsFront(emu.endpoint);
    const ca = await Deno.readTextFile(front.caFile);
    const anonymous = Deno.createHttpClient({ proxy: { url: proxy.url }, caCerts: [ca] });
    const wrong = Deno.createHttpClient({
      proxy: { url: proxy.url, basicAuth: { ...credentials, password: "nope" } },
    });
    const authed = Deno.createHttpClient({
      proxy: { url: proxy.url, basicAuth: credentials },
      caCerts: [ca],
    });
    try {
      const denied = await fetch(`${emu.endpoint}/__admin/health`, { client: anonymous });
      assert.equal(denied.status, 407);
      assert.equal(denied.headers.get("proxy-authenticate"), 'Basic realm="stc-test-proxy"');
      await denied.body?.cancel();
      await assert.rejects(fetch(`${front.endpoint}/__admin/health`, { client: anonymous }));
      const badPassword = await fetch(`${emu.endpoint}/__admin/health`, {
        client: wrong,
        method: "POST",
        body: "drained, then refused",
      });
      assert.equal(badPassword.status, 407);
      await badPassword.body?.cancel();

      for (const url of [`${emu.endpoint}/__admin/health`, `${front.endpoint}/__admin/health`]) {
        const res = await fetch(url, { client: authed });
        assert.deepEqual(await res.json(), { ok: true }, url);
      }

      // Never a connection off this machine: refused before any connect.
      const away = await fetch("http://192.0.2.1/x", { client: authed });
      assert.equal(away.status, 403);
      await away.body?.cancel();
      await assert.rejects(fetch("https://192.0.2.1/x", { client: authed }));
    } finally {
      anonymous.close();
      wrong.close();
      authed.close();
    }
    const frontHost = new URL(front.endpoint).host;
    assert.deepEqual(proxy.requests(), [
      { method: "GET", target: `${emu.endpoint}/__admin/health`, status: 407 },
      { method: "CONNECT", target: frontHost, status: 407 },
      { method: "POST", target: `${emu.endpoint}/__admin/health`, status: 407 },
      { method: "GET", target: `${emu.endpoint}/__admin/health`, status: 200 },
      { method: "CONNECT", target: frontHost, status: 200 },
      { method: "GET", target: "http://192.0.2.1/x", status: 403 },
      { method: "CONNECT", target: "192.0.2.1:443", status: 403 },
    ]);
  }));

Deno.test("proxy: close() ends open tunnels", () =>
  withEmulator(async (emu) => {
    const proxy = startConnectProxy();
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: portOf(proxy.url) });
      const emuHost = new URL(emu.endpoint).host;
      await conn.write(
        new TextEncoder().encode(`CONNECT ${emuHost} HTTP/1.1\r\nHost: ${emuHost}\r\n\r\n`),
      );
      const buf = new Uint8Array(1024);
      const n = await conn.read(buf);
      assert.equal(
        new TextDecoder().decode(buf.subarray(0, n!)),
        "HTTP/1.1 200 Connection Established\r\n\r\n",
      );
      const ended = readToEnd(conn);
      await proxy.close();
      assert.equal(await ended, "");
      await assertPortClosed(proxy.url);
    } finally {
      await proxy.close();
    }
  }));
