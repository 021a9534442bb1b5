import assert from "node:assert/strict";
import { getSigninToken } from "./federation.ts";
import { ExitCode, StcError } from "../core/errors.ts";
import { type StallMode, startStalledServer, startTlsFront } from "../../test/net_fixtures.ts";
import { startEmulator } from "../../test/emulator/server.ts";

const CREDENTIALS = {
  accessKeyId: "ASIAFEDERATIONTEST01",
  secretAccessKey: "federationTestSecret0123456789abcdefghij",
  sessionToken: "federationTestToken0123456789",
};
const ENV = { STC_CONNECT_TIMEOUT: "0.3", STC_REQUEST_TIMEOUT: "0.8" };
/** Deadlines for endpoints that do answer: a TLS handshake on a loaded machine may take longer than 0.3 s. */
const ANSWERING_ENV = { STC_CONNECT_TIMEOUT: "10", STC_REQUEST_TIMEOUT: "20" };

for (
  const [mode, expected] of [
    ["accept-silent", /: no answer within 0\.3 s \(STC_CONNECT_TIMEOUT\)$/],
    ["http-silent", /: no answer within 0\.3 s \(STC_CONNECT_TIMEOUT\)$/],
    ["slow-drip", /: no complete answer within 0\.8 s \(STC_REQUEST_TIMEOUT\)$/],
  ] as [StallMode, RegExp][]
) {
  Deno.test(`getSigninToken: a ${mode} federation endpoint ends within the deadline (exit 5)`, async () => {
    await using server = startStalledServer(mode, { intervalMs: 50 });
    const started = performance.now();
    const error = await getSigninToken({
      endpoint: `${server.endpoint}/federation`,
      credentials: CREDENTIALS,
      env: ENV,
    }).then(() => assert.fail("a stalled endpoint answered"), (e) => e);
    const elapsed = performance.now() - started;
    assert.ok(error instanceof StcError, String(error));
    assert.equal(error.exitCode, ExitCode.Unreachable);
    assert.match(
      error.message,
      new RegExp(`^the federation endpoint ${new URL(server.endpoint).host} could not be reached`),
    );
    assert.match(error.message, expected);
    assert.equal(error.cause, undefined, "nothing holding the request URL is kept");
    for (const secret of [CREDENTIALS.secretAccessKey, CREDENTIALS.sessionToken]) {
      assert.ok(!JSON.stringify([error.message, error.hint]).includes(secret));
    }
    // Far below a hang, with room for a loaded machine.
    assert.ok(elapsed < 5000, `${elapsed} ms`);
  });
}

Deno.test("getSigninToken: AWS_CA_BUNDLE makes a TLS federation endpoint signed by that CA trusted", async () => {
  const emulator = await startEmulator({ quiet: true });
  try {
    await using front = await startTlsFront(emulator.endpoint);
    const endpoint = `${front.endpoint}/federation`;
    const untrusted = await getSigninToken({
      endpoint,
      credentials: CREDENTIALS,
      env: ANSWERING_ENV,
    }).then(
      () => assert.fail("an untrusted endpoint answered"),
      (e) => e,
    );
    assert.ok(untrusted instanceof StcError);
    assert.equal(untrusted.exitCode, ExitCode.Unreachable);
    assert.match(untrusted.message, /could not be reached: TLS failed: /);
    assert.match(untrusted.hint ?? "", /certificate is not trusted/);
    // Trusted, the request reaches the endpoint, which refuses these made-up credentials.
    await assert.rejects(
      getSigninToken({
        endpoint,
        credentials: CREDENTIALS,
        env: { ...ANSWERING_ENV, AWS_CA_BUNDLE: front.caFile },
      }),
      (e: unknown) => e instanceof StcError && /refused the request \(HTTP 400/.test(e.message),
    );
  } finally {
    await emulator.close();
  }
});
