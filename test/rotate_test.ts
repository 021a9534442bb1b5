/**
 * `stc rotate` against the emulator: the happy paths, and a fault at every step (create fails, propagation
 * slow, delete fails, file write fails, process killed between steps) after which a key that AWS accepts
 * must still be in the credentials file.
 */

import assert from "node:assert/strict";
import { getCallerIdentity } from "../lib/aws/client.ts";
import { getProfile, parseProfileFiles } from "../lib/config/ini.ts";
import { parseImportCommand } from "../lib/keys/transfer.ts";
import { satisfiesPolicy, STRONG_DEFAULT_POLICY } from "../lib/keys/password.ts";
import { defaultFixture, type Emulator, type Fixture, startEmulator } from "./emulator/server.ts";
import { makeHome, type RunResult, runStc, stcCommandLine, type TempHome } from "./helpers.ts";

const ALICE = {
  accessKeyId: "AKIAALICEEXAMPLEKEY1",
  secretAccessKey: "aliceEmulatorSecretKey0123456789abcdefgh",
};
const ALICE_PASSWORD = "Alice-Emulator-Passw0rd!";
const BOB = {
  accessKeyId: "AKIABOBEXAMPLEKEY001",
  secretAccessKey: "bobEmulatorSecretKey+0123456789abcdefghi",
};
const BOB_INACTIVE = "AKIABOBINACTIVEKEY01";
const PROFILE = "awsops";
const PENDING = `${PROFILE}.stc-new-key`;
const BUCKET = "stc-roles";
// The bastion account's policy in test/emulator/fixture.json.
const FIXTURE_POLICY = {
  minimumLength: 14,
  requireSymbols: true,
  requireNumbers: true,
  requireUppercase: true,
  requireLowercase: true,
};

interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}

interface World {
  home: TempHome;
  emu: Emulator;
  env: Record<string, string>;
}

/** A temporary HOME whose profile `awsops` holds `key`, and a fresh emulator. */
async function withWorld(
  key: Key,
  fn: (world: World) => Promise<void>,
  fixture?: Fixture,
): Promise<void> {
  await using home = await makeHome();
  const emu = await startEmulator({ quiet: true, fixture });
  try {
    await home.write(
      ".aws/credentials",
      `[${PROFILE}]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`,
      0o600,
    );
    await home.write(
      ".aws/config",
      `[default]\nsession_tool_default_profile = ${PROFILE}\n\n[profile ${PROFILE}]\nsession-tool_bucketname = ${BUCKET}\n`,
    );
    const env = { ...home.env, ...emu.env(), STC_ROTATE_PROPAGATION_TIMEOUT: "20" };
    await fn({ home, emu, env });
  } finally {
    await emu.close();
  }
}

/** The long-term keys in the credentials file, by profile. */
async function keysOnDisk(home: TempHome): Promise<Record<string, Key>> {
  const text = await home.read(".aws/credentials") ?? "";
  const files = parseProfileFiles({ credentials: text });
  const keys: Record<string, Key> = {};
  for (const name of Object.keys(files.profiles)) {
    const p = getProfile(files, name)!;
    if (p.aws_access_key_id && p.aws_secret_access_key) {
      keys[name] = { accessKeyId: p.aws_access_key_id, secretAccessKey: p.aws_secret_access_key };
    }
  }
  return keys;
}

/** Whether AWS (the emulator) accepts a request signed with `key` now. */
async function works(emu: Emulator, key: Key): Promise<boolean> {
  try {
    await getCallerIdentity({
      env: emu.env(),
      region: "us-east-1",
      credentials: key,
      maxAttempts: 1,
    });
    return true;
  } catch {
    return false;
  }
}

/** The invariant: some key in the credentials file works, and the profile's own key works. */
async function assertWorkingKeyOnDisk(world: World): Promise<Record<string, Key>> {
  const keys = await keysOnDisk(world.home);
  assert.ok(keys[PROFILE], "the profile has no key on disk");
  assert.ok(await works(world.emu, keys[PROFILE]), "the profile's key on disk does not work");
  const info = await Deno.stat(`${world.home.aws}/credentials`);
  assert.equal(info.mode! & 0o777, 0o600);
  return keys;
}

function iamKeys(emu: Emulator, user: string): string[] {
  return emu.accessKeys(user).map((k) => k.accessKeyId).sort();
}

function rotate(world: World, args: string[], stdin?: string): Promise<RunResult> {
  return runStc(["rotate", ...args], { env: world.env, stdin });
}

/**
 * Runs `stc rotate` and SIGKILLs it as soon as its stderr matches `pattern` (the step it is held at by an
 * injected fault or delay). Returns the stderr seen and whether the pattern was seen.
 */
async function rotateUntil(
  world: World,
  args: string[],
  pattern: RegExp,
  atMatch: () => Promise<void> = () => Promise.resolve(),
  kill = true,
): Promise<{ stderr: string; matched: boolean; code: number }> {
  const [command, ...prefix] = stcCommandLine();
  const child = new Deno.Command(command, {
    args: [...prefix, "rotate", ...args],
    env: world.env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = child.stdout.pipeTo(new WritableStream());
  const decoder = new TextDecoder();
  let stderr = "";
  let matched = false;
  for await (const chunk of child.stderr) {
    stderr += decoder.decode(chunk, { stream: true });
    if (!matched && pattern.test(stderr)) {
      matched = true;
      await atMatch();
      if (kill) child.kill("SIGKILL");
    }
  }
  await stdout;
  const status = await child.status;
  return { stderr, matched, code: status.code };
}

/** stdout holds two import lines for the key: stc's (`printf … | stc import … -`) and session-tool.sh's. */
function assertImportCommand(stdout: string, key: Key): void {
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 2, `stdout: ${stdout}`);
  assert.match(lines[0], /^printf '%s\\n' \S+ \| stc import /);
  assert.match(lines[1], /^get_session /);
  for (const line of lines) {
    const parsed = parseImportCommand(line);
    assert.equal(parsed.profile, PROFILE);
    assert.equal(parsed.accessKeyId, key.accessKeyId);
    assert.equal(parsed.secretAccessKey, key.secretAccessKey);
    assert.equal(parsed.bucket, BUCKET);
    assert.ok(parsed.download);
  }
}

/** Runs stc's import line in a real bash on "another host" (a second HOME) and returns its credentials. */
async function importElsewhere(world: World, stdout: string): Promise<Record<string, Key>> {
  await using other = await makeHome();
  const stc = stcCommandLine().map((a) => `'${a}'`).join(" ");
  const line = stdout.trim().split("\n")[0];
  const out = await new Deno.Command("bash", {
    args: ["-c", `set -eo pipefail; stc() { ${stc} "$@"; }; ${line}`],
    env: { ...other.env, ...world.emu.env() },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return await keysOnDisk(other);
}

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
    const result = await rotate(world, ["-y"], "not-the-password\n");
    assert.equal(result.code, 1);
    assert.match(result.stderr, /stc: error: the console password was not changed/);
    assert.ok(!result.stderr.includes("not-the-password"));
    assert.deepEqual(iamKeys(world.emu, "alice"), [ALICE.accessKeyId]);
    assert.deepEqual(await keysOnDisk(world.home), { [PROFILE]: ALICE });
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
    assert.match(
      result.stderr,
      new RegExp(`aws iam delete-access-key --access-key-id ${BOB_INACTIVE}`),
    );
    assert.match(result.stderr, /stc rotate -t/);
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

Deno.test("fault: CreateAccessKey fails — the old key stays configured, nothing else exists", async () => {
  await withWorld(ALICE, async (world) => {
    world.emu.injectFault({ action: "CreateAccessKey", kind: "500", count: 5 });
    const result = await rotate(world, ["-n"]);
    assert.equal(result.code, 5, result.stderr); // 5xx after the retries: AWS could not serve it
    assert.match(result.stderr, /stc: error: no new key: .*AKIAALICEEXAMPLEKEY1, which works/);
    assert.deepEqual(await assertWorkingKeyOnDisk(world), { [PROFILE]: ALICE });
    assert.deepEqual(iamKeys(world.emu, "alice"), [ALICE.accessKeyId]);
    assert.equal(result.stdout, "");
  });
});

Deno.test("fault: the new key never propagates — both keys kept, the next run finishes", async () => {
  await withWorld(ALICE, async (world) => {
    world.emu.setKeyPropagationDelay(600);
    world.env.STC_ROTATE_PROPAGATION_TIMEOUT = "2";
    const result = await rotate(world, ["-n"]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /AWS did not accept the new key AKIA\w+ within 2 s/);
    assert.match(result.stderr, /hint: to finish: run 'stc rotate -p awsops' again later/);
    const keys = await assertWorkingKeyOnDisk(world);
    assert.deepEqual(keys[PROFILE], ALICE);
    const fresh = keys[PENDING];
    assert.ok(fresh, "the new key is not saved");
    assert.deepEqual(iamKeys(world.emu, "alice"), [ALICE.accessKeyId, fresh.accessKeyId].sort());

    world.emu.setKeyPropagationDelay(0);
    world.emu.advanceClock(601);
    const again = await rotate(world, ["-n"]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /resuming the rotation of profile 'awsops'/);
    assert.deepEqual(await assertWorkingKeyOnDisk(world), { [PROFILE]: fresh });
    assert.deepEqual(iamKeys(world.emu, "alice"), [fresh.accessKeyId]);
    assertImportCommand(again.stdout, fresh);
  });
});

Deno.test("fault: DeleteAccessKey fails — the new key is configured, both kept, told how to finish", async () => {
  await withWorld(ALICE, async (world) => {
    world.emu.injectFault({ action: "DeleteAccessKey", kind: "500", count: 5 });
    const result = await rotate(world, ["-n"]);
    assert.equal(result.code, 5, result.stderr); // 5xx after the retries: AWS could not serve it
    const keys = await assertWorkingKeyOnDisk(world);
    const fresh = keys[PROFILE];
    assert.notEqual(fresh.accessKeyId, ALICE.accessKeyId);
    assert.deepEqual(iamKeys(world.emu, "alice"), [ALICE.accessKeyId, fresh.accessKeyId].sort());
    assert.match(result.stderr, /the old key AKIAALICEEXAMPLEKEY1 could not be deleted/);
    assert.match(
      result.stderr,
      /hint: to finish: delete the old key: aws iam delete-access-key --access-key-id AKIAALICEEXAMPLEKEY1/,
    );
    // A later run names the leftover key.
    const later = await rotate(world, ["-n"]);
    assert.equal(later.code, 1);
    assert.match(later.stderr, /AKIAALICEEXAMPLEKEY1 \(Active.*is not the key of profile 'awsops'/);
  });
});

/** Makes every write of the credentials file fail, even as root: its lock file becomes a directory. */
async function breakCredentialsWrites(home: TempHome): Promise<void> {
  const lock = `${home.aws}/.credentials.lock`;
  await Deno.remove(lock).catch(() => {});
  await Deno.mkdir(lock);
}

Deno.test("fault: the credentials file cannot be written — both keys stay, told how to finish", async () => {
  await withWorld(ALICE, async (world) => {
    await breakCredentialsWrites(world.home);
    const result = await rotate(world, ["-n"]);
    assert.equal(result.code, 1);
    assert.deepEqual(await assertWorkingKeyOnDisk(world), { [PROFILE]: ALICE });
    const ids = iamKeys(world.emu, "alice");
    assert.equal(ids.length, 2);
    const fresh = ids.find((id) => id !== ALICE.accessKeyId)!;
    assert.match(result.stderr, new RegExp(`the new key ${fresh} could not be saved`));
    assert.match(
      result.stderr,
      new RegExp(
        `hint: to finish: delete the new key \\(aws iam delete-access-key --access-key-id ${fresh}`,
      ),
    );
  });
});

Deno.test("fault: the write that configures the proven key fails — old key kept, next run finishes", async () => {
  await withWorld(ALICE, async (world) => {
    world.emu.setKeyPropagationDelay(3);
    const held = await rotateUntil(
      world,
      ["-n"],
      /waiting for AWS to accept/,
      () => breakCredentialsWrites(world.home),
      false,
    );
    assert.ok(held.matched, held.stderr);
    assert.equal(held.code, 1, held.stderr);
    assert.match(held.stderr, /works but could not be written to profile 'awsops'/);
    const keys = await assertWorkingKeyOnDisk(world);
    assert.deepEqual(keys[PROFILE], ALICE);
    assert.ok(await works(world.emu, keys[PENDING]));

    await Deno.remove(`${world.home.aws}/.credentials.lock`);
    const again = await rotate(world, ["-n"]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await assertWorkingKeyOnDisk(world), { [PROFILE]: keys[PENDING] });
    assert.deepEqual(iamKeys(world.emu, "alice"), [keys[PENDING].accessKeyId]);
  });
});

Deno.test("kill: during CreateAccessKey — the old key stays configured", async () => {
  await withWorld(ALICE, async (world) => {
    world.emu.injectFault({ action: "CreateAccessKey", kind: "500", count: 100 });
    const held = await rotateUntil(world, ["-n"], /CreateAccessKey: \w+; retrying/);
    assert.ok(held.matched, held.stderr);
    assert.deepEqual(await assertWorkingKeyOnDisk(world), { [PROFILE]: ALICE });
    assert.deepEqual(iamKeys(world.emu, "alice"), [ALICE.accessKeyId]);
  });
});

Deno.test("kill: while waiting for propagation — both keys on disk, the next run finishes", async () => {
  await withWorld(ALICE, async (world) => {
    world.emu.setKeyPropagationDelay(600);
    const held = await rotateUntil(world, ["-n"], /waiting for AWS to accept/);
    assert.ok(held.matched, held.stderr);
    const keys = await assertWorkingKeyOnDisk(world);
    assert.deepEqual(keys[PROFILE], ALICE);
    const fresh = keys[PENDING];
    assert.ok(fresh);
    world.emu.setKeyPropagationDelay(0);
    world.emu.advanceClock(601);
    assert.ok(await works(world.emu, fresh));

    const again = await rotate(world, ["-n"]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await assertWorkingKeyOnDisk(world), { [PROFILE]: fresh });
    assert.deepEqual(iamKeys(world.emu, "alice"), [fresh.accessKeyId]);
  });
});

Deno.test("kill: during DeleteAccessKey — the new key is configured, the next run names the old", async () => {
  await withWorld(ALICE, async (world) => {
    world.emu.injectFault({ action: "DeleteAccessKey", kind: "500", count: 100 });
    const held = await rotateUntil(world, ["-n"], /DeleteAccessKey: \w+; retrying/);
    assert.ok(held.matched, held.stderr);
    const keys = await assertWorkingKeyOnDisk(world);
    assert.notEqual(keys[PROFILE].accessKeyId, ALICE.accessKeyId);
    assert.deepEqual(Object.keys(keys), [PROFILE]);
    world.emu.clearFaults();
    const later = await rotate(world, ["-n"]);
    assert.equal(later.code, 1);
    assert.match(later.stderr, /AKIAALICEEXAMPLEKEY1 \(Active.*is not the key of profile 'awsops'/);
  });
});

Deno.test("a profile of the user's named like the side profile is never taken over", async () => {
  await withWorld(ALICE, async (world) => {
    const credentials = `[${PROFILE}]\naws_access_key_id = ${ALICE.accessKeyId}\n` +
      `aws_secret_access_key = ${ALICE.secretAccessKey}\n\n[${PENDING}]\nregion = eu-west-1\n` +
      `aws_access_key_id = AKIAUSERSOWNKEY00000\naws_secret_access_key = ${"u".repeat(40)}\n`;
    await world.home.write(".aws/credentials", credentials, 0o600);
    const config = await world.home.read(".aws/config");
    const result = await rotate(world, ["-n"]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /stc: error: profile 'awsops.stc-new-key' exists and was not made/);
    assert.match(result.stderr, /hint: .*rename yours/);
    assert.equal(await world.home.read(".aws/credentials"), credentials);
    assert.equal(await world.home.read(".aws/config"), config);
    assert.deepEqual(iamKeys(world.emu, "alice"), [ALICE.accessKeyId]);
  });
});

Deno.test("a second rotation while one runs stops at once; the first finishes", async () => {
  await withWorld(ALICE, async (world) => {
    world.emu.setKeyPropagationDelay(3);
    let second: RunResult | undefined;
    const first = await rotateUntil(
      world,
      ["-n"],
      /waiting for AWS to accept/,
      async () => {
        second = await rotate(world, ["-t", "-n"]);
      },
      false,
    );
    assert.ok(first.matched, first.stderr);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second?.code, 1, second?.stderr);
    assert.match(second!.stderr, /stc: error: another stc rotate is running/);
    assert.equal(second!.stdout, "");
    const keys = await assertWorkingKeyOnDisk(world);
    assert.deepEqual(Object.keys(keys), [PROFILE]);
    assert.deepEqual(iamKeys(world.emu, "alice"), [keys[PROFILE].accessKeyId]);
  });
});
