/**
 * `stc rotate` against the emulator: the happy paths, two keys, the password, the lock, and the record of a
 * rotation in progress. Faults and kills at every step are in rotate_faults_test.ts and rotate_kills_test.ts.
 */

import assert from "node:assert/strict";
import { parseImportCommand } from "../lib/keys/transfer.ts";
import { satisfiesPolicy, STRONG_DEFAULT_POLICY } from "../lib/keys/password.ts";
import { defaultFixture } from "./emulator/server.ts";
import {
  ALICE,
  ALICE_PASSWORD,
  assertFinished,
  assertFinishedWithSecondKey,
  assertImportCommand,
  assertWorkingKeyOnDisk,
  BOB,
  BOB_INACTIVE,
  HOLD_MS,
  iamKeys,
  importElsewhere,
  keysOnDisk,
  nthCall,
  PROFILE,
  RECORD,
  recordOnDisk,
  rotate,
  spawnRotate,
  withWorld,
  works,
} from "./rotate_world.ts";

// The bastion account's policy in test/emulator/fixture.json.
const FIXTURE_POLICY = {
  minimumLength: 14,
  requireSymbols: true,
  requireNumbers: true,
  requireUppercase: true,
  requireLowercase: true,
};

Deno.test("rotate replaces the key, deletes the old one and prints the import command", async () => {
  await withWorld(ALICE, async (world) => {
    const result = await rotate(world, ["-n"]);
    assert.equal(result.code, 0, result.stderr);
    const keys = await assertWorkingKeyOnDisk(world);
    const fresh = keys[PROFILE];
    assert.notEqual(fresh.accessKeyId, ALICE.accessKeyId);
    assert.deepEqual(Object.keys(keys), [PROFILE]);
    assert.deepEqual(iamKeys(world.emu, "alice"), [fresh.accessKeyId]);
    assert.ok(!(await works(world.emu, ALICE)), "the old key still works");
    assertImportCommand(result.stdout, fresh);
    assert.deepEqual((await importElsewhere(world, result.stdout))[PROFILE], fresh);
    assert.match(result.stderr, /deleted the old key AKIAALICEEXAMPLEKEY1/);
    assert.ok(!result.stderr.includes(fresh.secretAccessKey), "the secret went to stderr");
    assert.equal(world.emu.userPassword("alice"), ALICE_PASSWORD);
  });
});

Deno.test("rotate waits for the new key to propagate, showing progress", async () => {
  await withWorld(ALICE, async (world) => {
    world.emu.setKeyPropagationDelay(2);
    const result = await rotate(world, ["-n", "-p", PROFILE]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /waiting for AWS to accept the new key AKIA\w+/);
    assert.match(result.stderr, /AWS accepts the new key/);
    const keys = await assertWorkingKeyOnDisk(world);
    assert.deepEqual(iamKeys(world.emu, "alice"), [keys[PROFILE].accessKeyId]);
  });
});

Deno.test("rotate -y changes the password to one fitting the policy, shown on stderr only", async () => {
  await withWorld(ALICE, async (world) => {
    const result = await rotate(world, ["-y"], `${ALICE_PASSWORD}\n`);
    assert.equal(result.code, 0, result.stderr);
    const shown = /New console password of alice.*:\n {2}(\S+)\n/.exec(result.stderr)?.[1];
    assert.ok(shown, result.stderr);
    assert.equal(world.emu.userPassword("alice"), shown);
    assert.ok(satisfiesPolicy(shown, FIXTURE_POLICY));
    assert.ok(!result.stdout.includes(shown), "the password went to stdout");
    assert.ok(!result.stderr.includes(ALICE_PASSWORD), "the old password was echoed");
    const keys = await assertWorkingKeyOnDisk(world);
    assert.notEqual(keys[PROFILE].accessKeyId, ALICE.accessKeyId);
  });
});

Deno.test("rotate -y without an account password policy uses the strong default", async () => {
  const fixture = await defaultFixture();
  for (const account of fixture.accounts) delete account.passwordPolicy;
  await withWorld(ALICE, async (world) => {
    const result = await rotate(world, ["-y"], `${ALICE_PASSWORD}\n`);
    assert.equal(result.code, 0, result.stderr);
    const shown = world.emu.userPassword("alice")!;
    assert.notEqual(shown, ALICE_PASSWORD);
    assert.ok(result.stderr.includes(`  ${shown}\n`));
    assert.equal(shown.length, STRONG_DEFAULT_POLICY.minimumLength);
    assert.ok(satisfiesPolicy(shown, STRONG_DEFAULT_POLICY));
  }, fixture);
});

Deno.test("rotate asks about the password without -y/-n", async () => {
  await withWorld(ALICE, async (world) => {
    const no = await rotate(world, [], "n\n");
    assert.equal(no.code, 0, no.stderr);
    assert.match(no.stderr, /Change the console password of alice too\?/);
    assert.equal(world.emu.userPassword("alice"), ALICE_PASSWORD);
    const yes = await rotate(world, [], `y\n${ALICE_PASSWORD}\n`);
    assert.equal(yes.code, 0, yes.stderr);
    assert.notEqual(world.emu.userPassword("alice"), ALICE_PASSWORD);
    await assertWorkingKeyOnDisk(world);
  });
});

Deno.test("rotate -y with a wrong current password changes nothing", async () => {
  await withWorld(ALICE, async (world) => {
    const before = await world.home.read(".aws/credentials");
    const result = await rotate(world, ["-y"], "not-the-password\n");
    assert.equal(result.code, 1);
    assert.match(result.stderr, /stc: error: the console password was not changed/);
    assert.ok(!result.stderr.includes("not-the-password"));
    assert.deepEqual(iamKeys(world.emu, "alice"), [ALICE.accessKeyId]);
    assert.equal(await world.home.read(".aws/credentials"), before, "the file changed");
    assert.equal(world.emu.userPassword("alice"), ALICE_PASSWORD);
  });
});

Deno.test("rotate: -y with -n, or a bad timeout setting, is a usage error", async () => {
  await withWorld(ALICE, async (world) => {
    const both = await rotate(world, ["-y", "-n"]);
    assert.equal(both.code, 2);
    world.env.STC_ROTATE_PROPAGATION_TIMEOUT = "soon";
    const bad = await rotate(world, ["-n"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /STC_ROTATE_PROPAGATION_TIMEOUT/);
    assert.deepEqual(iamKeys(world.emu, "alice"), [ALICE.accessKeyId]);
  });
});

Deno.test("rotate refuses a profile without a long-term key", async () => {
  await withWorld(ALICE, async (world) => {
    await world.home.write(
      ".aws/credentials",
      `[${PROFILE}]\naws_access_key_id = ASIAXXXXXXXXXXXXXXXX\naws_secret_access_key = x\naws_session_token = t\n`,
    );
    const result = await rotate(world, ["-n"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /temporary credentials, not a long-term access key/);
  });
});

Deno.test("rotate refuses a roles bucket that is not an S3 bucket name before anything changes", async () => {
  await withWorld(ALICE, async (world) => {
    await world.home.write(
      ".aws/config",
      `[default]\nsession_tool_default_profile = ${PROFILE}\n\n[profile ${PROFILE}]\n` +
        "session-tool_bucketname = x\\';touch PWNED;#\n",
    );
    const before = await world.home.read(".aws/credentials");
    const result = await rotate(world, ["-n"]);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^stc: error: session-tool_bucketname of profile 'awsops': /);
    assert.deepEqual(iamKeys(world.emu, "alice"), [ALICE.accessKeyId]);
    assert.equal(await world.home.read(".aws/credentials"), before);
  });
});

Deno.test("rotate stops when the user has two keys and names the unused one", async () => {
  await withWorld(BOB, async (world) => {
    const result = await rotate(world, ["-n"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`${BOB_INACTIVE} \\(Inactive`));
    assert.match(result.stderr, /hint: .*run 'stc rotate -t -p awsops'/);
    assert.doesNotMatch(result.stderr, /aws iam/);
    assert.deepEqual(iamKeys(world.emu, "bob"), [BOB.accessKeyId, BOB_INACTIVE].sort());
    assert.deepEqual(await keysOnDisk(world.home), { [PROFILE]: BOB });
    assert.equal(result.stdout, "");
  });
});

Deno.test("rotate -t deletes the unused key, rotates, and prints a second key for another host", async () => {
  await withWorld(BOB, async (world) => {
    const result = await rotate(world, ["-t", "-n"]);
    assert.equal(result.code, 0, result.stderr);
    const keys = await assertWorkingKeyOnDisk(world);
    const here = keys[PROFILE];
    const second = parseImportCommand(result.stdout.trim().split("\n")[0]);
    assert.notEqual(second.accessKeyId, here.accessKeyId);
    assertImportCommand(result.stdout, second);
    assert.ok(await works(world.emu, second));
    assert.deepEqual(iamKeys(world.emu, "bob"), [here.accessKeyId, second.accessKeyId].sort());
    assert.ok(!iamKeys(world.emu, "bob").includes(BOB.accessKeyId));
    assert.ok(!iamKeys(world.emu, "bob").includes(BOB_INACTIVE));
  });
});

Deno.test("the record follows the rotation step by step; a secret only while the new key is unproven", async () => {
  await withWorld(BOB, async (world) => {
    const { emu, home } = world;
    const credentialsMode = async () => (await Deno.stat(`${home.aws}/credentials`)).mode! & 0o777;
    emu.setLatency("CreateAccessKey", HOLD_MS);
    const running = spawnRotate(world, ["-t", "-n"]);

    await emu.waitForRequest(nthCall("CreateAccessKey"));
    const creating = (await recordOnDisk(home))!;
    assert.equal(creating.stc_rotation_of, PROFILE);
    assert.equal(creating.stc_rotation_step, "create");
    assert.equal(creating.stc_rotation_old_key, BOB.accessKeyId);
    assert.equal(creating.stc_rotation_two_keys, "true");
    assert.ok(!Number.isNaN(Date.parse(creating.stc_rotation_started)));
    assert.equal(creating.stc_rotation_new_key, undefined);
    assert.equal(creating.aws_secret_access_key, undefined);
    assert.deepEqual(iamKeys(emu, "bob").includes(BOB_INACTIVE), false, "-t deleted the other key");

    emu.setLatency("GetCallerIdentity", HOLD_MS);
    emu.setLatency("CreateAccessKey", 0);
    await emu.waitForRequest(nthCall("GetCallerIdentity"));
    const proving = (await recordOnDisk(home))!;
    const fresh = emu.accessKeys("bob").find((k) => k.accessKeyId !== BOB.accessKeyId)!;
    assert.equal(proving.stc_rotation_step, "prove");
    assert.equal(proving.stc_rotation_new_key, fresh.accessKeyId);
    assert.equal(proving.aws_access_key_id, fresh.accessKeyId);
    assert.equal(proving.aws_secret_access_key, fresh.secretAccessKey);
    assert.equal(await credentialsMode(), 0o600);
    assert.deepEqual((await keysOnDisk(home))[PROFILE], BOB);

    emu.setLatency("DeleteAccessKey", HOLD_MS);
    emu.setLatency("GetCallerIdentity", 0);
    await emu.waitForRequest(nthCall("DeleteAccessKey", 2));
    const deleting = (await recordOnDisk(home))!;
    assert.equal(deleting.stc_rotation_step, "delete-old");
    assert.equal(deleting.stc_rotation_new_key, fresh.accessKeyId);
    assert.equal(deleting.aws_access_key_id, undefined);
    assert.equal(deleting.aws_secret_access_key, undefined);
    assert.equal((await keysOnDisk(home))[PROFILE].accessKeyId, fresh.accessKeyId);

    emu.setLatency("CreateAccessKey", HOLD_MS);
    emu.setLatency("DeleteAccessKey", 0);
    await emu.waitForRequest(nthCall("CreateAccessKey", 2));
    const second = (await recordOnDisk(home))!;
    assert.equal(second.stc_rotation_step, "second-key");
    assert.equal(second.aws_secret_access_key, undefined);

    emu.clearLatencies();
    const result = await running.end();
    assert.equal(result.code, 0, result.stderr);
    await assertFinishedWithSecondKey(world, result.stdout, "bob", BOB);
    assert.equal(await credentialsMode(), 0o600);
  });
});

Deno.test("a profile of the user's named like the record is never taken over", async () => {
  await withWorld(ALICE, async (world) => {
    const credentials = `[${PROFILE}]\naws_access_key_id = ${ALICE.accessKeyId}\n` +
      `aws_secret_access_key = ${ALICE.secretAccessKey}\n\n[${RECORD}]\nregion = eu-west-1\n` +
      `aws_access_key_id = AKIAUSERSOWNKEY00000\naws_secret_access_key = ${"u".repeat(40)}\n`;
    await world.home.write(".aws/credentials", credentials, 0o600);
    const config = await world.home.read(".aws/config");
    const result = await rotate(world, ["-n"]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /stc: error: profile 'awsops.stc-rotation' exists and was not made/,
    );
    assert.match(result.stderr, /hint: .*rename yours/);
    assert.equal(await world.home.read(".aws/credentials"), credentials);
    assert.equal(await world.home.read(".aws/config"), config);
    assert.deepEqual(iamKeys(world.emu, "alice"), [ALICE.accessKeyId]);
  });
});

Deno.test("a record stc cannot read stops the rotation before anything happens", async () => {
  await withWorld(ALICE, async (world) => {
    const credentials = `[${PROFILE}]\naws_access_key_id = ${ALICE.accessKeyId}\n` +
      `aws_secret_access_key = ${ALICE.secretAccessKey}\n\n[${RECORD}]\n` +
      `stc_rotation_of = ${PROFILE}\nstc_rotation_step = unknown\n`;
    await world.home.write(".aws/credentials", credentials, 0o600);
    const result = await rotate(world, ["-n"]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /stc: error: profile 'awsops.stc-rotation' holds a key rotation stc cannot read/,
    );
    assert.match(result.stderr, /hint: .*remove that profile from the credentials file/);
    assert.equal(await world.home.read(".aws/credentials"), credentials);
    assert.deepEqual(iamKeys(world.emu, "alice"), [ALICE.accessKeyId]);
    assert.equal(world.emu.calls("CreateAccessKey"), 0);
  });
});

Deno.test("a record left for another key of the profile is not acted on", async () => {
  await withWorld(ALICE, async (world) => {
    const credentials = `[${PROFILE}]\naws_access_key_id = ${ALICE.accessKeyId}\n` +
      `aws_secret_access_key = ${ALICE.secretAccessKey}\n\n[${RECORD}]\n` +
      `stc_rotation_of = ${PROFILE}\nstc_rotation_step = delete-old\n` +
      `stc_rotation_started = 2026-01-01T00:00:00.000Z\nstc_rotation_old_key = AKIAOLDKEY0000000001\n` +
      `stc_rotation_new_key = AKIANEWKEY0000000002\n`;
    await world.home.write(".aws/credentials", credentials, 0o600);
    const result = await rotate(world, ["-n"]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /profile 'awsops' holds the key AKIAALICEEXAMPLEKEY1, not the key AKIANEWKEY0000000002/,
    );
    assert.match(result.stderr, /hint: if you changed the profile on purpose, remove the profile/);
    assert.equal(await world.home.read(".aws/credentials"), credentials);
    assert.equal(world.emu.calls("DeleteAccessKey"), 0);
  });
});

Deno.test("-t on the run that finishes an interrupted rotation adds the second key", async () => {
  await withWorld(ALICE, async (world) => {
    world.emu.injectFault({ action: "DeleteAccessKey", kind: "500", count: 10 });
    const failed = await rotate(world, ["-n"]);
    assert.equal(failed.code, 5, failed.stderr);
    world.emu.clearFaults();
    const next = await rotate(world, ["-t", "-n"]);
    assert.equal(next.code, 0, next.stderr);
    assert.match(
      next.stderr,
      /finishing the rotation of profile 'awsops' that stopped while deleting/,
    );
    assert.equal(world.emu.calls("CreateAccessKey"), 2, "rotated once, plus the second key");
    await assertFinishedWithSecondKey(world, next.stdout);
  });
});

Deno.test("a second rotation while one runs stops at once; the first finishes", async () => {
  await withWorld(ALICE, async (world) => {
    world.emu.setLatency("GetCallerIdentity", HOLD_MS);
    const first = spawnRotate(world, ["-n"]);
    await world.emu.waitForRequest(nthCall("GetCallerIdentity"));
    const second = await rotate(world, ["-t", "-n"]);
    world.emu.clearLatencies();
    const done = await first.end();
    assert.equal(done.code, 0, done.stderr);
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stderr, /stc: error: another stc rotate is running/);
    assert.equal(second.stdout, "");
    await assertFinished(world);
  });
});
