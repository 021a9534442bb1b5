/**
 * `stc doctor` against good and broken set-ups, through the real CLI: wrong file modes, a skewed emulator clock, an
 * untrusted TLS endpoint (and the CA that fixes it, from the environment or the profile), a silent endpoint, a
 * proxy; each reported on its line with the right fix, exit 0 only when what the profile needs works.
 *
 * @module
 */

import assert from "node:assert/strict";
import { type RunResult, runStc, type TempHome } from "./helpers.ts";
import { startConnectProxy, startStalledServer, startTlsFront } from "./net_fixtures.ts";
import { ALICE_KEY, ALICE_SECRET, aliceHome, emulated } from "./session_fixture.ts";
import { agentWorld } from "./agent_world.ts";

const MFA = "mfa_serial = arn:aws:iam::111111111111:mfa/alice";

/** alice's home with modes as stc makes them, and `profileLines` in `[profile awsops]`. */
async function goodHome(profileLines = MFA): Promise<TempHome> {
  const home = await aliceHome(
    `[default]\nsession_tool_default_profile = awsops\n[profile awsops]\n${profileLines}\n`,
  );
  await Deno.chmod(home.aws, 0o700);
  return home;
}

async function doctor(
  home: TempHome,
  env: Record<string, string>,
  args: string[] = [],
): Promise<RunResult & { seconds: number; lines: string[] }> {
  const started = performance.now();
  const result = await runStc(["doctor", ...args], {
    env: { ...home.env, AWS_EC2_METADATA_DISABLED: "true", ...env },
  });
  return {
    ...result,
    seconds: (performance.now() - started) / 1000,
    lines: result.stdout.split("\n"),
  };
}

/** The line of check `id` and the fix line under it, if any. */
function check(result: { lines: string[] }, id: string): { line: string; fix?: string } {
  const index = result.lines.findIndex((l) => l.slice(2).startsWith(`${id}: `));
  assert.ok(index >= 0, `no line for ${id}:\n${result.lines.join("\n")}`);
  const next = result.lines[index + 1] ?? "";
  return {
    line: result.lines[index],
    ...(next.startsWith("    fix: ") ? { fix: next.slice(9) } : {}),
  };
}

function assertNoSecret(result: RunResult): void {
  assert.ok(!result.stdout.includes(ALICE_SECRET) && !result.stderr.includes(ALICE_SECRET));
  assert.ok(!result.stdout.includes(ALICE_KEY), "the key id is shown masked");
}

Deno.test("doctor: a good set-up against the emulator passes, exit 0, key masked", async () => {
  await using emulator = await emulated({ quiet: true });
  await using home = await goodHome();
  const result = await doctor(home, {
    ...emulator.env(),
    STC_EVAL_SHELL: "bash",
    STC_EVAL_MARK: "doctor-test-mark",
  });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.equal(result.stderr, "");
  assertNoSecret(result);
  assert.match(check(result, "key").line, /^✓ key: access key AKIA…KEY1$/);
  assert.match(check(result, "shell").line, /^✓ shell: the stc function is loaded \(bash\)$/);
  assert.match(
    check(result, "profile").line,
    /^✓ profile: awsops \(from session_tool_default_profile in \[default\]\)$/,
  );
  assert.match(
    check(result, "endpoint.sts").line,
    new RegExp(`^✓ endpoint\\.sts: ${emulator.endpoint} \\(from AWS_ENDPOINT_URL\\)$`),
  );
  assert.match(
    check(result, "reach.sts").line,
    /^✓ reach\.sts: 127\.0\.0\.1:\d+: TCP \d+ ms, HTTP \d+ \d+ ms$/,
  );
  assert.match(check(result, "clock").line, /^✓ clock: /);
  // Nothing is signed or called: the probes are unauthenticated GETs.
  assert.equal(emulator.requests().length, 0);
  console.log(`doctor (good set-up, emulator): ${result.seconds.toFixed(2)} s`);
});

Deno.test("doctor: wrong modes of ~/.aws, the credentials file and a stored session, each with its chmod", async () => {
  await using home = await goodHome();
  await Deno.chmod(home.aws, 0o755);
  await Deno.chmod(`${home.aws}/credentials`, 0o644);
  const stored = await home.write(".aws/awsops.session.age", "age\n", 0o644);
  const result = await doctor(home, {}, ["--offline"]);
  assert.equal(result.code, 1);
  assert.equal(
    result.stderr,
    "stc: error: 3 check(s) failed: files.awsdir, files.credentials, files.sessions\n" +
      "hint: each ✗ line says what to do\n",
  );
  assert.deepEqual(check(result, "files.awsdir").fix, `chmod 700 ${home.aws}`);
  assert.match(check(result, "files.credentials").line, /is 0644: other users can read your keys$/);
  assert.equal(check(result, "files.credentials").fix, `chmod 600 ${home.aws}/credentials`);
  assert.equal(check(result, "files.sessions").fix, `chmod 600 ${stored}`);
  assert.match(check(result, "reach").line, /^- reach: network checks skipped \(--offline\)$/);
  assertNoSecret(result);
});

Deno.test("doctor: no profile, or one without a key, is reported with the import to run", async () => {
  await using home = await goodHome();
  await home.write(".aws/credentials", "", 0o600);
  const keyless = await doctor(home, {}, ["--offline"]);
  assert.equal(keyless.code, 1);
  assert.match(check(keyless, "key").line, /^✗ key: profile 'awsops' has no access key$/);
  assert.equal(check(keyless, "key").fix, "import one: stc import -p awsops FILE.csv");
  await home.write(".aws/config", "");
  const none = await doctor(home, {}, ["--offline"]);
  assert.match(check(none, "profile").line, /^✗ profile: no profile selected$/);
});

Deno.test("doctor: a skewed clock fails with the NTP fix", async () => {
  await using emulator = await emulated({ quiet: true });
  await using home = await goodHome();
  emulator.setClockOffset(1800);
  const result = await doctor(home, emulator.env());
  assert.equal(result.code, 1, result.stdout);
  const clock = check(result, "clock");
  assert.match(clock.line, /^✗ clock: this host's clock is 1[78]\d\d s behind 127\.0\.0\.1:\d+$/);
  assert.match(clock.fix ?? "", /^set the clock right \(NTP/);
  assert.match(result.stderr, /^stc: error: 1 check\(s\) failed: clock\n/);
});

Deno.test("doctor: an untrusted TLS endpoint fails at the handshake with the CA fix; AWS_CA_BUNDLE or ca_bundle fixes it", async () => {
  await using emulator = await emulated({ quiet: true });
  await using front = await startTlsFront(emulator.endpoint);
  const env = {
    AWS_ENDPOINT_URL: front.endpoint,
    STC_FEDERATION_ENDPOINT: `${emulator.endpoint}/federation`,
  };
  await using home = await goodHome();
  const untrusted = await doctor(home, env);
  assert.equal(untrusted.code, 1, untrusted.stdout);
  const reach = check(untrusted, "reach.sts");
  assert.match(
    reach.line,
    /^✗ reach\.sts: 127\.0\.0\.1:\d+: TCP \d+ ms, TLS failed after \d+ ms: TLS failed: /,
  );
  assert.match(reach.fix ?? "", /set AWS_CA_BUNDLE \(or ca_bundle in the profile\)/);

  const withEnv = await doctor(home, { ...env, AWS_CA_BUNDLE: front.caFile });
  assert.equal(withEnv.code, 0, withEnv.stdout);
  assert.match(
    check(withEnv, "reach.sts").line,
    /^✓ reach\.sts: 127\.0\.0\.1:\d+: TCP \d+ ms, TLS \d+ ms, HTTP \d+ \d+ ms$/,
  );
  assert.match(check(withEnv, "ca").line, /\(AWS_CA_BUNDLE\): 1 certificate\(s\)/);

  await using profileHome = await goodHome(`${MFA}\nca_bundle = ${front.caFile}`);
  const withProfile = await doctor(profileHome, env);
  assert.equal(withProfile.code, 0, withProfile.stdout);
  assert.match(check(withProfile, "ca").line, /\(ca_bundle in profile 'awsops'\)/);
});

Deno.test("doctor: a silent endpoint ends within STC_CONNECT_TIMEOUT; --json says which check failed", async () => {
  await using silent = startStalledServer("accept-silent");
  await using home = await goodHome();
  const result = await doctor(home, {
    AWS_ENDPOINT_URL_STS: silent.endpoint,
    AWS_ENDPOINT_URL: "http://127.0.0.1:1",
    STC_FEDERATION_ENDPOINT: "http://127.0.0.1:1/federation",
    STC_CONNECT_TIMEOUT: "1",
  }, ["--json"]);
  assert.equal(result.code, 1);
  const report = JSON.parse(result.stdout) as {
    ok: boolean;
    checks: { id: string; status: string; detail: string; fix?: string }[];
  };
  assert.equal(report.ok, false);
  const sts = report.checks.find((c) => c.id === "reach.sts")!;
  assert.equal(sts.status, "fail");
  assert.match(
    sts.detail,
    /HTTP failed after 1\d{3} ms: no answer within 1 s \(STC_CONNECT_TIMEOUT\)/,
  );
  // IAM is not needed with mfa_serial set, sign-in only by stc console: refused, but only worth knowing.
  assert.equal(report.checks.find((c) => c.id === "reach.iam")?.status, "warn");
  assert.equal(report.checks.find((c) => c.id === "reach.signin")?.status, "warn");
  assert.ok(result.seconds < 15, `${result.seconds} s`);
  console.log(`doctor (silent STS endpoint, 1 s deadline): ${result.seconds.toFixed(2)} s`);
});

Deno.test("doctor: HTTPS_PROXY is shown without its credentials and carries the probe; NO_PROXY hosts go direct", async () => {
  await using emulator = await emulated({ quiet: true });
  await using front = await startTlsFront(emulator.endpoint);
  const credentials = { username: "stc", password: "pr0xy-S3cret" };
  await using proxy = startConnectProxy({ credentials });
  const url = new URL(proxy.url);
  url.username = credentials.username;
  url.password = credentials.password;
  await using home = await goodHome(`${MFA}\nca_bundle = ${front.caFile}`);
  const env = {
    AWS_ENDPOINT_URL: front.endpoint,
    STC_FEDERATION_ENDPOINT: `${front.endpoint}/federation`,
    HTTPS_PROXY: url.href,
  };
  const result = await doctor(home, env);
  assert.equal(result.code, 0, result.stdout);
  assert.ok(!result.stdout.includes(credentials.password));
  assert.match(
    check(result, "proxy").line,
    /sts http:\/\/127\.0\.0\.1:\d+ \(with credentials\) \(HTTPS_PROXY\)/,
  );
  assert.match(
    check(result, "reach.sts").line,
    /via proxy http:\/\/127\.0\.0\.1:\d+ \(with credentials\): HTTP \d+/,
  );
  const tunnels = proxy.requests().length;
  assert.ok(tunnels >= 1);
  const direct = await doctor(home, { ...env, NO_PROXY: "127.0.0.0/8" });
  assert.equal(direct.code, 0, direct.stdout);
  assert.equal(
    proxy.requests().length,
    tunnels,
    "no request through the proxy for a NO_PROXY host",
  );
  assert.match(check(direct, "reach.sts").line, /: TCP \d+ ms, TLS \d+ ms, HTTP/);
});

Deno.test("doctor: hostile values from the environment and files reach the terminal escaped", async () => {
  await using home = await goodHome(`${MFA}\nservices = evil\x1b[31m`);
  const result = await doctor(home, {
    AWS_REGION: "eu-west-1\x1b]0;PWNED\x07",
    NO_PROXY: "a.example,\u202eevil",
    HTTPS_PROXY: "http://u:s3cr3t@127.0.0.1:1",
  }, ["--offline"]);
  const output = result.stdout + result.stderr;
  assert.ok(!["\x1b", "\x07", "\u202e"].some((c) => output.includes(c)), output);
  assert.match(check(result, "region").line, /eu-west-1\\x1b\]0;PWNED\\x07/);
  assert.match(check(result, "proxy").line, /NO_PROXY a\.example,\\u\{202e\}evil/);
  assert.ok(!output.includes("s3cr3t"));
});

Deno.test("doctor: the session agent, when one runs; off or absent is skipped", async () => {
  await using w = await agentWorld();
  const none = await runStc(["doctor", "--offline"], { env: w.terminal() });
  assert.match(none.stdout, /^- agent: not running \(socket .*agent\.sock\)$/m);
  await w.session();
  const running = await runStc(["doctor", "--offline"], { env: w.terminal() });
  assert.match(
    running.stdout,
    /^✓ agent: running \(pid \d+\) at .*agent\.sock, 1 base session\(s\)$/m,
  );
  const off = await runStc(["doctor", "--offline"], { env: w.terminal({ STC_AGENT: "off" }) });
  assert.match(off.stdout, /^- agent: off \(STC_AGENT=off\)$/m);
});
