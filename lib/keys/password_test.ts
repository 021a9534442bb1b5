import assert from "node:assert/strict";
import type { PasswordPolicy } from "../aws/client.ts";
import {
  DIGITS,
  generatedLength,
  generatePassword,
  LOWERCASE,
  MAX_PASSWORD_LENGTH,
  randomIndex,
  type RandomSource,
  satisfiesPolicy,
  STRONG_DEFAULT_POLICY,
  SYMBOLS,
  UPPERCASE,
} from "./password.ts";

/** A source that returns the given words in order, then fails the test. */
function scripted(words: number[]): RandomSource {
  let i = 0;
  return (out) => {
    for (let j = 0; j < out.length; j++) {
      if (i >= words.length) throw new Error("scripted random source exhausted");
      out[j] = words[i++];
    }
    return out;
  };
}

const policy = (over: Partial<PasswordPolicy>): PasswordPolicy => ({
  minimumLength: 8,
  requireSymbols: false,
  requireNumbers: false,
  requireUppercase: false,
  requireLowercase: false,
  ...over,
});

Deno.test("randomIndex rejects words above the largest multiple of n", () => {
  // 2^32 % 3 === 1: 0xFFFFFFFF lies in the incomplete last block and must be redrawn.
  assert.equal(randomIndex(3, scripted([0xffffffff, 5])), 2);
  assert.equal(randomIndex(3, scripted([0xfffffffe])), 0xfffffffe % 3);
  // A power of two never rejects.
  assert.equal(randomIndex(64, scripted([0xffffffff])), 63);
  assert.throws(() => randomIndex(0));
});

Deno.test("randomIndex is close to uniform over many draws", () => {
  const n = 7;
  const draws = 70_000;
  const counts = new Array(n).fill(0);
  for (let i = 0; i < draws; i++) counts[randomIndex(n)]++;
  // Chi-square with 6 degrees of freedom: 35 is beyond the 0.99999 quantile (a flake in 1e5 runs).
  const expected = draws / n;
  const chi = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
  assert.ok(chi < 35, `chi-square ${chi.toFixed(1)} for counts ${counts}`);
});

Deno.test("generated passwords satisfy the policy they were made for", () => {
  const policies = [
    STRONG_DEFAULT_POLICY,
    policy({ minimumLength: 14, requireSymbols: true, requireNumbers: true }),
    policy({ minimumLength: 6 }),
    policy({ minimumLength: 40, requireUppercase: true, requireLowercase: true }),
    policy({ minimumLength: 128, requireSymbols: true }),
  ];
  for (const p of policies) {
    for (let i = 0; i < 50; i++) {
      const password = generatePassword(p);
      assert.equal(password.length, generatedLength(p));
      assert.ok(satisfiesPolicy(password, p));
      for (const set of [UPPERCASE, LOWERCASE, DIGITS, SYMBOLS]) {
        assert.ok([...password].some((c) => set.includes(c)), `missing one of ${set}`);
      }
    }
  }
});

Deno.test("generatedLength: at least 20, the policy's minimum above that, at most 128", () => {
  assert.equal(generatedLength(policy({ minimumLength: 6 })), 20);
  assert.equal(generatedLength(policy({ minimumLength: 33 })), 33);
  assert.equal(generatedLength(policy({ minimumLength: 500 })), MAX_PASSWORD_LENGTH);
});

Deno.test("generatePassword redraws until every class is present", () => {
  // Index 0 is 'A'. Twenty 'A's miss three classes; the second draw has one of each class first.
  const alphabet = UPPERCASE + LOWERCASE + DIGITS + SYMBOLS;
  const second = ["b", "7", "!", ...Array(17).fill("A")].map((c) => alphabet.indexOf(c));
  const password = generatePassword(
    STRONG_DEFAULT_POLICY,
    scripted([...Array(20).fill(0), ...second]),
  );
  assert.equal(password, "b7!" + "A".repeat(17));
});

Deno.test("generatePassword gives up on a source that cannot produce every class", () => {
  assert.throws(() => generatePassword(STRONG_DEFAULT_POLICY, (w) => w.fill(0)), /character class/);
});

Deno.test("satisfiesPolicy checks length and each required class", () => {
  const strict = policy({
    minimumLength: 10,
    requireSymbols: true,
    requireNumbers: true,
    requireUppercase: true,
    requireLowercase: true,
  });
  assert.ok(satisfiesPolicy("Abcdefgh1!", strict));
  assert.ok(!satisfiesPolicy("Abcdefg1!", strict)); // too short
  assert.ok(!satisfiesPolicy("abcdefgh1!", strict)); // no uppercase
  assert.ok(!satisfiesPolicy("ABCDEFGH1!", strict)); // no lowercase
  assert.ok(!satisfiesPolicy("Abcdefghi!", strict)); // no digit
  assert.ok(!satisfiesPolicy("Abcdefghi1", strict)); // no symbol
  assert.ok(!satisfiesPolicy("Abcdefgh1~", strict)); // ~ is not one of IAM's symbols
});

Deno.test("distinct calls give distinct passwords", () => {
  const seen = new Set(Array.from({ length: 200 }, () => generatePassword()));
  assert.equal(seen.size, 200);
});
