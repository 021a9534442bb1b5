/**
 * The shape of a command line: options, positional arguments and examples of a command, and the typed values a
 * command gets from them. One spec drives parsing, help, completion and the shell functions.
 *
 * @module
 */

import { validateProfileName } from "../core/profile_name.ts";

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
  /** Long name, used as `--name`, and the key of its value. */
  readonly name: string;
  /** One-letter short name, used as `-x`. */
  readonly short?: string;
  /** Whether the option takes a value. */
  readonly type: "boolean" | "string";
  /** Placeholder for the value in help, e.g. `PROFILE`. */
  readonly valueName?: string;
  /** One line for the help. */
  readonly description: string;
  /** What to complete for the value. */
  readonly complete?: CompletionKind;
  /** What is wrong with a value (a usage error when parsing), or undefined when it is acceptable. */
  readonly check?: (value: string) => string | undefined;
}

/** A positional argument. */
export interface ArgSpec {
  /** Name shown in help, e.g. `alias`, and the key of its value. */
  readonly name: string;
  /** One line for the help. */
  readonly description: string;
  /** Whether it may be left out. */
  readonly optional?: boolean;
  /** Takes every remaining argument (the last argument only), e.g. the command of `stc exec -- CMD ARGS`. */
  readonly variadic?: boolean;
  /**
   * Takes the words after `--` and only those (variadic, last): the command of `stc exec ALIAS -- CMD ARGS`, kept
   * apart from the arguments before `--` so that an optional alias and the command cannot be confused.
   */
  readonly afterDashDash?: boolean;
  /** What to complete for it. */
  readonly complete?: CompletionKind;
}

/** An example shown in the help. */
export interface Example {
  /** The command line. */
  readonly command: string;
  /** What it does. */
  readonly description: string;
}

/** The command line of a subcommand. */
export interface CommandSpec {
  /** The name typed after `stc`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Paragraphs for `stc help <name>`. */
  readonly description?: string;
  /** Positional arguments. */
  readonly args: readonly ArgSpec[];
  /** Options (besides the global `--help` and `--shell`). */
  readonly options: readonly OptionSpec[];
  /** Examples for the help. */
  readonly examples?: readonly Example[];
}

/** The `-p/--profile PROFILE` option of every command that works with a profile. */
export interface ProfileOptionSpec extends OptionSpec {
  /** Always `profile`. */
  readonly name: "profile";
  /** Always `p`. */
  readonly short: "p";
  /** Always a value. */
  readonly type: "string";
}

/** The `-p/--profile PROFILE` option, with a description for the command at hand. */
export function profileOption(description: string): ProfileOptionSpec {
  return {
    name: "profile",
    short: "p",
    type: "string",
    valueName: "PROFILE",
    description,
    complete: "profile",
    check: validateProfileName,
  };
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS = [
  { name: "help", short: "h", type: "boolean", description: "Show help for the command" },
  {
    name: "shell",
    type: "string",
    valueName: "SHELL",
    description:
      "Shell syntax of the output: bash, zsh, fish, sh or nu (default: $STC_SHELL, else sh)",
    complete: "shell",
  },
] as const satisfies readonly OptionSpec[];

/** The value an option gets: `true`/`false` for a boolean one, the string or absent for a valued one. */
export type ValueOf<O extends OptionSpec> = O["type"] extends "boolean" ? boolean
  : string | undefined;

/** The parsed options of a spec, by long name: booleans are `true`/`false`, valued options a string or absent. */
export type OptionValues<S extends CommandSpec> = {
  readonly [O in S["options"][number] | typeof GLOBAL_OPTIONS[number] as O["name"]]: ValueOf<O>;
};

/** The value an argument gets: the list of the rest for a variadic one, a string or absent for an optional one. */
export type ArgValueOf<A extends ArgSpec> = A["variadic"] extends true ? readonly string[]
  : A["afterDashDash"] extends true ? readonly string[]
  : A["optional"] extends true ? string | undefined
  : string;

/** The parsed positional arguments of a spec, by name; a variadic one is the list of the rest. */
export type ArgValues<S extends CommandSpec> = {
  readonly [A in S["args"][number] as A["name"]]: ArgValueOf<A>;
};

/** What a command gets from its command line. */
export interface CommandInput<S extends CommandSpec> {
  /** Option values by long name. */
  readonly options: OptionValues<S>;
  /** Positional arguments by name. */
  readonly args: ArgValues<S>;
  /** Positional arguments in order, as typed. */
  readonly positionals: readonly string[];
}
