/**
 * The AWS shared config and credentials files on disk: where they are, reading them, and editing
 * them safely. Every write in stc to these files goes through {@linkcode editAwsFile}: under a
 * cross-process lock, read, edit, check it still parses, write atomically (credentials 0600).
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import { StcError } from "../core/errors.ts";
import { resolveTarget, TEMP_INFIX, withLock, writeFileAtomic } from "../fs/atomic.ts";
import { basename, dirname, join } from "../fs/path.ts";
import { expandHome } from "../fs/paths.ts";
import { readOptionalText } from "../fs/read.ts";
import {
  type FileKind,
  parseProfileFile,
  parseProfileFiles,
  type ProfileFiles,
  ProfileParseError,
} from "./ini.ts";
import { profileSection, removeKey, removeSection, setKey } from "./ini_edit.ts";

/** Locations of the two shared files. */
export interface AwsPaths {
  /** `AWS_CONFIG_FILE`, default `~/.aws/config`. */
  config: string;
  /** `AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`. */
  credentials: string;
}

/** Temp files older than this are leftovers of killed writers and are swept by the next edit. */
const STALE_TEMP_MS = 60_000;

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
  env: Env,
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
  env: Env,
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
  env: Env,
): Promise<boolean> {
  return updateProfiles(kind, { [profile]: changes }, env);
}

/** Removes every section of `profile` from the config or credentials file. Returns whether it changed. */
export function removeProfile(
  kind: FileKind,
  profile: string,
  env: Env,
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
  const [config, credentials] = await Promise.all([
    readAwsFile("config", env),
    readAwsFile("credentials", env),
  ]);
  try {
    const files = parseProfileFiles({ config, credentials });
    const configLines = new Map<string, number>();
    for (const section of parseProfileFile(config, "config")) {
      if (section.key.type === "profile") configLines.set(section.key.name, section.line);
    }
    return { files, configLines };
  } catch (error) {
    if (error instanceof ProfileParseError) {
      const path = error.kind === "credentials" ? paths.credentials : paths.config;
      throw new StcError(`${path}:${error.line}: ${error.message.replace(/^.*?line \d+: /, "")}`, {
        hint: "fix the file; the AWS CLI cannot read it either",
        cause: error,
      });
    }
    throw error;
  }
}
