/**
 * Reading the emulator's request timeline: were requests in flight at the same time? With
 * `setLatency` holding answers back, two requests a client sends concurrently overlap by the
 * whole latency, while two sent one after the other cannot overlap at all.
 *
 * @module
 */

import type { RequestRecord } from "./state.ts";

/** The part of a {@linkcode RequestRecord} the timeline functions read. */
export type Interval = Pick<RequestRecord, "startedAt" | "endedAt">;

// A request still in flight has no end yet; for overlap it lasts forever.
function end(r: Interval): number {
  return r.endedAt ?? Infinity;
}

/**
 * Whether all the given requests were in flight at one same instant (at least two are needed).
 * Intervals are half-open, `[startedAt, endedAt)`: a request that starts exactly when another
 * ends did not overlap it.
 */
export function overlapping(records: readonly Interval[]): boolean {
  if (records.length < 2) return false;
  const latestStart = Math.max(...records.map((r) => r.startedAt));
  const earliestEnd = Math.min(...records.map(end));
  return latestStart < earliestEnd;
}

/** The largest number of the given requests in flight at one same instant. */
export function maxInFlight(records: readonly Interval[]): number {
  // Sweep over start (+1) and end (-1) events; at equal times ends go first (half-open).
  const events = records.flatMap((r) => [[r.startedAt, 1], [end(r), -1]] as const)
    .toSorted((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let max = 0;
  for (const [, step] of events) {
    current += step;
    max = Math.max(max, current);
  }
  return max;
}
