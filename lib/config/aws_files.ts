/**
 * The AWS shared config and credentials files and the other files stc keeps in `~/.aws`: where they are,
 * reading them, and writing them safely. This module is the only writer of `~/.aws`: the shared files through
 * {@linkcode editAwsFile} (under a cross-process lock: read, edit, check it still parses, write atomically,
 * credentials 0600), stc's own files (roles lists, stored sessions) through {@linkcode writeAwsDirFiles} and
 * {@linkcode replaceAwsDirFile}. A `~/.aws` stc creates is private (0700).
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import { StcError } from "../core/errors.ts";
import { fileWriteError } from "../fs/errors.ts";
import { dirname } from "../fs/path.ts";
import { expandHome } from "../fs/paths.ts";
import { readOptionalFile, readOptionalText } from "../fs/read.ts";
import {
  type FileKind,
  getProfile,
  parseProfileFile,
  parseProfileFiles,
  type ProfileFiles,
  ProfileParseError,
} from "./ini.ts";
import { msg } from "../core/message.ts";
import { registerSecret } from "../core/secrets.ts";

// The writing tools, loaded by the first write: most commands only read these files.
const atomic = () => import("../fs/atomic.ts");
const iniEdit = () => import("./ini_edit.ts");
/** The text edits of ini_edit.ts, loaded. */
type IniEdits = Awaited<ReturnType<typeof iniEdit>>;

/** Locations of the two shared files. */
export interface AwsPaths {
  /** `AWS_CONFIG_FILE`, default `~/.aws/config`. */
  config: string;
  /** `AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`. */
  credentials: string;
}

/**
 * The shared files' paths as the AWS SDKs and CLI find them: `AWS_CONFIG_FILE` and
 * `AWS_SHARED_CREDENTIALS_FILE` (empty means unset; a leading `~/` is the home directory), else
 * `~/.aws/config` and `~/.aws/credentials` with the home directory from `HOME`.
 */
export function awsPaths(env: Env): AwsPaths {
  // Each path is worked out when asked for: a missing HOME matters only to a default that needs it.
  return {
    get config() {
      return expandHome(env.AWS_CONFIG_FILE || "~/.aws/config", env);
    },
    get credentials() {
      return expandHome(env.AWS_SHARED_CREDENTIALS_FILE || "~/.aws/credentials", env);
    },
  };
}

/** The text of one shared file; a missing file reads as empty. */
export function readAwsFile(kind: FileKind, env: Env): Promise<string> {
  return readOptionalText(awsPaths(env)[kind]);
}

/**
 * Applies `edit` to the current text of one shared file under the cross-process lock and writes
 * the result atomically, unless it is unchanged. The result must still parse, so no edit can leave
 * a file the SDKs reject. Credentials are always written 0600; config keeps its mode (0600 when
 * new). A missing `~/.aws` is created 0700. Returns whether the file changed. When `edit` throws,
 * nothing is written.
 */
export async function editAwsFile(
  kind: FileKind,
  edit: (text: string) => string,
  env: Env,
): Promise<boolean> {
  const path = awsPaths(env)[kind];
  const { ensurePrivateDir, fileMode, resolveTarget, sweepStaleTemps, withLock, writeFileAtomic } =
    await atomic();
  return await writingFile(path, async () => {
    const target = await resolveTarget(path);
    await ensurePrivateDir(dirname(target));
    return await withLock(target, async () => {
      let text = "";
      let mode = 0o600;
      const current = await readOptionalFile(target);
      if (current !== undefined) {
        text = new TextDecoder().decode(current);
        if (kind === "config") mode = await fileMode(target) ?? mode;
      }
      const next = applyEdit(path, kind, text, edit);
      if (next === text) return false;
      await sweepStaleTemps(target);
      await writeFileAtomic(target, next, { mode });
      return true;
    });
  });
}

/** `edit` applied to `text`, checked to parse; a value the file cannot hold is a one-line error naming it. */
function applyEdit(
  path: string,
  kind: FileKind,
  text: string,
  edit: (text: string) => string,
): string {
  let next: string;
  try {
    next = edit(text);
  } catch (error) {
    if (error instanceof StcError) throw error;
    throw new StcError(msg`cannot update ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (next !== text) parseProfileFile(next, kind);
  return next;
}

/** Runs `fn`, which writes `path`; a file-system error becomes the one-line error naming `path`. */
async function writingFile<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw fileWriteError(path, error);
  }
}

/**
 * Fails with the one-line error naming the file (`cannot write PATH: read-only file system`) when one of `paths`
 * could not be written now. Commands call it before they ask for anything (a passphrase, an MFA code) or call AWS,
 * when what they get would be lost if it could not be saved. Writes nothing that stays.
 */
export async function checkWritable(paths: readonly string[]): Promise<void> {
  const { probeWritable } = await atomic();
  for (const path of paths) await writingFile(path, () => probeWritable(path));
}

/** Changes to one profile: a string sets the key, `null` removes it. */
export type ProfileChanges = Record<string, string | null>;

/** Changes to several profiles of one file, by profile name. */
export type ProfileUpdates = Record<string, ProfileChanges>;

/** Combines profile updates; for the same profile and key, the later update wins. */
export function mergeProfileUpdates(...updates: ProfileUpdates[]): ProfileUpdates {
  const merged: ProfileUpdates = {};
  for (const update of updates) {
    for (const [profile, changes] of Object.entries(update)) {
      merged[profile] = { ...merged[profile], ...changes };
    }
  }
  return merged;
}

/**
 * Applies changes to several profiles of one file in a single atomic write, so a command's edits land together
 * or not at all. Creates sections when needed. Returns whether the file changed.
 */
export async function updateProfiles(
  kind: FileKind,
  updates: ProfileUpdates,
  env: Env,
): Promise<boolean> {
  if (Object.keys(updates).length === 0) return false;
  const edits = await iniEdit();
  return await editAwsFile(kind, (text) => editProfiles(edits, kind, text, updates), env);
}

/** `text` of a file of `kind` with `updates` applied. */
function editProfiles(
  edits: IniEdits,
  kind: FileKind,
  text: string,
  updates: ProfileUpdates,
): string {
  for (const [profile, changes] of Object.entries(updates)) {
    const section = edits.profileSection(kind, profile, text);
    for (const [key, value] of Object.entries(changes)) {
      text = value === null
        ? edits.removeKey(text, section, key)
        : edits.setKey(text, section, key, value);
    }
  }
  return text;
}

/**
 * Sets and removes several keys of one profile in a single atomic write (e.g. a whole set of
 * temporary credentials). Creates the profile's section when needed. Returns whether the file
 * changed.
 */
export function updateProfile(
  kind: FileKind,
  profile: string,
  changes: ProfileChanges,
  env: Env,
): Promise<boolean> {
  return updateProfiles(kind, { [profile]: changes }, env);
}

/** Removes every section of `profile` from the config or credentials file. Returns whether it changed. */
export async function removeProfile(
  kind: FileKind,
  profile: string,
  env: Env,
): Promise<boolean> {
  const { profileSection, removeSection } = await iniEdit();
  return await editAwsFile(kind, (text) => {
    // `[default]` and `[profile default]` are both the default profile in config: remove both,
    // or the shadowed one would come back.
    const sections = kind === "config" && profile === "default"
      ? ["profile default", "default"]
      : [profileSection(kind, profile)];
    return sections.reduce(removeSection, text);
  }, env);
}

/**
 * A new access key and the config changes that go with it (`stc import`: the roles bucket, the default profile),
 * which must land together although they are two files.
 */
export interface KeyUpdate {
  /** The profile the key is stored in. */
  profile: string;
  /** Changes to the profile in the credentials file; they set `aws_access_key_id`. */
  credentials: ProfileChanges & { aws_access_key_id: string };
  /** Changes to the config file. */
  config: ProfileUpdates;
}

/** The record of a {@linkcode KeyUpdate} in progress: everything but the credentials, which hold secrets. */
interface PendingConfig {
  profile: string;
  accessKeyId: string;
  config: ProfileUpdates;
}

/** The file recording a key update in progress, next to the credentials file. */
function pendingPath(env: Env): string {
  return `${awsPaths(env).credentials}.stc-pending`;
}

/**
 * Writes a new key to the credentials file, then the config changes that go with it, so that they land together
 * even across a crash: every edit is tried on the current texts before anything is written (an invalid value
 * writes nothing), both files and the record are checked writable, then a record of the config changes is
 * written (no secrets in it), then credentials, then config, then the record is removed. A run interrupted in
 * between is completed by the next stc that reads the AWS files ({@linkcode completePendingUpdate}).
 */
export async function updateKeyAndConfig(update: KeyUpdate, env: Env): Promise<void> {
  const paths = awsPaths(env);
  const [{ ensurePrivateDir, removeFile, withLock, writeFileAtomic }, edits] = await Promise.all([
    atomic(),
    iniEdit(),
  ]);
  const credentialsEdit = (text: string) =>
    editProfiles(edits, "credentials", text, {
      [update.profile]: update.credentials,
    });
  const configEdit = (text: string) => editProfiles(edits, "config", text, update.config);
  const [credentialsText, configText] = await Promise.all([
    readAwsFile("credentials", env),
    readAwsFile("config", env),
  ]);
  applyEdit(paths.credentials, "credentials", credentialsText, credentialsEdit);
  const configChanges = applyEdit(paths.config, "config", configText, configEdit) !== configText;
  if (!configChanges) {
    await editAwsFile("credentials", credentialsEdit, env);
    return;
  }
  const pending = pendingPath(env);
  await checkWritable([paths.credentials, paths.config, pending]);
  const record: PendingConfig = {
    profile: update.profile,
    accessKeyId: update.credentials.aws_access_key_id,
    config: update.config,
  };
  await writingFile(pending, async () => {
    await ensurePrivateDir(dirname(pending));
    await withLock(pending, async () => {
      await writingFile(pending, () => writeFileAtomic(pending, JSON.stringify(record) + "\n"));
      await editAwsFile("credentials", credentialsEdit, env);
      await editAwsFile("config", configEdit, env);
      await writingFile(pending, () => removeFile(pending));
    });
  });
}

/**
 * Completes a {@linkcode updateKeyAndConfig} that was interrupted between its two files: when the credentials
 * file holds the recorded key, the recorded config changes are applied; either way the record is removed. Does
 * nothing (one failed open) when there is no record. Returns whether the config file changed.
 */
export async function completePendingUpdate(env: Env): Promise<boolean> {
  const pending = pendingPath(env);
  if (await readOptionalFile(pending) === undefined) return false;
  const [{ removeFile, withLock }, edits] = await Promise.all([atomic(), iniEdit()]);
  return await writingFile(pending, () =>
    withLock(pending, async () => {
      const record = parsePendingConfig(await readOptionalText(pending));
      let changed = false;
      if (record) {
        const credentials = await readAwsFile("credentials", env);
        const files = parseProfileFiles({ config: "", credentials });
        const edit = (text: string) => editProfiles(edits, "config", text, record.config);
        // A record whose changes the config cannot take (not one stc wrote) is dropped, not retried for ever.
        let applicable = true;
        try {
          applyEdit(awsPaths(env).config, "config", await readAwsFile("config", env), edit);
        } catch (error) {
          if (!(error instanceof StcError)) throw error;
          applicable = false;
        }
        if (
          applicable &&
          getProfile(files, record.profile)?.aws_access_key_id === record.accessKeyId
        ) {
          changed = await editAwsFile("config", edit, env);
        }
      }
      await writingFile(pending, () => removeFile(pending));
      return changed;
    }));
}

/** The record in `text`, or undefined when it is not one (empty, not JSON, another shape). */
function parsePendingConfig(text: string): PendingConfig | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const record = value as Partial<PendingConfig> | null;
  if (
    typeof record !== "object" || record === null || typeof record.profile !== "string" ||
    typeof record.accessKeyId !== "string" || typeof record.config !== "object" ||
    record.config === null
  ) {
    return undefined;
  }
  for (const changes of Object.values(record.config)) {
    if (typeof changes !== "object" || changes === null) return undefined;
    for (const v of Object.values(changes)) {
      if (v !== null && typeof v !== "string") return undefined;
    }
  }
  return record as PendingConfig;
}

/** The AWS files as parsed profiles, plus the config text (for line numbers). */
export interface LoadedProfiles {
  /** Parsed profiles. */
  files: ProfileFiles;
  /** Line of each config profile's (last) section header. */
  configLines: Map<string, number>;
}

/** Reads and parses the AWS config and credentials files; a syntax error becomes a user error. */
export async function loadProfiles(env: Env): Promise<LoadedProfiles> {
  const paths = awsPaths(env);
  let [config, credentials] = await Promise.all([
    readAwsFile("config", env),
    readAwsFile("credentials", env),
  ]);
  if (await completePendingUpdate(env)) config = await readAwsFile("config", env);
  try {
    const configLines = new Map<string, number>();
    const files = parseProfileFiles({ config, credentials }, configLines);
    // Every key in the files is a secret this process knows: redacted wherever a server or library echoes it.
    for (const profile of Object.values(files.profiles)) {
      registerSecret(profile.aws_secret_access_key);
      registerSecret(profile.aws_session_token);
    }
    return { files, configLines };
  } catch (error) {
    if (error instanceof ProfileParseError) {
      const path = error.kind === "credentials" ? paths.credentials : paths.config;
      throw new StcError(
        msg`${path}:${error.line}: ${error.message.replace(/^.*?line \d+: /, "")}`,
        {
          hint: "fix the file; the AWS CLI cannot read it either",
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** A file stc keeps in `~/.aws` (a roles list, a stored session), written atomically. */
export interface AwsDirFile {
  /** Its path (below `~/.aws`, from `fs/paths.ts`). */
  path: string;
  /** The new content. */
  data: string | Uint8Array;
  /** Permission bits (default 0600). */
  mode?: number;
}

/**
 * Writes files of stc's own in `~/.aws` that belong together (a stored session and its metadata) under the lock
 * of the first, each atomically. Their directory is created private (0700) when missing.
 */
export async function writeAwsDirFiles(files: readonly AwsDirFile[]): Promise<void> {
  if (files.length === 0) return;
  const { ensurePrivateDir, withLock, writeFileAtomic } = await atomic();
  for (const file of files) {
    await writingFile(file.path, () => ensurePrivateDir(dirname(file.path)));
  }
  await writingFile(files[0].path, () =>
    withLock(files[0].path, async () => {
      for (const file of files) {
        await writingFile(
          file.path,
          () => writeFileAtomic(file.path, file.data, { mode: file.mode ?? 0o600 }),
        );
      }
    }));
}

/**
 * Replaces a text file of stc's own in `~/.aws` (the organisation's roles list) under its lock, unless it already
 * holds `text`; an existing file keeps its mode (0600 when new). Returns whether it changed.
 */
export async function replaceAwsDirFile(path: string, text: string): Promise<boolean> {
  const { ensurePrivateDir, fileMode, withLock, writeFileAtomic } = await atomic();
  return await writingFile(path, async () => {
    await ensurePrivateDir(dirname(path));
    return await withLock(path, async () => {
      if (await readOptionalText(path) === text) return false;
      await writeFileAtomic(path, text, { mode: await fileMode(path) ?? 0o600 });
      return true;
    });
  });
}

/** Another stc holds the named lock of the credentials file (see {@linkcode withAwsLock}). */
export class AwsLockBusyError extends Error {
  /** Creates the error; `cause` is the lock timeout. */
  constructor(cause: unknown) {
    super("another stc holds the lock", { cause });
    this.name = "AwsLockBusyError";
  }
}

/**
 * Runs `fn` holding a named lock next to the credentials file (e.g. `rotate`: one key rotation at a time per
 * credentials file), waiting at most `timeoutMs`; throws {@linkcode AwsLockBusyError} when another process holds
 * it longer.
 */
export async function withAwsLock<T>(
  env: Env,
  name: string,
  fn: () => Promise<T>,
  timeoutMs: number,
): Promise<T> {
  const path = `${awsPaths(env).credentials}.stc-${name}`;
  const { ensurePrivateDir, LockTimeoutError, withLock } = await atomic();
  await writingFile(path, () => ensurePrivateDir(dirname(path)));
  let entered = false;
  try {
    return await withLock(path, () => {
      entered = true;
      return fn();
    }, { timeoutMs });
  } catch (error) {
    if (error instanceof LockTimeoutError) throw new AwsLockBusyError(error);
    // Failing to take the lock is failing to write its file; what `fn` throws is its own.
    throw entered ? error : fileWriteError(path, error);
  }
}
