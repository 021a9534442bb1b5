/**
 * The organisation's role list in S3 (session-tool.sh's `session-tool_bucketname` / `session-tool_rolesfile`):
 * downloading it (validated, then replacing the local copy atomically) and uploading it back.
 *
 * @module
 */

import { type AwsTarget, getObject, putObject } from "../aws/client.ts";
import { StcError } from "../core/errors.ts";
import { checkWritable, replaceAwsDirFile } from "../config/aws_files.ts";
import { readOptionalFile } from "../fs/read.ts";
import type { Profile, ProfileFiles } from "../config/ini.ts";
import {
  longTermKey,
  profileConfig,
  profileRegion,
  requireProfile,
  rolesBucket,
} from "../config/profile.ts";
import { formatProblem, parseRolesFile, type RoleProblem } from "./catalog.ts";
import { MAX_ROLES_FILE_BYTES } from "./scan.ts";
import { rolePaths } from "./sources.ts";
import type { Credentials } from "../core/credentials.ts";
import type { Env } from "../core/env.ts";
import { BUCKET_KEY, DEFAULT_ROLES_FILE, ROLES_FILE_KEY } from "../config/keys.ts";
import type { Notices } from "../term/term.ts";
import { msg } from "../core/message.ts";

/** Where a profile's organisation list lives in S3. */
export interface RolesLocation {
  /** Bucket name. */
  bucket: string;
  /** Object key. */
  key: string;
}

/**
 * The S3 location configured in profile `name`, or undefined when it has no `session-tool_bucketname`.
 *
 * @throws {StcError} a usage error when the bucket is not an S3 bucket name.
 */
export function rolesLocation(profile: Profile, name: string): RolesLocation | undefined {
  const bucket = rolesBucket(profile, name);
  if (!bucket) return undefined;
  return { bucket, key: profile[ROLES_FILE_KEY] || DEFAULT_ROLES_FILE };
}

/** The outcome of a download or upload. */
export interface RolesTransfer {
  /** The local organisation file. */
  path: string;
  /** Where in S3. */
  location: RolesLocation;
  /** Number of roles in the list. */
  roles: number;
  /** Lines of the list that were skipped (reported, not fatal). */
  problems: RoleProblem[];
  /** False when the downloaded list was identical to the local one. */
  changed: boolean;
}

/** A role list accepted as the organisation's: its role count and skipped lines. */
export interface ValidatedRoles {
  /** Decoded text. */
  text: string;
  /** Number of valid roles. */
  roles: number;
  /** Lines that would be skipped. */
  problems: RoleProblem[];
}

/**
 * Checks that `bytes` is a usable role list before it may replace a good one: UTF-8 text without NUL bytes,
 * at least one valid role, and more valid roles than bad lines (a stray HTML error page or a binary object
 * is refused). Throws a {@linkcode StcError} saying why.
 */
export function validateRolesList(bytes: Uint8Array, name: string): ValidatedRoles {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new StcError(msg`${name} is not a text file (not UTF-8)`);
  }
  if (text.includes("\0")) throw new StcError(msg`${name} is not a text file (it holds NUL bytes)`);
  if (text.trim() === "") throw new StcError(msg`${name} is empty`);
  const parsed = parseRolesFile(text, name, "organisation");
  if (parsed.roles.length === 0) {
    throw new StcError(msg`${name} holds no valid role lines`, {
      hint: parsed.problems.length > 0 ? formatProblem(parsed.problems[0]) : undefined,
    });
  }
  if (parsed.problems.length > parsed.roles.length) {
    throw new StcError(
      msg`${name} has more bad lines (${parsed.problems.length}) than roles (${parsed.roles.length})`,
      { hint: formatProblem(parsed.problems[0]) },
    );
  }
  return { text, roles: parsed.roles.length, problems: parsed.problems };
}

function locationOf(profile: Profile, name: string): RolesLocation {
  const location = rolesLocation(profile, name);
  if (!location) {
    throw new StcError(
      msg`profile '${name}' has no ${BUCKET_KEY}: stc does not know where the list is`,
      {
        hint:
          msg`set it: ${BUCKET_KEY} = BUCKET (and ${ROLES_FILE_KEY} = KEY when it is not ${DEFAULT_ROLES_FILE}) in profile '${name}' of ~/.aws/config`,
      },
    );
  }
  return location;
}

/** The profile, its S3 location and its local organisation file: what both transfer directions start from. */
function transferPlan(
  env: Env,
  profileName: string,
  files: ProfileFiles,
): { profile: Profile; location: RolesLocation; path: string } {
  const profile = requireProfile(files, profileName);
  const location = locationOf(profile, profileName);
  const path = rolePaths(env, profileName).organisation;
  if (path === "") throw new StcError(msg`profile name '${profileName}' cannot name a roles file`);
  return { profile, location, path };
}

/** What a transfer needs from the command: its environment, and where retries are reported. */
export interface TransferScope {
  /** The command's environment. */
  readonly env: Env;
  /** Where retries are reported. */
  readonly term: Notices;
}

/**
 * Downloads the organisation's role list of `profileName` from S3 with the profile's long-term key, validates
 * it, and only then replaces `~/.aws/<profile>_session-tool_roles.cfg` atomically (under its lock). A broken or
 * empty download leaves the current file exactly as it was.
 */
export async function downloadRoles(
  scope: TransferScope,
  profileName: string,
  files: ProfileFiles,
): Promise<RolesTransfer> {
  const env = scope.env;
  const { profile, location, path } = transferPlan(env, profileName, files);
  const target: AwsTarget = {
    env,
    region: profileRegion(env, profile),
    credentials: longTermKey(profile, profileName),
    notices: scope.term,
    profile: profileConfig(files, profileName),
  };
  // A list that could not be saved is not fetched.
  await checkWritable([path]);
  const bytes = await getObject(target, location.bucket, location.key, MAX_ROLES_FILE_BYTES);
  const valid = validateRolesList(bytes, `s3://${location.bucket}/${location.key}`);
  const changed = await replaceAwsDirFile(path, valid.text);
  return { path, location, roles: valid.roles, problems: valid.problems, changed };
}

/**
 * Uploads the local organisation list of `profileName` to its S3 location with `credentials` (usually an
 * assumed role's, from the shell). The list is validated first: a broken local file is not published.
 */
export async function uploadRoles(
  scope: TransferScope,
  profileName: string,
  files: ProfileFiles,
  credentials: Credentials,
): Promise<RolesTransfer> {
  const env = scope.env;
  const { profile, location, path } = transferPlan(env, profileName, files);
  const bytes = await readOptionalFile(path, { maxBytes: MAX_ROLES_FILE_BYTES });
  if (bytes === undefined) {
    throw new StcError(msg`there is no organisation list to upload: ${path} does not exist`, {
      hint: "download it first with 'stc roles --download', edit it, then upload",
    });
  }
  const valid = validateRolesList(bytes, path);
  if (valid.problems.length > 0) {
    throw new StcError(msg`${formatProblem(valid.problems[0])}`, {
      hint: msg`fix the ${valid.problems.length} bad line(s) of ${path} before publishing it`,
    });
  }
  const target: AwsTarget = {
    env,
    region: profileRegion(env, profile),
    credentials,
    notices: scope.term,
    profile: profileConfig(files, profileName),
  };
  await putObject(target, location.bucket, location.key, bytes);
  return { path, location, roles: valid.roles, problems: [], changed: true };
}
