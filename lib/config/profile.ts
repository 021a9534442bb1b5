/**
 * Which profile a command works with, and what it holds: the long-term key, the region, session-tool.sh's keys.
 *
 * Pure functions over parsed files; reading and writing the files is config/aws_files.ts.
 *
 * @module
 */

import { StcError, usageError } from "../core/errors.ts";
import { BUCKET_KEY, DEFAULT_PROFILE_KEY, IMPORT_PROFILE } from "./keys.ts";
import { checkBucketName } from "./bucket.ts";
import { getProfile, type Profile, type ProfileFiles, type Properties } from "./ini.ts";
import { didYouMean } from "../core/suggest.ts";
import { shownName, validateProfileName } from "../core/profile_name.ts";
import type { Credentials } from "../core/credentials.ts";
import type { Env } from "../core/env.ts";
import { msg } from "../core/message.ts";

/** How the profile was chosen, for messages. */
export type ProfileSource = "option" | "AWS_PROFILE" | "session_tool_default_profile" | "default";

/** The profile a command works with. */
export interface SelectedProfile {
  /** Profile name. */
  name: string;
  /** Where the name came from. */
  source: ProfileSource;
}

/**
 * Chooses the profile: `-p`, else `$AWS_PROFILE`, else `session_tool_default_profile` from `[default]` in the
 * config file, else `default` when that profile exists. Fails with a hint when none applies.
 */
export function selectProfile(
  requested: string | undefined,
  env: Env,
  files: ProfileFiles,
): SelectedProfile {
  if (requested) return { name: checkProfileName(requested, "-p"), source: "option" };
  if (env.AWS_PROFILE) {
    return { name: checkProfileName(env.AWS_PROFILE, "AWS_PROFILE"), source: "AWS_PROFILE" };
  }
  const configured = getProfile(files, "default")?.[DEFAULT_PROFILE_KEY];
  if (configured) {
    const problem = validateProfileName(configured);
    if (problem) {
      throw new StcError(
        msg`invalid ${DEFAULT_PROFILE_KEY} ${shownName(configured)} in [default]: ${problem}`,
        { hint: msg`fix ${DEFAULT_PROFILE_KEY} in the config file, or give a profile with -p` },
      );
    }
    return { name: configured, source: "session_tool_default_profile" };
  }
  if (getProfile(files, "default")) return { name: "default", source: "default" };
  throw usageError(
    "no profile selected",
    `give one with -p PROFILE, or import a key first: stc import FILE.csv (it creates '${IMPORT_PROFILE}')`,
  );
}

/**
 * `name` when it can be a profile name; otherwise a usage error (exit 2) saying where the name came from
 * (`-p`, `AWS_PROFILE`, `the import line`) and what a profile name may hold.
 */
export function checkProfileName(name: string, from: string): string {
  const problem = validateProfileName(name);
  if (problem) {
    throw usageError(
      msg`invalid profile name ${shownName(name)} (from ${from}): ${problem}`,
      "profile names are section names of ~/.aws/config and ~/.aws/credentials",
    );
  }
  return name;
}

/** The properties of a profile that must exist; a clear error naming close matches otherwise. */
export function requireProfile(files: ProfileFiles, name: string): Profile {
  const profile = getProfile(files, name);
  if (profile) return profile;
  throw new StcError(msg`profile '${name}' is not defined in ~/.aws/config or ~/.aws/credentials`, {
    hint: didYouMean(name, Object.keys(files.profiles)) ??
      `import a key into it: stc import -p ${name} FILE.csv`,
  });
}

/** The long-term access key of a profile; fails with a hint when the profile has none. */
export function longTermKey(profile: Profile, name: string): Credentials {
  const accessKeyId = profile.aws_access_key_id;
  const secretAccessKey = profile.aws_secret_access_key;
  if (!accessKeyId || !secretAccessKey) {
    throw new StcError(msg`profile '${name}' has no access key`, {
      hint:
        msg`import one: stc import -p ${name} FILE.csv (or KEYID,SECRET, or - to read it from stdin)`,
    });
  }
  if (profile.aws_session_token) {
    throw new StcError(
      msg`profile '${name}' holds temporary credentials, not a long-term access key`,
      {
        hint: "stc needs the IAM user's own key (AKIA…) in the profile",
      },
    );
  }
  return { accessKeyId, secretAccessKey };
}

/**
 * The S3 bucket holding the organisation roles file of profile `name` (`session-tool_bucketname`), when set.
 *
 * @throws {StcError} a usage error when the value is not an S3 bucket name.
 */
export function rolesBucket(profile: Profile, name: string): string | undefined {
  const bucket = profile[BUCKET_KEY];
  if (!bucket) return undefined;
  return checkBucketName(
    bucket,
    `${BUCKET_KEY} of profile '${name}'`,
    `correct it in ~/.aws/config, or set it again: stc import -p ${name} -b BUCKET`,
  );
}

/** The region for calls made with a profile: environment, the profile's `region`, else us-east-1. */
export function profileRegion(env: Env, profile: Profile | undefined): string {
  return resolveRegion(env, profile?.region);
}

/** The region from `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else `us-east-1`. */
export function resolveRegion(env: Env, profileRegion?: string): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || profileRegion || "us-east-1";
}

/**
 * A profile's settings for AWS calls: its properties and the `[services NAME]` section its `services` key names
 * (per-service endpoint URLs, as the AWS CLI and SDKs read them). The AWS layer reads network and endpoint settings
 * from it, after the environment.
 */
export interface ProfileConfig {
  /** Profile name, for messages. */
  name: string;
  /** Its properties (config and credentials merged). */
  properties: Profile;
  /** The `[services NAME]` section named by `services`, when it exists. */
  services?: { name: string; properties: Properties };
}

/** The {@linkcode ProfileConfig} of profile `name`, or undefined when no file defines it. */
export function profileConfig(files: ProfileFiles, name: string): ProfileConfig | undefined {
  const properties = getProfile(files, name);
  if (!properties) return undefined;
  const servicesName = properties.services;
  const services = servicesName && Object.hasOwn(files.services, servicesName)
    ? { name: servicesName, properties: files.services[servicesName] }
    : undefined;
  return { name, properties, ...(services ? { services } : {}) };
}
