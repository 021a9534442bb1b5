/**
 * The shape of an stc subcommand: its options and arguments (which drive parsing, help and completions) and the
 * function that runs it.
 *
 * @module
 */

import type { ShellAction, ShellName } from "../shell/emitter.ts";

/** What a completion offers for an option value or argument. */
export type CompletionKind =
  | "profile"
  | "role"
  | "csv"
  | "shell"
  | "account"
  | "service"
  | "command"
  | "file";

/** A command-line option. */
export interface OptionSpec {
  /** Long name, used as `--name`. */
  name: string;
  /** One-letter short name, used as `-x`. */
  short?: string;
  /** Whether the option takes a value. */
  type: "boolean" | "string";
  /** Placeholder for the value in help, e.g. `PROFILE`. */
  valueName?: string;
  /** One line for the help. */
  description: string;
  /** What to complete for the value. */
  complete?: CompletionKind;
}

/** The `-p/--profile PROFILE` option of every command that works with a profile. */
export function profileOption(description: string): OptionSpec {
  return {
    name: "profile",
    short: "p",
    type: "string",
    valueName: "PROFILE",
    description,
    complete: "profile",
  };
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: "help", short: "h", type: "boolean", description: "Show help for the command" },
  {
    name: "shell",
    type: "string",
    valueName: "SHELL",
    description: "Shell syntax of the output: bash, zsh, fish or sh (default: $STC_SHELL, else sh)",
    complete: "shell",
  },
];

/** A positional argument. */
export interface ArgSpec {
  /** Name shown in help, e.g. `alias`. */
  name: string;
  /** One line for the help. */
  description: string;
  /** Whether it may be left out. */
  optional?: boolean;
  /** What to complete for it. */
  complete?: CompletionKind;
}

/** An example shown in the help. */
export interface Example {
  /** The command line. */
  command: string;
  /** What it does. */
  description: string;
}

/** Parsed option values and positional arguments. */
export interface ParsedArgs {
  /** Option values by long name: `true` for boolean options, the string for valued ones. */
  values: Readonly<Record<string, string | boolean | undefined>>;
  /** Positional arguments in order. */
  positionals: readonly string[];
}

/** Everything a command may know about how it was invoked. */
export interface Context {
  /** The process environment, read once at start. */
  env: Readonly<Record<string, string | undefined>>;
  /** The shell syntax to render environment changes in. */
  shell: ShellName;
  /** True when run by the shell function from `stc init`, which evaluates all of stdout. */
  viaShellFunction: boolean;
  /** True when stdout is a terminal (and not captured by the shell function). */
  stdoutIsTerminal: boolean;
  /** How to run this stc again: the executable and the arguments before a subcommand. */
  self: readonly string[];
  /** The current time. */
  now(): Date;
  /** Every subcommand of stc (for help and completions). */
  commands: readonly Command[];
}

/** The path of this stc, for AWS_SESSION_TOOL: the binary, or main.ts when run from source. */
export function toolPath(context: Context): string {
  return context.self[context.self.length - 1];
}

/** A subcommand of stc. */
export interface Command {
  /** The name typed after `stc`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Paragraphs for `stc help <name>`. */
  description?: string;
  /** Positional arguments. */
  args: readonly ArgSpec[];
  /** Options (besides the global `--help` and `--shell`). */
  options: readonly OptionSpec[];
  /** Examples for the help. */
  examples?: readonly Example[];
  /** Runs the command; returns the shell actions (environment changes and stdout text) it produces. */
  run(context: Context, args: ParsedArgs): Promise<ShellAction[]>;
}
