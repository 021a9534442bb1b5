/**
 * The shell code of a command's actions, for the shell function to evaluate: rendered by the one emitter, with
 * text for stderr passed through the one sanitiser. Loaded only when a command changes the shell.
 *
 * @module
 */

import { renderShell, type ShellAction } from "../shell/emitter.ts";
import type { ShellName } from "../shell/shell_name.ts";
import { sanitise } from "../term/sanitise.ts";

/**
 * The shell code of `actions`. Text the shell is to print on stderr is for people, so it passes through the same
 * sanitiser as the Term's.
 */
export function shellOutput(shell: ShellName, actions: readonly ShellAction[]): string {
  return renderShell(
    shell,
    actions.map((action): ShellAction =>
      action.kind === "print" && action.stream === "stderr"
        ? { ...action, text: sanitise(action.text, { keepNewlines: true }) }
        : action
    ),
  );
}
