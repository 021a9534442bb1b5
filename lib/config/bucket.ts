/**
 * S3 bucket names, checked against S3's naming rules wherever one enters stc (`stc import -b`, an import line,
 * `session-tool_bucketname` in ~/.aws/config), so that a name no bucket can have never reaches a request, a
 * message or a command line printed for another host.
 *
 * @example
 * ```ts
 * import { bucketNameProblem } from "./bucket.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(bucketNameProblem("my-org-roles"), undefined);
 * assert.equal(bucketNameProblem("My_Bucket"), "only lowercase letters, digits, dots and hyphens");
 * ```
 *
 * @module
 */

import { usageError } from "../core/errors.ts";

const BUCKET_CHARS = /^[a-z0-9.-]*$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;
/** Prefixes S3 reserves; no general purpose bucket can start with them. */
const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];

/**
 * Why `name` cannot be an S3 bucket name (general purpose, or a directory bucket), or undefined when it can:
 * 3 to 63 characters; lowercase letters, digits, dots and hyphens; a letter or digit first and last; no two
 * dots in a row; not an IP address; none of the prefixes S3 reserves. Access point aliases (`…-s3alias`) pass.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (!BUCKET_CHARS.test(name)) return "only lowercase letters, digits, dots and hyphens";
  if (name.length < 3 || name.length > 63) return "3 to 63 characters";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    return "a letter or digit at the start and the end";
  }
  if (name.includes("..")) return "no two dots in a row";
  if (IP_ADDRESS.test(name)) return "not an IP address";
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `not starting with '${prefix}' (reserved by S3)`;
  return undefined;
}

/** How a rejected name is shown: cut short, as the sanitiser will escape control characters in it. */
function shown(name: string): string {
  return name.length > 70 ? `${name.slice(0, 67)}...` : name;
}

/**
 * `name` when it is a valid S3 bucket name; else a usage error saying where it came from (`where`, e.g.
 * `-b` or `session-tool_bucketname of profile 'x'`) and the rule it breaks.
 */
export function checkBucketName(name: string, where: string, hint?: string): string {
  const problem = bucketNameProblem(name);
  if (problem === undefined) return name;
  throw usageError(
    `${where}: '${shown(name)}' is not an S3 bucket name (${problem})`,
    hint ?? "use the name of the S3 bucket that holds the organisation's roles file",
  );
}
