/**
 * Help texts: the overview of `stc --help` and the help of one command, built from the specs alone.
 *
 * @module
 */

import { VERSION } from "../core/version.ts";
import { synopsis } from "./parse.ts";
import { type CommandSpec, GLOBAL_OPTIONS, type OptionSpec } from "./spec.ts";

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
 * import { fitHelp } from "./help.ts";
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

function optionUsage(option: OptionSpec): string {
  const long = `--${option.name}${
    option.type === "string" ? ` ${option.valueName ?? "VALUE"}` : ""
  }`;
  return option.short ? `-${option.short}, ${long}` : `    ${long}`;
}

/** Every line of `text` broken to fit `width` (no paragraph reflow: for generated tables and lists). */
export function fitLines(text: string, width: number = HELP_WIDTH): string {
  return text.split("\n").flatMap((line) => breakLine(line, width)).join("\n");
}

function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.min(30, Math.max(...rows.map(([left]) => left.length)));
  return rows.map(([left, right]) =>
    left.length > width
      ? `  ${left}\n  ${" ".repeat(width)}  ${right}\n`
      : `  ${left.padEnd(width)}  ${right}\n`
  ).join("");
}

/** The full help text of a command. */
export function commandHelp(spec: CommandSpec & { summary: string }): string {
  let text = `Usage: ${synopsis(spec)}\n\n${spec.summary}\n`;
  if (spec.description) text += `\n${fitHelp(spec.description.trim())}\n`;
  if (spec.args.length > 0) {
    text += `\nArguments:\n${table(spec.args.map((a) => [a.name, a.description]))}`;
  }
  const options = [...spec.options, ...GLOBAL_OPTIONS];
  text += `\nOptions:\n${table(options.map((o) => [optionUsage(o), o.description]))}`;
  if (spec.examples?.length) {
    text += `\nExamples:\n`;
    for (const example of spec.examples) {
      text += `  ${example.command}\n      ${example.description}\n`;
    }
  }
  return fitLines(text);
}

/** The help of `stc help` itself. */
export const HELP_HELP = `Usage: stc help [command]

Show the overview of stc's commands, or the help of one command (also of the functions 'stc init'
defines, such as get_session); the same as 'stc COMMAND --help'.
`;

/** The overview printed by `stc --help`: every command with its summary, and the global options. */
export function overviewHelp(commands: readonly { name: string; summary: string }[]): string {
  const rows = commands.map((c): [string, string] => [c.name, c.summary]);
  return fitLines(`stc ${VERSION}: AWS sessions, roles and console sign-in for IAM users with MFA

Usage: stc <command> [options] [arguments]

Commands:
${table([...rows, ["help", "Show the help of a command"]])}
Global options:
${
    table([
      ...GLOBAL_OPTIONS.map((o): [string, string] => [optionUsage(o), o.description]),
      ["-V, --version", "Print the version"],
    ])
  }
Run 'stc help <command>' for a command's options and examples.
Set up your shell with: eval "$(stc init bash)"   (or zsh, fish)
`);
}
