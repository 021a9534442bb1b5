/**
 * Reading what people type or pipe in: lines from a pipe (linear in the input, bounded), and lines from a terminal
 * in raw mode (echo off for secrets, Ctrl-C, backspace, typed-ahead text kept for the next prompt).
 *
 * @module
 */

import { ExitCode, StcError } from "../core/errors.ts";
import { msg } from "../core/message.ts";

const decoder = new TextDecoder();
/** Moves the cursor back over one character and blanks it. */
const BACKSPACE = Uint8Array.of(8, 32, 8);

/** A byte source: stdin, or the controlling terminal opened as a file. */
export interface ByteSource {
  /** Reads into `buffer`; the count, or null at end of input. */
  read(buffer: Uint8Array): Promise<number | null>;
}

/** A terminal that can be put into raw mode. */
export interface RawTerminal extends ByteSource {
  /** Switches raw mode on or off. */
  setRaw(mode: boolean): void;
}

/** The longest line a prompt accepts from a pipe: an access key, a code or a passphrase is far shorter. */
export const MAX_LINE_BYTES = 64 * 1024;

/** Lines read one at a time from a pipe, sharing one buffer between prompts. */
export interface LineReader {
  /** The next line without its line end (LF or CR LF), or undefined at the end of input. */
  readLine(maxBytes?: number): Promise<string | undefined>;
  /** The rest of the input, lines joined with `\n` (the last line end dropped); fails beyond `maxBytes`. */
  readAll(maxBytes: number, what: string): Promise<string>;
}

/**
 * A line reader over `source`. Each byte is looked at once when searching for a line end, and chunks are kept as
 * a list until a line is complete, so reading is linear in the input.
 */
export function createLineReader(source: ByteSource): LineReader {
  let chunks: Uint8Array[] = [];
  let buffered = 0;
  let ended = false;

  const take = (length: number, skip: number): Uint8Array => {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length + skip) {
      const chunk = chunks[0];
      const want = length + skip - filled;
      const used = Math.min(chunk.length, want);
      const part = chunk.subarray(0, used);
      if (filled < length) out.set(part.subarray(0, Math.min(used, length - filled)), filled);
      filled += used;
      if (used === chunk.length) chunks.shift();
      else chunks[0] = chunk.subarray(used);
    }
    buffered -= length + skip;
    return out;
  };

  const fill = async (): Promise<boolean> => {
    if (ended) return false;
    const chunk = new Uint8Array(16 * 1024);
    const n = await source.read(chunk);
    if (n === null) {
      ended = true;
      return false;
    }
    chunks.push(chunk.subarray(0, n));
    buffered += n;
    return true;
  };

  const decodeLine = (bytes: Uint8Array): string => {
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 13
      ? bytes.length - 1
      : bytes.length;
    return decoder.decode(bytes.subarray(0, end));
  };

  return {
    async readLine(maxBytes = MAX_LINE_BYTES) {
      let scanned = 0;
      while (true) {
        // Search only the bytes not yet searched.
        let offset = 0;
        for (const chunk of chunks) {
          if (offset + chunk.length > scanned) {
            const index = chunk.indexOf(10, Math.max(0, scanned - offset));
            if (index >= 0) return decodeLine(take(offset + index, 1));
          }
          offset += chunk.length;
        }
        scanned = buffered;
        if (buffered > maxBytes) {
          throw new StcError(msg`a line of input is longer than ${maxBytes} bytes`, {
            hint: "the input must be one short line (a key, a code or a passphrase)",
          });
        }
        if (!(await fill())) {
          if (buffered === 0) return undefined;
          return decodeLine(take(buffered, 0));
        }
      }
    },
    async readAll(maxBytes, what) {
      while (await fill()) {
        if (buffered > maxBytes) {
          chunks = [];
          buffered = 0;
          throw new StcError(msg`${what} is larger than ${Math.floor(maxBytes / 1024)} KiB`, {
            hint: "give a file or text of the expected size",
          });
        }
      }
      const text = decodeLine(take(buffered, 0)).replaceAll("\r\n", "\n");
      return text.endsWith("\n") ? text.slice(0, -1) : text;
    },
  };
}

/** Options of {@linkcode readTerminalLine}. */
export interface TerminalLineOptions {
  /** Echo what is typed (false for secrets). */
  echo: boolean;
  /** Writes echoed bytes and cursor movement (to stderr). */
  write(bytes: Uint8Array): void;
  /** Bytes typed after the Enter that ended the previous prompt; the reader keeps the rest for the next. */
  typedAhead: number[];
}

/**
 * Reads one line from a terminal that is already in raw mode: Enter (CR or LF, CR LF once) ends it, backspace
 * removes a whole character, Ctrl-U clears, Ctrl-C is an interruption (exit 130), Ctrl-D on an empty line is the
 * end of input; other control bytes are ignored. What follows the Enter is left in `typedAhead`.
 */
export async function readTerminalLine(
  terminal: ByteSource,
  options: TerminalLineOptions,
): Promise<string> {
  const bytes: number[] = [];
  while (true) {
    let chunk: number[];
    if (options.typedAhead.length > 0) {
      chunk = options.typedAhead.splice(0);
    } else {
      const buffer = new Uint8Array(256);
      const n = await terminal.read(buffer);
      if (n === null) break;
      chunk = [...buffer.subarray(0, n)];
    }
    for (const [i, byte] of chunk.entries()) {
      if (byte === 3) throw new StcError("interrupted", { exitCode: ExitCode.Interrupted });
      if (byte === 4 && bytes.length === 0) {
        throw new StcError("no input (end of file at the prompt)");
      }
      if (byte === 13 || byte === 10) {
        // A CR LF pair (some terminals, pastes) is one Enter.
        options.typedAhead.push(...chunk.slice(byte === 13 && chunk[i + 1] === 10 ? i + 2 : i + 1));
        return decoder.decode(new Uint8Array(bytes));
      }
      if (byte === 127 || byte === 8) {
        if (bytes.length > 0) {
          // Drop a whole UTF-8 sequence, not just its last byte.
          while (bytes.length > 0 && (bytes[bytes.length - 1] & 0xc0) === 0x80) bytes.pop();
          bytes.pop();
          if (options.echo) options.write(BACKSPACE);
        }
        continue;
      }
      if (byte === 21) { // Ctrl-U: clear the line
        if (options.echo) { for (let j = 0; j < bytes.length; j++) options.write(BACKSPACE); }
        bytes.length = 0;
        continue;
      }
      if (byte < 32) continue;
      bytes.push(byte);
      if (bytes.length > MAX_LINE_BYTES) throw new StcError("the answer is too long");
      if (options.echo) options.write(Uint8Array.of(byte));
    }
  }
  return decoder.decode(new Uint8Array(bytes));
}
