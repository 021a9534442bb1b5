/**
 * The command-line front end: global options, dispatch to subcommands, argument parsing, help and error reporting.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  type Command,
  type Context,
  GLOBAL_OPTIONS,
  type OptionSpec,
  type ParsedArgs,
} from "./command.ts";
import { COMMANDS } from "./registry.ts";
import { ExitCode, redactSecrets, registerSecret, StcError, usageError } from "../core/errors.ts";
import { findSeedCommand, seedUsage } from "../commands/seed.ts";
import { emit, SECRET_VARIABLES } from "./output.ts";
import { parseShellName, type ShellName } from "../shell/emitter.ts";
import { didYouMean } from "../core/suggest.ts";
import { formatError, stdoutIsTerminal, writeStderr, writeStdout } from "../term/ui.ts";
import { VERSION } from "../core/version.ts";

/** Finds a command by name. */
export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function optionUsage(option: OptionSpec): string {
  const long = `--${option.name}${
    option.type === "string" ? ` ${option.valueName ?? "VALUE"}` : ""
  }`;
  return option.short ? `-${option.short}, ${long}` : `    ${long}`;
}

function table(rows: [string, string][]): string {
  const width = Math.min(30, Math.max(...rows.map(([left]) => left.length)));
  return rows.map(([left, right]) =>
    left.length > width
      ? `  ${left}\n  ${" ".repeat(width)}  ${right}\n`
      : `  ${left.padEnd(width)}  ${right}\n`
  ).join("");
}

/** The synopsis line of a command, e.g. `stc assume [options] <alias>`. */
export function synopsis(command: Command): string {
  const args = command.args.map((a) => (a.optional ? `[${a.name}]` : `<${a.name}>`));
  return ["stc", command.name, "[options]", ...args].join(" ");
}

/** The full help text of a command. */
export function commandHelp(command: Command): string {
  let text = `Usage: ${synopsis(command)}\n\n${command.summary}\n`;
  if (command.description) text += `\n${command.description.trim()}\n`;
  if (command.args.length > 0) {
    text += `\nArguments:\n${table(command.args.map((a) => [a.name, a.description]))}`;
  }
  const options = [...command.options, ...GLOBAL_OPTIONS];
  text += `\nOptions:\n${table(options.map((o) => [optionUsage(o), o.description]))}`;
  if (command.examples?.length) {
    text += `\nExamples:\n`;
    for (const example of command.examples) {
      text += `  ${example.command}\n      ${example.description}\n`;
    }
  }
  return text;
}

/** The overview printed by `stc --help`. */
export function overviewHelp(): string {
  const rows: [string, string][] = COMMANDS.map((c) => [c.name, c.summary]);
  return `stc ${VERSION}: AWS sessions, roles and console sign-in for IAM users with MFA

Usage: stc <command> [options] [arguments]

Commands:
${table(rows)}
Global options:
${
    table([
      ...GLOBAL_OPTIONS.map((o): [string, string] => [optionUsage(o), o.description]),
      ["-V, --version", "Print the version"],
    ])
  }
Run 'stc help <command>' for a command's options and examples.
Set up your shell with: eval "$(stc init bash)"   (or zsh, fish)
`;
}

interface ParseError {
  code?: string;
  message: string;
}

/**
 * Splits `-p=value` into `-p value` for short options that take a value: people write it by analogy with
 * `--profile=value`, and the parser would otherwise take `=value` as the value.
 */
function splitShortEquals(specs: readonly OptionSpec[], argv: readonly string[]): string[] {
  const valued = new Set(specs.filter((s) => s.type === "string" && s.short).map((s) => s.short));
  const out: string[] = [];
  for (const [i, arg] of argv.entries()) {
    if (arg === "--") return [...out, ...argv.slice(i)];
    const match = /^-([A-Za-z])=([^]*)$/.exec(arg);
    if (match && valued.has(match[1])) out.push(`-${match[1]}`, match[2]);
    else out.push(arg);
  }
  return out;
}

/** Parses a command's arguments, turning parser errors into usage errors with a hint. */
export function parseCommandArgs(command: Command, argv: readonly string[]): ParsedArgs {
  const specs = [...command.options, ...GLOBAL_OPTIONS];
  const options: Record<string, { type: "boolean" | "string"; short?: string }> = {};
  for (const spec of specs) {
    options[spec.name] = spec.short ? { type: spec.type, short: spec.short } : { type: spec.type };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: splitShortEquals(specs, argv),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const { code, message } = error as ParseError;
    const quoted = /'(-[^']*)'/.exec(message)?.[1] ?? "";
    const where = `for 'stc ${command.name}'`;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const name = quoted.split("=")[0];
      const known = specs.flatMap((s) => [`--${s.name}`, ...(s.short ? [`-${s.short}`] : [])]);
      throw usageError(
        `unknown option '${name}' ${where}`,
        didYouMean(name, known) ?? `see 'stc help ${command.name}'`,
      );
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const flag = /(--?[\w-]+)/.exec(message)?.[1] ?? "an option";
      throw usageError(
        `option ${flag.startsWith("-") ? `'${flag}'` : flag} needs a value ${where}`,
        `see 'stc help ${command.name}'`,
      );
    }
    throw usageError(`${message.split("\n")[0]} ${where}`, `see 'stc help ${command.name}'`);
  }
  // No option means anything with an empty value; `--profile=` is a mistake, not a choice of profile "".
  for (const spec of specs) {
    if (parsed.values[spec.name] === "") {
      throw usageError(
        `option '--${spec.name}' needs a non-empty value for 'stc ${command.name}'`,
        `see 'stc help ${command.name}'`,
      );
    }
  }
  return {
    values: parsed.values as Record<string, string | boolean | undefined>,
    positionals: parsed.positionals,
  };
}

function checkArity(command: Command, args: ParsedArgs): void {
  const required = command.args.filter((a) => !a.optional).length;
  if (args.positionals.length > command.args.length) {
    // The extra argument is not echoed: it may be a secret typed in the wrong place.
    throw usageError(
      `too many arguments for 'stc ${command.name}' (${args.positionals.length} given, at most ${command.args.length})`,
      `usage: ${synopsis(command)}`,
    );
  }
  if (args.positionals.length < required) {
    const missing = command.args[args.positionals.length];
    throw usageError(
      `missing argument <${missing.name}> for 'stc ${command.name}'`,
      `usage: ${synopsis(command)}`,
    );
  }
}

function resolveShell(
  option: unknown,
  env: Readonly<Record<string, string | undefined>>,
): ShellName {
  // Under the shell function its shell evaluates stdout, so it wins over --shell.
  const requested = env.STC_EVAL_SHELL || (typeof option === "string" ? option : env.STC_SHELL);
  if (requested === undefined || requested === "") return "sh";
  const shell = parseShellName(requested);
  if (!shell) throw usageError(`unknown shell '${requested}'`, "use one of: bash, zsh, fish, sh");
  return shell;
}

/** The facts about the running program that decide how to re-run it. */
export interface RuntimeFacts {
  /** True inside a `deno compile`d binary. */
  standalone: boolean;
  /** The running executable: the stc binary, or deno. */
  execPath: string;
  /** URL of main.ts (from source). */
  mainUrl: string;
}

/** The facts of this process. */
export function currentRuntime(): RuntimeFacts {
  return {
    standalone: Deno.build.standalone,
    execPath: Deno.execPath(),
    mainUrl: new URL("../../main.ts", import.meta.url).href,
  };
}

/** Permissions stc runs with from source; the same set as the compiled binary's (see deno.json). */
export const PERMISSION_FLAGS: readonly string[] = [
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-net",
  "--allow-run",
  "--allow-sys=osRelease",
];

/** How to run this stc again: the compiled binary itself, or `deno run` of main.ts with stc's permissions. */
export function selfCommand(runtime: RuntimeFacts = currentRuntime()): string[] {
  if (runtime.standalone) return [runtime.execPath];
  const main = new URL(runtime.mainUrl);
  const script = main.protocol === "file:" ? decodeURIComponent(main.pathname) : main.href;
  return [runtime.execPath, "run", "--quiet", ...PERMISSION_FLAGS, script];
}

/** Builds the context of one invocation from the process state. */
export function createContext(shellOption: unknown): Context {
  const env = Deno.env.toObject();
  for (const name of SECRET_VARIABLES) registerSecret(env[name]);
  const viaShellFunction = env.STC_EVAL_SHELL !== undefined && env.STC_EVAL_SHELL !== "";
  return {
    env,
    shell: resolveShell(shellOption, env),
    viaShellFunction,
    stdoutIsTerminal: !viaShellFunction && stdoutIsTerminal(),
    self: selfCommand(),
    now: () => new Date(),
    commands: COMMANDS,
  };
}

/**
 * The stack traces of an error and of its causes, for `STC_DEBUG=1`. Only stacks (name, message, frames) are
 * printed, never the objects: an SDK error carries the request, response and parsed error body, which may hold
 * credentials or a signed canonical request.
 */
export function debugTrace(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    const prefix = depth === 0 ? "" : "caused by: ";
    if (current instanceof Error) {
      lines.push(`${prefix}${current.stack ?? `${current.name}: ${current.message}`}`);
      current = current.cause;
    } else {
      lines.push(`${prefix}(a thrown ${typeof current}, not shown)`);
      break;
    }
  }
  return `${lines.join("\n")}\n`;
}

function reportError(error: unknown, debug: boolean): number {
  const write = (text: string) => writeStderr(redactSecrets(text));
  if (error instanceof StcError) {
    write(formatError(error.message, error.hint));
    if (debug) write(debugTrace(error));
    return error.exitCode;
  }
  const message = error instanceof Error
    ? error.message.split("\n")[0]
    : "a non-error value was thrown";
  write(
    formatError(
      `unexpected failure: ${message}`,
      debug ? undefined : "run with STC_DEBUG=1 for details",
    ),
  );
  if (debug) write(debugTrace(error));
  return ExitCode.Failure;
}

/** Runs stc with the given arguments and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const debug = Deno.env.get("STC_DEBUG") === "1";
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      writeStderr(overviewHelp());
      return ExitCode.Usage;
    }
    if (first === "--version" || first === "-V") {
      writeStdout(`stc ${VERSION}\n`);
      return ExitCode.Ok;
    }
    if (first === "--help" || first === "-h") {
      writeStderr(overviewHelp());
      return ExitCode.Ok;
    }
    if (first === "help") {
      if (rest.length === 0) {
        writeStderr(overviewHelp());
        return ExitCode.Ok;
      }
      const target = findCommand(rest[0]);
      // The session-tool.sh and assume-role functions from `stc init` have their own usage.
      const seed = target ? undefined : findSeedCommand(rest[0]);
      if (!target && !seed) throw unknownCommand(rest[0]);
      writeStderr(target ? commandHelp(target) : seedUsage(seed!));
      return ExitCode.Ok;
    }
    if (first.startsWith("-")) {
      throw usageError(
        `unknown option '${first.split("=")[0]}'`,
        "options go after the command: stc <command> [options]; see 'stc --help'",
      );
    }
    const command = findCommand(first);
    if (!command) throw unknownCommand(first);
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      writeStderr(commandHelp(command));
      return ExitCode.Ok;
    }
    checkArity(command, args);
    const context = createContext(args.values.shell);
    const actions = await command.run(context, args);
    emit(context, actions);
    return ExitCode.Ok;
  } catch (error) {
    return reportError(error, debug);
  }
}

function unknownCommand(name: string): StcError {
  // Only something shaped like a command name is echoed: a key or token pasted in the wrong place is not.
  const shown = /^[A-Za-z][\w-]{0,24}$/.test(name)
    ? `'${name}'`
    : "(not shown: not a command name)";
  return usageError(
    `unknown command ${shown}`,
    didYouMean(name, [...COMMANDS.map((c) => c.name), "help"]) ?? "see 'stc --help'",
  );
}
