/**
 * The commands of session-tool.sh and Coinbase's assume-role that `stc init` defines as shell functions, with
 * their options: what the completions offer for them. The shell functions themselves are in completions/.
 *
 * @module
 */

import type { ArgSpec, Command, OptionSpec } from "./command.ts";
import { assumeCommand } from "./commands/assume.ts";
import { consoleCommand } from "./commands/console.ts";
import { exportCommand } from "./commands/export.ts";
import { importCommand } from "./commands/import.ts";
import { rolesCommand } from "./commands/roles.ts";
import { rotateCommand } from "./commands/rotate.ts";
import { sessionCommand } from "./commands/session.ts";

/** A shell function that maps a seed command onto stc. */
export interface SeedCommand {
  /** The function name. */
  name: string;
  /** The stc command it runs (its help is the function's `-h`). */
  command: string;
  /** Options: one-letter, as `getopts` (bash, zsh) and `argparse` (fish) parse them. */
  options: readonly OptionSpec[];
  /** Positional arguments. */
  args: readonly ArgSpec[];
}

const help: OptionSpec = { name: "help", short: "h", type: "boolean", description: "Show help" };

/** The option of `command` named `name`, with its description and completion kind, parsed as `-letter`. */
function optionOf(command: Command, name: string, letter?: string): OptionSpec {
  const option = command.options.find((o) => o.name === name);
  if (!option) throw new Error(`stc ${command.name} has no option --${name}`);
  const short = letter ?? option.short;
  if (!short) throw new Error(`--${name} of stc ${command.name} needs a letter`);
  return { ...option, short };
}

/** The positional argument of `command` named `name`. */
function argOf(command: Command, name: string): ArgSpec {
  const arg = command.args.find((a) => a.name === name);
  if (!arg) throw new Error(`stc ${command.name} has no argument ${name}`);
  return arg;
}

const listRoles: OptionSpec = optionOf(consoleCommand, "list");

// The options are stc's own where a letter maps onto one (so descriptions and completion kinds never drift);
// get_session's -i is `stc import`'s source argument, -e is `stc export`.
/** Every seed command, in the order `stc init` defines them. */
export const SEED_COMMANDS: readonly SeedCommand[] = [
  {
    name: "get_session",
    command: "session",
    options: [
      help,
      optionOf(sessionCommand, "clear"),
      optionOf(rolesCommand, "download", "d"),
      optionOf(sessionCommand, "list"),
      optionOf(sessionCommand, "profile"),
      optionOf(sessionCommand, "restore"),
      optionOf(sessionCommand, "save"),
      optionOf(rolesCommand, "upload", "u"),
      optionOf(sessionCommand, "verify"),
      { ...argOf(importCommand, "source"), short: "i", type: "string", valueName: "FILE" },
      optionOf(importCommand, "bucket"),
      { name: "export", short: "e", type: "boolean", description: exportCommand.summary },
    ],
    args: sessionCommand.args,
  },
  {
    name: "assume_role",
    command: "assume",
    options: [help, listRoles],
    args: [argOf(assumeCommand, "alias")],
  },
  {
    name: "get_console_url",
    command: "console",
    options: [
      help,
      listRoles,
      optionOf(consoleCommand, "open"),
      optionOf(consoleCommand, "default-profile"),
      optionOf(consoleCommand, "url"),
    ],
    args: consoleCommand.args,
  },
  {
    name: "rotate_credentials",
    command: "rotate",
    options: [
      help,
      optionOf(rotateCommand, "profile"),
      optionOf(rotateCommand, "password"),
      optionOf(rotateCommand, "keep-password"),
      optionOf(rotateCommand, "two-keys"),
    ],
    args: [],
  },
  {
    name: "aws-assume-role",
    command: "assume",
    options: [],
    args: [
      { name: "profile", description: "Profile to get the session for", complete: "profile" },
      { ...argOf(assumeCommand, "alias"), optional: false },
      ...sessionCommand.args,
    ],
  },
  {
    name: "assume-role",
    command: "assume",
    options: [help],
    args: assumeCommand.args,
  },
];

/** The `getopts` option string of a seed command, e.g. `:hl` (leading `:`: errors are reported by the function). */
export function getoptsString(seed: SeedCommand): string {
  return ":" + seed.options.map((o) => `${o.short}${o.type === "string" ? ":" : ""}`).join("");
}
