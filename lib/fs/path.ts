/**
 * POSIX path arithmetic for the few operations stc needs, without loading `node:path` (which costs every command
 * start-up time). stc runs on Linux and macOS, where `/` is the only separator.
 *
 * @example
 * ```ts
 * import { basename, dirname, join, resolve } from "./path.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(join("/home/alice", ".aws", "config"), "/home/alice/.aws/config");
 * assert.equal(dirname("/home/alice/.aws/config"), "/home/alice/.aws");
 * assert.equal(basename("/home/alice/.aws/config"), "config");
 * assert.equal(resolve("../etc/./x", "/work"), "/etc/x");
 * ```
 *
 * @module
 */

/** `path` with `.` and `..` segments and repeated slashes removed; `/` stays `/`, relative stays relative. */
export function normalize(path: string): string {
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
    } else out.push(part);
  }
  const joined = out.join("/");
  return absolute ? `/${joined}` : joined || ".";
}

/** The parts joined with `/` and normalised. */
export function join(...parts: string[]): string {
  return normalize(parts.filter((p) => p !== "").join("/"));
}

/** The directory part of `path` (`.` for a bare name, `/` for the root). */
export function dirname(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  const slash = trimmed.lastIndexOf("/");
  if (slash < 0) return ".";
  if (slash === 0) return "/";
  return trimmed.slice(0, slash);
}

/** The last part of `path`. */
export function basename(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** `path` made absolute against `base` (default: the working directory) and normalised. */
export function resolve(path: string, base: string = Deno.cwd()): string {
  return normalize(path.startsWith("/") ? path : `${base}/${path}`);
}
