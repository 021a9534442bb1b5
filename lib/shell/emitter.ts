/**
 * The one place that renders shell code.
 *
 * Every stc subcommand describes its effect on the user's shell as a list of
 * {@linkcode ShellAction}s; {@linkcode renderShell} turns that list into code for
 * `bash`, `zsh`, `fish` or POSIX `sh`. The output is `eval`ed by the user's shell, so
 * for any value the emitter accepts, evaluating the output sets exactly that value and
 * runs nothing else, whatever the shell's options (`set -eu`, `allexport`, zsh
 * `setopt`s) or locale (C or UTF-8).
 *
 * nushell has no `eval`: for `nu` the actions are rendered as data, one JSON object a line
 * (`{"kind":"export","name":…,"value":…}`), which the `stc` command of `stc init nu` parses
 * with `from json` and applies with `load-env`, `hide-env` and `print`. Data is never run,
 * whatever it holds.
 *
 * Values that cannot be represented are rejected with an `Error` that names the
 * variable but never contains the value (values may be secrets):
 * - NUL (U+0000): a shell variable is a C string and cannot hold it.
 * - Lone UTF-16 surrogates: they have no UTF-8 encoding, so the shell would receive
 *   U+FFFD instead of the value; silently changing a value is worse than refusing it.
 *
 * @example Untrusted values are quoted for the shell that evaluates them
 * ```ts
 * import { renderShell } from "./emitter.ts";
 * import assert from "node:assert/strict";
 *
 * const actions = [{ kind: "export", name: "AWS_PROFILE", value: "it's; rm -rf ~" }] as const;
 * assert.equal(renderShell("fish", actions), "set -gx AWS_PROFILE 'it\\'s; rm -rf ~';\n");
 * assert.equal(
 *   renderShell("bash", actions),
 *   "unset -n AWS_PROFILE; unset -v AWS_PROFILE; export AWS_PROFILE='it'\\''s; rm -rf ~';\n",
 * );
 * ```
 *
 * @module
 */

import { SHELL_NAMES, type ShellName } from "./shell_name.ts";

/** One effect on the user's shell. */
export type ShellAction =
  /** Set an environment variable, exported to child processes. */
  | { kind: "export"; name: string; value: string }
  /**
   * Set a shell variable that is NOT exported to child processes, even if a variable of
   * that name was exported before (or `allexport` is on).
   */
  | { kind: "set"; name: string; value: string }
  /** Remove a variable, exported or not. */
  | { kind: "unset"; name: string }
  /** Print `text` exactly as given (no newline is added) to stdout (default) or stderr. */
  | { kind: "print"; text: string; stream?: "stdout" | "stderr" };

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Whether `name` is a portable shell variable name (`[A-Za-z_][A-Za-z0-9_]*`), valid in
 * bash, zsh, fish and POSIX sh alike.
 */
export function isValidVariableName(name: string): boolean {
  return VARIABLE_NAME.test(name);
}

/**
 * Quote `value` as one shell word that evaluates to exactly `value` in `shell`.
 *
 * bash/zsh/sh: single quotes, an embedded `'` becomes `'\''`. Inside single quotes every
 * byte, control characters included, is literal, and `'` (0x27) never occurs inside a
 * multibyte UTF-8 sequence, so the result is read the same in C and UTF-8 locales. The
 * output never has a `''` inside a quoted string, so zsh's `RC_QUOTES` cannot change it.
 * bash and zsh: a newline is written as `$'\n'` between quoted parts, because zsh's
 * `CSH_JUNKIE_QUOTES` option rejects a raw newline inside quotes and bash's history expansion
 * would read a typed line starting with `^` as a substitution.
 *
 * fish: single quotes, in which only `\\` and `\'` are escapes.
 *
 * nu: single quotes (nothing inside is special) when the value has no `'`, else a raw string
 * `r#'…'#` with one `#` more than any run of `#` after a `'` in the value or at its start.
 *
 * @throws {Error} if `value` contains NUL or a lone surrogate (the message omits the value).
 */
export function quoteShell(shell: ShellName, value: string): string {
  checkShell(shell);
  checkValue(value, "shell word");
  return quote(shell, value);
}

/**
 * Characters that no supported shell expands, splits or treats specially anywhere in a word, whatever its
 * options. Left out although harmless in some positions: `%` (fish expands a leading `%self` to its PID), `=`
 * (zsh's EQUALS expands a leading `=cmd` to a path, and with MAGIC_EQUAL_SUBST also `=` after `=` or `:`), `~`
 * (tilde expansion at the start, and after `=` or `:` in words that look like assignments), `!` (history),
 * `^` and `#` (zsh EXTENDED_GLOB), braces, brackets and every quote, space or control character.
 */
const PLAIN_WORD = /^[A-Za-z0-9_.,/+:@-]+$/;

/**
 * `value` as one word of a command line meant to be read by people and pasted into `shell`: as it is when
 * it is made only of characters no supported shell expands (so ordinary names and keys stay readable and
 * the same line works in every shell), else quoted as {@linkcode quoteShell} does.
 *
 * @example
 * ```ts
 * import { quoteWord } from "./emitter.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(quoteWord("sh", "awsops"), "awsops");
 * assert.equal(quoteWord("fish", "%self"), "'%self'");
 * assert.equal(quoteWord("zsh", "=deno"), "'=deno'");
 * ```
 *
 * @throws {Error} if `value` contains NUL or a lone surrogate (the message omits the value).
 */
export function quoteWord(shell: ShellName, value: string): string {
  checkShell(shell);
  checkValue(value, "shell word");
  // nushell reads bare words as numbers, durations, sizes or ranges (`1e3`, `5min`, `1..2`): only names stay bare.
  const plain = shell === "nu" ? NU_PLAIN_WORD : PLAIN_WORD;
  return plain.test(value) ? value : quote(shell, value);
}

/**
 * Bare words nushell reads as the same string: a name or a flag (`-p`, `--profile`), not a boolean, null or
 * float (`true`, `null`, `Infinity`, `-inf`, `NaN`).
 */
const NU_PLAIN_WORD =
  /^(?!-{0,2}(?:true|false|null|inf|infinity|nan)$)(?:--?)?[A-Za-z][A-Za-z0-9_-]*$/i;

/**
 * Render `actions` as code for `shell`. The code of each action ends with `;` and a
 * newline, so rendered outputs can be concatenated. Everything is validated
 * before anything is returned: a bad action throws and yields no partial output.
 *
 * Assignments unset the variable first, so attributes it may carry in the user's shell
 * (bash/zsh integer, upper/lower case, bash nameref) cannot alter or evaluate the value.
 *
 * @throws {Error} for an unknown shell or action, an invalid variable name, or a value or
 * text containing NUL or a lone surrogate. Messages name the variable, never the value.
 */
export function renderShell(shell: ShellName, actions: readonly ShellAction[]): string {
  checkShell(shell);
  return actions.map((action) => renderAction(shell, action) + "\n").join("");
}

/**
 * One action as a line of JSON for nushell's `stc` command. JSON.stringify escapes line breaks and every other
 * control character, so the object stays on one line; nothing in it is code.
 */
function renderNuAction(action: ShellAction): string {
  switch (action.kind) {
    case "export":
    case "set": {
      const name = checkName(action.name);
      checkValue(action.value, `variable ${name}`);
      return JSON.stringify({ kind: action.kind, name, value: action.value });
    }
    case "unset":
      return JSON.stringify({ kind: "unset", name: checkName(action.name) });
    case "print": {
      checkValue(action.text, "printed text");
      const stream = action.stream ?? "stdout";
      if (stream !== "stdout" && stream !== "stderr") {
        throw new Error(`unknown output stream for print: ${JSON.stringify(String(stream))}`);
      }
      return JSON.stringify({ kind: "print", stream, text: action.text });
    }
  }
  const kind = (action as { kind?: unknown }).kind;
  throw new Error(`unknown shell action kind: ${JSON.stringify(String(kind)).slice(0, 80)}`);
}

function renderAction(shell: ShellName, action: ShellAction): string {
  if (shell === "nu") return renderNuAction(action);
  switch (action.kind) {
    case "export": {
      const name = checkName(action.name);
      checkValue(action.value, `variable ${name}`);
      const value = quote(shell, action.value);
      if (shell === "fish") return `set -gx ${name} ${value};`;
      return `${unsetStatement(shell, name)} export ${name}=${value};`;
    }
    case "set": {
      const name = checkName(action.name);
      checkValue(action.value, `variable ${name}`);
      const value = quote(shell, action.value);
      switch (shell) {
        case "fish":
          // -u: also drop the export flag a global of that name may have.
          return `set -gu ${name} ${value};`;
        case "bash":
          // export -n: `set -a` (allexport) would export the plain assignment.
          return `${unsetStatement(shell, name)} ${name}=${value}; export -n ${name};`;
        case "zsh":
          // -g: the output is usually eval'ed inside a function, where a bare typeset
          // would create a local and a bare assignment warns under WARN_CREATE_GLOBAL.
          // The second typeset unexports: ALL_EXPORT exports even `typeset +x N=v`.
          return `${unsetStatement(shell, name)} typeset -g ${name}=${value}; ` +
            `typeset -g +x ${name};`;
        case "sh": {
          // POSIX has no way to unexport, so allexport is switched off around the
          // assignment and restored. The unset must happen while it is off too: dash
          // under `set -a` keeps the export flag on the unset variable.
          const assign = `${unsetStatement(shell, name)} ${name}=${value};`;
          return `case $- in *a*) set +a; ${assign} set -a;; *) ${assign}; esac;`;
        }
      }
      break;
    }
    case "unset": {
      const name = checkName(action.name);
      // Global scope, like export/set; a universal variable (set -U) is left alone
      // because erasing it would change every other fish session too. Only when it is set:
      // `set -e` of a missing variable returns 4, which would become the status of the code.
      if (shell === "fish") return `if set -q -g ${name}; set -e -g ${name}; end;`;
      return unsetStatement(shell, name);
    }
    case "print": {
      checkValue(action.text, "printed text");
      const stream = action.stream ?? "stdout";
      if (stream !== "stdout" && stream !== "stderr") {
        throw new Error(`unknown output stream for print: ${JSON.stringify(String(stream))}`);
      }
      // printf '%s' prints the text as is: no escapes, no format, no added newline.
      return `printf '%s' ${quote(shell, action.text)}${stream === "stderr" ? " >&2" : ""};`;
    }
  }
  const kind = (action as { kind?: unknown }).kind;
  throw new Error(`unknown shell action kind: ${JSON.stringify(String(kind)).slice(0, 80)}`);
}

/** Statements that remove `name` in bash/zsh/sh (fish is handled by its callers). */
function unsetStatement(shell: ShellName, name: string): string {
  // -v: without it, bash unsets a *function* of that name when no variable exists.
  // bash `unset -v` on a nameref unsets its target, so drop the nameref itself first
  // (`unset -n` leaves plain variables alone).
  return shell === "bash" ? `unset -n ${name}; unset -v ${name};` : `unset -v ${name};`;
}

function quote(shell: ShellName, value: string): string {
  if (shell === "nu") {
    if (!value.includes("'")) return `'${value}'`;
    // The opening quote counts too: nushell ends `r#'#x'#` at the `'#` that opens it.
    const runs = `'${value}`.match(/'#*/g)!.map((run) => run.length);
    const hashes = "#".repeat(Math.max(...runs));
    return `r${hashes}'${value}'${hashes}`;
  }
  if (shell === "fish") return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
  const quoted = `'${value.replaceAll("'", `'\\''`)}'`;
  // zsh's CSH_JUNKIE_QUOTES makes a raw newline inside quotes a syntax error, and bash's
  // history expansion reads a line starting with ^ as a quick substitution (`^a^b`), even
  // inside quotes, when the code is typed or pasted; $'\n' is read the same under every option.
  // A function, because `$'` in a replacement string means "the text after the match".
  return shell === "zsh" || shell === "bash" ? quoted.replaceAll("\n", () => `'$'\\n''`) : quoted;
}

function checkShell(shell: ShellName): void {
  if (!SHELL_NAMES.includes(shell)) {
    throw new Error(`unsupported shell: ${JSON.stringify(String(shell)).slice(0, 80)}`);
  }
}

function checkName(name: string): string {
  if (typeof name !== "string" || !isValidVariableName(name)) {
    // The name comes from stc's code, not a secret; JSON.stringify makes control
    // characters in it visible, and it is cut short so a huge name cannot flood the error.
    const shown = JSON.stringify(String(name));
    throw new Error(
      `invalid shell variable name: ${shown.length > 80 ? shown.slice(0, 77) + "..." : shown}`,
    );
  }
  return name;
}

/** Throws if `value` cannot be set exactly; `what` names it in the message, never shows it. */
function checkValue(value: string, what: string): void {
  if (typeof value !== "string") throw new Error(`${what}: value is not a string`);
  if (value.includes("\0")) {
    throw new Error(`${what}: value contains a NUL character, which a shell cannot hold`);
  }
  if (!value.isWellFormed()) {
    throw new Error(
      `${what}: value contains a lone UTF-16 surrogate, which has no UTF-8 encoding`,
    );
  }
}
