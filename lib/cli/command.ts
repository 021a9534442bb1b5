/**
 * What a subcommand is: its spec and the function that runs it, and the context it runs in.
 *
 * Data flows one way: argv → the command's typed input → (config, store, AWS) → shell actions, which the front end
 * renders through the one emitter. A command talks to people only through `context.term`.
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import type { ShellAction } from "../shell/emitter.ts";
import type { ShellName } from "../shell/shell_name.ts";
import type { Term } from "../term/term.ts";
import { commandInput, type ParsedArgs } from "./parse.ts";
import type { CommandInput, CommandSpec } from "./spec.ts";

/** A command as the overview lists it. */
export interface CommandSummary {
  /** The name typed after `stc`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
}

/**
 * The commands of stc, for help and completion: listed by name and summary, and their specs and implementations
 * loaded one at a time.
 */
export interface CommandLookup {
  /** Every command's name and summary, in help order. */
  readonly commands: readonly CommandSummary[];
  /** Loads the spec of the command called `name`; undefined when there is none. */
  spec(name: string): Promise<CommandSpec | undefined>;
  /** Loads the command called `name`; undefined when there is none. */
  load(name: string): Promise<Command | undefined>;
}

/** Everything a command may know about how it was invoked. */
export interface Context {
  /** The process environment, read once at start. */
  readonly env: Env;
  /** The shell syntax to render environment changes in. */
  readonly shell: ShellName;
  /** True when run by the shell function from `stc init`, which captures stdout. */
  readonly viaShellFunction: boolean;
  /**
   * The line the shell function (from `stc init`) expects first when stdout is shell code to evaluate; stdout
   * without it is passed through untouched. Undefined when run otherwise, or by the function of an older stc,
   * which evaluates all of stdout.
   */
  readonly shellCodeMark?: string;
  /** True when stdout is a terminal (and not captured by the shell function). */
  readonly stdoutIsTerminal: boolean;
  /** How to run this stc again: the executable and the arguments before a subcommand. */
  readonly self: readonly string[];
  /** The current time. */
  now(): Date;
  /** Where messages for people go, and prompts come from. */
  readonly term: Term;
  /** The other commands (help, completion). */
  readonly commands: CommandLookup;
}

/** A subcommand of stc: its spec, and `run`, which returns the shell actions it produces. */
export interface Command {
  /** The command line it takes. */
  readonly spec: CommandSpec;
  /** Runs the command on its command line, parsed against `spec`. */
  run(context: Context, parsed: ParsedArgs): Promise<ShellAction[]>;
}

/** A command from its spec and run function; `run` gets option and argument values typed from the spec. */
export function defineCommand<const S extends CommandSpec>(
  spec: S,
  run: (context: Context, input: CommandInput<S>) => Promise<ShellAction[]>,
): Command {
  return { spec, run: (context, parsed) => run(context, commandInput(spec, parsed)) };
}

/** The path of this stc, for AWS_SESSION_TOOL: the binary, or main.ts when run from source. */
export function toolPath(context: Context): string {
  return context.self[context.self.length - 1];
}
