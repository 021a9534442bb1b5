/**
 * `stc session` (new MFA session, -c, -v, -p) and `stc status`, through the real CLI against the emulator.
 */

import assert from "node:assert/strict";
import { testWith } from "./tools.ts";
import { overlapping } from "./emulator/server.ts";
import { evalInBash, type RunResult, runStc, runStcOnTerminal, type TempHome } from "./helpers.ts";
import {
  ALICE_ARN,
  ALICE_KEY,
  ALICE_SECRET,
  aliceHome,
  assertFailure,
  type DisposableEmulator,
  emulated,
  freshCode,
  snapshot,
} from "./session_fixture.ts";

const SESSION_VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_USER",
  "AWS_USERNAME",
  "AWS_SERIAL",
  "AWS_EXPIRATION",
  "AWS_EXPIRATION_S",
  "AWS_EXPIRATION_LOCAL",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_SESSION_TOOL",
  "AWS_ROLE_ALIAS",
  "STC_BASE_SESSION",
];

/** An emulator, alice's HOME, and a new MFA session made by `stc session`, its output evaluated in bash. */
interface SessionWorld extends AsyncDisposable {
  emulator: DisposableEmulator;
  home: TempHome;
  /** The environment without a session. */
  env: Record<string, string>;
  /** When the session was asked for. */
  before: number;
  /** What `stc session` printed. */
  result: RunResult;
  /** The session variables after evaluating it. */
  vars: Record<string, string | undefined>;
  /** The environment of a shell that evaluated it (as child processes of that shell see it, plus the base). */
  sessionEnv: Record<string, string>;
}

async function newSession(): Promise<SessionWorld> {
  const emulator = await emulated();
  const home = await aliceHome();
  const env = { ...home.env, ...emulator.env() };
  const before = Date.now();
  const result = await runStc(["session", freshCode(emulator)], { env });
  assert.equal(result.code, 0, result.stderr);
  const vars = await evalInBash(result.stdout, SESSION_VARIABLES, { AWS_ROLE_ALIAS: "old" });
  const sessionEnv: Record<string, string> = { ...env };
  for (const [name, value] of Object.entries(vars)) {
    if (value !== undefined) sessionEnv[name] = value;
  }
  return {
    emulator,
    home,
    env,
    before,
    result,
    vars,
    sessionEnv,
    async [Symbol.asyncDispose]() {
      await emulator[Symbol.asyncDispose]();
      await home[Symbol.asyncDispose]();
    },
  };
}

Deno.test("stc session: MFA session with ListMFADevices discovery and all variables", async () => {
  await using w = await newSession();
  const { vars, emulator, home, result } = w;
  assert.match(vars.AWS_ACCESS_KEY_ID!, /^ASIA/);
  assert.equal(vars.AWS_SECRET_ACCESS_KEY!.length, 40);
  assert.ok(vars.AWS_SESSION_TOKEN!.length > 20);
  assert.equal(vars.AWS_PROFILE, "awsops");
  assert.equal(vars.AWS_USER, ALICE_ARN);
  assert.equal(vars.AWS_USERNAME, "alice");
  assert.equal(vars.AWS_SERIAL, emulator.mfaSerial("alice"));
  assert.equal(vars.AWS_ROLE_ALIAS, undefined, "role variables are unset");
  const expiry = Date.parse(vars.AWS_EXPIRATION!);
  // 12 h by default (the emulator clock ran 90 s ahead).
  assert.ok(Math.abs(expiry - w.before - 43_200_000 - 90_000) < 60_000, vars.AWS_EXPIRATION);
  assert.equal(Number(vars.AWS_EXPIRATION_S), expiry / 1000);
  assert.equal(vars.AWS_CREDENTIAL_EXPIRATION, vars.AWS_EXPIRATION);
  assert.match(vars.AWS_EXPIRATION_LOCAL!, /^\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
  assert.match(vars.AWS_SESSION_TOOL!, /main\.ts$|stc$/);
  assert.equal(JSON.parse(vars.STC_BASE_SESSION!).sessionToken, vars.AWS_SESSION_TOKEN);
  // The discovered device is saved for next time.
  assert.match(
    (await home.read(".aws/config"))!,
    /\[profile awsops\]\nmfa_serial = arn:aws:iam::111111111111:mfa\/alice/,
  );
  assert.ok(!result.stderr.includes(vars.AWS_SECRET_ACCESS_KEY!));
});

Deno.test("stc session: the base session is kept for stc but not exported to child processes", async () => {
  await using w = await newSession();
  const probe = await new Deno.Command("bash", {
    args: [
      "-c",
      `eval "$1"; env | grep -c '^STC_BASE_SESSION=' || true; printf '%s' "\${STC_BASE_SESSION:+set}"`,
      "x",
      w.result.stdout,
    ],
    clearEnv: true,
    env: { PATH: w.home.env.PATH },
    stdout: "piped",
  }).output();
  assert.equal(new TextDecoder().decode(probe.stdout), "0\nset");
});

Deno.test("stc status reads the session from the environment; --verify asks AWS; --json for scripts", async () => {
  await using w = await newSession();
  const status = await runStc(["status"], { env: w.sessionEnv });
  assert.equal(status.code, 0, status.stderr);
  assert.match(
    status.stdout,
    /identity: +arn:aws:iam::111111111111:user\/alice \(profile awsops\)/,
  );
  assert.match(status.stdout, /expires: .*\((11h|12h) \d\dm left\)/);
  const json = await runStc(["status", "--json", "--verify"], { env: w.sessionEnv });
  assert.equal(json.code, 0, json.stderr);
  const parsed = JSON.parse(json.stdout);
  assert.equal(parsed.active, true);
  assert.equal(parsed.profile, "awsops");
  assert.equal(parsed.expired, false);
  assert.ok(parsed.secondsLeft > 43_000);
  assert.equal(parsed.verified.arn, ALICE_ARN);
  const none = await runStc(["status", "--json"], { env: w.env });
  assert.equal(JSON.parse(none.stdout).active, false);
});

Deno.test("stc session -v: 0 valid, 3 expired or no session, 4 rejected credentials, 5 unreachable", async () => {
  await using w = await newSession();
  const { env, sessionEnv } = w;
  const valid = await runStc(["session", "-v"], { env: sessionEnv });
  assert.equal(valid.code, 0, valid.stderr);
  assert.match(valid.stderr, /valid: arn:aws:iam::111111111111:user\/alice .*left/);
  assert.equal(valid.stdout, "");
  assertFailure(
    await runStc(["session", "-v"], {
      env: {
        ...env,
        AWS_ACCESS_KEY_ID: "AKIAUNKNOWNKEY000000",
        AWS_SECRET_ACCESS_KEY: "x".repeat(40),
      },
    }),
    4,
  );
  assertFailure(
    await runStc(["session", "-v"], {
      env: { ...sessionEnv, AWS_ENDPOINT_URL: "http://127.0.0.1:9" },
    }),
    5,
  );
  assertFailure(await runStc(["session", "-v"], { env }), 3);
  assertFailure(
    await runStc(["session", "-v"], {
      env: { ...sessionEnv, AWS_EXPIRATION: "2001-01-01T00:00:00Z" },
    }),
    3,
  );
  // Expired on AWS's side (no local expiry to go by).
  w.emulator.advanceClock(13 * 3600);
  const { AWS_EXPIRATION: _, AWS_CREDENTIAL_EXPIRATION: __, ...noLocalExpiry } = sessionEnv;
  assertFailure(await runStc(["session", "-v"], { env: noLocalExpiry }), 3);
});

Deno.test("stc session --shell fish | source leaves status 0 on success (fish)", async () => {
  await using emulator = await emulated();
  await using home = await aliceHome();
  const env = { ...home.env, ...emulator.env() };
  const result = await runStc(["session", "--shell", "fish", freshCode(emulator)], { env });
  assert.equal(result.code, 0, result.stderr);
  const code = await home.write("session.fish", result.stdout);
  // The output unsets role variables this shell never had: erasing a missing variable returns 4 in fish.
  const out = await new Deno.Command("fish", {
    args: [
      "--no-config",
      "-c",
      `cat '${code}' | source; echo "status=$status profile=$AWS_PROFILE"`,
    ],
    env: home.env,
    clearEnv: true,
    stdout: "piped",
  }).output();
  assert.equal(new TextDecoder().decode(out.stdout), "status=0 profile=awsops\n");
});

Deno.test("stc session: --duration, -p remembers the profile, -c clears", async () => {
  await using emulator = await emulated();
  await using home = await aliceHome("[profile awsops]\nregion = eu-west-1\n");
  const env = { ...home.env, ...emulator.env() };
  const result = await runStc(
    ["session", "-p", "awsops", "--duration", "1h", freshCode(emulator)],
    {
      env,
    },
  );
  assert.equal(result.code, 0, result.stderr);
  const vars = await evalInBash(result.stdout, ["AWS_EXPIRATION_S", "STC_BASE_SESSION"]);
  const left = Number(vars.AWS_EXPIRATION_S) - Date.now() / 1000;
  assert.ok(left > 3600 && left < 3600 + 180, String(left));
  assert.equal(JSON.parse(vars.STC_BASE_SESSION!).region, "eu-west-1");
  assert.match(
    (await home.read(".aws/config"))!,
    /\[default\]\nsession_tool_default_profile = awsops\n/,
  );

  for (const bad of ["10", "37h", "1d", "abc"]) {
    assertFailure(await runStc(["session", "--duration", bad, "123456"], { env }), 2);
  }

  const clear = await runStc(["session", "-c"], { env });
  assert.equal(clear.code, 0);
  const cleared = await evalInBash(clear.stdout, SESSION_VARIABLES, {
    AWS_ACCESS_KEY_ID: "ASIAX",
    AWS_SESSION_TOKEN: "t",
    AWS_ROLE_ALIAS: "r",
    STC_BASE_SESSION: "{}",
  });
  for (const name of SESSION_VARIABLES) assert.equal(cleared[name], undefined, name);
});

Deno.test("stc session: failures change neither the shell nor the files", async () => {
  await using emulator = await emulated();
  await using home = await aliceHome();
  const env = { ...home.env, ...emulator.env() };
  const before = await snapshot(home);

  // A wrong code: a valid-looking code from far in the future.
  const wrong = await runStc(["session", emulator.totp("alice", 20)], { env });
  assertFailure(wrong, 1);
  assert.match(wrong.stderr, /MFA code/);
  assert.deepEqual(await snapshot(home), before);

  assertFailure(await runStc(["session", "12345"], { env }), 2);
  const missing = await runStc(["session", "-p", "nosuch", "123456"], { env });
  assertFailure(missing, 1);
  assert.match(missing.stderr, /profile 'nosuch' is not defined in .*\nhint: /);

  // A deleted or unknown key: AWS rejects it before the MFA code is spent.
  await home.write(
    ".aws/credentials",
    `[awsops]\naws_access_key_id = AKIAUNKNOWNKEY000000\naws_secret_access_key = ${
      "y".repeat(40)
    }\n`,
  );
  const invalid = await runStc(["session", freshCode(emulator)], { env });
  assertFailure(invalid, 4);
  assert.ok(!invalid.stderr.includes("y".repeat(40)));
  // The hint names what can help: 'stc status' does not look at keys (it is offline).
  assert.match(invalid.stderr, /hint: .*import a new one with 'stc import'/);
  assert.doesNotMatch(invalid.stderr, /stc status/);

  await home.write(".aws/credentials", "[awsops]\nregion = x\n");
  const nokey = await runStc(["session", "123456"], { env });
  assertFailure(nokey, 1);
  assert.match(nokey.stderr, /has no access key\nhint: import one/);

  await home.write(
    ".aws/credentials",
    `[awsops]\naws_access_key_id = ${ALICE_KEY}\naws_secret_access_key = ${ALICE_SECRET}\n`,
  );
  const snap = await snapshot(home);
  const down = await runStc(["session", "123456"], {
    env: { ...env, AWS_ENDPOINT_URL: "http://127.0.0.1:9" },
  });
  assertFailure(down, 5);
  assert.deepEqual(await snapshot(home), snap);

  // Throttling is retried, visibly, and then succeeds.
  emulator.injectFault({ action: "GetSessionToken", kind: "throttle", count: 2 });
  const throttled = await runStc(["session", freshCode(emulator)], { env });
  assert.equal(throttled.code, 0, throttled.stderr);
  assert.match(throttled.stderr, /retrying/);
});

Deno.test("stc session: several MFA devices are listed and one is chosen", async () => {
  const { defaultFixture } = await import("./emulator/server.ts");
  const fixture = await defaultFixture();
  const alice = fixture.accounts[0].users!.find((u) => u.name === "alice")!;
  alice.mfaDevices = [...alice.mfaDevices!, {
    name: "alice-backup",
    secret: "BACKUPMFASECRETBASE32EMULATORKEY",
  }];
  await using emulator = await emulated({ fixture });
  await using home = await aliceHome();
  const env = { ...home.env, ...emulator.env() };
  const result = await runStc(["session", freshCode(emulator)], { env, stdin: "1\n" });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /has 2 MFA devices/);
  assert.match(
    (await home.read(".aws/config"))!,
    /mfa_serial = arn:aws:iam::111111111111:mfa\/alice\n/,
  );
});

Deno.test("stc session -p with a wrong MFA code remembers nothing; the right one remembers both", async () => {
  await using emulator = await emulated();
  await using home = await aliceHome();
  await home.write(
    ".aws/credentials",
    `[work]\naws_access_key_id = ${ALICE_KEY}\naws_secret_access_key = ${ALICE_SECRET}\n`,
    0o600,
  );
  const env = { ...home.env, ...emulator.env() };
  const before = await snapshot(home);
  const wrong = await runStc(["session", "-p", "work", emulator.totp("alice", 20)], { env });
  assertFailure(wrong, 1);
  assert.deepEqual(await snapshot(home), before, "neither the profile nor mfa_serial is saved");

  const right = await runStc(["session", "-p", "work", freshCode(emulator)], { env });
  assert.equal(right.code, 0, right.stderr);
  const config = (await home.read(".aws/config"))!;
  assert.match(config, /\[default\]\nsession_tool_default_profile = work\n/);
  assert.match(config, /\[profile work\]\nmfa_serial = arn:aws:iam::111111111111:mfa\/alice\n/);
});

Deno.test("stc session: a user without an MFA device gets one error line; files unchanged", async () => {
  await using emulator = await emulated();
  await using home = await aliceHome();
  await home.write(
    ".aws/credentials",
    "[bob]\naws_access_key_id = AKIABOBEXAMPLEKEY001\n" +
      "aws_secret_access_key = bobEmulatorSecretKey+0123456789abcdefghi\n",
    0o600,
  );
  const before = await snapshot(home);
  const result = await runStc(["session", "-p", "bob", "123456"], {
    env: { ...home.env, ...emulator.env() },
  });
  assertFailure(result, 1);
  assert.match(result.stderr, /has no MFA device\nhint: /);
  assert.deepEqual(await snapshot(home), before);
  assert.equal(emulator.calls("GetSessionToken"), 0);
});

Deno.test("stc session: region from AWS_REGION, AWS_DEFAULT_REGION, the profile, else us-east-1", async () => {
  await using emulator = await emulated();
  await using home = await aliceHome("[profile awsops]\nregion = eu-west-1\n");
  const env = { ...home.env, ...emulator.env() };
  const regionOf = async (extra: Record<string, string>, config?: string) => {
    if (config !== undefined) await home.write(".aws/config", config);
    const result = await runStc(["session", "-p", "awsops", freshCode(emulator)], {
      env: { ...env, ...extra },
    });
    assert.equal(result.code, 0, result.stderr);
    const vars = await evalInBash(result.stdout, ["STC_BASE_SESSION"]);
    return JSON.parse(vars.STC_BASE_SESSION!).region;
  };
  assert.equal(await regionOf({}), "eu-west-1");
  assert.equal(
    await regionOf({ AWS_REGION: "eu-north-1", AWS_DEFAULT_REGION: "ap-south-1" }),
    "eu-north-1",
  );
  assert.equal(await regionOf({ AWS_DEFAULT_REGION: "ap-south-1" }), "ap-south-1");
  assert.equal(
    await regionOf({}, "[profile awsops]\nmfa_serial = " + emulator.mfaSerial("alice") + "\n"),
    "us-east-1",
  );
});

await testWith(
  ["script"],
  "stc session refuses to print credentials to a terminal, before spending the code",
  async () => {
    await using emulator = await emulated();
    await using home = await aliceHome();
    const out = await runStcOnTerminal(["session", freshCode(emulator)], {
      ...home.env,
      ...emulator.env(),
    });
    assert.equal(out.code, 1, out.output);
    assert.match(
      out.output,
      /stc: error: refusing to print credentials to a terminal\nhint: .*eval/,
    );
    assert.doesNotMatch(out.output, /ASIA|AWS_SECRET_ACCESS_KEY/);
    assert.equal(emulator.calls("GetSessionToken"), 0);
  },
);

Deno.test("stc status shows the assumed role, the base session and time left", async () => {
  await using emulator = await emulated();
  await using home = await aliceHome();
  await home.write(
    ".aws/awsops_roles.cfg",
    "dev-admin arn:aws:iam::222222222222:role/Admin alice\n",
  );
  const env = { ...home.env, ...emulator.env() };
  const made = await runStc(["session", freshCode(emulator)], { env });
  assert.equal(made.code, 0, made.stderr);
  const names = [...SESSION_VARIABLES, "AWS_ACCOUNT_ID", "AWS_ACCOUNT_ROLE"];
  const session = await evalInBash(made.stdout, names);
  const shellEnv = (vars: Record<string, string | undefined>) => {
    const out: Record<string, string> = { ...env };
    for (const [name, value] of Object.entries(vars)) if (value !== undefined) out[name] = value;
    return out;
  };
  const assumed = await runStc(["assume", "dev-admin"], { env: shellEnv(session) });
  assert.equal(assumed.code, 0, assumed.stderr);
  const role = await evalInBash(made.stdout + assumed.stdout, names);
  const status = await runStc(["status"], { env: shellEnv(role) });
  assert.equal(status.code, 0, status.stderr);
  assert.match(
    status.stdout,
    /identity: +arn:aws:iam::111111111111:user\/alice \(profile awsops\)/,
  );
  assert.match(status.stdout, /role: +Admin in .*222222222222.*\[dev-admin\]/);
  assert.match(status.stdout, /expires: .*\((1h 0\dm|59m \d\ds) left\)/);
  assert.match(status.stdout, /base: +profile awsops, 1[12]h \d\dm left/);

  // --verify asks AWS: the role's credentials expired there → exit 3.
  emulator.advanceClock(2 * 3600);
  const { AWS_EXPIRATION: _, AWS_CREDENTIAL_EXPIRATION: __, ...unknownExpiry } = shellEnv(role);
  assertFailure(await runStc(["status", "--verify"], { env: unknownExpiry }), 3);
});

Deno.test("status --verify and session -v fail alike, exit 3, for missing or expired credentials", async () => {
  await using emulator = await emulated();
  await using home = await aliceHome();
  const env = { ...home.env, ...emulator.env() };
  const expired = {
    ...env,
    AWS_ACCESS_KEY_ID: "ASIAEXPIREDEXAMPLE01",
    AWS_SECRET_ACCESS_KEY: "expiredSecret",
    AWS_SESSION_TOKEN: "expiredToken",
    AWS_EXPIRATION: "2020-01-01T00:00:00Z",
  };
  for (const args of [["status", "--verify"], ["session", "-v"]]) {
    const none = await runStc(args, { env });
    assertFailure(none, 3);
    assert.match(none.stderr, /no AWS credentials in this shell/);
    const old = await runStc(args, { env: expired });
    assertFailure(old, 3);
    assert.match(old.stderr, /expired at/);
  }
  // Known to have expired: AWS is not asked.
  assert.equal(emulator.calls("GetCallerIdentity"), 0);
});

Deno.test("stc session with mfa_serial and a code: GetCallerIdentity and GetSessionToken in one round trip", async () => {
  await using emulator = await emulated();
  await using home = await aliceHome(
    "[default]\nsession_tool_default_profile = awsops\n" +
      "[profile awsops]\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n",
  );
  emulator.setLatency("GetCallerIdentity", 400);
  emulator.setLatency("GetSessionToken", 400);
  const result = await runStc(["session", freshCode(emulator)], {
    env: { ...home.env, ...emulator.env() },
  });
  assert.equal(result.code, 0, result.stderr);
  const calls = emulator.requests().filter((r) => r.service === "sts");
  assert.deepEqual(calls.map((r) => r.action).sort(), ["GetCallerIdentity", "GetSessionToken"]);
  assert.ok(overlapping(calls), "both calls were in flight at once");
  assert.equal(emulator.calls("ListMFADevices"), 0);
});

Deno.test("stc session without mfa_serial: the device is found from the caller first, then the session", async () => {
  await using emulator = await emulated();
  await using home = await aliceHome();
  const result = await runStc(["session", freshCode(emulator)], {
    env: { ...home.env, ...emulator.env() },
  });
  assert.equal(result.code, 0, result.stderr);
  const calls = emulator.requests();
  assert.deepEqual(calls.map((r) => r.action), [
    "GetCallerIdentity",
    "ListMFADevices",
    "GetSessionToken",
  ]);
  for (let i = 1; i < calls.length; i++) assert.ok(calls[i].startedAt >= calls[i - 1].endedAt!);
});

Deno.test("stc session with mfa_serial and a rejected key reports the key, from GetCallerIdentity", async () => {
  await using emulator = await emulated();
  await using home = await aliceHome(
    "[profile awsops]\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n",
  );
  await home.write(
    ".aws/credentials",
    `[awsops]\naws_access_key_id = ${ALICE_KEY}\naws_secret_access_key = wrong${
      ALICE_SECRET.slice(5)
    }\n`,
    0o600,
  );
  const before = await snapshot(home);
  const result = await runStc(["session", "-p", "awsops", freshCode(emulator)], {
    env: { ...home.env, ...emulator.env() },
  });
  assertFailure(result, 4);
  assert.match(result.stderr, /stc: error: GetCallerIdentity/);
  assert.deepEqual(await snapshot(home), before);
});
