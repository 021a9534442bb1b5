/**
 * Network fault fixtures for stc's tests, all on 127.0.0.1 with random ports, each closed by the
 * test (closing ends every connection, so Deno's resource sanitizers stay quiet):
 *
 * - {@linkcode startStalledServer}: accepts and stays silent, reads a request and stays
 *   silent, or drips a 200 answer one byte at a time;
 * - {@linkcode startGarbageServer}: answers 200 with a body that is not XML or JSON;
 * - {@linkcode startTlsFront}: TLS in front of an http:// endpoint (the emulator), with a test
 *   CA and certificates made by `openssl`;
 * - {@linkcode startConnectProxy}: an HTTP proxy (CONNECT and absolute-form), optionally
 *   requiring Basic credentials, recording what it saw.
 *
 * @module
 */

export {
  DRIP_CONTENT_LENGTH,
  type StalledServer,
  type StalledServerOptions,
  type StallMode,
  startStalledServer,
} from "./net/stalled.ts";
export {
  GARBAGE_BODY,
  type GarbageRequest,
  type GarbageServer,
  type GarbageServerOptions,
  startGarbageServer,
} from "./net/garbage.ts";
export {
  makeCertificates,
  startTlsFront,
  type TestCertificates,
  type TlsFront,
  type TlsFrontOptions,
} from "./net/tls_front.ts";
export {
  type ConnectProxy,
  type ConnectProxyOptions,
  type ProxyRequest,
  startConnectProxy,
} from "./net/proxy.ts";
