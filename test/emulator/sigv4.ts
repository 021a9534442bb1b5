/**
 * AWS Signature Version 4 verification as the services do it: header and presigned-query auth,
 * canonical requests (S3 single-encodes the path, other services double-encode), payload hashes
 * (hex SHA-256, UNSIGNED-PAYLOAD, aws-chunked streaming bodies) and trailing checksums.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** The parts of a SigV4 signature a request carries. */
export interface SigV4Auth {
  accessKeyId: string;
  /** Scope date `YYYYMMDD`. */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** Request time `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  /** Presigned URL (query auth) rather than an Authorization header. */
  presigned: boolean;
  /** X-Amz-Expires of a presigned URL, seconds. */
  expires?: number;
  /** X-Amz-Security-Token from the header or the query. */
  securityToken?: string;
}

/** Thrown for a malformed signature; the caller maps it to the service's error. */
export class MalformedAuthError extends Error {
  /** Creates the error with AWS's explanation. */
  constructor(message: string) {
    super(message);
    this.name = "MalformedAuthError";
  }
}

/** Reads SigV4 auth from the Authorization header or the query; `undefined` if unsigned. */
export function parseSigV4(req: Request, url: URL): SigV4Auth | undefined {
  const header = req.headers.get("authorization");
  if (header !== null) {
    const m = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(header.trim());
    if (!m) throw new MalformedAuthError("Unsupported authorization type");
    const fields = new Map<string, string>();
    for (const part of m[1].split(/,\s*/)) {
      const eq = part.indexOf("=");
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const credential = fields.get("Credential");
    const signed = fields.get("SignedHeaders");
    const signature = fields.get("Signature");
    if (!credential || !signed || !signature) {
      throw new MalformedAuthError(
        "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.",
      );
    }
    const amzDate = req.headers.get("x-amz-date");
    if (!amzDate) {
      throw new MalformedAuthError("Authorization header requires existence of 'X-Amz-Date'.");
    }
    return {
      ...parseCredential(credential),
      signedHeaders: signed.split(";"),
      signature,
      amzDate,
      presigned: false,
      securityToken: req.headers.get("x-amz-security-token") ?? undefined,
    };
  }
  const q = url.searchParams;
  if (q.get("X-Amz-Algorithm") === null) return undefined;
  if (q.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") {
    throw new MalformedAuthError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  }
  const credential = q.get("X-Amz-Credential");
  const signed = q.get("X-Amz-SignedHeaders");
  const signature = q.get("X-Amz-Signature");
  const amzDate = q.get("X-Amz-Date");
  const expires = q.get("X-Amz-Expires");
  if (!credential || !signed || !signature || !amzDate) {
    throw new MalformedAuthError(
      "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, " +
        "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
    );
  }
  return {
    ...parseCredential(credential),
    signedHeaders: signed.split(";"),
    signature,
    amzDate,
    presigned: true,
    expires: expires === null ? undefined : Number(expires),
    securityToken: q.get("X-Amz-Security-Token") ?? undefined,
  };
}

function parseCredential(
  credential: string,
): Pick<SigV4Auth, "accessKeyId" | "scopeDate" | "region" | "service"> {
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request") {
    throw new MalformedAuthError(
      `Credential should be scoped to correct service: 'KEY/DATE/REGION/SERVICE/aws4_request'.`,
    );
  }
  const [accessKeyId, scopeDate, region, service] = parts;
  return { accessKeyId, scopeDate, region, service };
}

/** Parses `YYYYMMDDTHHMMSSZ` into ms since the epoch, or NaN. */
export function parseAmzDate(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

/** Formats ms since the epoch as `YYYYMMDDTHHMMSSZ`. */
export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** RFC 3986 encoding as SigV4 specifies (unreserved characters kept, uppercase hex). */
export function uriEncode(text: string, keepSlash = false): string {
  let out = "";
  for (const byte of new TextEncoder().encode(text)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === "/")) out += c;
    else out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Canonical URI. S3 signs the path as sent, each segment encoded once; the other services
 * encode the already-encoded path again.
 */
export function canonicalUri(rawPath: string, service: string): string {
  const segments = rawPath.split("/");
  if (service === "s3") return segments.map((s) => uriEncode(safeDecode(s))).join("/") || "/";
  return segments.map((s) => uriEncode(s)).join("/") || "/";
}

/** Canonical query string: decoded, re-encoded, sorted by name then value. */
export function canonicalQuery(rawQuery: string, presigned: boolean): string {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.replace(/^\?/, "").split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = uriEncode(safeDecode(eq < 0 ? part : part.slice(0, eq)));
    const value = uriEncode(safeDecode(eq < 0 ? "" : part.slice(eq + 1)));
    if (presigned && name === "X-Amz-Signature") continue;
    pairs.push([name, value]);
  }
  pairs.sort((
    a,
    b,
  ) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join("&");
}

/** Hex SHA-256. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: Uint8Array | string, data: string): Uint8Array {
  return createHmac("sha256", key).update(data).digest();
}

/** The SigV4 signing key for a secret and scope. */
export function signingKey(
  secret: string,
  date: string,
  region: string,
  service: string,
): Uint8Array {
  return hmac(hmac(hmac(hmac("AWS4" + secret, date), region), service), "aws4_request");
}

/** Everything needed to recompute a signature. */
export interface CanonicalInput {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: Headers;
  payloadHash: string;
}

/** Builds the canonical request exactly as AWS does. */
export function canonicalRequest(auth: SigV4Auth, input: CanonicalInput): string {
  const headerLines = auth.signedHeaders.map((name) => {
    const value = input.headers.get(name) ?? "";
    return `${name}:${value.trim().replace(/\s+/g, " ")}\n`;
  }).join("");
  return [
    input.method,
    canonicalUri(input.rawPath, auth.service),
    canonicalQuery(input.rawQuery, auth.presigned),
    headerLines,
    auth.signedHeaders.join(";"),
    input.payloadHash,
  ].join("\n");
}

/** The scope string `DATE/REGION/SERVICE/aws4_request`. */
export function scopeOf(auth: SigV4Auth): string {
  return `${auth.scopeDate}/${auth.region}/${auth.service}/aws4_request`;
}

/** Computes the signature a request should carry for a secret. */
export function expectedSignature(auth: SigV4Auth, input: CanonicalInput, secret: string): string {
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    auth.amzDate,
    scopeOf(auth),
    sha256Hex(canonicalRequest(auth, input)),
  ].join("\n");
  const key = signingKey(secret, auth.scopeDate, auth.region, auth.service);
  return Buffer.from(hmac(key, stringToSign)).toString("hex");
}

/** Constant-time comparison of two hex signatures. */
export function signaturesEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Result of decoding an aws-chunked body. */
export interface ChunkedBody {
  data: Uint8Array;
  trailers: Map<string, string>;
  chunkSignatures: string[];
  chunks: Uint8Array[];
}

/**
 * Decodes an `aws-chunked` body: `hex-size[;chunk-signature=SIG]\r\n DATA \r\n … 0[;…]\r\n`
 * followed by optional trailer lines and a final CRLF.
 */
export function decodeAwsChunked(body: Uint8Array): ChunkedBody {
  const chunks: Uint8Array[] = [];
  const chunkSignatures: string[] = [];
  const trailers = new Map<string, string>();
  let pos = 0;
  const readLine = (): string => {
    for (let i = pos; i + 1 < body.length; i++) {
      if (body[i] === 13 && body[i + 1] === 10) {
        const line = new TextDecoder().decode(body.subarray(pos, i));
        pos = i + 2;
        return line;
      }
    }
    throw new Error("aws-chunked: missing CRLF");
  };
  while (true) {
    const header = readLine();
    const [sizeText, ...ext] = header.split(";");
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new Error("aws-chunked: bad chunk size");
    const size = parseInt(sizeText, 16);
    const sig = ext.find((e) => e.startsWith("chunk-signature="));
    if (sig) chunkSignatures.push(sig.slice("chunk-signature=".length));
    if (size === 0) break;
    if (pos + size + 2 > body.length) throw new Error("aws-chunked: truncated chunk");
    chunks.push(body.subarray(pos, pos + size));
    pos += size;
    if (body[pos] !== 13 || body[pos + 1] !== 10) throw new Error("aws-chunked: missing CRLF");
    pos += 2;
  }
  if (sigChunkSignedEmpty(chunkSignatures, chunks)) chunks.push(new Uint8Array());
  while (pos < body.length) {
    const line = readLine();
    if (line === "") break;
    const colon = line.indexOf(":");
    if (colon < 0) throw new Error("aws-chunked: bad trailer");
    trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const data = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    data.set(c, off);
    off += c.length;
  }
  return { data, trailers, chunkSignatures, chunks };
}

// Signed streams sign the final zero-length chunk too; keep chunks aligned with signatures.
function sigChunkSignedEmpty(sigs: string[], chunks: Uint8Array[]): boolean {
  return sigs.length === chunks.length + 1;
}

/**
 * Verifies the chunk signatures of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body, each chained to
 * the previous one starting from the request (seed) signature.
 */
export function verifyChunkSignatures(
  auth: SigV4Auth,
  secret: string,
  decoded: ChunkedBody,
): boolean {
  if (decoded.chunkSignatures.length !== decoded.chunks.length) return false;
  const key = signingKey(secret, auth.scopeDate, auth.region, auth.service);
  let previous = auth.signature;
  const emptyHash = sha256Hex("");
  for (let i = 0; i < decoded.chunks.length; i++) {
    const stringToSign = [
      "AWS4-HMAC-SHA256-PAYLOAD",
      auth.amzDate,
      scopeOf(auth),
      previous,
      emptyHash,
      sha256Hex(decoded.chunks[i]),
    ].join("\n");
    const expected = Buffer.from(hmac(key, stringToSign)).toString("hex");
    if (!signaturesEqual(expected, decoded.chunkSignatures[i])) return false;
    previous = expected;
  }
  return true;
}

const CRC32_TABLE = crcTable32(0xedb88320);
const CRC32C_TABLE = crcTable32(0x82f63b78);

function crcTable32(poly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
}

function crc32With(table: Uint32Array, data: Uint8Array): Uint8Array {
  let crc = 0xffffffff;
  for (const b of data) crc = table[(crc ^ b) & 0xff] ^ (crc >>> 8);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, (crc ^ 0xffffffff) >>> 0);
  return out;
}

const CRC64NVME_POLY = 0x9a6c9329ac4bc9b5n;
let crc64Table: BigUint64Array | undefined;

function crc64nvme(data: Uint8Array): Uint8Array {
  if (!crc64Table) {
    crc64Table = new BigUint64Array(256);
    for (let i = 0; i < 256; i++) {
      let c = BigInt(i);
      for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ CRC64NVME_POLY : c >> 1n;
      crc64Table[i] = c;
    }
  }
  let crc = 0xffffffffffffffffn;
  for (const b of data) crc = crc64Table[Number((crc ^ BigInt(b)) & 0xffn)] ^ (crc >> 8n);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, crc ^ 0xffffffffffffffffn);
  return out;
}

/** Checksum algorithms S3 accepts in `x-amz-checksum-*`, computed as base64. */
export const CHECKSUMS: Record<string, (data: Uint8Array) => string> = {
  crc32: (d) => Buffer.from(crc32With(CRC32_TABLE, d)).toString("base64"),
  crc32c: (d) => Buffer.from(crc32With(CRC32C_TABLE, d)).toString("base64"),
  crc64nvme: (d) => Buffer.from(crc64nvme(d)).toString("base64"),
  sha1: (d) => createHash("sha1").update(d).digest("base64"),
  sha256: (d) => createHash("sha256").update(d).digest("base64"),
};
