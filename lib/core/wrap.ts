/**
 * Fitting help texts to the terminal width stc writes for: prose paragraphs reflowed, tables and lists broken
 * with a hanging indent.
 *
 * @module
 */

/** The widest line of any help text (the README's width too). */
export const HELP_WIDTH = 100;

const length = (text: string) => [...text].length;

/**
 * Where the continuation of a long help line starts: after the command of a usage line, after the first gap of
 * two spaces (the right column of a table, or of an indented `name  description` list), after a list marker,
 * else at the line's indentation; a hang deeper than 60% of the width falls back to the indentation.
 */
function hangingIndent(line: string, width: number): number {
  const column = /^Usage: \S+ /.exec(line)?.[0] ?? /^\s*\S.*?\s{2,}(?=\S)/.exec(line)?.[0] ??
    /^\s*(?:\d+\.|[-*])\s+/.exec(line)?.[0] ??
    /^\s*/.exec(line)![0];
  const indent = length(column);
  return indent <= width * 0.6 ? indent : length(/^\s*/.exec(line)![0]) + 4;
}

/** A line broken at spaces into lines of at most `width` characters (a longer word stays whole). */
function breakLine(line: string, width: number, hang?: number): string[] {
  if (length(line) <= width) return [line];
  const indent = hang ?? hangingIndent(line, width);
  const lines: string[] = [];
  let current = line.slice(0, indent);
  let empty = true;
  for (const word of line.slice(indent).split(" ")) {
    if (!empty && length(current) + 1 + length(word) > width) {
      lines.push(current);
      current = " ".repeat(indent) + word;
    } else {
      current = empty ? current + word : `${current} ${word}`;
    }
    empty = false;
  }
  return [...lines, current];
}

/**
 * A help text fitted to `width` columns: each paragraph of unindented lines (but a usage line) is reflowed, and every longer
 * indented line (tables, lists, examples) is broken with a hanging indent. Blank lines and short indented lines
 * stay as they are.
 *
 * @example
 * ```ts
 * import { fitHelp } from "./wrap.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fitHelp("one two\nthree four", 10), "one two\nthree four");
 * assert.equal(fitHelp("  -x  aaa bbb ccc", 12), "  -x  aaa\n      bbb\n      ccc");
 * ```
 */
export function fitHelp(text: string, width: number = HELP_WIDTH): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) out.push(...breakLine(paragraph.join(" "), width, 0));
    paragraph = [];
  };
  for (const line of text.split("\n")) {
    if (line !== "" && !/^\s|^Usage: /.test(line)) {
      paragraph.push(line.trimEnd());
      continue;
    }
    flush();
    out.push(...breakLine(line, width));
  }
  flush();
  return out.join("\n");
}

/** Every line of `text` broken to fit `width` (no paragraph reflow: for generated tables and lists). */
export function fitLines(text: string, width: number = HELP_WIDTH): string {
  return text.split("\n").flatMap((line) => breakLine(line, width)).join("\n");
}
