/**
 * An HTTP proxy for tests: `CONNECT host:port` tunnels (how clients reach https:// through a
 * proxy) and absolute-form requests (`GET http://host:port/path`, how they reach http://),
 * optional Basic proxy credentials, and a record of every request it saw. It only connects to
 * this machine's loopback: any other target gets 403 and no connection is made.
 *
 * @module
 */

import {
  bufferedReader,
  closeQuietly,
  encodeHead,
  header,
  isLoopback,
  type MessageHead,
  readBody,
  readHead,
  relay,
  tracker,
  writeAll,
} from "./wire.ts";

/** Options of {@linkcode startConnectProxy}. */
export interface ConnectProxyOptions {
  /** Require these Basic proxy credentials (`Proxy-Authorization`); 407 otherwise. */
  credentials?: { username: string; password: string };
}

/** A request the proxy saw. */
export interface ProxyRequest {
  /** `CONNECT`, `GET`, `POST`, … */
  method: string;
  /** The request target as sent: `host:port` for CONNECT, the absolute URL otherwise. */
  target: string;
  /**
   * The status of the proxy's answer: 200 for an established tunnel, 407 without the required
   * credentials, 403 for a target off this machine, 400 or 501 for what it does not proxy,
   * 502 if the target refused the connection; for a forwarded request, the target's status.
   * 0 while a forwarded request awaits its answer.
   */
  status: number;
}

/** A running proxy. */
export interface ConnectProxy {
  /** `http://127.0.0.1:PORT` (without credentials). */
  readonly url: string;
  /** Requests seen so far, oldest first. */
  requests(): ProxyRequest[];
  /** Stops listening and closes every client and target connection. */
  close(): Promise<void>;
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  403: "Forbidden",
  407: "Proxy Authentication Required",
  501: "Not Implemented",
  502: "Bad Gateway",
};

// Hop-by-hop fields the proxy consumes or replaces when forwarding (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(["proxy-authorization", "proxy-connection", "connection", "keep-alive"]);

/** Starts a proxy on 127.0.0.1 with a random port. */
export function startConnectProxy(options: ConnectProxyOptions = {}): ConnectProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = tracker();
  const seen: ProxyRequest[] = [];
  const expected = options.credentials &&
    "Basic " + btoa(`${options.credentials.username}:${options.credentials.password}`);

  const connectTo = async (host: string, port: number): Promise<Deno.Conn | undefined> => {
    try {
      const hostname = host === "localhost" ? "127.0.0.1" : host.replace(/^\[|\]$/g, "");
      const upstream = await Deno.connect({ hostname, port });
      conns.add(upstream);
      return upstream;
    } catch {
      return undefined;
    }
  };

  const serve = async (client: Deno.Conn) => {
    const reader = bufferedReader(client);
    const head = await readHead(reader);
    if (!head) return;
    const [method = "", target = "", version = ""] = head.startLine.split(" ");
    const rec: ProxyRequest = { method, target, status: 0 };
    seen.push(rec);
    const refuse = async (status: number, drain = method !== "CONNECT") => {
      rec.status = status;
      // Read what the client sends along first: closing on unread bytes would reset the
      // connection, and the client might lose our answer.
      if (drain) await readBody(reader, head);
      const extra = status === 407 ? 'Proxy-Authenticate: Basic realm="stc-test-proxy"\r\n' : "";
      const text = `${status} ${REASONS[status]}\n`;
      await writeAll(
        client,
        new TextEncoder().encode(
          `HTTP/1.1 ${status} ${REASONS[status]}\r\n${extra}Content-Type: text/plain\r\n` +
            `Content-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`,
        ),
      ).catch(() => {});
    };
    if (!/^HTTP\/1\.[01]$/.test(version)) return await refuse(400);
    if (expected !== undefined) {
      const given = header(head, "proxy-authorization") ?? "";
      // The scheme name is case-insensitive; the credentials are not.
      const ok = /^basic /i.test(given) && given.slice(6).trim() === expected.slice(6);
      if (!ok) return await refuse(407);
    }

    if (method === "CONNECT") {
      const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(target);
      if (!m) return await refuse(400);
      if (!isLoopback(m[1])) return await refuse(403);
      const upstream = await connectTo(m[1], Number(m[2]));
      if (!upstream) return await refuse(502);
      rec.status = 200;
      await writeAll(
        client,
        new TextEncoder().encode("HTTP/1.1 200 Connection Established\r\n\r\n"),
      );
      await relay(client, upstream, reader.takeBuffered());
      return;
    }

    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return await refuse(400); // origin-form: not a proxy request
    }
    if (url.protocol !== "http:") return await refuse(501);
    if (!isLoopback(url.hostname)) return await refuse(403);
    const upstream = await connectTo(url.hostname, Number(url.port || "80"));
    if (!upstream) return await refuse(502);
    // One request per connection: Connection: close both ways, so the target's EOF ends the
    // answer and the client opens a new connection (a new record) for its next request.
    const headers = head.headers.filter(([n]) => !HOP_BY_HOP.has(n.toLowerCase()));
    if (!headers.some(([n]) => n.toLowerCase() === "host")) headers.unshift(["Host", url.host]);
    headers.push(["Connection", "close"]);
    const forwarded: MessageHead = {
      startLine: `${method} ${url.pathname}${url.search} ${version}`,
      headers,
    };
    await writeAll(upstream, encodeHead(forwarded));
    await writeAll(upstream, reader.takeBuffered());
    // The rest of the request body flows on while the answer comes back.
    const opts = { preventClose: true, preventAbort: true, preventCancel: true };
    const body = client.readable.pipeTo(upstream.writable, opts).catch(() => {});
    try {
      const upReader = bufferedReader(upstream);
      const answer = await readHead(upReader);
      if (!answer) return await refuse(502, false); // the body is being forwarded already
      rec.status = Number(answer.startLine.split(" ")[1]);
      const answerHeaders = answer.headers.filter(([n]) => !HOP_BY_HOP.has(n.toLowerCase()));
      answerHeaders.push(["Connection", "close"]);
      await writeAll(client, encodeHead({ startLine: answer.startLine, headers: answerHeaders }));
      await writeAll(client, upReader.takeBuffered());
      await upstream.readable.pipeTo(client.writable, opts).catch(() => {});
    } finally {
      closeQuietly(client);
      closeQuietly(upstream);
      await body;
      conns.remove(upstream);
    }
  };

  const acceptLoop = (async () => {
    try {
      for await (const client of listener) {
        conns.add(client);
        conns.run(
          serve(client).finally(() => {
            closeQuietly(client);
            conns.remove(client);
          }),
        );
      }
    } catch { /* listener closed */ }
  })();

  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      listener.close();
      await acceptLoop;
      await conns.closeAll();
    })();
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    requests: () => seen.map((r) => ({ ...r })),
    close,
    [Symbol.asyncDispose]: close,
  };
}
