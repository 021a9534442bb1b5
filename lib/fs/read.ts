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
export function readOptionalFile(
  path: string,
  options: ReadOptions = {},
): Promise<Uint8Array | undefined> {
  try {
    return Promise.resolve(readOptionalFileSync(path, options));
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * {@linkcode readOptionalFile}, synchronously. The asynchronous forms read this way too: the files stc reads are
 * small and local, and each asynchronous call costs a round trip to a worker thread, several times what the
 * read itself does (tab completion reads six files on every Tab).
 */
export function readOptionalFileSync(
  path: string,
  options: ReadOptions = {},
): Uint8Array | undefined {
  if (path === "") return undefined;
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  let file: Deno.FsFile;
  try {
    // A device or FIFO is refused before it is opened (opening a FIFO waits for a writer; Deno does not open
    // some devices, such as /dev/full, with read access alone); the open file is checked again below, as the
    // path may change in between.
    if (!Deno.statSync(path).isFile) throw notRegular(path);
    file = Deno.openSync(path, { read: true });
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
    const info = file.statSync();
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
      const n = file.readSync(data.subarray(filled));
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

const decoder = new TextDecoder();

/** A file's text; empty when it does not exist (or `path` is empty). Errors name the path. */
export function readOptionalText(path: string, options: ReadOptions = {}): Promise<string> {
  try {
    return Promise.resolve(readOptionalTextSync(path, options));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** {@linkcode readOptionalText}, synchronously. */
export function readOptionalTextSync(path: string, options: ReadOptions = {}): string {
  const data = readOptionalFileSync(path, options);
  return data === undefined ? "" : decoder.decode(data);
}
