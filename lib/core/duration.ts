/**
 * Durations: AWS's session length limits, and parsing what the user types (`12h`, `90m`, `900s`, `3600`).
 *
 * @example
 * ```ts
 * import { parseDuration, ROLE_LIMITS } from "./duration.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseDuration("90m", "--duration", ROLE_LIMITS), 5400);
 * assert.equal(parseDuration("3600", "--duration", ROLE_LIMITS), 3600);
 * assert.throws(() => parseDuration("13h", "--duration", ROLE_LIMITS), /between 15m and 12h/);
 * ```
 *
 * @module
 */

import { usageError } from "./errors.ts";
import { msg } from "./message.ts";

/** An inclusive range of seconds. */
export interface DurationLimits {
  /** Shortest allowed, in seconds. */
  min: number;
  /** Longest allowed, in seconds. */
  max: number;
}

/** GetSessionToken and GetFederationToken: 15 minutes to 36 hours. */
export const SESSION_TOKEN_LIMITS: DurationLimits = { min: 900, max: 129_600 };
/** AssumeRole (up to the role's MaxSessionDuration) and console sign-in: 15 minutes to 12 hours. */
export const ROLE_LIMITS: DurationLimits = { min: 900, max: 43_200 };
/** AWS's cap for a role assumed with temporary credentials (role chaining), and for its console session. */
export const CHAINED_ROLE_MAX_SECONDS = 3600;
/** The default MFA session length: 12 hours, as session-tool.sh and assume-role. */
export const DEFAULT_SESSION_SECONDS = 43_200;

function human(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * Parses a duration: seconds (`3600`), or a number with `s`, `m` or `h` (`900s`, `90m`, `12h`), within `limits`.
 * `what` names the setting in errors (`--duration`, `AWS_ROLE_SESSION_TIMEOUT`).
 */
export function parseDuration(text: string, what: string, limits: DurationLimits): number {
  const match = /^(\d{1,7})\s*([smh]?)$/i.exec(text.trim());
  if (!match) {
    throw usageError(
      msg`${what} must be seconds or a number with s, m or h`,
      "for example 3600, 90m or 12h",
    );
  }
  const unit = match[2].toLowerCase();
  const seconds = Number(match[1]) * (unit === "h" ? 3600 : unit === "m" ? 60 : 1);
  if (seconds < limits.min || seconds > limits.max) {
    throw usageError(
      msg`${what} must be between ${human(limits.min)} and ${
        human(limits.max)
      } (${limits.min}-${limits.max} seconds)`,
    );
  }
  return seconds;
}
