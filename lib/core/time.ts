/**
 * Times and durations as stc shows them to people, and the arithmetic of expiry.
 *
 * @example
 * ```ts
 * import { formatDuration, secondsLeft } from "./time.ts";
 * import assert from "node:assert/strict";
 *
 * const now = new Date("2026-01-01T00:00:00Z");
 * assert.equal(secondsLeft("2026-01-01T01:30:00Z", now), 5400);
 * assert.equal(formatDuration(5400), "1h 30m");
 * assert.equal(formatDuration(250), "4m 10s");
 * assert.equal(formatDuration(0), "expired");
 * ```
 *
 * @module
 */

/** Formats a time like `date(1)` does in the local time zone, e.g. `Sat Nov 21 16:33:16 CET 2026`. */
export function formatLocalTime(time: Date): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    weekday: "short",
    month: "short",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    year: "numeric",
    timeZoneName: "short",
  }).formatToParts(time);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("weekday")} ${get("month")} ${get("day")} ${get("hour")}:${get("minute")}:${
    get("second")
  } ${get("timeZoneName")} ${get("year")}`;
}

/** ISO 8601 in UTC without milliseconds, as AWS writes expiry times: `2026-01-01T12:00:00Z`. */
export function isoSeconds(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Seconds left before `expiration` at `now` (negative when expired). */
export function secondsLeft(expiration: string | Date, now: Date): number {
  return Math.floor((new Date(expiration).getTime() - now.getTime()) / 1000);
}

/** A duration such as `11h 59m` or `4m 10s`; `expired` for zero or less. */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return "expired";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, "0")}s`;
  return `${s}s`;
}

/** Resolves after `ms` milliseconds: for backoff between retries, never as synchronisation. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
