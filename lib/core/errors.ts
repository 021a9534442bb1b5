/**
 * Errors that stc reports to the user, and the exit codes they map to.
 *
 * Every failure the user should see is an {@linkcode StcError}: a one-line message, an optional hint, and an
 * exit code from {@linkcode ExitCode}. Messages must never contain secrets. Message and hint are
 * {@linkcode Text}: built with {@linkcode msg}, stc's own words stay apart from the values in them, which the Term
 * alone sanitises and redacts.
 *
 * @module
 */

import { msg, plainText, type Text } from "./message.ts";

/** Exit codes of stc, documented in the README. */
export const ExitCode = {
  /** Success. */
  Ok: 0,
  /** A runtime failure: AWS refused, a file could not be written, the user cancelled a prompt. */
  Failure: 1,
  /** Bad usage: unknown command or option, missing or malformed argument. */
  Usage: 2,
  /** No session, or the session has expired: get or restore one. */
  SessionExpired: 3,
  /** AWS rejected the credentials themselves (unknown, deleted, inactive key or bad signature), or they break AWS's rules. */
  CredentialsInvalid: 4,
  /** AWS could not be reached (network down, DNS, connection refused, timeout). */
  Unreachable: 5,
  /** Interrupted by the user (Ctrl-C at a prompt). */
  Interrupted: 130,
} as const;

/** One of the values of {@linkcode ExitCode}. */
export type ExitCodeValue = typeof ExitCode[keyof typeof ExitCode];

/** Options of {@linkcode StcError}. */
export interface StcErrorOptions {
  /** A second line telling the user what to do about it. */
  hint?: Text;
  /** The exit code; {@linkcode ExitCode.Failure} when absent. */
  exitCode?: ExitCodeValue;
  /** The underlying error, shown only with `STC_DEBUG=1`. */
  cause?: unknown;
}

/** An error meant for the user: printed as `stc: error: <message>` without a stack trace. */
export class StcError extends Error {
  /** The message as given: what the Term shows (`message` is its plain text, values unsanitised). */
  readonly text: Text;
  /** What the user can do about it, printed as `hint: …`, as given. */
  readonly hintText?: Text;
  /** The hint's plain text. */
  readonly hint?: string;
  /** The process exit code. */
  readonly exitCode: ExitCodeValue;

  /** Creates an error with a one-line message (no secrets) and optional hint and exit code. */
  constructor(message: Text, options: StcErrorOptions = {}) {
    super(plainText(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "StcError";
    this.text = message;
    this.hintText = options.hint;
    this.hint = options.hint === undefined ? undefined : plainText(options.hint);
    this.exitCode = options.exitCode ?? ExitCode.Failure;
  }
}

/** Creates a usage error (exit code 2). */
export function usageError(message: Text, hint?: Text): StcError {
  return new StcError(message, { hint, exitCode: ExitCode.Usage });
}

/**
 * `error` with `hint` as its hint when it is an {@linkcode StcError} without one (message, exit code and cause
 * kept); any other error is returned as it is. For adding what the caller knows to an error from below.
 */
export function withHint(error: unknown, hint: Text): unknown {
  if (!(error instanceof StcError) || error.hint !== undefined) return error;
  return new StcError(error.text, {
    hint,
    exitCode: error.exitCode,
    cause: error.cause ?? error,
  });
}

/**
 * `error` with `context` (what the caller was doing) before its message, keeping its exit code, and its hint or
 * else `hint`, when it is an {@linkcode StcError}; any other error is returned as it is. For naming the step of a
 * command that failed.
 */
export function withContext(error: unknown, context: Text, hint?: Text): unknown {
  if (!(error instanceof StcError)) return error;
  const kept = error.hintText ?? hint;
  return new StcError(msg`${context}: ${error.text}`, {
    ...(kept !== undefined ? { hint: kept } : {}),
    exitCode: error.exitCode,
    cause: error,
  });
}

/** `error` as an {@linkcode StcError}: itself when it is one, else `fallback(error)`. */
export function asStcError(error: unknown, fallback: (error: unknown) => StcError): StcError {
  return error instanceof StcError ? error : fallback(error);
}

/**
 * Ends stc with a given status and no message: `stc exec` passes on its command's exit status (0-255) this way.
 */
export class ExitStatus extends Error {
  /** The process exit status. */
  readonly status: number;

  /** An exit with `status`. */
  constructor(status: number) {
    super(`exit status ${status}`);
    this.name = "ExitStatus";
    this.status = status;
  }
}
