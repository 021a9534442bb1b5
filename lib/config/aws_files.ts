/**
 * The AWS shared config and credentials files on disk: where they are, reading them, and editing
 * them safely. Every write in stc to these files goes through {@linkcode editAwsFile}: under a
 * cross-process lock, read, edit, check it still parses, write atomically (credentials 0600).
 *
 * @module
 */

import { homedir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { resolveTarget, TEMP_INFIX, withLock, writeFileAtomic } from "../fs/atomic.ts";
import { type FileKind, parseProfileFile } from "./ini.ts";
import { profileSection, removeKey, removeSection, setKey } from "./ini_edit.ts";
import { type Env, processEnv } from "../core/env.ts";
import { StcError } from "../core/errors.ts";

/** Locations of the two shared files. */
export interface AwsPaths {
  /** `AWS_CONFIG_FILE`, default `~/.aws/config`. */
  config: string;
  /** `AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`. */
  credentials: string;
}

/** Temp files older than this are leftovers of killed writers and are swept by the next edit. */
const STALE_TEMP_MS = 60_000;

function homeDir(env: Env): string {
  return env.HOME || env.USERPROFILE || homedir();
}

function expand(path: string, env: Env): string {
  if (path === "~") return homeDir(env);
  if (path.startsWith("~/")) return join(homeDir(env), path.slice(2));
  return resolve(path);
}

/**
 * The shared files' paths as the AWS SDKs and CLI find them: `AWS_CONFIG_FILE` and
 * `AWS_SHARED_CREDENTIALS_FILE` (empty means unset; a leading `~/` is the home directory), else
 * `~/.aws/config` and `~/.aws/credentials` with the home directory from `HOME`.
 */
export function awsPaths(env: Env = processEnv()): AwsPaths {
  return {
    config: expand(env.AWS_CONFIG_FILE || "~/.aws/config", env),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE || "~/.aws/credentials", env),
  };
}

/**
 * A file's text; empty when it does not exist (or `path` is empty). Other failures (permissions, a directory in
 * the way) are a user error naming the path.
 */
export async function readTextIfExists(path: string): Promise<string> {
  if (path === "") return "";
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "";
    throw new StcError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** The text of one shared file; a missing file reads as empty. */
export function readAwsFile(kind: FileKind, env: Env = processEnv()): Promise<string> {
  return readTextIfExists(awsPaths(env)[kind]);
}

/** Creates the file's directory if needed; a directory stc creates is private (0700). */
async function ensureDir(dir: string): Promise<void> {
  try {
    await Deno.stat(dir);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    await Deno.chmod(dir, 0o700);
  }
}

/** Removes temp files of killed writers of `target`; only called under the target's lock. */
async function sweepStaleTemps(target: string): Promise<void> {
  const prefix = `.${basename(target)}${TEMP_INFIX}`;
  const now = Date.now();
  for await (const entry of Deno.readDir(dirname(target))) {
    if (!entry.isFile || !entry.name.startsWith(prefix)) continue;
    const path = join(dirname(target), entry.name);
    const info = await Deno.lstat(path).catch(() => undefined);
    if (info?.mtime && now - info.mtime.getTime() > STALE_TEMP_MS) {
      await Deno.remove(path).catch(() => {});
    }
  }
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
  env: Env = processEnv(),
): Promise<boolean> {
  const path = awsPaths(env)[kind];
  const target = await resolveTarget(path);
  await ensureDir(dirname(target));
  return await withLock(target, async () => {
    let text = "";
    let mode = 0o600;
    try {
      text = await Deno.readTextFile(target);
      if (kind === "config") mode = (await Deno.stat(target)).mode! & 0o777;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    const next = edit(text);
    if (next === text) return false;
    parseProfileFile(next, kind);
    await sweepStaleTemps(target);
    await writeFileAtomic(target, next, { mode });
    return true;
  });
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
export function updateProfiles(
  kind: FileKind,
  updates: ProfileUpdates,
  env: Env = processEnv(),
): Promise<boolean> {
  if (Object.keys(updates).length === 0) return Promise.resolve(false);
  return editAwsFile(kind, (text) => {
    for (const [profile, changes] of Object.entries(updates)) {
      const section = profileSection(kind, profile, text);
      for (const [key, value] of Object.entries(changes)) {
        text = value === null ? removeKey(text, section, key) : setKey(text, section, key, value);
      }
    }
    return text;
  }, env);
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
  env: Env = processEnv(),
): Promise<boolean> {
  return updateProfiles(kind, { [profile]: changes }, env);
}

/** Sets `key = value` in `profile` of the config or credentials file. Returns whether it changed. */
export function setProfileKey(
  kind: FileKind,
  profile: string,
  key: string,
  value: string,
  env: Env = processEnv(),
): Promise<boolean> {
  return updateProfile(kind, profile, { [key]: value }, env);
}

/** Removes `key` from `profile` of the config or credentials file. Returns whether it changed. */
export function removeProfileKey(
  kind: FileKind,
  profile: string,
  key: string,
  env: Env = processEnv(),
): Promise<boolean> {
  return updateProfile(kind, profile, { [key]: null }, env);
}

/** Removes every section of `profile` from the config or credentials file. Returns whether it changed. */
export function removeProfile(
  kind: FileKind,
  profile: string,
  env: Env = processEnv(),
): Promise<boolean> {
  return editAwsFile(kind, (text) => {
    // `[default]` and `[profile default]` are both the default profile in config: remove both,
    // or the shadowed one would come back.
    const sections = kind === "config" && profile === "default"
      ? ["profile default", "default"]
      : [profileSection(kind, profile)];
    return sections.reduce(removeSection, text);
  }, env);
}
