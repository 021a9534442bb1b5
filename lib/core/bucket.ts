/**
 * S3 bucket names: the rules S3 applies to the names of new general purpose buckets. A name that breaks them is
 * refused wherever one enters stc (`stc import -b`, import lines, `session-tool_bucketname` in the config), so a
 * hostile "bucket" never reaches a file, a shell line or a request.
 *
 * @example
 * ```ts
 * import { isValidBucketName, validateBucketName } from "./bucket.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(validateBucketName("acme-roles.eu-west-1"), undefined);
 * assert.equal(isValidBucketName("my bucket #1"), false);
 * assert.equal(
 *   validateBucketName("My-Bucket"),
 *   "a bucket name has only lowercase letters, digits, dots and hyphens",
 * );
 * ```
 *
 * @module
 */

/** Prefixes S3 reserves. */
const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;

/**
 * What is wrong with `name` as an S3 bucket name, or undefined when it follows S3's rules: 3 to 63 characters,
 * lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no two dots in a row,
 * not shaped like an IP address, without a prefix S3 reserves. Names with the suffixes S3 reserves for aliases
 * and special buckets (`-s3alias`, `--x-s3`, …) pass: S3 serves GetObject for them, so they can hold a roles
 * list. The reason never repeats the name, so it is safe to show whatever the name holds.
 */
export function validateBucketName(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return "a bucket name is 3 to 63 characters long";
  if (!/^[a-z0-9.-]+$/.test(name)) {
    return "a bucket name has only lowercase letters, digits, dots and hyphens";
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    return "a bucket name starts and ends with a letter or digit";
  }
  if (name.includes("..")) return "a bucket name has no two dots in a row";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "a bucket name is not an IP address";
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `bucket names starting with '${prefix}' are reserved by S3`;
  return undefined;
}

/** Whether `name` follows S3's bucket naming rules (see {@linkcode validateBucketName}). */
export function isValidBucketName(name: string): boolean {
  return validateBucketName(name) === undefined;
}
