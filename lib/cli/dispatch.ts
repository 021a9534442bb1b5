/**
 * Dispatch of a command line: global options, help, the subcommand (parsed against its spec, run in its context,
 * its result emitted) and the report of what failed.
 *
 * Start-up cost is felt on every shell start, Tab and prompt, so this module loads only what every command
 * needs; help texts, the error report, the session agent's lookup and each command's own modules are loaded when
 * used.
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import { ExitCode, type StcError, usageError } from "../core/errors.ts";
import { didYouMean } from "../core/suggest.ts";
import { BASE_SESSION_COMMANDS } from "../commands/overview.ts";
import { createTerm, type Term } from "../term/term.ts";
import type { Command } from "./command.ts";
import { clock, createContext } from "./context.ts";
import { emit } from "./output.ts";
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
  const spec = await COMMAND_LOOKUP.spec(name);
  if (spec) return commandHelp(spec);
  // The session-tool.sh and assume-role functions from `stc init` have their own usage.
  const { findSeedCommand, seedUsage } = await import("../commands/seed.ts");
  const seed = findSeedCommand(name);
  if (!seed) throw unknownCommand(name);
  return seedUsage(seed);
}

/** The environment a command runs with: for those that use the base session, the agent's when the shell has none. */
async function sessionEnv(name: string, env: Env, parsed: ParsedArgs): Promise<Env> {
  if (!BASE_SESSION_COMMANDS.has(name)) return env;
  const { withAgentSession } = await import("../agent/lookup.ts");
  const profile = typeof parsed.values.profile === "string" ? parsed.values.profile : undefined;
  return await withAgentSession(env, profile, clock(env)());
}

/** Runs the command line `argv` (without the program name) with `term`; throws what fails. */
async function dispatch(argv: readonly string[], env: Env, term: Term): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    term.text(own((await help()).overviewHelp(COMMANDS)));
    return ExitCode.Usage;
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
  const context = await createContext(
    await sessionEnv(command.spec.name, env, parsed),
    term,
    parsed.values.shell,
    COMMAND_LOOKUP,
  );
  const actions = await command.run(context, parsed);
  await emit(context, actions);
  return ExitCode.Ok;
}

/** Runs the command line `argv` (without the program name) in the environment `env`; returns the exit code. */
export async function run(argv: readonly string[], env: Env): Promise<number> {
  const term = createTerm({ env });
  try {
    return await dispatch(argv, env, term);
  } catch (error) {
    const { reportError } = await import("./report.ts");
    return reportError(term, error, env.STC_DEBUG === "1");
  }
}
