/**
 * The one reader of optional files: a missing file is no error, anything that is not a regular file is refused
 * (so `/dev/zero` or a FIFO in place of a config file cannot hang or exhaust stc), and a file larger than a limit
 * is refused before it is read.
 *
 * @module
 */

import { formatBytes } from "../core/bytes.ts";
import { StcError } from "../core/errors.ts";
import { describeFsError } from "./errors.ts";
import { msg } from "../core/message.ts";

/** The largest file stc reads unless told otherwise: far above any real config, roles or session file. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Options of {@linkcode readOptionalFile}. */
export interface ReadOptions {
  /** Refuse files larger than this many bytes (default {@linkcode MAX_FILE_BYTES}). */
  maxBytes?: number;
}

function notRegular(path: string): StcError {
  return new StcError(msg`cannot read ${path}: not a regular file`, {
    hint: "point the setting at a regular file",
  });
}

/**
 * A file's bytes; undefined when it does not exist (or `path` is empty, or goes through a file). Errors name the
 * path.
 */
export async function readOptionalFile(
  path: string,
  options: ReadOptions = {},
): Promise<Uint8Array | undefined> {
  if (path === "") return undefined;
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  let file: Deno.FsFile;
  try {
    // A device is refused before it is opened (Deno does not open some, such as /dev/full, with read access
    // alone); the open file is checked again below, as the path may change in between.
    if (!(await Deno.stat(path)).isFile) throw notRegular(path);
    file = await Deno.open(path, { read: true });
  } catch (error) {
    // A path through a regular file cannot exist either (as the SDKs see it).
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    if (error instanceof StcError) throw error;
    throw new StcError(msg`cannot read ${path}: ${describeFsError(error)}`, { cause: error });
  }
  try {
    // Checked on the open file, not the path: nothing can swap the file in between.
    const info = await file.stat();
    if (!info.isFile) throw notRegular(path);
    if (info.size > maxBytes) {
      throw new StcError(
        msg`cannot read ${path}: it is larger than ${formatBytes(maxBytes)}`,
        { hint: "the file is not what stc expects there; check its contents" },
      );
    }
    const data = new Uint8Array(info.size);
    let filled = 0;
    while (filled < data.length) {
      const n = await file.read(data.subarray(filled));
      if (n === null) break;
      filled += n;
    }
    return data.subarray(0, filled);
  } catch (error) {
    if (error instanceof StcError) throw error;
    throw new StcError(msg`cannot read ${path}: ${describeFsError(error)}`, { cause: error });
  } finally {
    file.close();
  }
}

/** A file's text; empty when it does not exist (or `path` is empty). Errors name the path. */
export async function readOptionalText(path: string, options: ReadOptions = {}): Promise<string> {
  const data = await readOptionalFile(path, options);
  return data === undefined ? "" : new TextDecoder().decode(data);
}
