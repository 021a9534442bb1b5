/**
 * Colour on stderr: when it is allowed, and the escape sequences.
 *
 * @example
 * ```ts
 * import { colourEnabled, paint } from "./colour.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(colourEnabled({ NO_COLOR: "" }, true), false);
 * assert.equal(paint(true, "red", "no"), "\x1b[31mno\x1b[39m");
 * assert.equal(paint(false, "red", "no"), "no");
 * ```
 *
 * @module
 */

import type { Env } from "../core/env.ts";

/** Colours used on stderr. */
export type Colour = "red" | "green" | "yellow" | "bold" | "dim";

const SGR: Readonly<Record<Colour, readonly [number, number]>> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  bold: [1, 22],
  dim: [2, 22],
};

/**
 * Whether colour may be used: never with `NO_COLOR` set (any value, see no-color.org), never when the stream is
 * not a terminal.
 */
export function colourEnabled(env: Env, isTerminal: boolean): boolean {
  return env.NO_COLOR === undefined && isTerminal;
}

/** `text` wrapped in the SGR sequence of `colour` when `enabled`. */
export function paint(enabled: boolean, colour: Colour, text: string): string {
  if (!enabled) return text;
  const [on, off] = SGR[colour];
  return `\x1b[${on}m${text}\x1b[${off}m`;
}
