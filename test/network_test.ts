/**
 * The network layer end to end: the real CLI against stalled, garbage and TLS endpoints and an emulator answering
 * with faults. Every failure is one `stc: error:` line naming the endpoint, exit 5 when AWS could not be reached,
 * within the configured deadlines, and no library line on the terminal; only what can succeed on retry is retried.
 *
 * @module
 */

import assert from "node:assert/strict";
import { makeHome, runStc } from "./helpers.ts";
import {
  type StallMode,
  startConnectProxy,
  startGarbageServer,
  startStalledServer,
  startTlsFront,
} from "./net_fixtures.ts";
import {
  ALICE_KEY,
  ALICE_SECRET,
  aliceHome,
  assertFailure,
  type DisposableEmulator,
  emulated,
  freshCode,
  snapshot,
} from "./session_fixture.ts";
import { ALICE, PROFILE, withWorld } from "./rotate_world.ts";

const FAST = { STC_CONNECT_TIMEOUT: "1", STC_REQUEST_TIMEOUT: "2" };
const UNREACHABLE_HINT =
  "hint: check the network, a proxy, or the AWS_ENDPOINT_URL* settings; STC_CONNECT_TIMEOUT and STC_REQUEST_TIMEOUT set the deadlines\n";

async function verifyAt(endpoint: string, extra: Record<string, string> = {}) {
  await using home = await makeHome();
  const started = performance.now();
  const result = await runStc(["session", "-v"], {
    env: {
      ...home.env,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: ALICE_KEY,
      AWS_SECRET_ACCESS_KEY: ALICE_SECRET,
      ...extra,
    },
  });
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

const STALLS: [StallMode, string][] = [
  ["accept-silent", "no answer within 1 s (STC_CONNECT_TIMEOUT)"],
  ["http-silent", "no answer within 1 s (STC_CONNECT_TIMEOUT)"],
  ["slow-drip", "no complete answer within 2 s (STC_REQUEST_TIMEOUT)"],
];

for (const [mode, reason] of STALLS) {
  Deno.test(`a ${mode} endpoint ends the command within its deadline, exit 5, once, no library line`, async () => {
    await using server = startStalledServer(mode, { intervalMs: 200 });
    const host = new URL(server.endpoint).host;
    const result = await verifyAt(server.endpoint, FAST);
    assertFailure(result, 5);
    assert.equal(
      result.stderr,
      `stc: error: GetCallerIdentity: AWS could not be reached at ${host}: ${reason}\n` +
        UNREACHABLE_HINT,
    );
    assert.equal(server.connections(), 1, "a stalled endpoint is not retried");
    // Start-up of stc from source takes a few seconds under load; the deadline itself is 1 or 2 s.
    assert.ok(result.seconds < 15, `${result.seconds} s`);
  });
}

Deno.test("a stalled `stc session` changes no file", async () => {
  await using server = startStalledServer("http-silent");
  await using home = await aliceHome();
  const before = await snapshot(home);
  const result = await runStc(["session", "123456"], {
    env: { ...home.env, AWS_ENDPOINT_URL: server.endpoint, ...FAST },
  });
  assertFailure(result, 5);
  assert.match(
    result.stderr,
    /^stc: error: GetCallerIdentity: AWS could not be reached at 127\.0\.0\.1:\d+: no answer within 1 s/,
  );
  assert.deepEqual(await snapshot(home), before);
});

Deno.test("STC_CONNECT_TIMEOUT and STC_REQUEST_TIMEOUT must be seconds: exit 2", async () => {
  await using server = startStalledServer("accept-silent");
  const result = await verifyAt(server.endpoint, { STC_REQUEST_TIMEOUT: "5m" });
  assertFailure(result, 2);
  assert.match(
    result.stderr,
    /^stc: error: STC_REQUEST_TIMEOUT must be a number of seconds between 0 and 3600\n/,
  );
  assert.equal(server.connections(), 0);
});

Deno.test("an endpoint answering garbage: not an AWS answer, which endpoint, exit 5", async () => {
  await using ok = startGarbageServer();
  const result = await verifyAt(ok.endpoint, FAST);
  assertFailure(result, 5);
  const host = new URL(ok.endpoint).host;
  assert.equal(
    result.stderr.split("\n")[0],
    `stc: error: GetCallerIdentity: the answer at ${host} (HTTP 200) was not an AWS answer`,
  );
  assert.ok(!/XML|Deserialization|@aws-sdk/.test(result.stderr), result.stderr);
  assert.equal(ok.requests().length, 1, "a readable answer is not retried");

  // A gateway error page is a 5xx: retried as AWS's would be, then the same verdict.
  await using failing = startGarbageServer({ status: 502, body: "<html>Bad Gateway</html>" });
  const bad = await verifyAt(failing.endpoint, FAST);
  assertFailure(bad, 5);
  assert.match(bad.stderr, /\(HTTP 502\) was not an AWS answer after 3 attempts\n/);
  assert.equal(failing.requests().length, 3);
});

Deno.test("an untrusted certificate (unknown CA, self-signed): exit 5 with the TLS reason", async () => {
  await using emulator = await emulated({ quiet: true });
  for (const selfSigned of [false, true]) {
    await using front = await startTlsFront(emulator.endpoint, { selfSigned });
    const result = await verifyAt(front.endpoint, FAST);
    assertFailure(result, 5);
    const host = new URL(front.endpoint).host;
    assert.match(
      result.stderr,
      new RegExp(
        `^stc: error: GetCallerIdentity: AWS could not be reached at ${
          host.replace(".", "\\.")
        }: TLS failed: [^\\n]*(certificate|UnknownIssuer)`,
        "i",
      ),
    );
    assert.match(result.stderr, /\nhint: the endpoint's certificate is not trusted/);
    assert.equal(front.connections(), 1, "a TLS failure is not retried");
  }
});

Deno.test("errors no retry can fix are not retried (clock skew corrected or not)", async () => {
  await using emulator = await emulated({ quiet: true });
  const cases: [string, number, string, number][] = [
    ["ExpiredToken", 400, "The security token included in the request is expired", 3],
    ["InvalidClientTokenId", 403, "The security token included in the request is invalid.", 4],
    ["SignatureDoesNotMatch", 403, "The request signature we calculated does not match", 4],
    ["AccessDenied", 403, "User: x is not authorized to perform: sts:GetCallerIdentity", 1],
  ];
  // An emulator clock 10 minutes ahead (the SDK corrects from 5, the server refuses from 15) makes the SDK
  // correct its clock on an answer: its standard strategy then retries whatever the error was.
  for (const offset of [0, 600]) {
    emulator.setClockOffset(offset);
    for (const [code, status, message, exit] of cases) {
      emulator.injectFault({
        action: "GetCallerIdentity",
        kind: "error",
        count: 5,
        status,
        code,
        message,
      });
      const before = emulator.calls("GetCallerIdentity");
      const result = await verifyAt(emulator.endpoint);
      assertFailure(result, exit);
      assert.ok(!result.stderr.includes("retrying"), `${code}, offset ${offset}: ${result.stderr}`);
      assert.equal(emulator.calls("GetCallerIdentity") - before, 1, `${code}, offset ${offset}`);
      emulator.clearFaults();
    }
  }
});

Deno.test("500 and throttling outlasting the retries: exit 5 after the attempts", async () => {
  await using emulator = await emulated({ quiet: true });
  for (const kind of ["500", "throttle"] as const) {
    emulator.injectFault({ action: "GetCallerIdentity", kind, count: 3 });
    const result = await verifyAt(emulator.endpoint);
    assertFailure(result, 5);
    assert.equal(result.stderr.split("\n").filter((l) => l.includes("retrying")).length, 2);
    assert.match(result.stderr, /after 3 attempts\)\nhint: AWS is busy or failing just now/);
    assert.deepEqual(emulator.faults(), []);
  }
});

Deno.test("a clock-skew error is retried once the clock is corrected, and then succeeds", async () => {
  await using emulator = await emulated({ quiet: true });
  emulator.setClockOffset(3600);
  const result = await verifyAt(emulator.endpoint);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stderr,
    /^stc: GetCallerIdentity: SignatureDoesNotMatch; retrying \(attempt 2\)…\n/,
  );
});

Deno.test("AWS_CA_BUNDLE: a TLS endpoint signed by that CA is trusted; a missing file is a clear error", async () => {
  await using emulator = await emulated({ quiet: true });
  await using front = await startTlsFront(emulator.endpoint);
  const trusted = await verifyAt(front.endpoint, { ...FAST, AWS_CA_BUNDLE: front.caFile });
  assert.equal(trusted.code, 0, trusted.stderr);
  assert.match(trusted.stderr, /^stc: valid: arn:aws:iam::111111111111:user\/alice/);

  const missing = await verifyAt(front.endpoint, { AWS_CA_BUNDLE: `${front.caFile}.nope` });
  assertFailure(missing, 1);
  assert.match(
    missing.stderr,
    /^stc: error: AWS_CA_BUNDLE: cannot read the certificate file: no such file\nhint: /,
  );
  const notPem = await verifyAt(front.endpoint, { AWS_CA_BUNDLE: "/dev/null" });
  assertFailure(notPem, 1);
  assert.match(
    notPem.stderr,
    /^stc: error: AWS_CA_BUNDLE: cannot read the certificate file: not a regular file/,
  );
});

Deno.test("HTTPS_PROXY and HTTP_PROXY carry every AWS call; NO_PROXY hosts go direct", async () => {
  await using emulator = await emulated({ quiet: true });
  await using front = await startTlsFront(emulator.endpoint);
  await using proxy = startConnectProxy();
  const frontHost = new URL(front.endpoint).host;
  const viaProxy = { ...FAST, AWS_CA_BUNDLE: front.caFile, HTTPS_PROXY: proxy.url };
  const tunnelled = await verifyAt(front.endpoint, viaProxy);
  assert.equal(tunnelled.code, 0, tunnelled.stderr);
  assert.deepEqual(proxy.requests(), [{ method: "CONNECT", target: frontHost, status: 200 }]);

  const forwarded = await verifyAt(emulator.endpoint, { ...FAST, HTTP_PROXY: proxy.url });
  assert.equal(forwarded.code, 0, forwarded.stderr);
  // (The status of a forwarded request is recorded once the proxy has passed the answer on: not awaited here.)
  assert.deepEqual(proxy.requests().slice(1).map((r) => [r.method, r.target]), [
    ["POST", `${emulator.endpoint}/`],
  ]);

  for (const noProxy of ["127.0.0.1", "example.com,127.0.0.0/8"]) {
    const direct = await verifyAt(front.endpoint, { ...viaProxy, NO_PROXY: noProxy });
    assert.equal(direct.code, 0, direct.stderr);
    assert.equal(proxy.requests().length, 2, `NO_PROXY=${noProxy}: reached directly`);
  }

  // The lower-case spelling, as curl and the AWS CLI accept it.
  const lower = await verifyAt(front.endpoint, {
    ...FAST,
    AWS_CA_BUNDLE: front.caFile,
    https_proxy: proxy.url,
  });
  assert.equal(lower.code, 0, lower.stderr);
  assert.equal(proxy.requests().length, 3);
});

Deno.test("a proxy that wants credentials: exit 5 saying so; credentials in HTTPS_PROXY work, never shown", async () => {
  await using emulator = await emulated({ quiet: true });
  await using front = await startTlsFront(emulator.endpoint);
  const credentials = { username: "stc", password: "pr0xy-S3cret" };
  await using proxy = startConnectProxy({ credentials });
  const base = { ...FAST, AWS_CA_BUNDLE: front.caFile };
  const anonymous = await verifyAt(front.endpoint, { ...base, HTTPS_PROXY: proxy.url });
  assertFailure(anonymous, 5);
  assert.match(
    anonymous.stderr,
    /^stc: error: GetCallerIdentity: AWS could not be reached at 127\.0\.0\.1:\d+: the proxy failed: proxy authentication required\n/,
  );
  const withCredentials = new URL(proxy.url);
  withCredentials.username = credentials.username;
  withCredentials.password = credentials.password;
  const authed = await verifyAt(front.endpoint, { ...base, HTTPS_PROXY: withCredentials.href });
  assert.equal(authed.code, 0, authed.stderr);
  assert.deepEqual(proxy.requests().map((r) => r.status), [407, 200]);
  // A proxy that is not there: the error does not show its URL (and so no credentials in it).
  const gone = `http://${credentials.username}:${credentials.password}@127.0.0.1:1`;
  const refused = await verifyAt(front.endpoint, { ...base, HTTPS_PROXY: gone });
  assertFailure(refused, 5);
  for (const result of [anonymous, authed, refused]) {
    assert.ok(!result.stderr.includes(credentials.password), result.stderr);
  }
});

/** `stc session CODE` for alice's profile `awsops` with `profileLines` in its config section; no endpoint in env. */
async function sessionWithProfile(
  emulator: DisposableEmulator,
  profileLines: string,
  extraConfig = "",
  env: Record<string, string> = {},
) {
  await using home = await aliceHome(
    `[default]\nsession_tool_default_profile = awsops\n[profile awsops]\n${profileLines}\n${extraConfig}`,
  );
  return await runStc(["session", freshCode(emulator)], {
    env: { ...home.env, ...FAST, AWS_EC2_METADATA_DISABLED: "true", ...env },
  });
}

Deno.test("endpoint_url of sts and iam in a [services] section sends the calls there", async () => {
  await using emulator = await emulated({ quiet: true });
  const services = `[services emu]\nsts =\n  endpoint_url = ${emulator.endpoint}\n` +
    `iam =\n  endpoint_url = ${emulator.endpoint}\n`;
  const before = emulator.calls("GetSessionToken");
  const result = await sessionWithProfile(emulator, "services = emu", services);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(emulator.calls("GetSessionToken") - before, 1);

  // The environment's endpoint wins over the profile's: a dead AWS_ENDPOINT_URL_STS is where the call goes.
  await using dead = startStalledServer("accept-silent");
  const overridden = await sessionWithProfile(emulator, "services = emu", services, {
    AWS_ENDPOINT_URL_STS: dead.endpoint,
  });
  assertFailure(overridden, 5);
  assert.match(
    overridden.stderr,
    new RegExp(`at ${new URL(dead.endpoint).host.replace(".", "\\.")}`),
  );

  // The profile's own endpoint_url serves every service without a [services] entry.
  const global = await sessionWithProfile(emulator, `endpoint_url = ${emulator.endpoint}`);
  assert.equal(global.code, 0, global.stderr);
});

Deno.test("ca_bundle in the profile: trusted like AWS_CA_BUNDLE; without it the TLS front fails with exit 5", async () => {
  await using emulator = await emulated({ quiet: true });
  await using front = await startTlsFront(emulator.endpoint);
  const untrusted = await sessionWithProfile(emulator, `endpoint_url = ${front.endpoint}`);
  assertFailure(untrusted, 5);
  assert.match(untrusted.stderr, /TLS failed/);

  const trusted = await sessionWithProfile(
    emulator,
    `endpoint_url = ${front.endpoint}\nca_bundle = ${front.caFile}`,
  );
  assert.equal(trusted.code, 0, trusted.stderr);

  const missing = await sessionWithProfile(
    emulator,
    `endpoint_url = ${front.endpoint}\nca_bundle = ${front.caFile}.nope`,
  );
  assertFailure(missing, 1);
  assert.match(
    missing.stderr,
    /^stc: error: ca_bundle in profile 'awsops': cannot read the certificate file: no such file\nhint: set ca_bundle in profile 'awsops' to a PEM file/,
  );
});

Deno.test("HTTPS_PROXY carries calls to a profile's endpoint_url; NO_PROXY for its host goes direct", async () => {
  await using emulator = await emulated({ quiet: true });
  await using front = await startTlsFront(emulator.endpoint);
  await using proxy = startConnectProxy();
  const lines = `endpoint_url = ${front.endpoint}\nca_bundle = ${front.caFile}`;
  const proxied = await sessionWithProfile(emulator, lines, "", { HTTPS_PROXY: proxy.url });
  assert.equal(proxied.code, 0, proxied.stderr);
  const tunnels = proxy.requests().length;
  assert.ok(
    tunnels >= 2,
    "GetCallerIdentity, ListMFADevices, GetSessionToken went through the proxy",
  );
  assert.ok(proxy.requests().every((r) => r.method === "CONNECT"));
  const direct = await sessionWithProfile(emulator, lines, "", {
    HTTPS_PROXY: proxy.url,
    NO_PROXY: "127.0.0.1",
  });
  assert.equal(direct.code, 0, direct.stderr);
  assert.equal(proxy.requests().length, tunnels, "none for a NO_PROXY host");
});

Deno.test("stc rotate sends IAM calls where the profile's [services] section says IAM is", async () => {
  await withWorld(ALICE, async (world) => {
    const { AWS_ENDPOINT_URL: _, ...env } = world.env;
    await world.home.write(
      ".aws/config",
      `[default]\nsession_tool_default_profile = ${PROFILE}\n[profile ${PROFILE}]\nservices = emu\n` +
        `[services emu]\niam =\n  endpoint_url = ${world.emu.endpoint}\n` +
        `sts =\n  endpoint_url = ${world.emu.endpoint}\n`,
    );
    const result = await runStc(["rotate", "-n"], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(world.emu.calls("CreateAccessKey"), 1);
    assert.equal(world.emu.calls("DeleteAccessKey"), 1);
  });
});
