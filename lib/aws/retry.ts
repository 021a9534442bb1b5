/**
 * Which failed AWS calls are worth another attempt: those that can succeed on retry, as the AWS SDK's standard
 * retry strategy classifies them (`@smithy/service-error-classification`), without its one over-broad rule.
 *
 * The SDK retries any error whose answer made it correct its clock (`$metadata.clockSkewCorrected`). Against a
 * server whose clock is off (or an emulator's moved clock) that retries ExpiredToken, InvalidClientTokenId and
 * AccessDenied, which no attempt can change. Here a corrected clock retries only errors that say the request's
 * time was wrong.
 *
 * @module
 */

/** The fields of an SDK or transport error that classification reads. */
export interface RetryableError {
  /** The AWS error code (SDK errors), or the JavaScript error's name. */
  name?: string;
  /** A Node-style network code (`ECONNRESET`, …). */
  code?: string;
  /** The error's message. */
  message?: string;
  /** The kind of a transport failure (`NetworkError.failure`). */
  failure?: string;
  /** The SDK's retryable trait of a modelled error. */
  $retryable?: { throttling?: boolean };
  /** The HTTP status of the answer, and whether the SDK corrected its clock from it. */
  $metadata?: { httpStatusCode?: number; clockSkewCorrected?: boolean };
}

// From @smithy/service-error-classification (THROTTLING_ERROR_CODES, TRANSIENT_ERROR_*, NODEJS_*_ERROR_CODES).
const THROTTLING = new Set([
  "BandwidthLimitExceeded",
  "EC2ThrottledException",
  "LimitExceededException",
  "PriorRequestNotComplete",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ThrottledException",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "TransactionInProgressException",
]);
const TRANSIENT_CODES = new Set(["RequestTimeout", "RequestTimeoutException"]);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
const CONNECTION_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
/** Errors that mean the request's time was off: a corrected clock fixes them. */
const CLOCK_SKEW = new Set([
  "RequestExpired",
  "RequestInTheFuture",
  "RequestTimeTooSkewed",
  "SignatureExpired",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "AuthFailure",
]);

/**
 * Whether an error says the request's time was off (`SignatureDoesNotMatch` only when its message says so:
 * "Signature expired", "Signature not yet current").
 */
export function isClockSkewError(error: RetryableError): boolean {
  const name = error.name ?? "";
  if (!CLOCK_SKEW.has(name)) return false;
  if (name === "SignatureDoesNotMatch" || name === "InvalidSignatureException") {
    return /signature expired|not yet current|time|skew/i.test(error.message ?? "");
  }
  return true;
}

/**
 * Whether another attempt of a failed call can succeed: throttling, a 5xx answer, a connection refused or reset
 * before the answer, or a clock-skew error once the SDK has corrected its clock. Never a timeout (an endpoint that
 * stalled once stalls again, and the call's deadline is the user's), a TLS failure, an unresolvable host, or any
 * other answer of AWS (expired or invalid credentials, access denied, validation).
 *
 * @example
 * ```ts
 * import { isRetryable } from "./retry.ts";
 * isRetryable({ name: "Throttling", $metadata: { httpStatusCode: 400 } }); // true
 * isRetryable({ name: "ExpiredToken", $metadata: { httpStatusCode: 400, clockSkewCorrected: true } }); // false
 * ```
 */
export function isRetryable(error: RetryableError | undefined): boolean {
  if (!error || typeof error !== "object") return false;
  const name = error.name ?? "";
  if (name === "AbortError" || name === "StcTimeout") return false;
  const status = error.$metadata?.httpStatusCode;
  if (status === undefined) {
    if (name === "StcNetworkError") return error.failure === "refused" || error.failure === "reset";
    return CONNECTION_CODES.has(error.code ?? "");
  }
  if (status === 429 || THROTTLING.has(name) || error.$retryable) return true;
  if (TRANSIENT_STATUS.has(status) || TRANSIENT_CODES.has(name)) return true;
  if (error.$metadata?.clockSkewCorrected && isClockSkewError(error)) return true;
  return false;
}
