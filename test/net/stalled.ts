/**
 * Servers that never answer properly: they accept and stay silent, read a whole request and stay
 * silent, or answer 200 with a body that trickles in a byte at a time. For tests of a client's
 * connect, read and overall deadlines.
 *
 * @module
 */

import { bufferedReader, counter, pause, readBody, readHead, tracker, writeAll } from "./wire.ts";

/**
 * How a stalled server misbehaves:
 * - `accept-silent`: accepts TCP connections, never reads, never writes;
 * - `http-silent`: reads each whole HTTP request (head and body), never answers;
 * - `slow-drip`: reads the request, sends a 200 head at once, then the body one byte every
 *   `intervalMs`, announcing far more bytes than any test waits for.
 */
export type StallMode = "accept-silent" | "http-silent" | "slow-drip";

/** Options of {@linkcode startStalledServer}. */
export interface StalledServerOptions {
  /** `slow-drip`: ms between body bytes; default 200. */
  intervalMs?: number;
  /** `slow-drip`: the text dripped, repeated as needed; default an XML prologue and spaces. */
  dripBody?: string;
  /** `slow-drip`: Content-Type of the answer; default `text/xml`. */
  contentType?: string;
}

/** A running stalled server. */
export interface StalledServer {
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** TCP connections accepted so far. */
  connections(): number;
  /** Complete HTTP requests read so far (always 0 for `accept-silent`). */
  requests(): number;
  /** Resolves once `n` connections have been accepted (no sleeping in tests). */
  whenConnections(n: number): Promise<void>;
  /** Resolves once `n` complete requests have been read. */
  whenRequests(n: number): Promise<void>;
  /** Bytes of body sent so far by `slow-drip`, over all connections. */
  bytesDripped(): number;
  /** Stops listening, ends every connection and every drip. */
  close(): Promise<void>;
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** The announced length of a `slow-drip` body: 1 MiB, days at any sensible interval. */
export const DRIP_CONTENT_LENGTH = 1024 * 1024;

const DEFAULT_DRIP = '<?xml version="1.0" encoding="UTF-8"?>\n' + " ".repeat(64);

/** Starts a stalled server on 127.0.0.1 with a random port. */
export function startStalledServer(
  mode: StallMode,
  options: StalledServerOptions = {},
): StalledServer {
  const intervalMs = options.intervalMs ?? 200;
  const drip = new TextEncoder().encode(options.dripBody ?? DEFAULT_DRIP);
  if (drip.length === 0) throw new Error("startStalledServer: dripBody must not be empty");
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = tracker();
  const accepted = counter();
  const received = counter();
  const closing = new AbortController();
  let dripped = 0;

  const serve = async (conn: Deno.Conn) => {
    if (mode === "accept-silent") return; // the tracker keeps it open until close()
    const reader = bufferedReader(conn);
    const head = await readHead(reader);
    if (!head || !await readBody(reader, head)) return;
    received.increment();
    if (mode === "http-silent") return;
    const answer = `HTTP/1.1 200 OK\r\nContent-Type: ${options.contentType ?? "text/xml"}\r\n` +
      `Content-Length: ${DRIP_CONTENT_LENGTH}\r\n\r\n`;
    await writeAll(conn, new TextEncoder().encode(answer));
    for (let i = 0; i < DRIP_CONTENT_LENGTH && !closing.signal.aborted; i++) {
      await writeAll(conn, drip.subarray(i % drip.length, i % drip.length + 1));
      dripped++;
      await pause(intervalMs, closing.signal);
    }
  };

  const acceptLoop = (async () => {
    try {
      for await (const conn of listener) {
        conns.add(conn);
        accepted.increment();
        conns.run(serve(conn));
      }
    } catch { /* listener closed */ }
  })();

  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      closing.abort();
      accepted.fail("stalled server closed");
      received.fail("stalled server closed");
      listener.close();
      await acceptLoop;
      await conns.closeAll();
    })();
  return {
    endpoint: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    connections: accepted.value,
    requests: received.value,
    whenConnections: accepted.atLeast,
    whenRequests: received.atLeast,
    bytesDripped: () => dripped,
    close,
    [Symbol.asyncDispose]: close,
  };
}
