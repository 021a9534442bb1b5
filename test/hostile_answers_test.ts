/**
 * Hostile and broken answers and values, through the real CLI against the emulator: AWS error messages built to
 * drive a terminal, credentials no AWS would issue, a broken base session in the shell, secrets echoed back.
 * What reaches the terminal is escaped and redacted; nothing broken is kept or used.
 *
 * @module
 */

import assert from "node:assert/strict";
import { type RunResult, runStc } from "./helpers.ts";
import { baseSession, withBase, type World, world } from "./role_world.ts";
import { assertFailure, snapshot } from "./session_fixture.ts";

/** An AWS error message that retitles the terminal, recolours it, reverses text and hides characters. */
const HOSTILE_MESSAGE =
  "denied \x1b]0;PWNED\x07 \x1b[31mRED\x9b2J \u202eevil\u2066 zero\u200bwidth \\x1b";

/** What must never reach a terminal raw: controls (ESC, BEL, C1, DEL), bidi and other format characters. */
const RAW = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** stderr holds no raw control or format character (line feeds between lines aside) and shows the message escaped. */
function assertEscaped(result: RunResult, what: string): void {
  const lines = result.stderr.split("\n");
  for (const line of lines) {
    assert.ok(!RAW.test(line), `${what}: raw character in ${JSON.stringify(line)}`);
  }
  assert.ok(
    result.stderr.includes("denied \\x1b]0;PWNED\\x07 \\x1b[31mRED\\x9b2J \\u{202e}evil\\u{2066}"),
    `${what}: ${result.stderr}`,
  );
  // A literal backslash-x in the message is shown so that it cannot pass for an escape.
  assert.ok(result.stderr.includes("zero\\u{200b}width \\\\x1b"), `${what}: ${result.stderr}`);
  assert.ok(!result.stdout.includes("\x1b"), `${what}: escape on stdout`);
}

function hostileError(w: World, action: string, count = 1): void {
  w.emulator.injectFault({
    action,
    kind: "error",
    count,
    status: 403,
    code: "AccessDenied",
    message: HOSTILE_MESSAGE,
  });
}

Deno.test("AWS error messages reach the terminal escaped: session, assume, roles --download, console, rotate", async () => {
  await using w = await world();
  const base = await baseSession(w);

  hostileError(w, "GetSessionToken");
  const session = await runStc(["session", w.emulator.totp("alice", 1)], { env: w.env });
  assertFailure(session, 1);
  assertEscaped(session, "session");

  hostileError(w, "AssumeRole");
  const assume = await runStc(["assume", "dev-admin"], { env: withBase(w, base) });
  assertFailure(assume, 1);
  assertEscaped(assume, "assume");

  hostileError(w, "GetObject");
  const download = await runStc(["roles", "--download"], { env: w.env });
  assert.notEqual(download.code, 0, download.stderr);
  assertEscaped(download, "roles --download");

  hostileError(w, "GetFederationToken");
  const console = await runStc(["console", "-", "iam", "--duration", "2h"], { env: w.env });
  assertFailure(console, 1);
  assertEscaped(console, "console");

  hostileError(w, "CreateAccessKey");
  const before = await snapshot(w.home);
  const rotate = await runStc(["rotate", "-n"], { env: w.env });
  assertFailure(rotate, 1);
  assertEscaped(rotate, "rotate");
  assert.deepEqual(await snapshot(w.home), before);
});

Deno.test("secrets a server echoes are redacted: any key in the files, the shell's session, parts of a token", async () => {
  await using w = await world();
  const other = "OtherProfileSecretKey0123456789abcdefghi";
  await w.home.write(
    ".aws/credentials",
    `${await w.home.read(
      ".aws/credentials",
    )}\n[other]\naws_access_key_id = AKIAOTHEREXAMPLEKEY1\n` +
      `aws_secret_access_key = ${other}\n`,
    0o600,
  );
  const base = await baseSession(w);
  const fragment = base.sessionToken.slice(20, 44);
  const echoed = [other, base.secretAccessKey, fragment];
  w.emulator.injectFault({
    action: "AssumeRole",
    kind: "error",
    count: 1,
    status: 403,
    code: "AccessDenied",
    message: `echo ${echoed.join(" and ")} done`,
  });
  const result = await runStc(["assume", "dev-admin"], { env: withBase(w, base) });
  assertFailure(result, 1);
  for (const secret of echoed) assert.ok(!result.stderr.includes(secret), result.stderr);
  assert.match(
    result.stderr,
    /AssumeRole: echo \[redacted\] and \[redacted\] and \[redacted\] done/,
  );
});

Deno.test("credentials no AWS would issue are refused before anything is kept: a 100 KB token, a line feed", async () => {
  await using w = await world();
  // The base session first, with the current code, then stc's with the next one: the other way round, a step
  // boundary in between would make the current code the one already used, a replay.
  const base = await baseSession(w);
  const before = await snapshot(w.home);
  w.emulator.injectFault({
    action: "GetSessionToken",
    kind: "credentials",
    count: 1,
    credentials: { sessionToken: "A".repeat(100 * 1024) },
  });
  const huge = await runStc(["session", w.emulator.totp("alice", 1)], { env: w.env });
  assertFailure(huge, 1);
  assert.match(
    huge.stderr,
    /GetSessionToken answered with credentials stc cannot use: the session token is 102400 characters long \(at most 8192\)/,
  );
  assert.ok(huge.stderr.length < 1000, "the token is not shown");

  w.emulator.injectFault({
    action: "AssumeRole",
    kind: "credentials",
    count: 1,
    credentials: { secretAccessKey: "two\nlines-of-secret-text" },
  });
  const broken = await runStc(["assume", "dev-admin"], { env: withBase(w, base) });
  assertFailure(broken, 1);
  assert.match(
    broken.stderr,
    /AssumeRole answered with credentials stc cannot use: the secret key holds a line feed/,
  );
  assert.ok(!broken.stderr.includes("lines-of-secret"));
  assert.deepEqual(await snapshot(w.home), before);
});

Deno.test("credentials in the shell that break AWS's rules get a clear error, not the HTTP library's", async () => {
  await using w = await world();
  const result = await runStc(["session", "-v"], {
    env: {
      ...w.env,
      AWS_ACCESS_KEY_ID: "ASIAEXAMPLEEXAMPLE01",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYHOSTILE01",
      AWS_SESSION_TOKEN: "IQoJb3JpZ2luX2Vj\nEJr",
    },
  });
  assertFailure(result, 4);
  assert.match(
    result.stderr,
    /GetCallerIdentity: the credentials to sign with are not usable: the session token holds a line feed/,
  );
  assert.doesNotMatch(result.stderr, /Invalid character/);
});

Deno.test("an unreadable STC_BASE_SESSION is said in one warning; assume then asks for an MFA code", async () => {
  await using w = await world();
  const base = await baseSession(w);
  const cases: [string, RegExp][] = [
    ["{broken", /unreadable \(not JSON\)/],
    [
      JSON.stringify({ ...base, sessionToken: "A".repeat(100 * 1024) }),
      /unreadable \(the session token is 102400 characters long \(at most 8192\)\)/,
    ],
  ];
  for (const [value, reason] of cases) {
    const result = await runStc(["assume", "dev-admin"], {
      env: { ...w.env, STC_BASE_SESSION: value },
      stdin: `${w.emulator.totp("alice", 1)}\n`,
    });
    assert.equal(result.code, 0, result.stderr);
    const warnings = result.stderr.split("\n").filter((l) => l.startsWith("stc: warning:"));
    assert.equal(warnings.length, 1, result.stderr);
    assert.match(warnings[0], /the base session in STC_BASE_SESSION is unreadable/);
    assert.match(warnings[0], reason);
    assert.match(result.stderr, /MFA code for /);
    w.emulator.advanceClock(90);
  }
});
