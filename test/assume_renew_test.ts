/**
 * `stc assume --renew`, what the auto-renew prompt hook of `stc init --auto-renew` runs: the shell's current
 * role again from its MFA session, quietly, never with an MFA code, in one attempt.
 *
 * @module
 */

import assert from "node:assert/strict";
import { evalInBash, runStc } from "./helpers.ts";
import { baseSession, VARIABLES, withBase, world } from "./role_world.ts";
import { assertFailure } from "./session_fixture.ts";

Deno.test("assume --renew renews the current role from the base session, printing nothing", async () => {
  await using w = await world();
  const base = await baseSession(w);
  // The role came from profile awsops (AWS_PROFILE), which the base session belongs to; a role session timeout
  // over an hour, which would take the MFA route, is kept to the hour a renewal can have.
  const result = await runStc(["assume", "--renew"], {
    env: withBase(w, base, {
      AWS_ROLE_ALIAS: "dev-ro",
      AWS_PROFILE: "awsops",
      AWS_ROLE_SESSION_TIMEOUT: "4h",
    }),
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "");
  const vars = await evalInBash(result.stdout, VARIABLES);
  assert.equal(vars.AWS_ROLE_ALIAS, "dev-ro");
  assert.equal(vars.AWS_ACCOUNT_ROLE, "ReadOnly");
  assert.equal(vars.AWS_PROFILE, "awsops");
  assert.match(vars.AWS_ACCESS_KEY_ID!, /^ASIA/);
  const request = w.emulator.requests().filter((r) => r.action === "AssumeRole").at(-1)!;
  assert.equal(request.params.DurationSeconds, "3600");
  assert.equal(request.params.SerialNumber, undefined, "no MFA code");
});

Deno.test("assume --renew never asks for an MFA code: without a base session it exits 3 with what to run", async () => {
  await using w = await world();
  const result = await runStc(["assume", "--renew"], {
    env: { ...w.env, AWS_ROLE_ALIAS: "dev-admin", AWS_PROFILE: "awsops" },
    // A code on stdin is not read: a prompt hook has nobody to ask.
    stdin: `${w.emulator.totp("alice")}\n`,
  });
  assertFailure(result, 3);
  assert.match(
    result.stderr,
    /stc: error: could not renew role 'dev-admin': this shell holds no MFA session of profile 'awsops'/,
  );
  assert.match(result.stderr, /hint: .*'stc session'.*then 'stc assume dev-admin'/);
  assert.equal(w.emulator.calls("AssumeRole") + w.emulator.calls("GetSessionToken"), 0);
});

Deno.test("assume --renew: an expired base session exits 3 naming what to run", async () => {
  await using w = await world();
  w.emulator.setClockOffset(-7200);
  const base = await baseSession(w, 3600);
  w.emulator.setClockOffset(0);
  const result = await runStc(["assume", "--renew"], {
    env: withBase(w, base, { AWS_ROLE_ALIAS: "dev-admin" }),
  });
  assertFailure(result, 3);
  assert.match(result.stderr, /could not renew role 'dev-admin': the base session .* expired/);
  assert.match(
    result.stderr,
    /hint: get a new MFA session with 'stc session' .*'stc assume dev-admin'/,
  );
  assert.equal(w.emulator.calls("AssumeRole"), 0);
});

Deno.test("assume --renew makes one attempt: a prompt waits for one round trip at most", async () => {
  await using w = await world();
  const base = await baseSession(w);
  w.emulator.injectFault({ action: "AssumeRole", kind: "throttle", count: 1 });
  const result = await runStc(["assume", "--renew"], {
    env: withBase(w, base, { AWS_ROLE_ALIAS: "dev-admin" }),
  });
  // Throttling that outlasted the attempts: AWS could not serve the call just now.
  assertFailure(result, 5);
  assert.match(
    result.stderr,
    /could not renew role 'dev-admin': AssumeRole: Rate exceeded \(Throttling\)\n/,
  );
  assert.equal(w.emulator.calls("AssumeRole"), 1);
});

Deno.test("assume --renew takes no alias, code or duration, and needs a current role", async () => {
  await using w = await world();
  const base = await baseSession(w);
  for (const args of [["dev-admin"], ["--mfa", "123456"], ["--duration", "1h"]]) {
    const result = await runStc(["assume", "--renew", ...args], {
      env: withBase(w, base, { AWS_ROLE_ALIAS: "dev-admin" }),
    });
    assertFailure(result, 2);
    assert.match(result.stderr, /--renew takes no alias, MFA code or duration/);
  }
  const none = await runStc(["assume", "--renew"], { env: withBase(w, base) });
  assertFailure(none, 1);
  assert.match(none.stderr, /no role to renew/);
  assert.equal(w.emulator.calls("AssumeRole"), 0);
});
