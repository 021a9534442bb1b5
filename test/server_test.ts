/**
 * The credential server (`stc exec --server`, `stc serve`) end to end: the real CLI against the emulator, real
 * programs (the AWS SDK's default chain, the AWS CLI) as its clients, and hours of simulated time: the emulator's
 * clock, stc's (`STC_TEST_CLOCK_FILE`) and the SDK program's move together, by the program, between its calls.
 *
 * @module
 */

import assert from "node:assert/strict";
import { REPO_ROOT, runStc } from "./helpers.ts";
import { baseSession, withBase, world } from "./role_world.ts";

interface Call {
  minute: number;
  ok: boolean;
  arn?: string;
  key?: string;
  minutesLeft?: number;
  error?: string;
  message?: string;
}

/** Runs the SDK program under `stc exec --server` for `steps` steps of `stepSeconds`. */
async function runProgram(
  env: Record<string, string>,
  steps: number,
  stepSeconds: number,
): Promise<{ code: number; calls: Call[]; stderr: string }> {
  const result = await runStc([
    "exec",
    "--server",
    "dev-admin",
    "--",
    Deno.execPath(),
    "run",
    "--allow-all",
    "--no-prompt",
    `${REPO_ROOT}test/server_child.ts`,
    String(steps),
    String(stepSeconds),
  ], { env });
  const calls = result.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) =>
    JSON.parse(l) as Call
  );
  return { code: result.code, calls, stderr: result.stderr };
}

async function clockFile(): Promise<{ path: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "stc-clock-" });
  const path = `${dir}/offset`;
  await Deno.writeTextFile(path, "0");
  return { path, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

Deno.test("exec --server: an SDK program runs three simulated hours of one-hour role credentials, never with an expired one, about one AssumeRole an hour", async () => {
  await using w = await world();
  await using clock = await clockFile();
  const base = await baseSession(w);
  const env = withBase(w, base, { STC_TEST_CLOCK_FILE: clock.path });
  const before = w.emulator.calls("AssumeRole");
  // Seven-minute steps: 26 of them are 182 minutes, and no step lands on a refresh boundary.
  const { code, calls, stderr } = await runProgram(env, 26, 420);
  assert.equal(code, 0, stderr);
  assert.equal(calls.length, 27, stderr);
  const failed = calls.filter((c) => !c.ok);
  assert.deepEqual(failed, [], "no call failed, none with an expired credential");
  assert.equal(calls.at(-1)!.minute, 182);
  for (const call of calls) {
    assert.equal(call.arn, "arn:aws:sts::222222222222:assumed-role/Admin/alice");
    assert.ok(call.minutesLeft! >= 4, `minute ${call.minute}: ${call.minutesLeft} minutes left`);
  }
  // The SDK asks again when under 5 minutes are left, in the background while it still uses the old ones; the
  // server then assumes the role again. Its request runs while the program moves the clock on (as time moves on
  // in real life), so a renewal lands at the step where the SDK asked or the next one: new credentials are first
  // used after 56 to 63 minutes of the last ones, and the last renewal may be the one the program asked for
  // before it ended.
  const assumed = w.emulator.calls("AssumeRole") - before;
  const renewals = stderr.match(/dev-admin: new credentials, valid until/g)?.length ?? 0;
  assert.equal(assumed, 1 + renewals, stderr);
  assert.ok(renewals >= 3 && renewals <= 4, `about one renewal an hour, not one a call: ${stderr}`);
  const changes = calls.filter((c, i) => i > 0 && c.key !== calls[i - 1].key);
  assert.ok(changes.length >= 2 && changes.length <= renewals, JSON.stringify(changes));
  for (const [i, call] of calls.entries()) {
    if (i > 0 && call.key !== calls[i - 1].key) {
      assert.ok(
        calls[i - 1].minutesLeft! < 5,
        `renewed only near the end: ${JSON.stringify(call)}`,
      );
    }
  }
  for (const secret of [base.secretAccessKey, base.sessionToken]) {
    assert.ok(!stderr.includes(secret));
  }
});
