/**
 * The command-line front end: global options, dispatch to subcommands, argument parsing, help and error reporting.
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import { ExitCode, ExitStatus, StcError, usageError } from "../core/errors.ts";
import { unhandledFsError } from "../fs/errors.ts";
import { registerSecret } from "../core/secrets.ts";
import { didYouMean } from "../core/suggest.ts";
import { VERSION } from "../core/version.ts";
import { BASE_SESSION_VARIABLE, readBaseSession, SECRET_VARIABLES } from "../session/variables.ts";
import { parseShellName, type ShellName } from "../shell/emitter.ts";
import { createTerm, type Term } from "../term/term.ts";
import type { Command, Context } from "./command.ts";
import { emit, writeStdout } from "./output.ts";
import { checkArity, parseArgs, type ParsedArgs } from "./parse.ts";
import { COMMAND_LOOKUP, COMMANDS } from "./registry.ts";
import { msg, own } from "../core/message.ts";

/** Finds a command by name and loads it. */
export function findCommand(name: string): Promise<Command | undefined> {
  return COMMAND_LOOKUP.load(name);
}

/** Parses a command's arguments (without the arity check), turning parser errors into usage errors with a hint. */
export function parseCommandArgs(command: Command, argv: readonly string[]): ParsedArgs {
  return parseArgs(command.spec, argv);
}

function resolveShell(option: unknown, env: Env): ShellName {
  // Under the shell function its shell evaluates stdout, so it wins over --shell.
  const requested = env.STC_EVAL_SHELL || (typeof option === "string" ? option : env.STC_SHELL);
  if (requested === undefined || requested === "") return "sh";
  const shell = parseShellName(requested);
  if (!shell) {
    throw usageError(msg`unknown shell '${requested}'`, "use one of: bash, zsh, fish, sh, nu");
  }
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
  "--allow-sys=osRelease,uid",
];

/**
 * How `deno run` loads stc from source: `import()`s load when reached, as in the compiled binary, instead of
 * every module any command could import (the AWS SDK's graph included) being read before the first line runs.
 */
export const LOAD_FLAGS: readonly string[] = ["--unstable-lazy-dynamic-imports"];

/** How to run this stc again: the compiled binary itself, or `deno run` of main.ts with stc's permissions. */
export function selfCommand(runtime: RuntimeFacts = currentRuntime()): string[] {
  if (runtime.standalone) return [runtime.execPath];
  const main = new URL(runtime.mainUrl);
  const script = main.protocol === "file:" ? decodeURIComponent(main.pathname) : main.href;
  return [runtime.execPath, "run", "--quiet", ...LOAD_FLAGS, ...PERMISSION_FLAGS, script];
}

function stdoutIsTerminal(): boolean {
  try {
    return Deno.stdout.isTerminal();
  } catch {
    return false;
  }
}

/**
 * The variable in which the shell function hands stc a fresh random word per call; stc writes it as the first
 * line of stdout when, and only when, stdout is shell code. Data (a version, a URL, JSON, a list) never starts
 * with it, so the function passes it through instead of evaluating it, whatever it holds.
 */
export const SHELL_CODE_MARK_VARIABLE = "STC_EVAL_MARK";
/** What a mark looks like; anything else is ignored (and stdout is then all shell code, as for older functions). */
const SHELL_CODE_MARK = /^[A-Za-z0-9_-]{8,100}$/;

/**
 * The variable naming a file that holds seconds to add to the system clock, read at every reading of the clock: the
 * test suite's simulated time, shared with its AWS emulator, so that hours of credential lifetimes pass in seconds
 * (`stc serve` renewing role credentials over three simulated hours). Unset, stc reads the system clock alone.
 */
export const TEST_CLOCK_VARIABLE = "STC_TEST_CLOCK_FILE";

/** The clock of one invocation: the system's, shifted by {@linkcode TEST_CLOCK_VARIABLE}'s file when set. */
function clock(env: Env): () => Date {
  const file = env[TEST_CLOCK_VARIABLE];
  if (!file) return () => new Date();
  return () => {
    let offset = 0;
    try {
      offset = Number(Deno.readTextFileSync(file).trim()) || 0;
    } catch {
      // No file (yet): no offset.
    }
    return new Date(Date.now() + offset * 1000);
  };
}

/** Builds the context of one invocation from the process state. */
export function createContext(env: Env, term: Term, shellOption: unknown): Context {
  // The secrets among the variables; the base session's JSON also holds names and ARNs, which are no secret.
  for (const name of SECRET_VARIABLES) {
    if (name !== BASE_SESSION_VARIABLE) registerSecret(env[name]);
  }
  const base = readBaseSession(env);
  registerSecret(base?.secretAccessKey);
  registerSecret(base?.sessionToken);
  const viaShellFunction = env.STC_EVAL_SHELL !== undefined && env.STC_EVAL_SHELL !== "";
  const mark = env[SHELL_CODE_MARK_VARIABLE];
  return {
    env,
    shell: resolveShell(shellOption, env),
    viaShellFunction,
    ...(viaShellFunction && mark !== undefined && SHELL_CODE_MARK.test(mark)
      ? { shellCodeMark: mark }
      : {}),
    stdoutIsTerminal: !viaShellFunction && stdoutIsTerminal(),
    self: selfCommand(),
    now: clock(env),
    term,
    commands: COMMAND_LOOKUP,
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

function reportError(term: Term, error: unknown, debug: boolean): number {
  if (error instanceof ExitStatus) return error.status;
  // A file-system error no module turned into words still names its file, in one line.
  error = unhandledFsError(error) ?? error;
  if (error instanceof StcError) {
    term.error(error.text, error.hintText);
    if (debug) term.text(debugTrace(error));
    return error.exitCode;
  }
  const message = error instanceof Error
    ? msg`${error.message.split("\n")[0]}`
    : msg`a non-error value was thrown`;
  term.error(
    msg`unexpected failure: ${message}`,
    debug ? undefined : "run with STC_DEBUG=1 for details",
  );
  if (debug) term.text(debugTrace(error));
  return ExitCode.Failure;
}

function unknownCommand(name: string): StcError {
  // Only something shaped like a command name is echoed: a key or token pasted in the wrong place is not.
  const shown = /^[A-Za-z][\w-]{0,24}$/.test(name)
    ? `'${name}'`
    : "(not shown: not a command name)";
  return usageError(
    msg`unknown command ${shown}`,
    didYouMean(name, [...COMMANDS.map((c) => c.name), "help"]) ?? "see 'stc --help'",
  );
}

/** Help texts, loaded only to show one. */
const help = () => import("./help.ts");

/** The help of `stc help NAME`: a command's, `help`'s own, or that of a function `stc init` defines. */
async function helpOf(name: string): Promise<string> {
  // `stc help help`, and `stc help --help` as `stc COMMAND --help` reads.
  const { commandHelp, HELP_HELP } = await help();
  if (name === "help" || name === "--help" || name === "-h") return HELP_HELP;
  const command = await findCommand(name);
  if (command) return commandHelp(command.spec);
  // The session-tool.sh and assume-role functions from `stc init` have their own usage.
  const { findSeedCommand, seedUsage } = await import("../commands/seed.ts");
  const seed = findSeedCommand(name);
  if (!seed) throw unknownCommand(name);
  return seedUsage(seed);
}

/** The environment a command runs with: for those that use the base session, the agent's when the shell has none. */
async function sessionEnv(name: string, env: Env, parsed: ParsedArgs): Promise<Env> {
  const { BASE_SESSION_COMMANDS, withAgentSession } = await import("../agent/lookup.ts");
  if (!BASE_SESSION_COMMANDS.has(name)) return env;
  const profile = typeof parsed.values.profile === "string" ? parsed.values.profile : undefined;
  return await withAgentSession(env, profile, clock(env)());
}

/** Runs stc with the given arguments and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const env = Deno.env.toObject();
  const term = createTerm({ env });
  const debug = env.STC_DEBUG === "1";
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      term.text(own((await help()).overviewHelp(COMMANDS)));
      return ExitCode.Usage;
    }
    if (first === "--version" || first === "-V") {
      writeStdout(`stc ${VERSION}\n`);
      return ExitCode.Ok;
    }
    if (first === "--help" || first === "-h") {
      term.text(own((await help()).overviewHelp(COMMANDS)));
      return ExitCode.Ok;
    }
    if (first === "help") {
      if (rest.length > 1) {
        throw usageError("'stc help' takes one command", "usage: stc help [command]");
      }
      term.text(
        own(rest.length === 0 ? (await help()).overviewHelp(COMMANDS) : await helpOf(rest[0])),
      );
      return ExitCode.Ok;
    }
    if (first.startsWith("-")) {
      throw usageError(
        msg`unknown option '${first.split("=")[0]}'`,
        "options go after the command: stc <command> [options]; see 'stc --help'",
      );
    }
    const command = await findCommand(first);
    if (!command) throw unknownCommand(first);
    const parsed = parseArgs(command.spec, rest);
    if (parsed.values.help) {
      term.text(own((await help()).commandHelp(command.spec)));
      return ExitCode.Ok;
    }
    checkArity(command.spec, parsed.positionals);
    const context = createContext(
      await sessionEnv(command.spec.name, env, parsed),
      term,
      parsed.values.shell,
    );
    const actions = await command.run(context, parsed);
    emit(context, actions);
    return ExitCode.Ok;
  } catch (error) {
    return reportError(term, error, debug);
  }
}
