import assert from "node:assert/strict";
import { bucketNameProblem, checkBucketName } from "./bucket.ts";
import { ExitCode, StcError } from "../core/errors.ts";

Deno.test("bucketNameProblem: S3's naming rules", () => {
  for (const good of ["abc", "my-org-roles", "a.b.c", "123", "x".repeat(63), "ap-123-s3alias"]) {
    assert.equal(bucketNameProblem(good), undefined, good);
  }
  const bad: [string, RegExp][] = [
    ["ab", /3 to 63/],
    ["x".repeat(64), /3 to 63/],
    ["My-Bucket", /lowercase/],
    ["my_bucket", /lowercase/],
    ["my bucket #1", /lowercase/],
    ["a\nb", /lowercase/],
    ["x';touch PWNED;#", /lowercase/],
    ["x\\';touch PWNED;#", /lowercase/],
    ["=deno", /lowercase/],
    ["%self", /lowercase/],
    ["~", /lowercase/],
    ["-abc", /start and the end/],
    ["abc.", /start and the end/],
    ["a..b", /two dots/],
    ["192.168.1.1", /IP address/],
    ["xn--abc", /reserved/],
    ["", /3 to 63/],
  ];
  for (const [name, problem] of bad) assert.match(bucketNameProblem(name) ?? "", problem, name);
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
        "option '--bucket': 'Bad Name' is not an S3 bucket name (only lowercase letters, digits, dots and hyphens)",
      );
      return true;
    },
  );
});
