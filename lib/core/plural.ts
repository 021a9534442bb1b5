/**
 * Counted nouns for messages: "1 role", "2 roles".
 *
 * @example
 * ```ts
 * import { counted } from "./plural.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(counted(1, "role"), "1 role");
 * assert.equal(counted(0, "role"), "0 roles");
 * assert.equal(counted(3, "entry", "entries"), "3 entries");
 * ```
 *
 * @module
 */

/** `count` and the noun, singular for exactly one, else the plural (`noun` + "s" unless given). */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
