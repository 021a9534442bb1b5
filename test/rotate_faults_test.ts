/**
 * `stc rotate` when AWS fails (500 until the retries are spent, a dropped connection, an AWS error) at each of
 * its calls, or the credentials file cannot be written at each of its writes. Each failed run must leave the
 * profile with a working key and say how to finish; the next plain `stc rotate` must finish that rotation with
 * exactly one working key in the profile and in IAM (with -t: the profile's and the second key), and no record.
 */

import assert from "node:assert/strict";
import type { FaultSpec } from "./emulator/state.ts";
import type { TempHome } from "./helpers.ts";
import {
  ALICE,
  assertFinished,
  assertFinishedWithSecondKey,
  assertNextRunFinishes,
  assertWorkingKeyOnDisk,
  BOB,
  BOB_INACTIVE,
  holdNext,
  iamKeys,
  keysOnDisk,
  PROFILE,
  recordOnDisk,
  rotate,
  spawnRotate,
  withWorld,
  works,
} from "./rotate_world.ts";

/** A fault without its action: what goes wrong, whichever call it hits. */
type FaultKind = FaultSpec extends infer F ? F extends unknown ? Omit<F, "action"> : never : never;

/** The ways an AWS call fails, each until the SDK's retries are spent. */
const FAULTS: readonly { name: string; fault: FaultKind }[] = [
  { name: "500 ×10", fault: { kind: "500", count: 10 } },
  { name: "dropped ×10", fault: { kind: "drop", count: 10 } },
  {
    name: "AccessDenied",
    fault: { kind: "error", count: 10, status: 403, code: "AccessDenied", message: "not now" },
  },
];

/** What a failed run leaves, by the call that failed (a plain rotation of alice's key). */
const EXPECTED: Readonly<Record<string, { step?: string; iam: number; message: RegExp }>> = {
  GetUser: { iam: 1, message: /stc: error: GetUser: / },
  ListAccessKeys: { iam: 1, message: /stc: error: ListAccessKeys: / },
  CreateAccessKey: {
    iam: 1,
    message:
      /stc: error: no new key: .*AKIAALICEEXAMPLEKEY1, which works\nhint: nothing was changed/,
  },
  GetCallerIdentity: {
    step: "prove",
    iam: 2,
    message:
      /AWS did not accept the new key AKIA\w+ within 1 s(.|\n)*hint: to finish: run 'stc rotate -p awsops' again later/,
  },
  DeleteAccessKey: {
    step: "delete-old",
    iam: 2,
    message:
      /the old key AKIAALICEEXAMPLEKEY1 could not be deleted(.|\n)*hint: to finish: run 'stc rotate -p awsops' again: it finishes this rotation by deleting the old key AKIAALICEEXAMPLEKEY1/,
  },
};

for (const [action, expected] of Object.entries(EXPECTED)) {
  for (const { name, fault } of FAULTS) {
    Deno.test(`fault: ${action} ${name} — the next plain run finishes with one working key`, async () => {
      await withWorld(ALICE, async (world) => {
        world.env.STC_ROTATE_PROPAGATION_TIMEOUT = "1";
        const before = await world.home.read(".aws/credentials");
        world.emu.injectFault({ action, ...fault } as FaultSpec);
        const failed = await rotate(world, ["-n"]);
        assert.ok([1, 5].includes(failed.code), `exit ${failed.code}: ${failed.stderr}`);
        assert.match(failed.stderr, expected.message);
        assert.equal(failed.stdout, "");
        assert.equal(iamKeys(world.emu, "alice").length, expected.iam);
        const record = await recordOnDisk(world.home);
        assert.equal(record?.stc_rotation_step, expected.step);
        if (!expected.step) {
          assert.equal(await world.home.read(".aws/credentials"), before, "the file changed");
        }
        await assertNextRunFinishes(world, failed);
      });
    });
  }
}

for (const { name, fault } of FAULTS) {
  Deno.test(`fault: -t, deleting the other key ${name} — nothing changed, -t again finishes`, async () => {
    await withWorld(BOB, async (world) => {
      const before = await world.home.read(".aws/credentials");
      world.emu.injectFault({ action: "DeleteAccessKey", ...fault } as FaultSpec);
      const failed = await rotate(world, ["-t", "-n"]);
      assert.ok([1, 5].includes(failed.code), failed.stderr);
      assert.match(failed.stderr, /stc: error: DeleteAccessKey: /);
      assert.equal(await world.home.read(".aws/credentials"), before, "the file changed");
      assert.deepEqual(iamKeys(world.emu, "bob"), [BOB.accessKeyId, BOB_INACTIVE].sort());
      world.emu.clearFaults();
      const next = await rotate(world, ["-t", "-n"]);
      assert.equal(next.code, 0, next.stderr);
      await assertFinishedWithSecondKey(world, next.stdout, "bob", BOB);
    });
  });

  Deno.test(`fault: -t, creating the second key ${name} — the next plain run creates it`, async () => {
    await withWorld(BOB, async (world) => {
      const { emu } = world;
      // The second CreateAccessKey fails: the fault is armed while the rotation waits for its new key.
      const held = holdNext(emu, "GetCallerIdentity");
      const running = spawnRotate(world, ["-t", "-n"]);
      await held;
      emu.injectFault({ action: "CreateAccessKey", ...fault } as FaultSpec);
      emu.clearLatencies();
      const failed = await running.end();
      assert.ok([1, 5].includes(failed.code), failed.stderr);
      assert.match(
        failed.stderr,
        /was rotated to AKIA\w+, but the second key could not be created(.|\n)*hint: to finish: run 'stc rotate -p awsops' again: it creates the second key/,
      );
      assert.equal((await recordOnDisk(world.home))?.stc_rotation_step, "second-key");
      const here = (await keysOnDisk(world.home))[PROFILE];
      assert.deepEqual(iamKeys(emu, "bob"), [here.accessKeyId]);
      await assertNextRunFinishes(
        world,
        failed,
        (w, stdout) => assertFinishedWithSecondKey(w, stdout, "bob", BOB),
      );
    });
  });
}

Deno.test("fault: DeleteAccessKey fails again on the run that finishes — the run after finishes", async () => {
  await withWorld(ALICE, async (world) => {
    world.emu.injectFault({ action: "DeleteAccessKey", kind: "500", count: 10 });
    const first = await rotate(world, ["-n"]);
    assert.equal(first.code, 5, first.stderr);
    world.emu.clearFaults();
    world.emu.injectFault({ action: "DeleteAccessKey", kind: "drop", count: 10 });
    const second = await rotate(world, ["-n"]);
    assert.equal(second.code, 5, second.stderr);
    assert.match(
      second.stderr,
      /finishing the rotation of profile 'awsops' that stopped while deleting/,
    );
    assert.equal((await recordOnDisk(world.home))?.stc_rotation_step, "delete-old");
    assert.equal(world.emu.calls("CreateAccessKey"), 1, "the run that finishes rotated again");
    await assertNextRunFinishes(world, second);
    assert.equal(world.emu.calls("CreateAccessKey"), 1, "the run that finishes rotated again");
  });
});

/** Makes every write of the credentials file fail, even as root: its lock file becomes a directory. */
async function breakCredentialsWrites(home: TempHome): Promise<void> {
  const lock = `${home.aws}/.credentials.lock`;
  await Deno.remove(lock).catch(() => {});
  await Deno.mkdir(lock);
}

async function repairCredentialsWrites(home: TempHome): Promise<void> {
  await Deno.remove(`${home.aws}/.credentials.lock`);
}

Deno.test("fault: the credentials file cannot be written — the rotation does not start", async () => {
  await withWorld(ALICE, async (world) => {
    const before = await world.home.read(".aws/credentials");
    await breakCredentialsWrites(world.home);
    const failed = await rotate(world, ["-n"]);
    assert.equal(failed.code, 1);
    assert.match(
      failed.stderr,
      /stc: error: the key rotation cannot start: cannot write .*credentials/,
    );
    assert.match(failed.stderr, /hint: nothing was changed; make .*credentials writable/);
    assert.equal(await world.home.read(".aws/credentials"), before);
    assert.deepEqual(iamKeys(world.emu, "alice"), [ALICE.accessKeyId]);
    assert.equal(world.emu.calls("CreateAccessKey"), 0);
    await repairCredentialsWrites(world.home);
    await assertNextRunFinishes(world, failed);
  });
});

Deno.test("fault: the new key cannot be saved — it is deleted at once, the next run rotates", async () => {
  await withWorld(ALICE, async (world) => {
    const { emu } = world;
    const held = holdNext(emu, "CreateAccessKey");
    const running = spawnRotate(world, ["-n"]);
    await held;
    await breakCredentialsWrites(world.home);
    emu.clearLatencies();
    const failed = await running.end();
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(
      failed.stderr,
      /stc: error: the new key AKIA\w+ could not be saved: cannot write /,
    );
    assert.match(failed.stderr, /the new key AKIA\w+ was deleted again/);
    assert.deepEqual(iamKeys(emu, "alice"), [ALICE.accessKeyId]);
    assert.deepEqual(await assertWorkingKeyOnDisk(world), { [PROFILE]: ALICE });
    await repairCredentialsWrites(world.home);
    await assertNextRunFinishes(world, failed);
  });
});

Deno.test("fault: the new key cannot be saved nor deleted — the next run deletes it, then rotates", async () => {
  await withWorld(ALICE, async (world) => {
    const { emu } = world;
    const held = holdNext(emu, "CreateAccessKey");
    const running = spawnRotate(world, ["-n"]);
    await held;
    await breakCredentialsWrites(world.home);
    emu.injectFault({ action: "DeleteAccessKey", kind: "500", count: 10 });
    emu.clearLatencies();
    const failed = await running.end();
    assert.equal(failed.code, 1, failed.stderr);
    const orphan = iamKeys(emu, "alice").find((id) => id !== ALICE.accessKeyId)!;
    assert.match(
      failed.stderr,
      new RegExp(
        `hint: to finish: make .* writable, then run 'stc rotate -p awsops' again: it first deletes the unsaved key ${orphan}`,
      ),
    );
    assert.equal((await recordOnDisk(world.home))?.stc_rotation_step, "create");
    await repairCredentialsWrites(world.home);
    const next = await assertNextRunFinishes(world, failed);
    assert.match(
      next.stderr,
      new RegExp(
        `deleted the key ${orphan}, which the interrupted rotation created but could not save`,
      ),
    );
  });
});

Deno.test("fault: the proven key cannot be written to the profile — old key kept, next run finishes", async () => {
  await withWorld(ALICE, async (world) => {
    const { emu } = world;
    const held = holdNext(emu, "GetCallerIdentity");
    const running = spawnRotate(world, ["-n"]);
    await held;
    await breakCredentialsWrites(world.home);
    emu.clearLatencies();
    const failed = await running.end();
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /works but could not be written to profile 'awsops'/);
    const keys = await assertWorkingKeyOnDisk(world);
    assert.deepEqual(keys[PROFILE], ALICE);
    assert.equal((await recordOnDisk(world.home))?.stc_rotation_step, "prove");
    await repairCredentialsWrites(world.home);
    const next = await assertNextRunFinishes(world, failed);
    assert.match(next.stderr, /stopped while checking the new key/);
  });
});

Deno.test("fault: the record cannot be removed at the end — the next run removes it and prints the lines", async () => {
  await withWorld(ALICE, async (world) => {
    const { emu } = world;
    const held = holdNext(emu, "DeleteAccessKey");
    const running = spawnRotate(world, ["-n"]);
    await held;
    await breakCredentialsWrites(world.home);
    emu.clearLatencies();
    const failed = await running.end();
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /the progress of the key rotation could not be recorded/);
    const fresh = (await keysOnDisk(world.home))[PROFILE];
    assert.deepEqual(iamKeys(emu, "alice"), [fresh.accessKeyId]);
    await repairCredentialsWrites(world.home);
    await assertNextRunFinishes(world, failed);
    assert.equal(emu.calls("CreateAccessKey"), 1);
  });
});

Deno.test("fault: GetAccessKeyLastUsed fails while finishing — nothing deleted blindly, the next run finishes", async () => {
  await withWorld(ALICE, async (world) => {
    const { emu } = world;
    const held = holdNext(emu, "CreateAccessKey");
    const running = spawnRotate(world, ["-n"]);
    await held;
    running.kill();
    await running.end();
    emu.clearLatencies();
    const orphan = iamKeys(emu, "alice").find((id) => id !== ALICE.accessKeyId)!;
    emu.injectFault({ action: "GetAccessKeyLastUsed", kind: "500", count: 10 });
    const failed = await rotate(world, ["-n"]);
    assert.equal(failed.code, 5, failed.stderr);
    assert.match(failed.stderr, /stc: error: GetAccessKeyLastUsed: /);
    assert.ok(iamKeys(emu, "alice").includes(orphan));
    assert.equal((await recordOnDisk(world.home))?.stc_rotation_step, "create");
    await assertNextRunFinishes(world, failed);
  });
});

Deno.test("a key the interrupted rotation did not make (IAM shows it used) is never deleted", async () => {
  await withWorld(ALICE, async (world) => {
    const { emu } = world;
    const held = holdNext(emu, "CreateAccessKey");
    const running = spawnRotate(world, ["-n"]);
    await held;
    running.kill();
    await running.end();
    emu.clearLatencies();
    const used = emu.accessKeys("alice").find((k) => k.accessKeyId !== ALICE.accessKeyId)!;
    assert.ok(await works(emu, used), "someone uses the key");
    const next = await rotate(world, ["-n"]);
    assert.equal(next.code, 1, next.stderr);
    assert.match(
      next.stderr,
      new RegExp(
        `warning: the key ${used.accessKeyId} was created after the rotation started, but IAM shows it used`,
      ),
    );
    assert.match(next.stderr, new RegExp(`already has two access keys; ${used.accessKeyId}`));
    assert.deepEqual(iamKeys(emu, "alice"), [ALICE.accessKeyId, used.accessKeyId].sort());
    assert.deepEqual(await assertWorkingKeyOnDisk(world), { [PROFILE]: ALICE });
    assert.equal(await recordOnDisk(world.home), undefined);
    // Told how, the user finishes with stc alone.
    const twoKeys = await rotate(world, ["-t", "-n"]);
    assert.equal(twoKeys.code, 0, twoKeys.stderr);
    await assertFinishedWithSecondKey(world, twoKeys.stdout);
  });
});

Deno.test("the new key never propagates — both keys kept, the next run finishes once it does", async () => {
  await withWorld(ALICE, async (world) => {
    world.emu.setKeyPropagationDelay(600);
    world.env.STC_ROTATE_PROPAGATION_TIMEOUT = "2";
    const failed = await rotate(world, ["-n"]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /AWS did not accept the new key AKIA\w+ within 2 s/);
    const keys = await assertWorkingKeyOnDisk(world);
    assert.deepEqual(keys[PROFILE], ALICE);
    world.emu.setKeyPropagationDelay(0);
    world.emu.advanceClock(601);
    const next = await assertNextRunFinishes(world, failed);
    assert.match(next.stderr, /stopped while checking the new key/);
    assert.equal(world.emu.calls("CreateAccessKey"), 1);
    await assertFinished(world);
  });
});
