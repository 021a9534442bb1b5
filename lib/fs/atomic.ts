/**
 * Crash-safe file replacement and a cross-process lock for the files stc rewrites.
 *
 * A reader sees either the old or the new content of a file, never a mix: data goes to a temp file
 * in the same directory, is fsynced, and is renamed over the target. Writers are serialised by an
 * advisory `flock` on a lock file next to the target; the kernel drops the lock when its holder
 * dies, so a killed process cannot leave a stale lock behind.
 *
 * @module
 */

import { sleep } from "../core/time.ts";
import { basename, dirname, join } from "./path.ts";

/** Options of {@linkcode writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Permission bits of the written file (not subject to the umask). Default 0o600. */
  mode?: number;
}

/** Options of {@linkcode withLock}. */
export interface LockOptions {
  /** Give up after this many milliseconds. Default 10 000. */
  timeoutMs?: number;
}

/** Another process held the lock for longer than the timeout. */
export class LockTimeoutError extends Error {
  /** Path of the file whose lock could not be taken. */
  readonly path: string;
  /** Creates the error for `path`; `holder` is what the lock file says about its holder. */
  constructor(path: string, timeoutMs: number, holder: string) {
    super(
      `timed out after ${timeoutMs / 1000} s waiting for the lock on ${path}` +
        (holder ? ` (held by ${holder})` : ""),
    );
    this.name = "LockTimeoutError";
    this.path = path;
  }
}

/** Infix of temp file names: `.<name><infix><pid>-<random>`. */
export const TEMP_INFIX = ".stc-tmp-";

/** The path a write to `path` really replaces: a symlink's target, so the link survives. */
export async function resolveTarget(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return path;
    throw e;
  }
}

/** The lock file serialising writers of `path` (it is never deleted: deleting races). */
export function lockPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.lock`);
}

function randomSuffix(): string {
  return crypto.getRandomValues(new Uint8Array(8)).reduce(
    (s, b) => s + b.toString(16).padStart(2, "0"),
    "",
  );
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  for (let done = 0; done < data.length;) done += await file.write(data.subarray(done));
}

async function assertRegularOrMissing(path: string): Promise<void> {
  try {
    if (!(await Deno.lstat(path)).isFile) throw new Error("not a regular file");
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/**
 * Replaces `path` with `data` atomically: a temp file in the same directory, created exclusively
 * with the final mode, written, fsynced and renamed over `path` (over a symlink's target, keeping
 * the link); then the directory is fsynced so the rename survives a crash. On error the temp file
 * is removed and `path` is untouched. Refuses to replace anything but a regular file.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const mode = options.mode ?? 0o600;
  const target = await resolveTarget(path);
  // A rename would replace a device or FIFO (as root, even /dev/null) with a regular file.
  await assertRegularOrMissing(target);
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}${TEMP_INFIX}${Deno.pid}-${randomSuffix()}`);
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  // The umask can only remove bits, so the file is never more open than `mode`; chmod then sets
  // exactly `mode` before any data is written.
  const file = await Deno.open(tmp, { write: true, createNew: true, mode });
  try {
    try {
      await Deno.chmod(tmp, mode);
      await writeAll(file, bytes);
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(tmp, target);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  try {
    using d = await Deno.open(dir, { read: true });
    await d.sync();
  } catch {
    // Some filesystems cannot fsync a directory; the rename itself is still atomic.
  }
}

/**
 * Runs `fn` while holding an exclusive lock that serialises all writers of `path`, in this and
 * other processes (flock on {@linkcode lockPathFor}). Waits with backoff; throws
 * {@linkcode LockTimeoutError} after `timeoutMs`. Not reentrant: do not nest for the same path.
 * The directory of `path` must exist.
 */
export async function withLock<T>(
  path: string,
  fn: () => Promise<T> | T,
  options: LockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const lockPath = lockPathFor(await resolveTarget(path));
  const file = await Deno.open(lockPath, { read: true, write: true, create: true, mode: 0o600 });
  try {
    const start = Date.now();
    let delay = 2;
    while (!(await file.tryLock(true))) {
      if (Date.now() - start >= timeoutMs) {
        const holder = await Deno.readTextFile(lockPath).catch(() => "");
        throw new LockTimeoutError(path, timeoutMs, holder.trim());
      }
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 50);
    }
    try {
      // Who holds the lock, for the timeout message of whoever waits.
      await file.truncate(0);
      await writeAll(
        file,
        new TextEncoder().encode(`pid ${Deno.pid} since ${new Date().toISOString()}\n`),
      );
      return await fn();
    } finally {
      await file.unlock();
    }
  } finally {
    file.close();
  }
}

/**
 * Fails, with the file system's error, when {@linkcode writeFileAtomic} could not write `path` now: its directory
 * (or, when that does not exist yet, the nearest existing ancestor, where it would be created) must take a new
 * file with a byte in it (not on a read-only file system, not full, writable by this user), and an existing
 * `path` must be a regular file. Leaves nothing behind. For checking before a prompt or a network call, so that
 * a failure comes before the user's effort.
 */
export async function probeWritable(path: string): Promise<void> {
  const target = await resolveTarget(path);
  await assertRegularOrMissing(target);
  let dir = dirname(target);
  while (true) {
    try {
      const info = await Deno.stat(dir);
      if (!info.isDirectory) throw new Deno.errors.NotADirectory(`not a directory: ${dir}`);
      break;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound) || dir === "/" || dir === ".") throw e;
      dir = dirname(dir);
    }
  }
  const probe = join(dir, `.${basename(target)}${TEMP_INFIX}probe-${Deno.pid}-${randomSuffix()}`);
  const file = await Deno.open(probe, { write: true, createNew: true, mode: 0o600 });
  try {
    await writeAll(file, new Uint8Array(1));
  } finally {
    file.close();
    await Deno.remove(probe).catch(() => {});
  }
}

/** Removes the file `path`; one that is already gone is no error. */
export async function removeFile(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** Creates `dir` (and its parents) when missing; a directory created here is private (0700). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  try {
    await Deno.stat(dir);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    await Deno.chmod(dir, 0o700);
  }
}

/** Creates `dir` (and its parents) when missing, with the umask's mode (a shell start-up file's directory). */
export async function ensureDir(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
}

/** The permission bits of a file, or undefined when it does not exist. */
export async function fileMode(path: string): Promise<number | undefined> {
  try {
    const mode = (await Deno.stat(path)).mode;
    return mode === null ? undefined : mode & 0o7777;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/** Temp files older than this are leftovers of killed writers. */
const STALE_TEMP_MS = 60_000;

/** Removes temp files that killed writers of `target` left behind; call it only under the target's lock. */
export async function sweepStaleTemps(target: string): Promise<void> {
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
