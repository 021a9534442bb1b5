import assert from "node:assert/strict";
import { captureTerm } from "../term/term.ts";
import { resolveMfaDevice } from "./mfa.ts";
import type { AwsTarget } from "../aws/client.ts";

/** A target no call may use: the serial from the profile needs no AWS call. */
const NO_AWS: AwsTarget = {
  env: { AWS_ENDPOINT_URL: "http://127.0.0.1:9" },
  region: "us-east-1",
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "unused-unused-unused" },
};

Deno.test("mfa_serial from the config is used only when it follows IAM's rule for serials", async () => {
  const serial = "arn:aws:iam::111111111111:mfa/alice";
  assert.deepEqual(await resolveMfaDevice(captureTerm(), { mfa_serial: serial }, "p", NO_AWS), {
    serial,
    discovered: false,
  });
  for (
    const [bad, problem] of [
      [`${serial}\x1b]0;PWNED\x07`, "holds a control character"],
      ["arn:aws:iam::111111111111:mfa/a b", "holds a space"],
      [`arn:aws:iam::111111111111:mfa/${"x".repeat(300)}`, "is 330 characters long (at most 256)"],
    ]
  ) {
    await assert.rejects(
      () => resolveMfaDevice(captureTerm(), { mfa_serial: bad }, "p", NO_AWS),
      (error: Error) =>
        error.message.startsWith("mfa_serial of profile 'p' is not usable: the serial ") &&
        error.message.includes(problem),
    );
  }
});
