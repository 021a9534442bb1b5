/**
 * Injected faults: validation, taking a pending fault for a call, and the errors the plain
 * kinds stand for.
 *
 * @module
 */

import type { FaultSpec, State } from "./state.ts";
import { AwsError, type Service } from "./xml.ts";

/** Every fault kind. */
export const FAULT_KINDS: readonly FaultSpec["kind"][] = [
  "throttle",
  "500",
  "drop",
  "error",
  "credentials",
];

/** The STS actions that return credentials, the only ones a `credentials` fault applies to. */
export const CREDENTIAL_ACTIONS: readonly string[] = [
  "GetSessionToken",
  "AssumeRole",
  "GetFederationToken",
];

const CREDENTIAL_FIELDS = ["accessKeyId", "secretAccessKey", "sessionToken", "expiration"];

/**
 * Checks a fault (possibly from JSON) and returns a copy of it; throws an Error saying what is
 * wrong.
 */
export function validFault(fault: FaultSpec): FaultSpec {
  const f = fault as unknown as Record<string, unknown>;
  if (typeof f.action !== "string" || f.action === "") {
    throw new Error("emulator: a fault needs an action");
  }
  if (!FAULT_KINDS.includes(f.kind as FaultSpec["kind"])) {
    throw new Error(`emulator: fault kind must be one of ${FAULT_KINDS.join(", ")}`);
  }
  if (!(typeof f.count === "number" && Number.isInteger(f.count) && f.count >= 1)) {
    throw new Error("emulator: fault count must be >= 1");
  }
  const base = { action: f.action, count: f.count };
  switch (fault.kind) {
    case "error": {
      const { status, code, message } = fault;
      if (!(Number.isInteger(status) && status >= 300 && status <= 599)) {
        throw new Error("emulator: an error fault's status must be 300-599");
      }
      if (typeof code !== "string" || typeof message !== "string") {
        throw new Error("emulator: an error fault needs a code and a message (strings)");
      }
      return { ...base, kind: "error", status, code, message };
    }
    case "credentials": {
      if (!CREDENTIAL_ACTIONS.includes(fault.action)) {
        throw new Error(
          `emulator: a credentials fault applies to ${CREDENTIAL_ACTIONS.join(", ")} only`,
        );
      }
      const c = (fault.credentials ?? {}) as unknown as Record<string, unknown>;
      const keys = Object.keys(c);
      if (
        typeof c !== "object" || keys.length === 0 ||
        !keys.every((k) => CREDENTIAL_FIELDS.includes(k) && typeof c[k] === "string")
      ) {
        throw new Error(
          `emulator: a credentials fault needs credentials with string fields among ${
            CREDENTIAL_FIELDS.join(", ")
          }`,
        );
      }
      return { ...base, kind: "credentials", credentials: { ...fault.credentials } };
    }
    default:
      return { ...base, kind: fault.kind };
  }
}

/**
 * Takes one pending fault for an action among those `accept` allows, counting it down and
 * removing it when spent.
 */
export function takeFault(
  state: State,
  action: string,
  accept: (fault: FaultSpec) => boolean,
): FaultSpec | undefined {
  const fault = state.faults.find((f) => f.action === action && f.count > 0 && accept(f));
  if (!fault) return undefined;
  fault.count--;
  if (fault.count === 0) state.faults.splice(state.faults.indexOf(fault), 1);
  return fault;
}

/** The error a `throttle` or `500` fault (or an internal failure) answers with. */
export function faultError(service: Service, kind: "throttle" | "500"): AwsError {
  if (kind === "throttle") {
    return service === "s3"
      ? new AwsError(503, "SlowDown", "Please reduce your request rate.")
      : new AwsError(400, "Throttling", "Rate exceeded");
  }
  return service === "s3"
    ? new AwsError(500, "InternalError", "We encountered an internal error. Please try again.")
    : new AwsError(
      500,
      "InternalFailure",
      "The request processing has failed because of an unknown error, exception or failure.",
    );
}
