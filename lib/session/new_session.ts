/**
 * A new base MFA session for a profile (GetSessionToken with its long-term key and an MFA code), for the commands
 * that need one and find none in the shell or the agent (`stc exec`, `stc credential-process`).
 *
 * @module
 */

import { type AwsTarget, getCallerIdentity, getSessionToken } from "../aws/client.ts";
import { loadProfiles } from "../config/aws_files.ts";
import {
  longTermKey,
  profileConfig,
  profileRegion,
  requireProfile,
  type SelectedProfile,
  selectProfile,
} from "../config/profile.ts";
import type { Profile, ProfileFiles } from "../config/ini.ts";
import { resourceName } from "../core/arn.ts";
import { DEFAULT_SESSION_SECONDS } from "../core/duration.ts";
import type { Env } from "../core/env.ts";
import type { Term } from "../term/term.ts";
import { mfaProcessFor, obtainMfaCode, rememberMfaDevice, resolveMfaDevice } from "./mfa.ts";
import { checkSessionRecord, type SessionRecord } from "./variables.ts";

/** What making a session needs. */
export interface NewSessionContext {
  /** The command's environment. */
  readonly env: Env;
  /** Where the MFA code is asked for. */
  readonly term: Term;
  /** The current time. */
  now(): Date;
}

/** The profile chosen for a new session, and AWS calls signed with its long-term key. */
export interface LongTermTarget {
  /** The AWS files. */
  files: ProfileFiles;
  /** The chosen profile and why. */
  selected: SelectedProfile;
  /** Its settings. */
  profile: Profile;
  /** Calls signed with its long-term key, in its region, with its endpoint settings. */
  target: AwsTarget;
}

/** The profile `requested` (else the usual choice) and a target signed with its long-term key. */
export async function longTermTarget(
  context: NewSessionContext,
  requested: string | undefined,
): Promise<LongTermTarget> {
  const { files } = await loadProfiles(context.env);
  const selected = selectProfile(requested, context.env, files);
  const profile = requireProfile(files, selected.name);
  return {
    files,
    selected,
    profile,
    target: {
      env: context.env,
      region: profileRegion(context.env, profile),
      credentials: longTermKey(profile, selected.name),
      notices: context.term,
      profile: profileConfig(files, selected.name),
    },
  };
}

/** Gets a base session of `requested` (else the default profile), asking for an MFA code. */
export async function newBaseSession(
  context: NewSessionContext,
  requested: string | undefined,
  durationSeconds: number = DEFAULT_SESSION_SECONDS,
): Promise<SessionRecord> {
  const { selected, profile, target } = await longTermTarget(context, requested);
  const identity = await getCallerIdentity(target);
  const device = await resolveMfaDevice(context.term, profile, selected.name, target);
  const code = await obtainMfaCode(
    context.term,
    undefined,
    device.serial,
    mfaProcessFor(context.env, profile),
  );
  const session = await requestBaseSession(target, {
    profile: selected.name,
    userArn: identity.arn,
    serial: device.serial,
    code,
    now: context.now(),
    durationSeconds,
  });
  if (device.discovered) await rememberMfaDevice(context.term, device, selected.name, context.env);
  return session;
}

/** What GetSessionToken needs besides the long-term key, and what the session record keeps. */
export interface BaseSessionRequest {
  /** The profile whose long-term key signs the call. */
  profile: string;
  /** ARN of the IAM user behind the key. */
  userArn: string;
  /** The MFA device. */
  serial: string;
  /** The MFA code. */
  code: string;
  /** The current time (for a server that sends no expiry). */
  now: Date;
  /** Session length; 12 hours unless given. */
  durationSeconds?: number;
}

/**
 * Calls GetSessionToken with the long-term key of `target` and an MFA code: the one way stc makes a base session
 * outside `stc session` (`stc assume` without one, `stc exec`, `stc credential-process`).
 */
export async function requestBaseSession(
  target: AwsTarget,
  request: BaseSessionRequest,
): Promise<SessionRecord> {
  const durationSeconds = request.durationSeconds ?? DEFAULT_SESSION_SECONDS;
  const credentials = await getSessionToken(target, {
    durationSeconds,
    serialNumber: request.serial,
    tokenCode: request.code,
  });
  // Checked before it is kept or handed on: a hostile answer fails here, before any write.
  return checkSessionRecord({
    profile: request.profile,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken ?? "",
    expiration: (credentials.expiration ?? new Date(request.now.getTime() + durationSeconds * 1000))
      .toISOString(),
    userArn: request.userArn,
    userName: resourceName(request.userArn),
    serial: request.serial,
    region: target.region,
  });
}
