/**
 * Sizes in words for messages about limits.
 *
 * @example
 * ```ts
 * import { formatBytes } from "./bytes.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatBytes(2 * 1024 * 1024), "2 MiB");
 * assert.equal(formatBytes(64 * 1024), "64 KiB");
 * assert.equal(formatBytes(1536), "1.5 KiB");
 * assert.equal(formatBytes(100), "100 bytes");
 * ```
 *
 * @module
 */

/** `bytes` in the largest binary unit (bytes, KiB, MiB, GiB) it is at least one of, with at most one decimal. */
export function formatBytes(bytes: number): string {
  const units = ["KiB", "MiB", "GiB"];
  if (bytes < 1024) return `${bytes} bytes`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Math.round(value * 10) / 10} ${units[unit]}`;
}
