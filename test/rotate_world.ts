/**
 * Shared setup of the `stc rotate` tests: an emulator, a temporary HOME whose profile `awsops` holds a key, ways
 * to run, hold and kill `stc rotate`, and the checks every rotation must pass.
 *
 * @module
 */

import assert from "node:assert/strict";
import { getCallerIdentity } from "../lib/aws/client.ts";
import { getProfile, parseProfileFiles } from "../lib/config/ini.ts";
import { parseImportCommand } from "../lib/keys/transfer.ts";
import { type Emulator, type Fixture, startEmulator } from "./emulator/server.ts";
import { makeHome, type RunResult, runStc, stcCommandLine, type TempHome } from "./helpers.ts";

export const ALICE = {
  accessKeyId: "AKIAALICEEXAMPLEKEY1",
  secretAccessKey: "aliceEmulatorSecretKey0123456789abcdefgh",
};
export const ALICE_PASSWORD = "Alice-Emulator-Passw0rd!";
export const BOB = {
  accessKeyId: "AKIABOBEXAMPLEKEY001",
  secretAccessKey: "bobEmulatorSecretKey+0123456789abcdefghi",
};
export const BOB_INACTIVE = "AKIABOBINACTIVEKEY01";
export const PROFILE = "awsops";
export const RECORD = `${PROFILE}.stc-rotation`;
export const BUCKET = "stc-roles";
export interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface World {
  home: TempHome;
  emu: Emulator;
  env: Record<string, string>;
}

/** A temporary HOME whose profile `awsops` holds `key`, and a fresh emulator. */
export async function withWorld(
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
export async function keysOnDisk(home: TempHome): Promise<Record<string, Key>> {
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
export async function works(emu: Emulator, key: Key): Promise<boolean> {
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
export async function assertWorkingKeyOnDisk(world: World): Promise<Record<string, Key>> {
  const keys = await keysOnDisk(world.home);
  assert.ok(keys[PROFILE], "the profile has no key on disk");
  assert.ok(await works(world.emu, keys[PROFILE]), "the profile's key on disk does not work");
  const info = await Deno.stat(`${world.home.aws}/credentials`);
  assert.equal(info.mode! & 0o777, 0o600);
  return keys;
}

export function iamKeys(emu: Emulator, user: string): string[] {
  return emu.accessKeys(user).map((k) => k.accessKeyId).sort();
}

export function rotate(world: World, args: string[], stdin?: string): Promise<RunResult> {
  return runStc(["rotate", ...args], { env: world.env, stdin });
}

/** A running `stc rotate`: its stderr as it comes, and ways to wait for it, kill it, and collect its end. */
export interface RunningRotate {
  /** Resolves true once stderr matches `pattern`, false if it ends without matching. */
  seen(pattern: RegExp): Promise<boolean>;
  /** SIGKILL. */
  kill(): void;
  /** Waits for the process to end. */
  end(): Promise<RunResult>;
}

export function spawnRotate(world: World, args: string[], stdin?: string): RunningRotate {
  const [command, ...prefix] = stcCommandLine();
  const child = new Deno.Command(command, {
    args: [...prefix, "rotate", ...args],
    env: world.env,
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    writer.write(new TextEncoder().encode(stdin)).then(() => writer.close()).catch(() => {});
  }
  const stdout = new Response(child.stdout).text();
  let stderr = "";
  let ended = false;
  const watchers: { pattern: RegExp; resolve: (seen: boolean) => void }[] = [];
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stderr) {
      stderr += decoder.decode(chunk, { stream: true });
      for (const watcher of [...watchers]) {
        if (!watcher.pattern.test(stderr)) continue;
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve(true);
      }
    }
    ended = true;
    for (const watcher of watchers.splice(0)) watcher.resolve(false);
  })();
  return {
    seen(pattern) {
      if (pattern.test(stderr)) return Promise.resolve(true);
      if (ended) return Promise.resolve(false);
      return new Promise((resolve) => watchers.push({ pattern, resolve }));
    },
    kill() {
      try {
        child.kill("SIGKILL");
      } catch { /* already ended */ }
    },
    async end() {
      const status = await child.status;
      await reading;
      return { code: status.code, stdout: await stdout, stderr };
    },
  };
}

/**
 * Runs `stc rotate` and SIGKILLs it as soon as its stderr matches `pattern` (the step it is held at by an
 * injected fault or delay). Returns the stderr seen and whether the pattern was seen.
 */
export async function rotateUntil(
  world: World,
  args: string[],
  pattern: RegExp,
  atMatch: () => Promise<void> = () => Promise.resolve(),
  kill = true,
): Promise<{ stderr: string; matched: boolean; code: number }> {
  const running = spawnRotate(world, args);
  const matched = await running.seen(pattern);
  if (matched) {
    await atMatch();
    if (kill) running.kill();
  }
  const { stderr, code } = await running.end();
  return { stderr, matched, code };
}

/** An answer held this long is held until the test releases it (or the emulator closes). */
export const HOLD_MS = 3_600_000;

/** A predicate for `waitForRequest` matching the `n`th call of `action` (1-based). */
export function nthCall(action: string, n = 1): (request: { action: string }) => boolean {
  let seen = 0;
  return (request) => request.action === action && ++seen === n;
}

/** The record of a rotation in progress, as the credentials file holds it; undefined when there is none. */
export async function recordOnDisk(home: TempHome): Promise<Record<string, string> | undefined> {
  const text = await home.read(".aws/credentials") ?? "";
  const files = parseProfileFiles({ credentials: text });
  return getProfile(files, RECORD);
}

/**
 * The end of every rotation: the profile holds a new key that AWS accepts, IAM holds exactly that key (and the
 * second key of -t, which works), the old key is gone, and no record is left. Returns the profile's key.
 */
export async function assertFinished(world: World, user = "alice", old: Key = ALICE): Promise<Key> {
  const keys = await assertWorkingKeyOnDisk(world);
  const fresh = keys[PROFILE];
  assert.notEqual(fresh.accessKeyId, old.accessKeyId, "the key was not rotated");
  assert.deepEqual(Object.keys(keys), [PROFILE]);
  assert.equal(await recordOnDisk(world.home), undefined, "a rotation record is left");
  assert.ok(!(await world.home.read(".aws/credentials"))!.includes("stc_rotation"));
  assert.deepEqual(iamKeys(world.emu, user), [fresh.accessKeyId]);
  assert.ok(!(await works(world.emu, old)), "the old key still works");
  return fresh;
}

/** stdout holds two import lines for the key: stc's (`printf … | stc import … -`) and session-tool.sh's. */
export function assertImportCommand(stdout: string, key: Key): void {
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
export async function importElsewhere(world: World, stdout: string): Promise<Record<string, Key>> {
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

/**
 * Holds the answer to the next call of `action` once AWS has carried it out, and resolves when that call has
 * arrived. With `after`, the next call of `action` after the next call of `after` (held until then): e.g. the
 * second CreateAccessKey of a `-t` rotation is the next one after GetCallerIdentity. Call it before the run starts
 * (the hold is set at once); release with `emu.clearLatencies()`.
 */
export async function holdNext(emu: Emulator, action: string, after?: string): Promise<void> {
  if (after !== undefined) {
    emu.setLatency(after, HOLD_MS);
    await emu.waitForRequest(nthCall(after, callsSoFar(emu, after) + 1));
  }
  // The client waits for `after`'s answer: no call of `action` can arrive until it is released below.
  const n = callsSoFar(emu, action) + 1;
  emu.setLatency(action, HOLD_MS);
  if (after !== undefined) emu.setLatency(after, 0);
  await emu.waitForRequest(nthCall(action, n));
}

function callsSoFar(emu: Emulator, action: string): number {
  return emu.requests({ includeUnauthenticated: true }).filter((r) => r.action === action).length;
}

/** The end of a `-t` rotation: the profile's new key and a second key, both working, are all IAM holds. */
export async function assertFinishedWithSecondKey(
  world: World,
  stdout: string,
  user = "alice",
  old: Key = ALICE,
): Promise<{ here: Key; second: Key }> {
  const keys = await assertWorkingKeyOnDisk(world);
  const here = keys[PROFILE];
  assert.notEqual(here.accessKeyId, old.accessKeyId, "the key was not rotated");
  assert.deepEqual(Object.keys(keys), [PROFILE]);
  assert.equal(await recordOnDisk(world.home), undefined, "a rotation record is left");
  const second = parseImportCommand(stdout.trim().split("\n")[0]);
  assertImportCommand(stdout, second);
  assert.ok(await works(world.emu, second), "the second key does not work");
  assert.deepEqual(iamKeys(world.emu, user), [here.accessKeyId, second.accessKeyId].sort());
  return { here, second };
}

/**
 * After a run that failed or was killed: the profile still holds a working key, and the next plain `stc rotate -n`
 * (faults and held answers cleared) finishes the rotation, saying so when a record was left. No message of either
 * run names an AWS CLI command. Returns the next run.
 */
export async function assertNextRunFinishes(
  world: World,
  failed: { stderr: string },
  finish: (world: World, stdout: string) => Promise<unknown> = (w, stdout) =>
    assertFinished(w).then((fresh) => assertImportCommand(stdout, fresh)),
): Promise<RunResult> {
  world.emu.clearFaults();
  world.emu.clearLatencies();
  await assertWorkingKeyOnDisk(world);
  const recorded = await recordOnDisk(world.home);
  const createdBefore = world.emu.calls("CreateAccessKey");
  const next = await rotate(world, ["-n"]);
  assert.equal(next.code, 0, next.stderr);
  if (recorded) {
    assert.match(next.stderr, /finishing the rotation of profile 'awsops' that stopped while/);
    if (recorded.stc_rotation_step !== "create") {
      // Finishing is not rotating again: the only key made is the second key of a -t rotation.
      const second = recorded.stc_rotation_two_keys === "true" ? 1 : 0;
      assert.equal(world.emu.calls("CreateAccessKey") - createdBefore, second, "rotated again");
    }
  } else {
    assert.doesNotMatch(next.stderr, /finishing the rotation/);
  }
  await finish(world, next.stdout);
  for (const text of [failed.stderr, next.stderr]) assert.doesNotMatch(text, /aws iam/);
  return next;
}
