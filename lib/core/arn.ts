/**
 * Amazon Resource Names: the parts stc reads from them.
 *
 * @example
 * ```ts
 * import { partitionOf, partitionOfRegion, resourceName, roleArn } from "./arn.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(resourceName("arn:aws:iam::111111111111:user/ops/alice"), "alice");
 * assert.equal(resourceName("arn:aws:sts::111111111111:assumed-role/Admin/alice"), "alice");
 * assert.equal(partitionOf("arn:aws-cn:iam::111111111111:user/alice"), "aws-cn");
 * assert.equal(partitionOfRegion("us-gov-west-1"), "aws-us-gov");
 * assert.equal(roleArn("333333333333", "Admin", partitionOfRegion("cn-north-1")), "arn:aws-cn:iam::333333333333:role/Admin");
 * ```
 *
 * @module
 */

/**
 * The last path segment of an ARN's resource: the user name of a user ARN (`…:user/path/name`), the session name
 * of an assumed-role ARN. The whole text when it has no `/`.
 */
export function resourceName(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1) || arn;
}

/**
 * The IAM user name in a user ARN (`arn:PARTITION:iam::ACCOUNT:user/PATH/NAME`), or undefined for any other ARN
 * (roles, federated users, the root user).
 *
 * @example
 * ```ts
 * import { iamUserName } from "./arn.ts";
 * iamUserName("arn:aws:iam::111111111111:user/ops/alice"); // "alice"
 * iamUserName("arn:aws:sts::111111111111:assumed-role/Admin/alice"); // undefined
 * ```
 */
export function iamUserName(arn: string): string | undefined {
  const match = /^arn:[a-z][a-z-]*:iam::\d{12}:user\/(?:[^/]*\/)*([^/]+)$/.exec(arn);
  return match ? match[1] : undefined;
}

/** The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`, …), or undefined when `arn` is not one. */
export function partitionOf(arn: string): string | undefined {
  const match = /^arn:([a-z][a-z-]*):/.exec(arn);
  return match ? match[1] : undefined;
}

/** An AWS partition with its own endpoints, sign-in and console hosts, that stc knows. */
export type Partition = "aws" | "aws-cn" | "aws-us-gov";

/** The partition a region belongs to: `cn-…` regions are in `aws-cn`, `us-gov-…` in `aws-us-gov`, the rest in `aws`. */
export function partitionOfRegion(region: string): Partition {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The role ARN of a role in an account, in `partition` (default `aws`). */
export function roleArn(accountId: string, roleName: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}
