/**
 * Raw TCP and HTTP/1.1 plumbing for the network fixtures: a buffered reader over a connection,
 * reading a request head and body byte-exactly, relaying two connections, and the bookkeeping
 * that lets a fixture close every connection it ever accepted.
 *
 * @module
 */

/** The largest request or response head the fixtures read (as a guard against junk). */
export const MAX_HEAD_BYTES = 256 * 1024;

/** A reader that keeps what it read past the point a caller asked for. */
export interface BufferedReader {
  /**
   * Reads up to and including `delimiter`; `undefined` at EOF before it (or beyond `max`
   * bytes, which a caller treats as a malformed request).
   */
  readThrough(delimiter: Uint8Array, max: number): Promise<Uint8Array | undefined>;
  /** Reads exactly `n` bytes; `undefined` at an early EOF. */
  readExact(n: number): Promise<Uint8Array | undefined>;
  /** Hands over the bytes read ahead but not yet consumed. */
  takeBuffered(): Uint8Array;
}

/** Wraps a connection's `read` in a {@linkcode BufferedReader}. */
export function bufferedReader(conn: Deno.Conn): BufferedReader {
  let buffer: Uint8Array = new Uint8Array(0);
  const fill = async (): Promise<boolean> => {
    const chunk = new Uint8Array(16 * 1024);
    let n: number | null;
    try {
      n = await conn.read(chunk);
    } catch {
      return false; // reset or closed under us: same as EOF for a fixture
    }
    if (n === null) return false;
    buffer = concat(buffer, chunk.subarray(0, n));
    return true;
  };
  return {
    async readThrough(delimiter, max) {
      let from = 0;
      while (true) {
        const at = indexOf(buffer, delimiter, from);
        if (at >= 0) {
          const out = buffer.slice(0, at + delimiter.length);
          buffer = buffer.slice(at + delimiter.length);
          return out;
        }
        if (buffer.length > max) return undefined;
        from = Math.max(0, buffer.length - delimiter.length + 1);
        if (!await fill()) return undefined;
      }
    },
    async readExact(n) {
      while (buffer.length < n) if (!await fill()) return undefined;
      const out = buffer.slice(0, n);
      buffer = buffer.slice(n);
      return out;
    },
    takeBuffered() {
      const out = buffer;
      buffer = new Uint8Array(0);
      return out;
    },
  };
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const CRLF = new TextEncoder().encode("\r\n");
const HEAD_END = new TextEncoder().encode("\r\n\r\n");

/** An HTTP/1.x message head: start line and header fields as sent (names keep their case). */
export interface MessageHead {
  /** `GET /path HTTP/1.1` or `HTTP/1.1 200 OK`. */
  startLine: string;
  headers: [name: string, value: string][];
}

/** Reads a message head (through the blank line); `undefined` at EOF or if oversized. */
export async function readHead(reader: BufferedReader): Promise<MessageHead | undefined> {
  const bytes = await reader.readThrough(HEAD_END, MAX_HEAD_BYTES);
  if (!bytes) return undefined;
  const lines = new TextDecoder("latin1").decode(bytes).slice(0, -4).split("\r\n");
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return { startLine: lines[0], headers };
}

/** The first value of a header field, by case-insensitive name. */
export function header(head: MessageHead, name: string): string | undefined {
  const lower = name.toLowerCase();
  return head.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** Serializes a head back to bytes (latin1, as HTTP/1.1 heads are). */
export function encodeHead(head: MessageHead): Uint8Array {
  const text = [head.startLine, ...head.headers.map(([n, v]) => `${n}: ${v}`)].join("\r\n") +
    "\r\n\r\n";
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

/**
 * Reads the body of a request whose head was just read: `Content-Length` bytes, or a chunked
 * body through its last chunk and trailers. `undefined` if the connection ends first.
 */
export async function readBody(
  reader: BufferedReader,
  head: MessageHead,
): Promise<Uint8Array | undefined> {
  if (/\bchunked\b/i.test(header(head, "transfer-encoding") ?? "")) {
    const parts: Uint8Array[] = [];
    while (true) {
      const line = await reader.readThrough(CRLF, MAX_HEAD_BYTES);
      if (!line) return undefined;
      const size = parseInt(new TextDecoder().decode(line).split(";")[0].trim(), 16);
      if (Number.isNaN(size)) return undefined;
      if (size === 0) break;
      const data = await reader.readExact(size + 2);
      if (!data) return undefined;
      parts.push(data.subarray(0, size));
    }
    // Trailer fields, then the blank line.
    while (true) {
      const line = await reader.readThrough(CRLF, MAX_HEAD_BYTES);
      if (!line) return undefined;
      if (line.length === 2) break;
    }
    return concat(...parts);
  }
  const length = Number(header(head, "content-length") ?? "0");
  if (!Number.isSafeInteger(length) || length < 0) return undefined;
  return await reader.readExact(length);
}

/** Closes a connection, ignoring "already closed". */
export function closeQuietly(conn: Deno.Conn | Deno.Listener): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}

/**
 * Relays bytes both ways until either side ends, then closes both. `pending` is written to
 * `upstream` first (bytes the caller read ahead from `client`).
 */
export async function relay(
  client: Deno.Conn,
  upstream: Deno.Conn,
  pending: Uint8Array = new Uint8Array(0),
): Promise<void> {
  try {
    if (pending.length > 0) await writeAll(upstream, pending);
    const opts = { preventClose: true, preventAbort: true, preventCancel: true };
    await Promise.race([
      client.readable.pipeTo(upstream.writable, opts).catch(() => {}),
      upstream.readable.pipeTo(client.writable, opts).catch(() => {}),
    ]);
  } catch {
    /* a side went away */
  } finally {
    closeQuietly(client);
    closeQuietly(upstream);
  }
}

/** Writes all of `data`. */
export async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let written = 0;
  while (written < data.length) written += await conn.write(data.subarray(written));
}

/** Connections and handler tasks a fixture owns, so `close()` can end all of them. */
export interface Tracker {
  /** Registers a connection; it is closed by `closeAll`. */
  add(conn: Deno.Conn): void;
  /** Forgets a connection the fixture closed itself. */
  remove(conn: Deno.Conn): void;
  /** Runs a handler task; `closeAll` waits for it. */
  run(task: Promise<unknown>): void;
  /** Closes every registered connection and waits for every task. */
  closeAll(): Promise<void>;
}

/** Creates a {@linkcode Tracker}. */
export function tracker(): Tracker {
  const conns = new Set<Deno.Conn>();
  const tasks = new Set<Promise<unknown>>();
  return {
    add: (conn) => void conns.add(conn),
    remove: (conn) => void conns.delete(conn),
    run(task) {
      const t = task.catch(() => {});
      tasks.add(t);
      t.finally(() => tasks.delete(t));
    },
    async closeAll() {
      // Tasks may open (and register) upstream connections while we close: repeat until quiet.
      while (conns.size > 0 || tasks.size > 0) {
        for (const conn of conns) closeQuietly(conn);
        conns.clear();
        await Promise.allSettled([...tasks]);
      }
    },
  };
}

/** A count that tests can wait on instead of sleeping. */
export interface Counter {
  /** The current value. */
  value(): number;
  /** Adds one, waking waiters whose target is reached. */
  increment(): void;
  /** Resolves once the value is at least `n`; rejects if `fail` is called first. */
  atLeast(n: number): Promise<void>;
  /** Rejects every pending `atLeast` (the fixture closed). */
  fail(reason: string): void;
}

/** Creates a {@linkcode Counter} starting at 0. */
export function counter(): Counter {
  let value = 0;
  let failed: string | undefined;
  const waiters = new Set<{ n: number; resolve: () => void; reject: (e: Error) => void }>();
  return {
    value: () => value,
    increment() {
      value++;
      for (const w of waiters) {
        if (value < w.n) continue;
        waiters.delete(w);
        w.resolve();
      }
    },
    atLeast(n) {
      if (value >= n) return Promise.resolve();
      if (failed !== undefined) return Promise.reject(new Error(failed));
      return new Promise((resolve, reject) => waiters.add({ n, resolve, reject }));
    },
    fail(reason) {
      failed = reason;
      for (const w of waiters) w.reject(new Error(reason));
      waiters.clear();
    },
  };
}

/** Whether a host names this machine's loopback (the only place fixtures may connect to). */
export function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]" || host === "::1";
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
