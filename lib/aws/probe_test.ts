import assert from "node:assert/strict";
import { probeEndpoint } from "./probe.ts";
import { startStalledServer, startTlsFront } from "../../test/net_fixtures.ts";
import { startEmulator } from "../../test/emulator/server.ts";

const FAST = { STC_CONNECT_TIMEOUT: "0.3", STC_REQUEST_TIMEOUT: "0.8" };
/** Deadlines for endpoints that do answer: a TLS handshake on a loaded machine may take longer than 0.3 s. */
const ANSWERING = { STC_CONNECT_TIMEOUT: "10", STC_REQUEST_TIMEOUT: "20" };

Deno.test("probeEndpoint: TCP and HTTP timed, the clock offset from Date", async () => {
  const emulator = await startEmulator({ quiet: true });
  try {
    emulator.setClockOffset(-600);
    const result = await probeEndpoint(emulator.endpoint, ANSWERING);
    assert.equal(result.ok, true);
    assert.deepEqual(result.steps.map((s) => s.step), ["tcp", "http"]);
    assert.ok(result.steps[1].status! >= 200);
    assert.ok(Math.abs(result.clockOffsetSeconds! + 600) <= 2, `${result.clockOffsetSeconds}`);
  } finally {
    await emulator.close();
  }
});

Deno.test("probeEndpoint: a refused port fails at TCP; a silent TLS endpoint at the handshake, within the deadline", async () => {
  const refused = await probeEndpoint("http://127.0.0.1:1/", FAST);
  assert.equal(refused.ok, false);
  assert.deepEqual(refused.steps.map((s) => [s.step, s.failure?.kind]), [["tcp", "refused"]]);

  await using silent = startStalledServer("accept-silent");
  const started = performance.now();
  const hung = await probeEndpoint(silent.endpoint.replace("http:", "https:"), FAST);
  const ms = performance.now() - started;
  assert.deepEqual(hung.steps.map((s) => [s.step, s.failure?.kind]), [
    ["tcp", undefined],
    ["tls", "connect-timeout"],
  ]);
  assert.match(hung.steps[1].failure!.reason, /^no TLS handshake within 0\.3 s/);
  // Far below a hang, with room for a loaded machine.
  assert.ok(ms < 5000, `${ms} ms`);
});

Deno.test("probeEndpoint: the TLS handshake uses the configured CA; a bad setting is a config failure", async () => {
  const emulator = await startEmulator({ quiet: true });
  try {
    await using front = await startTlsFront(emulator.endpoint);
    const untrusted = await probeEndpoint(front.endpoint, ANSWERING);
    assert.equal(untrusted.steps[1].step, "tls");
    assert.equal(untrusted.steps[1].failure?.kind, "tls");
    const trusted = await probeEndpoint(front.endpoint, {
      ...ANSWERING,
      AWS_CA_BUNDLE: front.caFile,
    });
    assert.equal(trusted.ok, true, JSON.stringify(trusted));
    assert.deepEqual(trusted.steps.map((s) => s.step), ["tcp", "tls", "http"]);
    const bad = await probeEndpoint(front.endpoint, { AWS_CA_BUNDLE: "/nonexistent.pem" });
    assert.deepEqual(bad.steps.map((s) => s.failure?.kind), ["config"]);
    assert.match(bad.steps[0].failure!.reason, /^AWS_CA_BUNDLE: cannot read the certificate file/);
  } finally {
    await emulator.close();
  }
});
