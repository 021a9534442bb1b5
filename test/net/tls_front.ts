/**
 * A TLS-terminating front for a local HTTP endpoint (the emulator), with certificates made by
 * the real `openssl`: a test CA and a server certificate for 127.0.0.1 and localhost signed by
 * it, or a self-signed server certificate.
 *
 * The front relays the decrypted bytes unchanged: it does not parse or rewrite HTTP. The Host
 * header therefore reaches the emulator exactly as the client sent (and signed) it, e.g.
 * `127.0.0.1:FRONT_PORT`, and SigV4 verifies.
 *
 * @module
 */

import { closeQuietly, isLoopback, relay, tracker } from "./wire.ts";

/** Options of {@linkcode startTlsFront}. */
export interface TlsFrontOptions {
  /**
   * Serve a self-signed certificate instead of one signed by the test CA. `caFile` is still
   * written (the CA that did not sign it), so a client trusting it must refuse the front.
   */
  selfSigned?: boolean;
}

/** A running TLS front. */
export interface TlsFront {
  /** `https://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** PEM file of the test CA (for `Deno.createHttpClient({ caCerts })`, AWS_CA_BUNDLE, …). */
  readonly caFile: string;
  /** PEM file of the server certificate the front presents. */
  readonly certFile: string;
  /** TLS connections accepted so far (including ones whose handshake failed). */
  connections(): number;
  /** Stops listening, closes every connection and removes the certificate directory. */
  close(): Promise<void>;
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** PEM files made by {@linkcode makeCertificates}. */
export interface TestCertificates {
  /** The directory holding them; the caller removes it. */
  dir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
subjectKeyIdentifier = hash
`;

/** Runs `openssl` in `dir` with space-separated arguments (none contains a space). */
async function openssl(dir: string, command: string): Promise<void> {
  const out = await new Deno.Command("openssl", {
    args: command.split(" "),
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`openssl ${command} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

// P-256 keys: quick to make, and rustls (behind Deno.listenTls and fetch) accepts them. Keys
// apart from the certificates, with genpkey: the portable way (OpenSSL 3 and LibreSSL alike).
const KEY = "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out";
const COMMON = "-config openssl.cnf -days 2";

/**
 * Makes a test CA and a server certificate for 127.0.0.1 and localhost (SANs) in a new temp
 * directory: signed by the CA, or self-signed. Valid for two days from now (real clock).
 */
export async function makeCertificates(selfSigned = false): Promise<TestCertificates> {
  const dir = await Deno.makeTempDir({ prefix: "stc-tls-" });
  try {
    await Deno.writeTextFile(`${dir}/openssl.cnf`, OPENSSL_CONFIG);
    await openssl(dir, `${KEY} ca.key`);
    await openssl(dir, `${KEY} server.key`);
    await openssl(
      dir,
      `req -x509 -key ca.key -out ca.pem ${COMMON} -subj /CN=stc-test-CA -extensions ca`,
    );
    if (selfSigned) {
      await openssl(
        dir,
        `req -x509 -key server.key -out server.pem ${COMMON} -subj /CN=127.0.0.1 ` +
          "-extensions server",
      );
    } else {
      await openssl(
        dir,
        "req -new -key server.key -out server.csr -config openssl.cnf -subj /CN=127.0.0.1",
      );
      const serial = "0x" + crypto.randomUUID().replaceAll("-", "").slice(0, 16);
      await openssl(
        dir,
        `x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial ${serial} -days 2 ` +
          "-extfile openssl.cnf -extensions server -out server.pem",
      );
    }
  } catch (e) {
    await Deno.remove(dir, { recursive: true });
    throw e;
  }
  return {
    dir,
    caFile: `${dir}/ca.pem`,
    certFile: `${dir}/server.pem`,
    keyFile: `${dir}/server.key`,
  };
}

/**
 * Starts a TLS front on 127.0.0.1 (random port) relaying to `target`, an `http://` URL on
 * 127.0.0.1 or localhost (its path is ignored). Each TLS connection gets its own TCP connection
 * to the target; bytes pass unchanged both ways.
 */
export async function startTlsFront(
  target: string,
  options: TlsFrontOptions = {},
): Promise<TlsFront> {
  const url = new URL(target);
  if (url.protocol !== "http:" || !isLoopback(url.hostname)) {
    throw new Error(`startTlsFront: target must be http:// on this machine, not ${target}`);
  }
  const targetHost = url.hostname === "localhost"
    ? "127.0.0.1"
    : url.hostname.replace(/^\[|\]$/g, "");
  const targetPort = Number(url.port || "80");
  const certs = await makeCertificates(options.selfSigned ?? false);
  let listener: Deno.TlsListener;
  try {
    listener = Deno.listenTls({
      hostname: "127.0.0.1",
      port: 0,
      cert: await Deno.readTextFile(certs.certFile),
      key: await Deno.readTextFile(certs.keyFile),
    });
  } catch (e) {
    await Deno.remove(certs.dir, { recursive: true });
    throw e;
  }
  const conns = tracker();
  let accepted = 0;

  const forward = async (client: Deno.TlsConn) => {
    let upstream: Deno.Conn;
    try {
      // Handshake first, so a client that refuses our certificate never reaches the target.
      await client.handshake();
      upstream = await Deno.connect({ hostname: targetHost, port: targetPort });
    } catch {
      closeQuietly(client);
      return;
    }
    conns.add(upstream);
    await relay(client, upstream);
    conns.remove(client);
    conns.remove(upstream);
  };

  const acceptLoop = (async () => {
    try {
      for await (const client of listener) {
        accepted++;
        conns.add(client);
        conns.run(forward(client));
      }
    } catch { /* listener closed */ }
  })();

  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      listener.close();
      await acceptLoop;
      await conns.closeAll();
      await Deno.remove(certs.dir, { recursive: true }).catch(() => {});
    })();
  return {
    endpoint: `https://127.0.0.1:${listener.addr.port}`,
    caFile: certs.caFile,
    certFile: certs.certFile,
    connections: () => accepted,
    close,
    [Symbol.asyncDispose]: close,
  };
}
