/**
 * Test support shared by the session, store and import tests: alice's home directory, an emulator that
 * disposes itself, fresh MFA codes, and the one-error-line failure contract.
 *
 * @module
 */

import assert from "node:assert/strict";
import { type Emulator, type EmulatorOptions, startEmulator } from "./emulator/server.ts";
import { makeHome, type RunResult, type TempHome } from "./helpers.ts";

/** alice's long-term key in the emulator's default fixture. */
export const ALICE_KEY = "AKIAALICEEXAMPLEKEY1";
/** Its secret. */
export const ALICE_SECRET = "aliceEmulatorSecretKey0123456789abcdefgh";
/** alice's user ARN. */
export const ALICE_ARN = "arn:aws:iam::111111111111:user/alice";

/** An emulator for `await using`. */
export type DisposableEmulator = Emulator & AsyncDisposable;

/** Starts an emulator that closes itself when disposed. */
export async function emulated(options?: EmulatorOptions): Promise<DisposableEmulator> {
  const emulator = await startEmulator(options);
  return Object.assign(emulator, { [Symbol.asyncDispose]: () => emulator.close() });
}

/** A temporary HOME whose profile `awsops` holds alice's key, with `config` as ~/.aws/config. */
export async function aliceHome(
  config = "[default]\nsession_tool_default_profile = awsops\n",
): Promise<TempHome> {
  const home = await makeHome();
  await home.write(
    ".aws/credentials",
    `[awsops]\naws_access_key_id = ${ALICE_KEY}\naws_secret_access_key = ${ALICE_SECRET}\n`,
    0o600,
  );
  await home.write(".aws/config", config);
  return home;
}

/** A code the emulator has not seen: each code works once, so its clock moves to a fresh window. */
export function freshCode(emulator: Emulator): string {
  emulator.advanceClock(90);
  return emulator.totp("alice");
}

/** A failure: the exit code, nothing on stdout, one `stc: error:` line, no stack trace. */
export function assertFailure(result: RunResult, code: number): void {
  assert.equal(result.code, code, result.stderr);
  assert.equal(result.stdout, "");
  const errors = result.stderr.split("\n").filter((l) => l.startsWith("stc: error:"));
  assert.equal(errors.length, 1, result.stderr);
  assert.ok(!result.stderr.includes("    at "), "no stack trace");
}

/** The bytes of the AWS files, to check that a failure left them alone. */
export async function snapshot(home: TempHome): Promise<(string | undefined)[]> {
  return [await home.read(".aws/config"), await home.read(".aws/credentials")];
}
