/**
 * A server that answers every request with HTTP 200 and a body that is neither XML nor JSON,
 * like a captive portal or a misconfigured endpoint: for tests of "the answer was not AWS's".
 *
 * @module
 */

/** Options of {@linkcode startGarbageServer}. */
export interface GarbageServerOptions {
  /** The body; default a line of plain text. */
  body?: string | Uint8Array;
  /** Content-Type; default `text/plain; charset=utf-8`. */
  contentType?: string;
  /** HTTP status; default 200. */
  status?: number;
}

/** A request the garbage server answered. */
export interface GarbageRequest {
  method: string;
  /** Path and query as sent. */
  path: string;
}

/** A running garbage server. */
export interface GarbageServer {
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** Requests answered so far, oldest first. */
  requests(): GarbageRequest[];
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** The default garbage body. */
export const GARBAGE_BODY = "garbage: this is not an AWS answer\n";

/** Starts a garbage server on 127.0.0.1 with a random port. */
export function startGarbageServer(options: GarbageServerOptions = {}): GarbageServer {
  const body = options.body ?? GARBAGE_BODY;
  const seen: GarbageRequest[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      const url = new URL(req.url);
      seen.push({ method: req.method, path: url.pathname + url.search });
      await req.body?.cancel();
      return new Response(typeof body === "string" ? body : body.slice(), {
        status: options.status ?? 200,
        headers: { "content-type": options.contentType ?? "text/plain; charset=utf-8" },
      });
    },
  );
  let closed: Promise<void> | undefined;
  const close = () => closed ??= server.shutdown();
  return {
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    requests: () => seen.map((r) => ({ ...r })),
    close,
    [Symbol.asyncDispose]: close,
  };
}
