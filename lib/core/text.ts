/**
 * Text safety for terminals: the one sanitiser every message for people passes through.
 *
 * Untrusted text (AWS error messages, names from role files and S3 objects, ARNs, environment values) may hold
 * bytes that a terminal acts on: escape sequences that retitle the window, move the cursor or recolour the
 * screen, bidi overrides that make text read differently than it is, and invisible characters that hide part of a
 * value. {@linkcode printable} shows every such character as a visible escape, so what a person reads is what the
 * text holds.
 *
 * @example Escape sequences become visible
 * ```ts
 * import { printable } from "./text.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(printable("denied \x1b]0;PWNED\x07"), "denied \\x1b]0;PWNED\\x07");
 * assert.equal(printable("admin\u202eevil"), "admin\\u{202e}evil");
 * assert.equal(printable("two\nlines"), "two\\x0alines");
 * assert.equal(printable("two\nlines", { keepNewlines: true }), "two\nlines");
 * assert.equal(printable("a \\x1b is not ESC"), "a \\\\x1b is not ESC");
 * assert.equal(printable("C:\\dir"), "C:\\dir");
 * ```
 *
 * @module
 */

/** Options of {@linkcode printable}. */
export interface PrintableOptions {
  /** Keep line feeds as they are (multi-line text such as help); default false: shown as `\n`. */
  keepNewlines?: boolean;
}

// Control characters (C0, DEL, C1), format characters (Cf: the bidi embeddings, overrides, isolates and marks,
// zero-width characters, invisible operators, Unicode tag characters, …), line and paragraph separators, lone
// surrogates (with the `u` flag `\p{Cs}` matches only unpaired ones: a pair is one code point), and characters that
// are drawn as nothing although not Cf: Hangul fillers, Khmer inherent vowels, Mongolian and other variation
// selectors, and the rest of the tag block.
const UNSAFE_CLASS =
  "[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Zl}\\p{Zp}\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180f\\u3164\\ufe00-\\ufe0f\\uffa0\\ufff0-\\ufffb\\u{e0000}-\\u{e0fff}]";
let unsafe: RegExp | undefined;
/**
 * An unsafe character, or a backslash that would otherwise read as the start of an escape (one before `\`, `x`,
 * `u` or an unsafe character): doubled, so that different texts never look the same. Built on first use:
 * compiling its Unicode property classes is most of what loading this module costs, and most runs of stc (a
 * shell start, a Tab) print nothing for people.
 */
function unsafePattern(): RegExp {
  return unsafe ??= new RegExp(`${UNSAFE_CLASS}|\\\\(?=[\\\\xu]|${UNSAFE_CLASS})`, "gu");
}

function escape(char: string): string {
  if (char === "\\") return "\\\\";
  const code = char.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
}

/**
 * `text` safe to show on a terminal: control characters become `\xNN`, format characters (bidi controls,
 * zero-width and other invisible characters) become `\u{NNNN}`, lone surrogates `\u{dNNN}`. Printable text,
 * including any script, is unchanged. The result is unambiguous: a backslash that could be read as the start of
 * such an escape is shown doubled, so two different texts are never shown alike.
 */
export function printable(text: string, options: PrintableOptions = {}): string {
  const keep = options.keepNewlines === true;
  return String(text).replace(unsafePattern(), (c) => (keep && c === "\n" ? c : escape(c)));
}

/** Whether `text` is shown unchanged by {@linkcode printable}. */
export function isPrintable(text: string): boolean {
  return printable(text) === text;
}

/**
 * `text` cut to at most `max` characters (code points), with `…` marking the cut: for quoting untrusted values
 * in messages without letting a huge one flood the screen.
 */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/** An untrusted value quoted for a message: cut to `max` characters, escaped, in single quotes. */
export function quoted(value: string, max = 80): string {
  return `'${printable(truncate(value, max))}'`;
}

/** `text` broken into lines of at most `width` characters at spaces, each line indented by `indent`. */
export function wrapWords(text: string, width: number, indent = ""): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  return [...lines, line].map((l) => `${indent}${l}`).join("\n");
}
