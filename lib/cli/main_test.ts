import assert from "node:assert/strict";
import { debugTrace } from "./report.ts";
import { StcError } from "../core/errors.ts";

Deno.test("debugTrace prints the stacks of an error and its causes, never their other properties", () => {
  const sdkError = Object.assign(new Error("The request signature we calculated does not match"), {
    name: "SignatureDoesNotMatch",
    $response: { headers: { "x-amz-security-token": "TOKEN-IN-A-RESPONSE-OBJECT" } },
    CanonicalRequest: "x-amz-security-token:TOKEN-IN-A-PARSED-ERROR-BODY",
  });
  const trace = debugTrace(new StcError("GetCallerIdentity: rejected", { cause: sdkError }));
  assert.match(trace, /^StcError: GetCallerIdentity: rejected\n {4}at /);
  assert.match(trace, /\ncaused by: SignatureDoesNotMatch: The request signature .*\n {4}at /);
  assert.doesNotMatch(trace, /TOKEN-IN-A/);
  const odd = debugTrace(new Error("outer", { cause: { secret: "OBJECT-CAUSE-SECRET" } }));
  assert.match(odd, /caused by: \(a thrown object, not shown\)\n$/);
  assert.doesNotMatch(odd, /OBJECT-CAUSE-SECRET/);
});
