import assert from "node:assert/strict";
import { isClockSkewError, isRetryable } from "./retry.ts";

const answer = (name: string, status: number, extra: Record<string, unknown> = {}) => ({
  name,
  message: String(extra.message ?? name),
  $metadata: { httpStatusCode: status, ...(extra.$metadata as object ?? {}) },
});
const skewed = { $metadata: { clockSkewCorrected: true } };

Deno.test("isRetryable: throttling, 5xx and connection failures are retried", () => {
  for (
    const error of [
      answer("Throttling", 400),
      answer("SlowDown", 503),
      answer("Whatever", 429),
      answer("InternalFailure", 500),
      answer("ServiceUnavailable", 503),
      answer("BadGateway", 502),
      answer("RequestTimeout", 400),
      { name: "StcNetworkError", failure: "reset" },
      { name: "StcNetworkError", failure: "refused" },
      { name: "Error", code: "ECONNRESET" },
      { name: "Error", code: "EAI_AGAIN" },
    ]
  ) assert.equal(isRetryable(error), true, JSON.stringify(error));
});

Deno.test("isRetryable: credentials, access, validation, timeouts and TLS are not retried", () => {
  for (
    const error of [
      answer("ExpiredToken", 400),
      answer("InvalidClientTokenId", 403),
      answer("AccessDenied", 403),
      answer("SignatureDoesNotMatch", 403),
      answer("ValidationError", 400),
      answer("NotImplemented", 501),
      // A corrected clock cannot make these succeed (the SDK's standard strategy retries them).
      answer("ExpiredToken", 400, skewed),
      answer("InvalidClientTokenId", 403, skewed),
      answer("AccessDenied", 403, skewed),
      answer("SignatureDoesNotMatch", 403, {
        ...skewed,
        message: "The request signature … does not match",
      }),
      { name: "StcTimeout", failure: "connect-timeout" },
      { name: "StcNetworkError", failure: "tls" },
      { name: "StcNetworkError", failure: "dns" },
      { name: "AbortError" },
      undefined,
    ]
  ) assert.equal(isRetryable(error), false, JSON.stringify(error));
});

Deno.test("isRetryable: clock-skew errors are retried once the SDK corrected its clock", () => {
  const expired = {
    message: "Signature expired: 20260101T000000Z is now earlier than 20260101T001500Z",
  };
  assert.equal(isRetryable(answer("SignatureDoesNotMatch", 403, { ...skewed, ...expired })), true);
  assert.equal(isRetryable(answer("RequestTimeTooSkewed", 403, skewed)), true);
  assert.equal(isRetryable(answer("RequestTimeTooSkewed", 403)), false);
  assert.equal(isClockSkewError(answer("SignatureDoesNotMatch", 403, expired)), true);
  const ahead = { message: "Signature not yet current: 20261204T193553Z is still later than …" };
  assert.equal(isRetryable(answer("SignatureDoesNotMatch", 403, { ...skewed, ...ahead })), true);
  assert.equal(isClockSkewError(answer("SignatureDoesNotMatch", 403)), false);
  assert.equal(isClockSkewError(answer("ExpiredToken", 400)), false);
});
