import assert from "node:assert/strict";
import { roleRequestFromArgs } from "./assume.ts";
import { StcError } from "../core/errors.ts";

function usage(fn: () => unknown): void {
  assert.throws(fn, (e) => e instanceof StcError && e.exitCode === 2);
}

Deno.test("roleRequestFromArgs reads the alias, Coinbase and MFA forms", () => {
  assert.deepEqual(roleRequestFromArgs([], {}), {});
  assert.deepEqual(roleRequestFromArgs(["dev-admin"], { duration: "2h", profile: "p" }), {
    role: "dev-admin",
    durationSeconds: 7200,
    profile: "p",
  });
  assert.deepEqual(roleRequestFromArgs(["dev-admin", "123456"], {}), {
    role: "dev-admin",
    mfaCode: "123456",
  });
  assert.deepEqual(roleRequestFromArgs(["prod", "Admin"], { mfa: "654321" }), {
    role: "prod",
    roleName: "Admin",
    mfaCode: "654321",
  });
  assert.deepEqual(roleRequestFromArgs(["prod", "Admin", "111222"], {}), {
    role: "prod",
    roleName: "Admin",
    mfaCode: "111222",
  });
  usage(() => roleRequestFromArgs(["prod", "Admin", "12345"], {}));
  usage(() => roleRequestFromArgs(["prod", "123456"], { mfa: "123456" }));
  usage(() => roleRequestFromArgs(["prod"], { duration: "forever" }));
});
