/**
 * Shared pieces of the Query-protocol services (STS, IAM): the handler context, parameter
 * validation in AWS's wording, and AccessDenied texts.
 *
 * @module
 */

import type { Caller } from "./auth.ts";
import type { CredentialOverride, State } from "./state.ts";
import { AwsError, type XmlObject } from "./xml.ts";

/** What a Query action handler receives. */
export interface QueryContext {
  state: State;
  caller: Caller;
  params: URLSearchParams;
  /** Emulator clock, ms. */
  now: number;
  /**
   * Takes a pending `credentials` fault for this action: called when credentials are issued,
   * so that a call failing earlier (validation, MFA, trust) leaves the fault pending.
   */
  takeCredentials: () => CredentialOverride | undefined;
}

/** A Query action: returns the `<ActionResult>` content, or throws {@linkcode AwsError}. */
export type QueryHandler = (ctx: QueryContext) => XmlObject | undefined;

/** AWS's ValidationError for one failed member constraint. */
export function validationError(member: string, value: string, constraint: string): AwsError {
  return new AwsError(
    400,
    "ValidationError",
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/** A required parameter, or AWS's "MissingParameter"-style ValidationError. */
export function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === "") {
    const member = name[0].toLowerCase() + name.slice(1);
    throw new AwsError(
      400,
      "ValidationError",
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** An optional integer parameter within [min, max], validated like AWS. */
export function intParam(
  params: URLSearchParams,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  const member = name[0].toLowerCase() + name.slice(1);
  if (!/^-?\d+$/.test(raw)) {
    throw new AwsError(400, "MalformedInput", `Value ${raw} for parameter ${name} is invalid.`);
  }
  const n = Number(raw);
  if (n < min) {
    validationFail(member, raw, `Member must have value greater than or equal to ${min}`);
  }
  if (n > max) validationFail(member, raw, `Member must have value less than or equal to ${max}`);
  return n;
}

function validationFail(member: string, value: string, constraint: string): never {
  throw validationError(member, value, constraint);
}

/** AWS's AccessDenied text for an identity-policy denial. */
export function notAuthorized(caller: Caller, action: string, resource: string): AwsError {
  return new AwsError(
    403,
    "AccessDenied",
    `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource}`,
  );
}
