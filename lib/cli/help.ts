/**
 * Help texts: the overview of `stc --help` and the help of one command, built from the specs alone.
 *
 * @module
 */

import { VERSION } from "../core/version.ts";
import { OPTION_EXCEPTIONS } from "../commands/overview.ts";
import { fitHelp, fitLines } from "../core/wrap.ts";
import { synopsis } from "./parse.ts";
import { type CommandSpec, GLOBAL_OPTIONS, type OptionSpec } from "./spec.ts";

function optionUsage(option: OptionSpec): string {
  const long = `--${option.name}${
    option.type === "string" ? ` ${option.valueName ?? "VALUE"}` : ""
  }`;
  return option.short ? `-${option.short}, ${long}` : `    ${long}`;
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
Options mean the same in every command, except session-tool.sh's letters:
${table(OPTION_EXCEPTIONS.map((e): [string, string] => [`-${e.letter}`, e.meanings]))}
Run 'stc help <command>' for a command's options and examples.
Set up your shell with: eval "$(stc init bash)"   (or zsh, fish)
`);
}
