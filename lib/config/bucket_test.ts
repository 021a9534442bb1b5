import assert from "node:assert/strict";
import { checkBucketName } from "./bucket.ts";
import { ExitCode, StcError } from "../core/errors.ts";

Deno.test("checkBucketName refuses what shells would expand or split, before any use", () => {
  for (const good of ["abc", "my-org-roles", "a.b.c", "123", "x".repeat(63), "ap-123-s3alias"]) {
    assert.equal(checkBucketName(good, "-b"), good);
  }
  const bad = ["ab", "My-Bucket", "my bucket #1", "a\nb", "x';touch PWNED;#", "x\\';touch PWNED;#"];
  for (
    const name of [
      ...bad,
      "=deno",
      "%self",
      "~",
      "-abc",
      "abc.",
      "a..b",
      "192.168.1.1",
      "xn--abc",
      "",
    ]
  ) {
    assert.throws(() => checkBucketName(name, "-b"), StcError, JSON.stringify(name));
  }
});

Deno.test("checkBucketName: a usage error naming where the name came from", () => {
  assert.equal(checkBucketName("my-org-roles", "-b"), "my-org-roles");
  assert.throws(
    () => checkBucketName("Bad Name", "option '--bucket'"),
    (e: unknown) => {
      assert.ok(e instanceof StcError);
      assert.equal(e.exitCode, ExitCode.Usage);
      assert.equal(
        e.message,
        "option '--bucket': 'Bad Name' is not an S3 bucket name (a bucket name has only lowercase letters, digits, dots and hyphens)",
      );
      return true;
    },
  );
});
