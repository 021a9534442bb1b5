/**
 * Obtaining a role's credentials: the one core behind `stc assume` and `stc console <alias>`.
 *
 * Two routes, as in session-tool.sh and Coinbase's assume-role:
 * - **base session**: the shell's MFA session (`STC_BASE_SESSION`) assumes the role, so many roles need one MFA
 *   code. AWS caps a role assumed with session credentials at one hour.
 * - **long-term key**: the profile's own access key plus a fresh MFA code call AssumeRole directly (SerialNumber +
 *   TokenCode), which allows up to the role's maximum session duration. Used when more than an hour is asked
 *   for, and when the shell has no base session for the profile (one code, no prompt-less failure).
 *
 * @module
 */

import {
  assumeRole,
  type AssumeRoleRequest,
  type AwsTarget,
  getCallerIdentity,
} from "../aws/client.ts";
import { resourceName } from "../core/arn.ts";
import { ExitCode, StcError, withHint } from "../core/errors.ts";
import {
  type MfaDevice,
  obtainMfaCode,
  rememberMfaDevice,
  resolveMfaDevice,
} from "../session/mfa.ts";
import { longTermKey, profileRegion, requireProfile } from "../config/profile.ts";
import type { Profile } from "../config/ini.ts";
import { isValidSessionName } from "./catalog.ts";
import { loadRoleCatalog, reportProblems } from "./load.ts";
import {
  chooseProfile,
  chooseRoute,
  isChained,
  type Plan,
  requestedDuration,
  resolvePlan,
  type RoleRequest,
  type RoleRoute,
  type Step,
  wantsLongSession,
} from "./plan.ts";
import {
  BASE_SESSION_VARIABLE,
  hasSessionVariables,
  readBaseSession,
  type RoleInfo,
  sessionCredentials,
  type SessionRecord,
} from "../session/variables.ts";
import type { ShellName } from "../shell/emitter.ts";
import type { Term } from "../term/term.ts";
import type { Credentials } from "../core/credentials.ts";
import type { Env } from "../core/env.ts";
import { type LoadedProfiles, loadProfiles } from "../config/aws_files.ts";
import { formatDuration, formatLocalTime, secondsLeft } from "../core/time.ts";

export type { RoleRequest, RoleRoute } from "./plan.ts";

/** What assuming a role needs from the command. */
export interface AssumeContext {
  /** The command's environment. */
  readonly env: Env;
  /** The current time. */
  now(): Date;
  /** Where progress is reported and MFA codes are asked for. */
  readonly term: Term;
  /** True when run by the shell function from `stc init`, which hands the base session over. */
  readonly viaShellFunction: boolean;
  /** The shell syntax stc writes, for the hints. */
  readonly shell: ShellName;
}

/** A role's credentials and what they are for. */
export interface RoleCredentials {
  /** The role's temporary credentials. */
  credentials: Credentials;
  /** The role, for the shell variables. */
  role: RoleInfo;
  /** The shell's base session when it belongs to the profile used (kept, and its user shown). */
  base?: SessionRecord;
  /** Which route was taken. */
  route: RoleRoute;
  /**
   * Whether the role was assumed with temporary credentials (role chaining): AWS then caps it at one hour and the
   * console refuses a `SessionDuration` for it. False only for one AssumeRole with the long-term key.
   */
  chained: boolean;
  /** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`. */
  assumedRoleArn: string;
  /** The profile whose key or session was used. */
  profile: string;
}

function expiredBase(base: SessionRecord): StcError {
  return new StcError(
    `the base session of profile '${base.profile}' expired at ${
      formatLocalTime(new Date(base.expiration))
    }`,
    {
      hint: "get a new one with 'stc session' (or restore a saved one with 'stc session -r'), " +
        "then assume again",
      exitCode: ExitCode.SessionExpired,
    },
  );
}

/** Adds a hint to the errors AssumeRole commonly returns. */
function explainAssumeError(error: unknown, step: Step, duration: number | undefined): never {
  const message = error instanceof Error ? error.message : "";
  if (/AccessDenied/.test(message)) {
    throw withHint(
      error,
      `your user may not assume ${step.roleArn}` +
        (step.externalId ? " with this external id" : "") +
        "; check the alias, or ask the role's owner to trust your user",
    );
  }
  if (/MaxSessionDuration/.test(message)) {
    throw withHint(
      error,
      `the role allows less than ${formatDuration(duration ?? 0)}; ask for less with --duration`,
    );
  }
  if (/1 hour session limit/.test(message)) {
    throw withHint(error, "roles assumed with session credentials last at most 1 hour");
  }
  throw error;
}

async function callAssume(
  target: AwsTarget,
  step: Step,
  request: AssumeRoleRequest,
): Promise<{ credentials: Credentials; assumedRoleArn: string }> {
  try {
    return await assumeRole(target, request);
  } catch (error) {
    explainAssumeError(error, step, request.durationSeconds);
  }
}

/** The IAM user name behind a long-term key: the session name CloudTrail shows. */
async function userNameOf(target: AwsTarget): Promise<string> {
  return resourceName((await getCallerIdentity(target)).arn);
}

function sessionNameFor(step: Step, userName: string | undefined): string {
  if (step.sessionName) return step.sessionName;
  // IAM user names allow only characters that session names allow too; only the length differs.
  const name = (userName ?? "").slice(0, 64);
  return isValidSessionName(name) ? name : "stc-session";
}

/** Where a chain starts: the credentials of its first AssumeRole call, and what that call adds. */
interface ChainStart {
  /** The credentials that call the first AssumeRole. */
  credentials: Credentials;
  /** The IAM user behind them, when known without a call (the base session's). */
  userName?: string;
  /** The MFA device and code of the first call (long-term key route). */
  mfa?: { serialNumber: string; tokenCode: string };
  /** An MFA device found through ListMFADevices, to save once the assume worked. */
  discoveredDevice?: MfaDevice;
}

/** What starting a chain needs besides the plan. */
interface StartInput {
  readonly route: RoleRoute;
  readonly plan: Plan;
  /** The properties of the plan's source profile. */
  readonly sourceProfile: Profile;
  /** The shell's base session when it belongs to the plan's source profile. */
  readonly base: SessionRecord | undefined;
  /** The shell's base session, whatever its profile (for the explanation). */
  readonly shellBase: SessionRecord | undefined;
  readonly duration: number | undefined;
  readonly request: RoleRequest;
  readonly target: (credentials: Credentials) => AwsTarget;
}

async function startChain(context: AssumeContext, input: StartInput): Promise<ChainStart> {
  const { route, plan, base } = input;
  if (route === "profile-credentials" && plan.profileCredentials) {
    return { credentials: plan.profileCredentials };
  }
  if (route === "base-session" && base) {
    if (secondsLeft(base.expiration, context.now()) <= 0) throw expiredBase(base);
    return { credentials: sessionCredentials(base), userName: base.userName };
  }
  const sourceProfile = input.sourceProfile;
  const credentials = longTermKey(sourceProfile, plan.sourceProfile);
  explainLongRoute(context, plan, input.duration, input.shellBase);
  const first = plan.steps[0];
  const discoveredDevice = first.mfaSerial ? undefined : await resolveMfaDevice(
    context.term,
    sourceProfile,
    plan.sourceProfile,
    input.target(credentials),
  );
  const serialNumber = first.mfaSerial ?? discoveredDevice!.serial;
  const userName = first.sessionName
    ? undefined
    : base?.userName ?? await userNameOf(input.target(credentials));
  const tokenCode = await obtainMfaCode(context.term, input.request.mfaCode, serialNumber);
  return {
    credentials,
    ...(userName !== undefined ? { userName } : {}),
    mfa: { serialNumber, tokenCode },
    ...(discoveredDevice ? { discoveredDevice } : {}),
  };
}

/**
 * Obtains the credentials of a role: resolves the alias (roles files, accounts file, config profiles), then
 * assumes it from the shell's base session, or with the profile's long-term key and an MFA code (asked for
 * when not given) when more than an hour is requested or there is no base session. The only file it writes is
 * the config, to save an MFA device found through ListMFADevices (after the assume worked); the caller decides
 * what to do with the credentials. Callers that print credentials call `guardSecretOutput` first.
 */
export async function obtainRoleCredentials(
  context: AssumeContext,
  request: RoleRequest,
  loaded?: LoadedProfiles,
): Promise<RoleCredentials> {
  const env = context.env;
  const profiles = loaded ?? await loadProfiles(env);
  const files = profiles.files;
  const shellBase = readBaseSession(env);
  const profile = chooseProfile(request, env, files, shellBase);
  const catalog = await loadRoleCatalog(env, profile, profiles);
  reportProblems(context.term, catalog.problems, 3);
  const plan = resolvePlan(request, { env, catalog, files, profile, base: shellBase });
  const duration = requestedDuration(request, plan, env);
  const base = shellBase?.profile === plan.sourceProfile ? shellBase : undefined;
  const route = chooseRoute(plan, base, duration);
  const sourceProfile = requireProfile(files, plan.sourceProfile);
  const region = profileRegion(env, sourceProfile);
  const target = (credentials: Credentials): AwsTarget => ({
    env,
    region,
    credentials,
    notices: context.term,
  });
  const start = await startChain(context, {
    route,
    plan,
    sourceProfile,
    base,
    shellBase,
    duration,
    request,
    target,
  });
  const userName = start.userName ??
    (route !== "long-term-key" && plan.steps.some((s) => !s.sessionName)
      ? await userNameOf(target(start.credentials))
      : undefined);
  let current = { credentials: start.credentials, assumedRoleArn: "" };
  for (const [index, step] of plan.steps.entries()) {
    const last = index === plan.steps.length - 1;
    current = await callAssume(target(current.credentials), step, {
      roleArn: step.roleArn,
      roleSessionName: sessionNameFor(step, userName),
      ...(step.externalId ? { externalId: step.externalId } : {}),
      ...(last && duration !== undefined ? { durationSeconds: duration } : {}),
      ...(index === 0 ? start.mfa : {}),
    });
  }
  if (start.discoveredDevice) {
    await rememberMfaDevice(context.term, start.discoveredDevice, plan.sourceProfile, env);
  }
  return {
    credentials: current.credentials,
    role: plan.role,
    ...(base ? { base } : {}),
    route,
    chained: isChained(route, plan),
    assumedRoleArn: current.assumedRoleArn,
    profile: plan.sourceProfile,
  };
}

function explainLongRoute(
  context: AssumeContext,
  plan: Plan,
  duration: number | undefined,
  shellBase: SessionRecord | undefined,
): void {
  const how = `assuming ${plan.role.alias} with the access key of profile '${plan.sourceProfile}'` +
    " and a new MFA code";
  if (wantsLongSession(duration)) {
    context.term.info(
      `${how}: ${formatDuration(duration ?? 0)} is longer than the 1 hour AWS allows for roles ` +
        "assumed with session credentials",
    );
  } else if (!shellBase && !context.viaShellFunction && hasSessionVariables(context.env)) {
    const init = context.shell === "fish"
      ? "stc init fish | source"
      : context.shell === "sh"
      ? "see stc help init"
      : `eval "$(stc init ${context.shell})"`;
    context.term.info(
      `${how}: this shell's base session was not handed to stc: the shell keeps it unexported ` +
        `(${BASE_SESSION_VARIABLE}) and only stc's shell functions pass it on. Load them (${init}), ` +
        `or hand it to this one command: ${BASE_SESSION_VARIABLE}="$${BASE_SESSION_VARIABLE}" stc …`,
    );
  } else if (!shellBase) {
    context.term.info(
      `${how}: this shell has no base session (run 'stc session' once to assume many roles with one code)`,
    );
  } else {
    context.term.info(`${how}: the shell's base session belongs to profile '${shellBase.profile}'`);
  }
}
