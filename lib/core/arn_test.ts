import assert from "node:assert/strict";
import { iamUserName } from "./arn.ts";

Deno.test("iamUserName: the name of a user ARN in any partition and path; nothing for other ARNs", () => {
  assert.equal(iamUserName("arn:aws:iam::111111111111:user/alice"), "alice");
  assert.equal(iamUserName("arn:aws:iam::111111111111:user/ops/eu/bob.smith+x@y"), "bob.smith+x@y");
  assert.equal(iamUserName("arn:aws-cn:iam::111111111111:user/carol"), "carol");
  for (
    const other of [
      "arn:aws:sts::111111111111:assumed-role/Admin/alice",
      "arn:aws:sts::111111111111:federated-user/alice",
      "arn:aws:iam::111111111111:root",
      "arn:aws:iam::111111111111:role/Admin",
      "arn:aws:iam::111111111111:user/",
      "",
      "alice",
    ]
  ) assert.equal(iamUserName(other), undefined, other);
});
