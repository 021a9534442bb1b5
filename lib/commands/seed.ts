/**
 * The commands of session-tool.sh and Coinbase's assume-role that `stc init` defines as shell functions, with
 * their options: what the completions offer for them. The shell functions themselves are in completions/.
 *
 * @module
 */

import { fitLines } from "../core/wrap.ts";
import type { ArgSpec, CommandSpec, OptionSpec } from "../cli/spec.ts";
import { ASSUME_SPEC } from "./specs/assume.ts";
import { CONSOLE_SPEC } from "./specs/console.ts";
import { EXPORT_SPEC } from "./specs/export.ts";
import { IMPORT_SPEC } from "./specs/import.ts";
import { ROLES_SPEC } from "./specs/roles.ts";
import { ROTATE_SPEC } from "./specs/rotate.ts";
import { SESSION_SPEC } from "./specs/session.ts";

/** An option of a seed command. */
export interface SeedOption extends OptionSpec {
  /** The stc command it runs, e.g. `stc roles --download` (none for `-h`). */
  runs?: string;
}

/** A positional argument of a seed command. */
export interface SeedArg extends ArgSpec {
  /** The stc command it goes to, when not just the seed command's own `stc COMMAND`. */
  runs?: string;
}

/** A shell function that maps a seed command onto stc. */
export interface SeedCommand {
  /** The function name. */
  name: string;
  /** The stc command it runs: its help has the details. */
  command: string;
  /** One line on what it does, for its `-h`. */
  summary: string;
  /** How its options combine, when that is more than each running its command. */
  note?: string;
  /** Options: one-letter, as `getopts` (bash, zsh) and `argparse` (fish) parse them. */
  options: readonly SeedOption[];
  /** Positional arguments. */
  args: readonly SeedArg[];
}

const help: SeedOption = { name: "help", short: "h", type: "boolean", description: "Show help" };

/** The option of `command` named `name`, with its description and completion kind, parsed as `-letter`. */
function optionOf(command: CommandSpec, name: string, letter?: string): SeedOption {
  const option = command.options.find((o) => o.name === name);
  if (!option) throw new Error(`stc ${command.name} has no option --${name}`);
  const short = letter ?? option.short;
  if (!short) throw new Error(`--${name} of stc ${command.name} needs a letter`);
  return { ...option, short, runs: `stc ${command.name} --${name}` };
}

/** The positional argument of `command` named `name`. */
function argOf(command: CommandSpec, name: string): ArgSpec {
  const arg = command.args.find((a) => a.name === name);
  if (!arg) throw new Error(`stc ${command.name} has no argument ${name}`);
  return arg;
}

// session-tool.sh lists roles with -l; stc has a command for it.
const listRoles: SeedOption = { ...optionOf(CONSOLE_SPEC, "list"), runs: "stc roles --names" };

// The options are stc's own where a letter maps onto one (so descriptions and completion kinds never drift);
// get_session's -i is `stc import`'s source argument, -e is `stc export`. The order is session-tool.sh's.
/** Every seed command, in the order `stc init` defines them. */
export const SEED_COMMANDS: readonly SeedCommand[] = [
  {
    name: "get_session",
    command: "session",
    summary: SESSION_SPEC.summary,
    note: "-p goes to whichever command runs; with -i, -b and -d go to stc import.",
    options: [
      help,
      optionOf(SESSION_SPEC, "save"),
      optionOf(SESSION_SPEC, "restore"),
      optionOf(SESSION_SPEC, "list"),
      optionOf(SESSION_SPEC, "clear"),
      optionOf(ROLES_SPEC, "download", "d"),
      optionOf(ROLES_SPEC, "upload", "u"),
      optionOf(SESSION_SPEC, "verify"),
      {
        ...argOf(IMPORT_SPEC, "source"),
        short: "i",
        type: "string",
        valueName: "FILE",
        runs: "stc import FILE",
      },
      optionOf(IMPORT_SPEC, "bucket"),
      {
        name: "export",
        short: "e",
        type: "boolean",
        description: EXPORT_SPEC.summary,
        runs: "stc export",
      },
      optionOf(SESSION_SPEC, "profile"),
    ],
    args: SESSION_SPEC.args,
  },
  {
    name: "assume_role",
    command: "assume",
    summary: ASSUME_SPEC.summary,
    options: [help, listRoles],
    args: [argOf(ASSUME_SPEC, "alias")],
  },
  {
    name: "get_console_url",
    command: "console",
    summary: CONSOLE_SPEC.summary,
    options: [
      help,
      listRoles,
      optionOf(CONSOLE_SPEC, "open"),
      optionOf(CONSOLE_SPEC, "default-profile"),
      optionOf(CONSOLE_SPEC, "url"),
    ],
    args: CONSOLE_SPEC.args,
  },
  {
    name: "rotate_credentials",
    command: "rotate",
    summary: ROTATE_SPEC.summary,
    options: [
      help,
      optionOf(ROTATE_SPEC, "profile"),
      optionOf(ROTATE_SPEC, "password"),
      optionOf(ROTATE_SPEC, "keep-password"),
      optionOf(ROTATE_SPEC, "two-keys"),
    ],
    args: [],
  },
  {
    name: "aws-assume-role",
    command: "assume",
    summary:
      "Get a session for the profile, assume the role and print a console sign-in URL for it",
    options: [help],
    args: [
      {
        name: "profile",
        description: "Profile to get the session for",
        complete: "profile",
        runs: "stc session --profile",
      },
      { ...argOf(ASSUME_SPEC, "alias"), optional: false, runs: "stc assume, then stc console" },
      ...SESSION_SPEC.args.map((arg) => ({ ...arg, runs: "stc session" })),
    ],
  },
  {
    name: "assume-role",
    command: "assume",
    summary: ASSUME_SPEC.summary,
    options: [help],
    args: ASSUME_SPEC.args,
  },
];

/** The seed command called `name`. */
export function findSeedCommand(name: string): SeedCommand | undefined {
  return SEED_COMMANDS.find((s) => s.name === name);
}

function seedTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) =>
    `  ${row.map((cell, i) => i < row.length - 1 ? cell.padEnd(widths[i]) : cell).join("  ")}`
      .trimEnd() + "\n"
  ).join("");
}

/**
 * What `-h` of a seed command prints: a session-tool.sh-style usage line, then each option and argument with
 * the stc command it runs and what it does, and where the details are.
 */
export function seedUsage(seed: SeedCommand): string {
  const value = (o: SeedOption) => o.type === "string" ? ` ${o.valueName ?? "VALUE"}` : "";
  const synopsis = [
    seed.name,
    ...seed.options.map((o) => `[-${o.short}${value(o)}]`),
    ...seed.args.map((a) => a.optional ? `[${a.name}]` : `<${a.name}>`),
  ].join(" ");
  let text = `Usage: ${synopsis}\n\n${seed.summary}\n`;
  if (seed.options.length > 0) {
    text += `\nOptions:\n${
      seedTable(seed.options.map((o) =>
        o.name === "help"
          ? [`-${o.short}`, "", "Show this help"]
          : [`-${o.short}${value(o)}`, o.runs ?? "", o.description]
      ))
    }`;
  }
  if (seed.args.length > 0) {
    text += `\nArguments:\n${
      seedTable(seed.args.map((a) => [a.name, a.runs ?? `stc ${seed.command}`, a.description]))
    }`;
  }
  if (seed.note) text += `\n${seed.note}\n`;
  return fitLines(`${text}\nSee 'stc help ${seed.command}' for details.\n`);
}

/** The `getopts` option string of a seed command, e.g. `:hl` (leading `:`: errors are reported by the function). */
export function getoptsString(seed: SeedCommand): string {
  return ":" + seed.options.map((o) => `${o.short}${o.type === "string" ? ":" : ""}`).join("");
}
