/**
 * What the user sees when a command fails: one line (and a hint) for stc's own errors, a short line for anything
 * else, and with `STC_DEBUG=1` the stack traces, never the error objects. Loaded only when a command fails.
 *
 * @module
 */

import { ExitCode, ExitStatus, StcError } from "../core/errors.ts";
import { unhandledFsError } from "../fs/errors.ts";
import { msg } from "../core/message.ts";
import type { Term } from "../term/term.ts";

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

/** Reports `error` on the terminal; returns the exit code it means. */
export function reportError(term: Term, error: unknown, debug: boolean): number {
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
