/**
 * Writes a command's result to stdout: through the shell emitter when it will be evaluated, as plain text when it
 * is only data. Refuses to print credentials to a terminal.
 *
 * @module
 */

import type { Context } from "./command.ts";
import { StcError } from "../core/errors.ts";
import { renderShell, type ShellAction } from "../shell/emitter.ts";
import { writeStderr, writeStdout } from "../term/ui.ts";

/** Variables whose values are secrets: they are never written to a terminal. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "STC_BASE_SESSION",
]);

function holdsSecret(action: ShellAction): boolean {
  return (action.kind === "export" || action.kind === "set") && SECRET_VARIABLES.has(action.name);
}

/**
 * Fails when the command's credentials would land on a terminal: the user ran the binary directly instead of the
 * shell function or `eval`. Commands that emit credentials call this before doing any work (an MFA code is
 * single-use), and {@linkcode emit} checks again.
 */
export function guardSecretOutput(context: Context): void {
  if (context.viaShellFunction || !context.stdoutIsTerminal) return;
  throw new StcError("refusing to print credentials to a terminal", {
    hint: `load the shell functions with 'eval "$(stc init ${
      context.shell === "sh" ? "bash" : context.shell
    })"', or run it as 'eval "$(stc …)"'`,
  });
}

/**
 * Writes the actions to stdout. Under the shell function everything is shell code (text becomes `printf`). Run
 * directly, environment changes are rendered as shell code for `eval` and text is written as it is.
 */
export function emit(context: Context, actions: readonly ShellAction[]): void {
  if (actions.length === 0) return;
  const changesEnvironment = actions.some((a) => a.kind !== "print");
  if (context.viaShellFunction || changesEnvironment) {
    if (actions.some(holdsSecret)) guardSecretOutput(context);
    writeStdout(renderShell(context.shell, actions));
    return;
  }
  for (const action of actions) {
    if (action.kind !== "print") continue;
    if (action.stream === "stderr") writeStderr(action.text);
    else writeStdout(action.text);
  }
}

/** A `print` action for one line of stdout. */
export function printLine(text: string): ShellAction {
  return { kind: "print", text: `${text}\n` };
}
