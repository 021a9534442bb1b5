/**
 * Writes a command's result to stdout: through the shell emitter when it will be evaluated, as plain text when it
 * is only data. Refuses to print credentials to a terminal. Writes through cli/stdout.ts, the only writer.
 *
 * @module
 */

import { StcError } from "../core/errors.ts";
import { SECRET_VARIABLES } from "../session/variable_names.ts";
import type { ShellAction } from "../shell/emitter.ts";
import type { Context } from "./command.ts";
import { msg, type Text } from "../core/message.ts";
import { sanitise } from "../term/sanitise.ts";
import { writeStdout } from "./stdout.ts";

function holdsSecret(action: ShellAction): boolean {
  return (action.kind === "export" || action.kind === "set") && SECRET_VARIABLES.has(action.name);
}

/** How to get the shell functions of `stc init` in the context's shell. */
function loadFunctionsHint(context: Context): Text {
  // nushell has no eval: its functions are loaded from a file (`stc init nu --install` writes it).
  if (context.shell === "nu") return msg`load the shell functions with 'stc init nu --install'`;
  return msg`load the shell functions with 'eval "$(stc init ${
    context.shell === "sh" ? "bash" : context.shell
  })"', or run it as 'eval "$(stc …)"'`;
}

/**
 * Fails when the command's credentials would land on a terminal: the user ran the binary directly instead of the
 * shell function or `eval`. Commands that emit credentials call this before doing any work (an MFA code is
 * single-use), and {@linkcode emit} checks again.
 */
export function guardSecretOutput(context: Context): void {
  if (context.viaShellFunction || !context.stdoutIsTerminal) return;
  throw new StcError("refusing to print credentials to a terminal", {
    hint: loadFunctionsHint(context),
  });
}

/**
 * Fails when a command that only changes the shell's environment (`stc session -c`) is run directly with stdout
 * on a terminal: the shell would only be shown the code, and nothing would change. Called before any work.
 */
export function guardShellChange(context: Context, what: string): void {
  if (context.viaShellFunction || !context.stdoutIsTerminal) return;
  throw new StcError(msg`nothing ${what}: run directly, stc cannot change this shell's variables`, {
    hint: loadFunctionsHint(context),
  });
}

/**
 * Writes the actions to stdout. Actions that change the environment are rendered as shell code for `eval` (text
 * among them becomes `printf`); under the shell function, that code follows the function's mark line
 * ({@linkcode Context.shellCodeMark}), which tells it to evaluate stdout. Text alone is data, written as it is,
 * which the function passes through and never evaluates. (The function of an older stc gives no mark and
 * evaluates all of stdout: for it, everything is shell code.)
 */
export async function emit(context: Context, actions: readonly ShellAction[]): Promise<void> {
  if (actions.length === 0) return;
  const changesEnvironment = actions.some((a) => a.kind !== "print");
  const evaluatesAll = context.viaShellFunction && context.shellCodeMark === undefined;
  if (changesEnvironment || evaluatesAll) {
    if (actions.some(holdsSecret)) guardSecretOutput(context);
    // The emitter is loaded only for shell code: most runs print data.
    const { shellOutput } = await import("./shell_output.ts");
    const code = shellOutput(context.shell, actions);
    const mark = context.shellCodeMark;
    writeStdout(mark === undefined ? code : `${mark}\n${code}`);
    return;
  }
  for (const action of actions) {
    if (action.kind !== "print") continue;
    if (action.stream === "stderr") context.term.text(action.text);
    else writeStdout(action.text);
  }
}

/** A `print` action for one line of stdout: data (a URL, JSON, names for completion). */
export function printLine(text: string): ShellAction {
  return { kind: "print", text: `${text}\n` };
}

/** A `print` action for one line of stdout meant for people (a table, a status): sanitised like the Term's. */
export function humanLine(text: Text): ShellAction {
  return printLine(sanitise(text));
}
