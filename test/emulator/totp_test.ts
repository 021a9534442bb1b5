import assert from "node:assert/strict";
import { base32Decode, totp, verifyTotp } from "./totp.ts";

// RFC 6238 appendix B (SHA-1 seed "12345678901234567890"), last 6 of the 8-digit values.
const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

Deno.test("totp: RFC 6238 test vectors", () => {
  assert.equal(new TextDecoder().decode(base32Decode(SEED)), "12345678901234567890");
  assert.equal(totp(SEED, 59_000), "287082");
  assert.equal(totp(SEED, 1111111109_000), "081804");
  assert.equal(totp(SEED, 1234567890_000), "005924");
  assert.equal(totp(SEED, 2000000000_000), "279037");
});

Deno.test("totp: verification accepts one step either side only", () => {
  const t = 1234567890_000;
  assert.equal(verifyTotp(SEED, totp(SEED, t), t), Math.floor(t / 30_000));
  assert.ok(verifyTotp(SEED, totp(SEED, t, -1), t) !== undefined);
  assert.ok(verifyTotp(SEED, totp(SEED, t, 1), t) !== undefined);
  assert.equal(verifyTotp(SEED, totp(SEED, t, 2), t), undefined);
  assert.equal(verifyTotp(SEED, totp(SEED, t, -2), t), undefined);
  assert.throws(() => base32Decode("not base32!"));
});
