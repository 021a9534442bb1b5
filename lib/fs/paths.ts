/**
 * Where stc's files are: the home directory, `~/.aws`, and which profile names may be part of a file name there.
 * The one answer to "where is ~/.aws" for every module.
 *
 * @example
 * ```ts
 * import { awsDir, isFileSafeProfile } from "./paths.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(awsDir({ HOME: "/home/alice" }), "/home/alice/.aws");
 * assert.equal(isFileSafeProfile("prod-admin"), true);
 * assert.equal(isFileSafeProfile("a=b"), true);
 * assert.equal(isFileSafeProfile("../x"), false);
 * ```
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import { StcError } from "../core/errors.ts";
import { join, resolve } from "./path.ts";

/** The home directory: `HOME` (or `USERPROFILE`); an error when neither is set, as stc cannot find `~/.aws`. */
export function homeDir(env: Env): string {
  const home = env.HOME || env.USERPROFILE;
  if (!home) {
    throw new StcError("HOME is not set, so ~/.aws cannot be found", {
      hint: "set HOME to your home directory",
    });
  }
  return home;
}

/** `~/.aws`: session-tool.sh's and the AWS CLI's directory for profiles, roles files and stored sessions. */
export function awsDir(env: Env): string {
  return join(homeDir(env), ".aws");
}

/** `path` with a leading `~/` (or a lone `~`) meaning the home directory, made absolute. */
export function expandHome(path: string, env: Env): string {
  if (path === "~") return homeDir(env);
  if (path.startsWith("~/")) return join(homeDir(env), path.slice(2));
  return resolve(path);
}

const FILE_SAFE_PROFILE = /^[A-Za-z0-9_@+=,.-]{1,128}$/;

/**
 * Whether a profile name can be part of a file name in `~/.aws` (`PROFILE_roles.cfg`, `PROFILE.session.age`):
 * letters, digits and `_ @ + = , . -`, not starting with a dot. Other profiles work, without those files.
 */
export function isFileSafeProfile(profile: string): boolean {
  return FILE_SAFE_PROFILE.test(profile) && !profile.startsWith(".");
}

/** The path of `~/.aws/<profile><suffix>`, or undefined when the profile name is not file-safe. */
export function profileFile(env: Env, profile: string, suffix: string): string | undefined {
  return isFileSafeProfile(profile) ? join(awsDir(env), `${profile}${suffix}`) : undefined;
}
