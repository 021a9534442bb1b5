/**
 * File-system errors in words a person understands, for one-line messages that name the file.
 *
 * @module
 */

import { StcError } from "../core/errors.ts";
import { dirname } from "./path.ts";
import { msg } from "../core/message.ts";

/** What went wrong, in a few words: `read-only file system`, `no space left on the device`, … */
export function describeFsError(error: unknown): string {
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  // Deno refuses some device files (/dev/full, …) to any program without all permissions.
  if (error instanceof Deno.errors.NotCapable) return "not a regular file";
  if (error instanceof Deno.errors.NotFound) return "no such file or directory";
  if (error instanceof Deno.errors.AlreadyExists) return "it already exists";
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  if (error instanceof Deno.errors.NotADirectory) return "a part of the path is not a directory";
  const code = (error as { code?: string }).code;
  const byCode: Record<string, string> = {
    EROFS: "read-only file system",
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    EIO: "input/output error",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    ENOTDIR: "a part of the path is not a directory",
    EISDIR: "it is a directory",
    ELOOP: "too many levels of symbolic links",
    ENAMETOOLONG: "file name too long",
    EMFILE: "too many open files",
  };
  if (code && byCode[code]) return byCode[code];
  const message = error instanceof Error ? error.message : String(error);
  // Deno's messages end with "(os error N)"; the words before it are the OS's description.
  return message.replace(/\s*\(os error \d+\)\s*$/, "").split("\n")[0].slice(0, 120) ||
    "unknown error";
}

/**
 * The one-line error for a file stc could not write: `cannot write PATH: read-only file system`, with a hint when
 * there is one that is true for the cause. An {@linkcode StcError} passes through unchanged.
 */
export function fileWriteError(path: string, error: unknown): StcError {
  if (error instanceof StcError) return error;
  const why = describeFsError(error);
  const code = (error as { code?: string }).code;
  let hint: string | undefined;
  if (code === "ENOSPC" || code === "EDQUOT") hint = "free some space, then run the command again";
  else if (error instanceof Deno.errors.PermissionDenied || code === "EACCES") {
    hint = `check the owner and permissions of ${dirname(path)}`;
  }
  return new StcError(msg`cannot write ${path}: ${why}`, { hint, cause: error });
}

/** Deno's operation names, by what they do to a file. */
const WRITING_OPS = new Set([
  "writefile",
  "rename",
  "mkdir",
  "remove",
  "chmod",
  "chown",
  "copyfile",
  "symlink",
  "link",
  "truncate",
  "utime",
]);

/**
 * The one-line error for a file-system error that reached the top without being handled where it happened:
 * `cannot write PATH: read-only file system`, from Deno's `… (os error N): OP 'PATH'` message; undefined when
 * `error` is not a file-system error that names its path.
 */
export function unhandledFsError(error: unknown): StcError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string" || !/^E[A-Z0-9]+$/.test(code)) return undefined;
  const match = /\(os error \d+\): (\w+) '([^']*)'/.exec(error.message);
  if (!match) return undefined;
  const [, op, path] = match;
  const verb = WRITING_OPS.has(op) ? "write" : op === "open" ? "open" : "read";
  return new StcError(msg`cannot ${verb} ${path}: ${describeFsError(error)}`, { cause: error });
}
