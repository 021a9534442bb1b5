/**
 * S3 bucket names from the user, checked against S3's naming rules (`core/bucket.ts`) wherever one enters stc (`stc import -b`, an import line,
 * `session-tool_bucketname` in ~/.aws/config), so that a name no bucket can have never reaches a request, a
 * message or a command line printed for another host.
 *
 * @example
 * ```ts
 * import { checkBucketName } from "./bucket.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(checkBucketName("my-org-roles", "-b"), "my-org-roles");
 * assert.throws(() => checkBucketName("My_Bucket", "-b"), /is not an S3 bucket name/);
 * ```
 *
 * @module
 */

import { usageError } from "../core/errors.ts";
import { validateBucketName } from "../core/bucket.ts";
import { shownName } from "../core/profile_name.ts";
import { msg } from "../core/message.ts";

/**
 * `name` when it is a valid S3 bucket name; else a usage error saying where it came from (`where`, e.g.
 * `-b` or `session-tool_bucketname of profile 'x'`) and the rule it breaks.
 */
export function checkBucketName(name: string, where: string, hint?: string): string {
  const problem = validateBucketName(name);
  if (problem === undefined) return name;
  throw usageError(
    msg`${where}: ${shownName(name)} is not an S3 bucket name (${problem})`,
    hint ?? "use the name of the S3 bucket that holds the organisation's roles file",
  );
}
