import assert from "node:assert/strict";
import { isValidBucketName, validateBucketName } from "./bucket.ts";

Deno.test("validateBucketName accepts names S3 accepts", () => {
  for (
    const name of [
      "abc",
      "a".repeat(63),
      "acme-roles",
      "acme.roles.eu-west-1",
      "1bucket9",
      "192.168.5.4x",
      "xn-not-reserved",
      // Access point aliases and directory buckets: S3 serves GetObject for these names.
      "ap-123-s3alias",
      "roles--use1-az4--x-s3",
    ]
  ) {
    assert.equal(validateBucketName(name), undefined, name);
  }
});

Deno.test("validateBucketName refuses names S3 refuses, with a reason that does not echo the name", () => {
  const cases: [string, RegExp][] = [
    ["", /3 to 63/],
    ["ab", /3 to 63/],
    ["a".repeat(64), /3 to 63/],
    ["my bucket #1", /lowercase letters, digits/],
    ["a\nb", /lowercase letters, digits/],
    ["Acme", /lowercase letters, digits/],
    ["under_score", /lowercase letters, digits/],
    ["x';touch PWNED;#", /lowercase letters, digits/],
    ["=deno", /lowercase letters, digits/],
    ["%self", /lowercase letters, digits/],
    ["$(id)", /lowercase letters, digits/],
    ["-abc", /starts and ends/],
    ["abc.", /starts and ends/],
    ["a..b", /two dots/],
    ["192.168.5.4", /IP address/],
    ["xn--abc", /reserved/],
    ["sthree-abc", /reserved/],
    ["amzn-s3-demo-abc", /reserved/],
  ];
  for (const [name, reason] of cases) {
    const problem = validateBucketName(name);
    assert.match(problem ?? "", reason, JSON.stringify(name));
    if (name.length > 3) assert.ok(!problem!.includes(name), "the reason does not repeat the name");
    assert.equal(isValidBucketName(name), false);
  }
});
