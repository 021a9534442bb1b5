/**
 * Directories only their owner may enter, for the session agent's socket: created 0700 when missing, and checked
 * for owner and mode before use, since a socket in a directory others can enter or replace is reachable by them.
 *
 * @module
 */

import { StcError } from "../core/errors.ts";
import { msg } from "../core/message.ts";

/** Why a directory is not private to the current user; undefined when it is. */
export function privateDirProblem(
  info: { isDirectory: boolean; isSymlink: boolean; uid: number | null; mode: number | null },
  uid: number,
): string | undefined {
  if (info.isSymlink) return "is a symbolic link";
  if (!info.isDirectory) return "is not a directory";
  if (info.uid !== null && info.uid !== uid) {
    return `belongs to uid ${info.uid}, not to you (${uid})`;
  }
  if (info.mode !== null && (info.mode & 0o077) !== 0) {
    return `has mode ${(info.mode & 0o777).toString(8).padStart(4, "0")}; it must be 0700`;
  }
  return undefined;
}

/**
 * Makes sure `dir` exists, is a real directory (not a link), belongs to the current user and is closed to
 * everyone else (no group or other bits); creates it 0700 (its parent must exist) when missing. Refuses, without
 * changing anything, a directory that fails the check: fixing another's directory is not ours to do.
 */
export async function ensureOwnPrivateDir(dir: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(dir);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    try {
      await Deno.mkdir(dir, { mode: 0o700 });
    } catch (mkdirError) {
      if (!(mkdirError instanceof Deno.errors.AlreadyExists)) throw mkdirError;
    }
    await Deno.chmod(dir, 0o700);
    info = await Deno.lstat(dir);
  }
  const problem = privateDirProblem(info, Deno.uid() ?? -1);
  if (problem) {
    throw new StcError(msg`the agent's socket directory ${dir} ${problem}`, {
      hint: "remove it or fix it (chmod 700), or name another socket with STC_AGENT_SOCKET",
    });
  }
}

/** Removes a socket file left by an agent that died; a missing file is fine. */
export async function removeStaleSocket(path: string): Promise<void> {
  try {
    const info = await Deno.lstat(path);
    // Only a socket is ours to replace: any other file at that path is left alone and the listen fails.
    if (!info.isSocket) return;
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/**
 * Checks an existing directory as {@linkcode ensureOwnPrivateDir} does, without creating it: false when it does
 * not exist, true when it is private to the user; refuses (throws) otherwise.
 */
export async function checkOwnPrivateDir(dir: string): Promise<boolean> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
  const problem = privateDirProblem(info, Deno.uid() ?? -1);
  if (problem) {
    throw new StcError(msg`the agent's socket directory ${dir} ${problem}`, {
      hint: "remove it or fix it (chmod 700), or name another socket with STC_AGENT_SOCKET",
    });
  }
  return true;
}
