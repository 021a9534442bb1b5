/**
 * `stc rotate` killed (SIGKILL) at each of its AWS calls: before AWS carries the call out (held retrying an
 * injected 500) and after (the answer held back by the emulator once the call is done), and while it waits for a
 * new key to propagate; also the run that finishes an interrupted rotation, killed in turn. The process is killed
 * on an explicit signal (a line on stderr, a request arriving at the emulator), never after a sleep. After each
 * kill the profile must hold a working key, and the next plain `stc rotate` must finish: exactly one working key
 * in the profile and in IAM (with -t: the profile's and the second key), and no record left.
 */

import assert from "node:assert/strict";
import {
  ALICE,
  assertFinishedWithSecondKey,
  assertNextRunFinishes,
  BOB,
  holdNext,
  iamKeys,
  recordOnDisk,
  rotate,
  spawnRotate,
  withWorld,
  type World,
} from "./rotate_world.ts";

/**
 * Where to kill: once the next call of `held` (after the next call of `after`, if given) was carried out, or
 * while the first call of `retrying` is being retried.
 */
type KillPoint =
  | { held: string; after?: string }
  | { retrying: string };

function describe(point: KillPoint): string {
  if ("retrying" in point) return `before ${point.retrying} is carried out`;
  return `after ${point.held}${
    point.after ? ` (the one after ${point.after})` : ""
  } is carried out`;
}

/** Runs `stc rotate ARGS` and SIGKILLs it at `point`; returns its stderr. */
async function killAt(world: World, args: string[], point: KillPoint): Promise<{ stderr: string }> {
  if ("retrying" in point) {
    world.emu.injectFault({ action: point.retrying, kind: "500", count: 100 });
    const running = spawnRotate(world, args);
    const seen = await running.seen(new RegExp(`${point.retrying}: \\w+; retrying`));
    running.kill();
    const ended = await running.end();
    assert.ok(seen, ended.stderr);
    assert.notEqual(ended.code, 0, ended.stderr);
    return ended;
  }
  const held = holdNext(world.emu, point.held, point.after);
  const running = spawnRotate(world, args);
  await held;
  running.kill();
  const ended = await running.end();
  assert.notEqual(ended.code, 0, ended.stderr);
  return ended;
}

const PLAIN: readonly KillPoint[] = [
  { retrying: "GetUser" },
  { held: "GetUser" },
  { retrying: "ListAccessKeys" },
  { held: "ListAccessKeys" },
  { retrying: "CreateAccessKey" },
  { held: "CreateAccessKey" },
  { held: "GetCallerIdentity" },
  { retrying: "DeleteAccessKey" },
  { held: "DeleteAccessKey" },
];

for (const point of PLAIN) {
  Deno.test(`kill ${describe(point)} — the next plain run finishes with one working key`, async () => {
    await withWorld(ALICE, async (world) => {
      const killed = await killAt(world, ["-n"], point);
      await assertNextRunFinishes(world, killed);
    });
  });
}

Deno.test("kill while waiting for the new key to propagate — the next plain run finishes", async () => {
  await withWorld(ALICE, async (world) => {
    world.emu.setKeyPropagationDelay(600);
    const running = spawnRotate(world, ["-n"]);
    assert.ok(await running.seen(/waiting for AWS to accept/));
    running.kill();
    const killed = await running.end();
    assert.equal((await recordOnDisk(world.home))?.stc_rotation_step, "prove");
    world.emu.setKeyPropagationDelay(0);
    world.emu.advanceClock(601);
    await assertNextRunFinishes(world, killed);
  });
});

// bob has a second key, so -t deletes it first; the run ends with the profile's new key and a second one.
const TWO_KEYS: readonly KillPoint[] = [
  { retrying: "DeleteAccessKey" },
  { held: "DeleteAccessKey" },
  { held: "CreateAccessKey" },
  { held: "GetCallerIdentity" },
  { held: "DeleteAccessKey", after: "GetCallerIdentity" },
  { held: "CreateAccessKey", after: "GetCallerIdentity" },
];

for (const point of TWO_KEYS) {
  Deno.test(`kill -t ${describe(point)} — the next plain run finishes with the two keys`, async () => {
    await withWorld(BOB, async (world) => {
      const killed = await killAt(world, ["-t", "-n"], point);
      await assertNextRunFinishes(
        world,
        killed,
        (w, stdout) => assertFinishedWithSecondKey(w, stdout, "bob", BOB),
      );
    });
  });
}

Deno.test("kill -t before the second CreateAccessKey is carried out — the next plain run finishes", async () => {
  await withWorld(BOB, async (world) => {
    const { emu } = world;
    const held = holdNext(emu, "GetCallerIdentity");
    const running = spawnRotate(world, ["-t", "-n"]);
    await held;
    emu.injectFault({ action: "CreateAccessKey", kind: "500", count: 100 });
    emu.clearLatencies();
    assert.ok(await running.seen(/CreateAccessKey: \w+; retrying/));
    running.kill();
    const killed = await running.end();
    assert.equal((await recordOnDisk(world.home))?.stc_rotation_step, "second-key");
    await assertNextRunFinishes(
      world,
      killed,
      (w, stdout) => assertFinishedWithSecondKey(w, stdout, "bob", BOB),
    );
  });
});

/** The run that finishes an interrupted rotation, killed in turn at `point`; the run after it finishes. */
const FINISHING: readonly { after: KillPoint; point: KillPoint }[] = [
  { after: { held: "DeleteAccessKey" }, point: { held: "DeleteAccessKey" } },
  { after: { retrying: "DeleteAccessKey" }, point: { held: "DeleteAccessKey" } },
  { after: { held: "CreateAccessKey" }, point: { held: "GetAccessKeyLastUsed" } },
  { after: { held: "CreateAccessKey" }, point: { held: "DeleteAccessKey" } },
  { after: { held: "CreateAccessKey" }, point: { held: "CreateAccessKey" } },
];

for (const { after, point } of FINISHING) {
  Deno.test(`kill the run that finishes (killed ${describe(after)}) ${describe(point)} — the run after finishes`, async () => {
    await withWorld(ALICE, async (world) => {
      const { emu } = world;
      await killAt(world, ["-n"], after);
      emu.clearFaults();
      emu.clearLatencies();
      assert.ok(await recordOnDisk(world.home), "the first kill left no record");
      const killed = await killAt(world, ["-n"], point);
      assert.match(killed.stderr, /finishing the rotation of profile 'awsops'/);
      await assertNextRunFinishes(world, killed);
      assert.ok(iamKeys(emu, "alice").length === 1);
    });
  });
}

Deno.test("two kills after CreateAccessKey in a row — two unsaved keys can never pile up", async () => {
  await withWorld(ALICE, async (world) => {
    const first = await killAt(world, ["-n"], { held: "CreateAccessKey" });
    world.emu.clearLatencies();
    assert.equal(iamKeys(world.emu, "alice").length, 2);
    const second = await killAt(world, ["-n"], { held: "CreateAccessKey" });
    world.emu.clearLatencies();
    assert.equal(iamKeys(world.emu, "alice").length, 2, "the second run did not clean up first");
    const next = await rotate(world, ["-n"]);
    assert.equal(next.code, 0, next.stderr);
    for (const text of [first.stderr, second.stderr, next.stderr]) {
      assert.doesNotMatch(text, /aws iam/);
    }
    assert.deepEqual(iamKeys(world.emu, "alice").length, 1);
  });
});
