/**
 * Questions on the controlling terminal (`/dev/tty`), for commands whose stdin, stdout and stderr belong to the
 * program that runs them (`stc credential-process`, run by an SDK that reads stdout and captures stderr). Deno
 * grants /dev/tty only with every permission, so `sh` opens it, asks and prints the answer on a pipe to stc;
 * nothing goes through stc's own stdin, stdout or stderr.
 *
 * @module
 */

import { ExitCode, StcError } from "../core/errors.ts";
import { sanitise } from "../term/sanitise.ts";
import type { Term } from "../term/term.ts";

/** What the script exits with when the process has no controlling terminal. */
const NO_TERMINAL = 99;
/** What it exits with when the terminal gave no answer (end of input). */
const NO_ANSWER = 98;

// $1 the question, $2 "secret" to read without echo (the terminal's settings are restored on any exit).
// A failed redirection of `exec` ends a non-interactive shell, so a subshell tries first.
const ASK = `(exec 3<>/dev/tty) 2>/dev/null || exit ${NO_TERMINAL}
exec 3<>/dev/tty
printf '%s ' "$1" >&3
if [ "$2" = secret ]; then
  saved=$(stty -g <&3)
  trap 'stty "$saved" <&3; printf "\\n" >&3' EXIT
  trap 'exit 130' INT TERM HUP
  stty -echo <&3
fi
IFS= read -r answer <&3 || exit ${NO_ANSWER}
printf '%s' "$answer"`;

/**
 * `term` with its questions asked on the controlling terminal; without one, asking fails with `noTerminal()`.
 * Only `prompt` is redirected: `confirm` and `promptNewSecret` are refused the same way (no command that runs
 * under an SDK needs them).
 */
export function terminalPrompts(term: Term, noTerminal: () => StcError): Term {
  const refuse = () => Promise.reject(noTerminal());
  return {
    ...term,
    stdinIsTerminal: false,
    async prompt(question, options = {}) {
      const out = await new Deno.Command("sh", {
        args: ["-c", ASK, "sh", sanitise(question), options.secret ? "secret" : "plain"],
        stdin: "null",
        stdout: "piped",
        stderr: "null",
      }).output();
      if (out.code === NO_TERMINAL) throw noTerminal();
      if (out.code === 130) throw new StcError("interrupted", { exitCode: ExitCode.Interrupted });
      if (!out.success) {
        throw new StcError(
          "no answer: the terminal's input ended before the question was answered",
        );
      }
      return new TextDecoder().decode(out.stdout).replace(/\r$/, "");
    },
    confirm: refuse,
    promptNewSecret: refuse,
  };
}
