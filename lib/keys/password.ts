/**
 * Console passwords that satisfy an IAM account password policy, drawn from the system CSPRNG.
 *
 * A password is drawn uniformly from the whole alphabet (upper- and lowercase letters, digits and the
 * symbols IAM counts as symbols) and redrawn until it holds every character class: the result is uniform
 * over all passwords of that length that contain each class, so it satisfies any policy's character
 * requirements without the bias of "one of each, then shuffle". Every random index is unbiased
 * (rejection sampling, never `random % n` alone).
 *
 * @module
 */

import type { PasswordPolicy } from "../aws/client.ts";

/** A source of random 32-bit words, `crypto.getRandomValues` by default. Tests pass their own. */
export type RandomSource = (words: Uint32Array) => Uint32Array;

/** Uppercase letters. */
export const UPPERCASE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** Lowercase letters. */
export const LOWERCASE = "abcdefghijklmnopqrstuvwxyz";
/** Digits. */
export const DIGITS = "0123456789";
/** The characters IAM counts as symbols for `RequireSymbols` (its documented set). */
export const SYMBOLS = "!@#$%^&*()_+-=[]{}|'";

const CLASSES: readonly string[] = [UPPERCASE, LOWERCASE, DIGITS, SYMBOLS];
const ALPHABET = CLASSES.join("");

/** The shortest password stc generates, whatever the policy allows: ~130 bits of entropy. */
export const MIN_GENERATED_LENGTH = 20;
/** IAM's maximum password length. */
export const MAX_PASSWORD_LENGTH = 128;

/** The policy assumed when the account's cannot be read: every class, at least 20 characters. */
export const STRONG_DEFAULT_POLICY: PasswordPolicy = {
  minimumLength: MIN_GENERATED_LENGTH,
  requireSymbols: true,
  requireNumbers: true,
  requireUppercase: true,
  requireLowercase: true,
};

const defaultSource: RandomSource = (words) => crypto.getRandomValues(words);

/**
 * A uniformly distributed integer in `[0, n)`. Words at or above the largest multiple of `n` below 2^32
 * are rejected, so every result is equally likely.
 */
export function randomIndex(n: number, random: RandomSource = defaultSource): number {
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`bad range ${n}`);
  const limit = 2 ** 32 - (2 ** 32 % n);
  const word = new Uint32Array(1);
  while (true) {
    random(word);
    if (word[0] < limit) return word[0] % n;
  }
}

/** Whether `password` meets the policy's length and character-class requirements. */
export function satisfiesPolicy(password: string, policy: PasswordPolicy): boolean {
  const has = (set: string) => [...password].some((c) => set.includes(c));
  return password.length >= policy.minimumLength &&
    password.length <= MAX_PASSWORD_LENGTH &&
    (!policy.requireUppercase || has(UPPERCASE)) &&
    (!policy.requireLowercase || has(LOWERCASE)) &&
    (!policy.requireNumbers || has(DIGITS)) &&
    (!policy.requireSymbols || has(SYMBOLS));
}

/** The length stc generates for a policy: its minimum, but never less than 20 nor more than 128. */
export function generatedLength(policy: PasswordPolicy): number {
  return Math.min(MAX_PASSWORD_LENGTH, Math.max(MIN_GENERATED_LENGTH, policy.minimumLength));
}

/**
 * A new random password satisfying `policy` (the strong default when the account has none). It always
 * holds all four character classes, which every IAM policy accepts.
 */
export function generatePassword(
  policy: PasswordPolicy = STRONG_DEFAULT_POLICY,
  random: RandomSource = defaultSource,
): string {
  const length = generatedLength(policy);
  // A draw of 20 misses some class with probability < 0.1, so 200 failed draws mean a broken source.
  for (let attempt = 0; attempt < 200; attempt++) {
    let password = "";
    for (let i = 0; i < length; i++) password += ALPHABET[randomIndex(ALPHABET.length, random)];
    if (CLASSES.every((set) => [...password].some((c) => set.includes(c)))) return password;
  }
  throw new Error("the random source does not produce every character class");
}
