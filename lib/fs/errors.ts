/**
 * File-system errors in words a person understands, for one-line messages that name the file.
 *
 * @module
 */

/** What went wrong, in a few words: `read-only file system`, `no space left on the device`, … */
export function describeFsError(error: unknown): string {
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
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
