/**
 * MFA codes from a program (`mfa_process`, `STC_MFA_PROCESS`): the real CLI against the emulator, with real
 * programs printing codes, failing, printing nothing or hanging.
 *
 * @module
 */

import assert from "node:assert/strict";
import { runStc } from "./helpers.ts";
import { assertFailure } from "./session_fixture.ts";
import { world } from "./role_world.ts";

Deno.test("mfa_process: the profile's program gives the code of stc session; STC_MFA_PROCESS wins", async () => {
  await using w = await world();
  w.emulator.advanceClock(90);
  const code = w.emulator.totp("alice");
  // Run without a shell: the quoted word is one argument of sh, which prints the code.
  const config = (await w.home.read(".aws/config"))!;
  await w.home.write(".aws/config", `${config}mfa_process = sh -c "printf '%s\\n' ${code}"\n`);
  const session = await runStc(["session"], { env: w.env });
  assert.equal(session.code, 0, session.stderr);
  assert.equal(w.emulator.calls("GetSessionToken"), 1);
  assert.ok(!session.stderr.includes(code), "the code is not shown");

  w.emulator.advanceClock(90);
  const next = w.emulator.totp("alice");
  const fromEnv = await runStc(["session"], {
    env: { ...w.env, STC_MFA_PROCESS: `printf ${next}` },
  });
  assert.equal(fromEnv.code, 0, fromEnv.stderr);
  assert.equal(w.emulator.calls("GetSessionToken"), 2);
});

Deno.test("mfa_process: a failing, silent, wrong or hanging program is one clear error", async () => {
  await using w = await world();
  const cases: [string, Record<string, string>, RegExp][] = [
    ["sh -c 'echo not-a-code-but-private; exit 3'", {}, /failed \(exit status 3\)/],
    ["true", {}, /printed nothing/],
    ["echo hello-private-output", {}, /printed no six-digit code/],
    ["no-such-mfa-program-stc", {}, /'no-such-mfa-program-stc' was not found/],
    ["sleep 30", { STC_MFA_PROCESS_TIMEOUT: "0.5" }, /gave no code within 0.5 s/],
  ];
  for (const [program, extra, expected] of cases) {
    const result = await runStc(["session"], {
      env: { ...w.env, STC_MFA_PROCESS: program, ...extra },
    });
    assertFailure(result, 1);
    assert.match(result.stderr, /stc: error: the MFA program \(STC_MFA_PROCESS\) /);
    assert.match(result.stderr, expected);
    assert.ok(!result.stderr.includes("private"), "the program's output is never shown");
  }
  assert.equal(w.emulator.calls("GetSessionToken"), 0);
});
