/**
 * Reading the sessions session-tool.sh stored: `~/.aws/<profile>.aes`, made by
 * `openssl enc -aes-256-cbc -salt [-pbkdf2 -iter 50000]` from lines `NAME='value'`. The key derivation is not
 * recorded in the file, so the known ones are tried in turn (PBKDF2-SHA256 with 50 000 iterations, then the old
 * EVP_BytesToKey with MD5, then with SHA-256); the padding and the content decide which one was right.
 *
 * The content is parsed as assignments, never evaluated. This module loads `node:crypto`, which costs start-up
 * time: commands import it only when they meet such a file.
 *
 * @module
 */

import { createDecipheriv, createHash, pbkdf2Sync } from "node:crypto";
import { resourceName } from "../core/arn.ts";
import { StcError } from "../core/errors.ts";
import { splitShellWords } from "../shell/words.ts";
import type { SessionRecord } from "./variables.ts";

const MAGIC = "Salted__";
const KEY_LENGTH = 32;
const IV_LENGTH = 16;

/** How openssl derived the key and IV from the passphrase. */
export type LegacyKdf = "pbkdf2-sha256" | "evp-md5" | "evp-sha256";

/** The key derivations tried, in order. */
export const LEGACY_KDFS: readonly LegacyKdf[] = ["pbkdf2-sha256", "evp-md5", "evp-sha256"];

/** OpenSSL's EVP_BytesToKey with one iteration: D_i = H(D_{i-1} || passphrase || salt). */
export function evpBytesToKey(
  hash: "md5" | "sha256",
  passphrase: Uint8Array,
  salt: Uint8Array,
  length: number,
): Uint8Array {
  const out = new Uint8Array(length);
  let filled = 0;
  let previous = new Uint8Array(0);
  while (filled < length) {
    previous = new Uint8Array(
      createHash(hash).update(previous).update(passphrase).update(salt).digest(),
    );
    out.set(previous.subarray(0, Math.min(previous.length, length - filled)), filled);
    filled += previous.length;
  }
  return out;
}

function deriveKeyIv(kdf: LegacyKdf, passphrase: Uint8Array, salt: Uint8Array): Uint8Array {
  if (kdf === "pbkdf2-sha256") {
    return new Uint8Array(pbkdf2Sync(passphrase, salt, 50_000, KEY_LENGTH + IV_LENGTH, "sha256"));
  }
  return evpBytesToKey(kdf === "evp-md5" ? "md5" : "sha256", passphrase, salt, 48);
}

/** The raw `Salted__` bytes of the file: binary as openssl writes it, or its base64 (`-a`) form. */
function rawBytes(data: Uint8Array): Uint8Array | undefined {
  const magic = new TextEncoder().encode(MAGIC);
  const startsWithMagic = (bytes: Uint8Array) =>
    bytes.length >= 16 + IV_LENGTH && magic.every((b, i) => bytes[i] === b);
  if (startsWithMagic(data)) return data;
  const text = new TextDecoder().decode(data).replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+=*$/.test(text)) return undefined;
  let decoded: Uint8Array;
  try {
    decoded = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
  return startsWithMagic(decoded) ? decoded : undefined;
}

function decryptWith(kdf: LegacyKdf, raw: Uint8Array, passphrase: Uint8Array): string | undefined {
  const salt = raw.subarray(8, 16);
  const body = raw.subarray(16);
  if (body.length === 0 || body.length % 16 !== 0) return undefined;
  const keyIv = deriveKeyIv(kdf, passphrase, salt);
  try {
    const decipher = createDecipheriv(
      "aes-256-cbc",
      keyIv.subarray(0, KEY_LENGTH),
      keyIv.subarray(KEY_LENGTH),
    );
    const plain = new Uint8Array([...decipher.update(body), ...decipher.final()]);
    return new TextDecoder("utf-8", { fatal: true }).decode(plain);
  } catch {
    // Bad padding or not UTF-8: this derivation (or the passphrase) is wrong.
    return undefined;
  }
}

/**
 * Parses `NAME='value'` lines (optionally `export NAME=…`) as a shell would assign them, without expanding or
 * running anything. Returns undefined when a line is not such an assignment.
 */
export function parseAssignments(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const rawLine of text.split("\n")) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) return undefined;
    const rest = match[2];
    // Expansions or command substitutions are refused rather than taken literally.
    if (/[`]|\$[({A-Za-z_]/.test(rest.replace(/'[^']*'/g, ""))) return undefined;
    const words = splitShellWords(rest.replace(/;\s*$/, ""));
    if (!words || words.length > 1) return undefined;
    out[match[1]] = words[0] ?? "";
  }
  return out;
}

/** The variables a session-tool.sh session file must hold. */
const REQUIRED = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

/** The decrypted variables of a session-tool.sh session file and the derivation that opened it. */
export interface LegacySession {
  /** `NAME` → value. */
  variables: Record<string, string>;
  /** How the key was derived. */
  kdf: LegacyKdf;
}

/**
 * Decrypts a session-tool.sh session file. Fails with one clear error when no derivation yields a valid session
 * (wrong passphrase or a corrupt file: the two cannot be told apart).
 */
export function decryptLegacySession(data: Uint8Array, passphrase: string): LegacySession {
  const raw = rawBytes(data);
  if (!raw) {
    throw new StcError("the session-tool.sh session file is not an openssl-encrypted file");
  }
  const pass = new TextEncoder().encode(passphrase);
  for (const kdf of LEGACY_KDFS) {
    const text = decryptWith(kdf, raw, pass);
    if (text === undefined) continue;
    const variables = parseAssignments(text);
    if (variables && REQUIRED.every((name) => variables[name])) return { variables, kdf };
  }
  throw new StcError(
    "cannot decrypt the session-tool.sh session: wrong passphrase or corrupt file",
    {
      hint: "use the passphrase you gave to 'get_session -s' when you stored it",
    },
  );
}

/** A session record from session-tool.sh's variables; `profile` is used when the file names none. */
export function legacyToSessionRecord(
  variables: Record<string, string>,
  profile: string,
): SessionRecord {
  const expirationSeconds = Number(variables.AWS_EXPIRATION_S);
  const expiration = variables.AWS_EXPIRATION && !Number.isNaN(Date.parse(variables.AWS_EXPIRATION))
    ? new Date(variables.AWS_EXPIRATION)
    : Number.isFinite(expirationSeconds) && expirationSeconds > 0
    ? new Date(expirationSeconds * 1000)
    : undefined;
  if (!expiration) {
    throw new StcError("the session-tool.sh session has no expiry time (AWS_EXPIRATION)");
  }
  const userArn = variables.AWS_USER ?? "";
  return {
    profile: variables.AWS_PROFILE || profile,
    accessKeyId: variables.AWS_ACCESS_KEY_ID,
    secretAccessKey: variables.AWS_SECRET_ACCESS_KEY,
    sessionToken: variables.AWS_SESSION_TOKEN,
    expiration: expiration.toISOString(),
    userArn: userArn || "unknown",
    userName: variables.AWS_USERNAME || resourceName(userArn) || "unknown",
    ...(variables.AWS_SERIAL ? { serial: variables.AWS_SERIAL } : {}),
  };
}
