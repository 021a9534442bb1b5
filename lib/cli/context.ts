/**
 * The context of one invocation, built from the process state: the shell to write for, whether the shell
 * function runs stc (and its mark), the clock, the terminal, and the secrets of the environment registered for
 * redaction.
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import { usageError } from "../core/errors.ts";
import { registerSecret } from "../core/secrets.ts";
import { msg } from "../core/message.ts";
import { BASE_SESSION_VARIABLE, SECRET_VARIABLES } from "../session/variable_names.ts";
import { parseShellName, type ShellName } from "../shell/shell_name.ts";
import type { Term } from "../term/term.ts";
import type { CommandLookup, Context } from "./command.ts";
import { selfCommand } from "./self.ts";

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
export function clock(env: Env): () => Date {
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
export async function createContext(
  env: Env,
  term: Term,
  shellOption: unknown,
  commands: CommandLookup,
): Promise<Context> {
  // The secrets among the variables; the base session's JSON also holds names and ARNs, which are no secret.
  for (const name of SECRET_VARIABLES) {
    if (name !== BASE_SESSION_VARIABLE) registerSecret(env[name]);
  }
  if (env[BASE_SESSION_VARIABLE]) {
    // Its reader is loaded only when there is one to read: a shell start or a Tab has none.
    const { readBaseSession } = await import("../session/variables.ts");
    const base = readBaseSession(env);
    registerSecret(base?.secretAccessKey);
    registerSecret(base?.sessionToken);
  }
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
    commands,
  };
}
