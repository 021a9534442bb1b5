/**
 * MFA device discovery where ListMFADevices needs a user name (IAM set-ups and emulators such as moto answer a
 * request without one with "The user with name None cannot be found"): stc names the user from the caller's ARN.
 *
 * @module
 */

import assert from "node:assert/strict";
import { runStc } from "./helpers.ts";
import { aliceHome, emulated, freshCode } from "./session_fixture.ts";
import { world } from "./role_world.ts";

Deno.test("stc session discovers the MFA device when ListMFADevices requires UserName", async () => {
  await using emulator = await emulated({ quiet: true });
  emulator.setListMfaDevicesRequiresUserName(true);
  await using home = await aliceHome();
  const result = await runStc(["session", freshCode(emulator)], {
    env: { ...home.env, ...emulator.env() },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    (await home.read(".aws/config"))!,
    /\[profile awsops\]\nmfa_serial = arn:aws:iam::111111111111:mfa\/alice/,
  );
  const [list] = emulator.requests().filter((r) => r.action === "ListMFADevices");
  assert.equal(list.params.UserName, "alice");
});

Deno.test("stc assume with the access key discovers the MFA device when ListMFADevices requires UserName", async () => {
  await using w = await world();
  w.emulator.setListMfaDevicesRequiresUserName(true);
  const config = (await w.home.read(".aws/config"))!.replace(/^mfa_serial = .*\n/m, "");
  await w.home.write(".aws/config", config);
  const result = await runStc(["assume", "prod-ro"], {
    env: w.env,
    stdin: `${w.emulator.totp("alice")}\n`,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /saved mfa_serial = arn:aws:iam::111111111111:mfa\/alice/);
});
