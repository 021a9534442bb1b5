/**
 * Sessions stored between shells: `~/.aws/<profile>.session.age`, the session encrypted in the age format with a
 * passphrase (scrypt), so the standard `age -d` tool opens it too; next to it `<profile>.session.json` holds only
 * the profile, user and expiry (no secret), so `stc session -l` can show real expiry times without a passphrase.
 *
 * Both files are 0600 and written atomically under one lock.
 *
 * @module
 */

import { awsDir, isFileSafeProfile } from "../fs/paths.ts";
import { join } from "../fs/path.ts";
import { readOptionalFile } from "../fs/read.ts";
import { checkWritable, writeAwsDirFiles } from "../config/aws_files.ts";
import { StcError, usageError } from "../core/errors.ts";
import { parseSessionRecord, type SessionRecord } from "./variables.ts";
import type { Env } from "../core/env.ts";
import { msg, own, type Text } from "../core/message.ts";

/** Suffix of the encrypted session files. */
export const SESSION_FILE_SUFFIX = ".session.age";
/** Suffix of the plaintext metadata next to them. */
export const METADATA_FILE_SUFFIX = ".session.json";

/** What the metadata file says about a stored session (nothing secret). */
export interface StoredSessionInfo {
  /** The profile. */
  profile: string;
  /** Expiry, ISO 8601; undefined when unknown (metadata missing, or a session-tool.sh file). */
  expiration?: string;
  /** ARN of the IAM user. */
  userArn?: string;
  /** When it was stored, ISO 8601. */
  savedAt?: string;
  /** The encrypted file. */
  path: string;
  /** `age` for stc's format, `legacy` for session-tool.sh's `.aes` files. */
  format: "age" | "legacy";
}

/** The directory the session files live in: `~/.aws`, as session-tool.sh has it. */
export function sessionStoreDir(env: Env): string {
  return awsDir(env);
}

/** Refuses profile names that cannot safely be part of a file name. */
function checkProfileName(profile: string): void {
  if (!isFileSafeProfile(profile)) {
    throw usageError(
      msg`profile name '${profile.slice(0, 64)}' cannot be used in a session file name`,
      "use a profile name of letters, digits and _ @ + = , . -",
    );
  }
}

/** The encrypted session file of a profile. */
export function storedSessionPath(dir: string, profile: string): string {
  checkProfileName(profile);
  return join(dir, `${profile}${SESSION_FILE_SUFFIX}`);
}

/** The metadata file of a profile's stored session. */
export function metadataPath(dir: string, profile: string): string {
  checkProfileName(profile);
  return join(dir, `${profile}${METADATA_FILE_SUFFIX}`);
}

/** session-tool.sh's session file of a profile. */
export function legacySessionPath(dir: string, profile: string): string {
  checkProfileName(profile);
  return join(dir, `${profile}.aes`);
}

/** scrypt work factor (log2 N): age's default, about a second in this implementation. */
const SCRYPT_LOG_N = 18;

/** Encrypts a session with a passphrase in the age format (binary, scrypt recipient). */
export async function encryptSession(
  session: SessionRecord,
  passphrase: string,
): Promise<Uint8Array> {
  if (passphrase === "") throw new StcError("an empty passphrase is not allowed");
  const { Encrypter } = await import("age-encryption");
  const encrypter = new Encrypter();
  encrypter.setPassphrase(passphrase);
  encrypter.setScryptWorkFactor(SCRYPT_LOG_N);
  return await encrypter.encrypt(JSON.stringify(session));
}

/** Decrypts a session encrypted by {@linkcode encryptSession}; one clear error for any failure. */
export async function decryptSession(
  data: Uint8Array,
  passphrase: string,
  what: Text = own("the stored session"),
): Promise<SessionRecord> {
  const { Decrypter } = await import("age-encryption");
  const decrypter = new Decrypter();
  decrypter.addPassphrase(passphrase);
  let text: string;
  try {
    text = await decrypter.decrypt(data, "text");
  } catch (error) {
    throw new StcError(msg`cannot decrypt ${what}: wrong passphrase or corrupt file`, {
      hint: "use the passphrase given when it was stored with 'stc session -s'",
      cause: error,
    });
  }
  const session = parseSessionRecord(text);
  if (!session) throw new StcError(msg`${what} does not hold a valid session`);
  return session;
}

/**
 * Fails with the one-line error naming the file when the stored session of `profile` could not be written now
 * (read-only file system, no space, no permission): checked before the passphrase is asked for.
 */
export function checkSessionWritable(dir: string, profile: string): Promise<void> {
  return checkWritable([storedSessionPath(dir, profile), metadataPath(dir, profile)]);
}

/**
 * Stores a session encrypted with `passphrase` under its profile, replacing an earlier one. Returns the path of
 * the encrypted file.
 */
export async function saveSession(
  dir: string,
  session: SessionRecord,
  passphrase: string,
  now: Date = new Date(),
): Promise<string> {
  const path = storedSessionPath(dir, session.profile);
  const data = await encryptSession(session, passphrase);
  const metadata = {
    profile: session.profile,
    expiration: session.expiration,
    userArn: session.userArn,
    savedAt: now.toISOString(),
  };
  await writeAwsDirFiles([
    { path, data },
    { path: metadataPath(dir, session.profile), data: JSON.stringify(metadata) + "\n" },
  ]);
  return path;
}

/** The encrypted stored session of a profile, or undefined when there is none. */
export function readStoredSession(dir: string, profile: string): Promise<Uint8Array | undefined> {
  return readOptionalFile(storedSessionPath(dir, profile));
}

/** session-tool.sh's stored session of a profile, or undefined when there is none. */
export function readLegacySession(dir: string, profile: string): Promise<Uint8Array | undefined> {
  return readOptionalFile(legacySessionPath(dir, profile));
}

function parseMetadata(text: string): Partial<StoredSessionInfo> {
  try {
    const value = JSON.parse(text);
    if (!value || typeof value !== "object") return {};
    const pick = (key: string) => (typeof value[key] === "string" ? value[key] : undefined);
    const expiration = pick("expiration");
    return {
      expiration: expiration && !Number.isNaN(Date.parse(expiration)) ? expiration : undefined,
      userArn: pick("userArn"),
      savedAt: pick("savedAt"),
    };
  } catch {
    return {};
  }
}

/**
 * Every stored session in `dir`: stc's (with the expiry from the metadata file) and session-tool.sh's `.aes`
 * files whose profile has no stc file (expiry unknown: it is inside the encryption). Sorted by profile.
 */
export async function listStoredSessions(dir: string): Promise<StoredSessionInfo[]> {
  const found = new Map<string, StoredSessionInfo>();
  const legacy: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile) continue;
      if (entry.name.endsWith(SESSION_FILE_SUFFIX)) {
        const profile = entry.name.slice(0, -SESSION_FILE_SUFFIX.length);
        if (profile === "") continue;
        const path = join(dir, entry.name);
        const metadata = await readOptionalFile(join(dir, `${profile}${METADATA_FILE_SUFFIX}`));
        found.set(profile, {
          profile,
          path,
          format: "age",
          ...(metadata ? parseMetadata(new TextDecoder().decode(metadata)) : {}),
        });
      } else if (entry.name.endsWith(".aes") && entry.name.length > 4) {
        legacy.push(entry.name.slice(0, -4));
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  for (const profile of legacy) {
    if (!found.has(profile)) {
      found.set(profile, { profile, path: join(dir, `${profile}.aes`), format: "legacy" });
    }
  }
  return [...found.values()].sort((a, b) => a.profile.localeCompare(b.profile));
}
