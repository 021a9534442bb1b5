/**
 * Obtaining a role's credentials: the one core behind `stc assume` and `stc console <alias>`.
 *
 * Two routes, as in session-tool.sh and Coinbase's assume-role:
 * - **base session**: the shell's MFA session (`STC_BASE_SESSION`) assumes the role, so many roles need one MFA
 *   code. AWS caps a role assumed with session credentials at one hour.
 * - **long-term key**: the profile's own access key plus a fresh MFA code call AssumeRole directly (SerialNumber +
 *   TokenCode), which allows up to the role's maximum session duration. Used when more than an hour is asked
 *   for, and when the shell's base session belongs to another profile.
 * - **new base session**: with no base session in the shell, `stc assume` spends the MFA code on a base session
 *   (GetSessionToken, 12 hours) instead, assumes from it, and hands it to the shell: one code, many roles, as
 *   Coinbase's assume-role did.
 *
 * The role session name (what CloudTrail shows) is the IAM user name, as session-tool.sh made it, unless a config
 * profile sets role_session_name; the session_name column of a roles file is not used (the organisation's list is
 * shared by all its users).
 *
 * @module
 */

import {
  assumeRole,
  type AssumeRoleRequest,
  type AwsTarget,
  type CallerIdentity,
  getCallerIdentity,
} from "../aws/client.ts";
import { requestBaseSession } from "../session/new_session.ts";
import { CHAINED_ROLE_MAX_SECONDS } from "../core/duration.ts";
import { resourceName } from "../core/arn.ts";
import { ExitCode, StcError, withHint } from "../core/errors.ts";
import {
  type MfaDevice,
  mfaProcessFor,
  obtainMfaCode,
  rememberMfaDevice,
  resolveMfaDevice,
} from "../session/mfa.ts";
import { longTermKey, profileConfig, profileRegion, requireProfile } from "../config/profile.ts";
import type { Profile } from "../config/ini.ts";
import { accountName, isValidSessionName } from "./catalog.ts";
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
  type CredentialOwner,
  hasSessionVariables,
  readBaseSession,
  type RoleInfo,
  sessionCredentials,
  type SessionRecord,
} from "../session/variables.ts";
import { BASE_SESSION_VARIABLE } from "../session/variable_names.ts";
import type { ShellName } from "../shell/shell_name.ts";
import type { Term } from "../term/term.ts";
import type { Credentials } from "../core/credentials.ts";
import type { Env } from "../core/env.ts";
import { type LoadedProfiles, loadProfiles } from "../config/aws_files.ts";
import { formatDuration, formatLocalTime, secondsLeft } from "../core/time.ts";
import { msg, own } from "../core/message.ts";

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
  /** A base session made for this assume (`startBaseSession`): the shell keeps it for the next ones. */
  newBase?: SessionRecord;
  /** The profile and user behind the credentials. */
  owner: CredentialOwner;
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
    msg`the base session of profile '${base.profile}' expired at ${
      formatLocalTime(new Date(base.expiration))
    }`,
    {
      hint: "get a new one with 'stc session' (or restore a saved one with 'stc session -r'), " +
        "then assume again",
      exitCode: ExitCode.SessionExpired,
    },
  );
}

function noSessionToRenewFrom(profile: string): StcError {
  return new StcError(
    msg`this shell holds no MFA session of profile '${profile}' to renew from`,
    {
      hint: "get one with 'stc session' (one MFA code), then 'stc assume' the role again",
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

/** The IAM user behind credentials: its name is the session name CloudTrail shows. */
interface UserIdentity {
  userArn: string;
  userName: string;
}

async function callerUser(target: AwsTarget): Promise<UserIdentity> {
  const caller: CallerIdentity = await getCallerIdentity(target);
  return { userArn: caller.arn, userName: resourceName(caller.arn) };
}

/**
 * The role aliases `request` could assume (its profile's roles files and the config's role profiles), for a
 * person to choose from: the alias, with the account and role name as detail.
 */
export async function roleChoices(
  env: Env,
  request: RoleRequest,
  loaded?: LoadedProfiles,
): Promise<{ value: string; detail: string }[]> {
  const profiles = loaded ?? await loadProfiles(env);
  const profileName = chooseProfile(request, env, profiles.files, readBaseSession(env));
  const catalog = await loadRoleCatalog(env, profileName, profiles);
  return catalog.roles.map((role) => {
    const account = accountName(catalog, role.accountId);
    return {
      value: role.alias,
      detail: `${role.accountId}${account ? ` (${account})` : ""} ${role.roleName}`,
    };
  });
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
  /** The IAM user behind them, when known. */
  user?: UserIdentity;
  /** The MFA device used, when any. */
  serial?: string;
  /** The MFA device and code of the first call (long-term key route). */
  mfa?: { serialNumber: string; tokenCode: string };
  /** The base session made for this assume (new-base-session route). */
  newBase?: SessionRecord;
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
    return {
      credentials: sessionCredentials(base),
      user: { userArn: base.userArn, userName: base.userName },
      ...(base.serial ? { serial: base.serial } : {}),
    };
  }
  const sourceProfile = input.sourceProfile;
  const credentials = longTermKey(sourceProfile, plan.sourceProfile);
  explainLongRoute(context, plan, input.duration, input.shellBase, route === "new-base-session");
  const first = plan.steps[0];
  const discoveredDevice = first.mfaSerial ? undefined : await resolveMfaDevice(
    context.term,
    sourceProfile,
    plan.sourceProfile,
    input.target(credentials),
  );
  const serialNumber = first.mfaSerial ?? discoveredDevice!.serial;
  // The user is shown in the prompt and status, and names the role session.
  const user = base
    ? { userArn: base.userArn, userName: base.userName }
    : await callerUser(input.target(credentials));
  const tokenCode = await obtainMfaCode(
    context.term,
    input.request.mfaCode,
    serialNumber,
    mfaProcessFor(context.env, sourceProfile),
  );
  const device = discoveredDevice ? { discoveredDevice } : {};
  if (route === "new-base-session") {
    const newBase = await requestBaseSession(input.target(credentials), {
      profile: plan.sourceProfile,
      userArn: user.userArn,
      serial: serialNumber,
      code: tokenCode,
      now: context.now(),
    });
    return {
      credentials: sessionCredentials(newBase),
      user,
      serial: serialNumber,
      newBase,
      ...device,
    };
  }
  return {
    credentials,
    user,
    serial: serialNumber,
    mfa: { serialNumber, tokenCode },
    ...device,
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
  const shellBase = readBaseSession(env, context.term);
  const profile = chooseProfile(request, env, files, shellBase);
  const catalog = await loadRoleCatalog(env, profile, profiles);
  reportProblems(context.term, catalog.problems, 3);
  const plan = resolvePlan(request, { env, catalog, files, profile, base: shellBase });
  const asked = requestedDuration(request, plan, env);
  // A renewal cannot ask for a code, so it keeps to what a role assumed from the session may last.
  const duration = request.renew && asked !== undefined
    ? Math.min(asked, CHAINED_ROLE_MAX_SECONDS)
    : asked;
  const base = shellBase?.profile === plan.sourceProfile ? shellBase : undefined;
  const route = chooseRoute(plan, base, duration, {
    ...(request.startBaseSession ? { startBaseSession: true } : {}),
    ...(shellBase ? { shellBase } : {}),
  });
  if (request.renew && route !== "base-session" && route !== "profile-credentials") {
    throw noSessionToRenewFrom(plan.sourceProfile);
  }
  const sourceProfile = requireProfile(files, plan.sourceProfile);
  const region = request.region ?? profileRegion(env, sourceProfile);
  const settings = profileConfig(files, plan.sourceProfile);
  const target = (credentials: Credentials): AwsTarget => ({
    env,
    region,
    credentials,
    notices: context.term,
    ...(request.renew ? { maxAttempts: 1 } : {}),
    ...(settings ? { profile: settings } : {}),
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
  // Only an IAM user is a user: credentials of a role profile's chain belong to an assumed role.
  const user = start.user ??
    (route !== "profile-credentials" && plan.steps.some((s) => !s.sessionName)
      ? await callerUser(target(start.credentials))
      : undefined);
  let current = { credentials: start.credentials, assumedRoleArn: "" };
  for (const [index, step] of plan.steps.entries()) {
    const last = index === plan.steps.length - 1;
    current = await callAssume(target(current.credentials), step, {
      roleArn: step.roleArn,
      roleSessionName: sessionNameFor(step, user?.userName),
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
    ...(start.newBase ? { newBase: start.newBase } : {}),
    owner: {
      profile: plan.sourceProfile,
      ...(user && route !== "profile-credentials"
        ? { userArn: user.userArn, userName: user.userName }
        : {}),
      ...(start.serial ? { serial: start.serial } : {}),
    },
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
  newSession: boolean,
): void {
  const how = newSession
    ? `getting an MFA session for profile '${plan.sourceProfile}' (12 hours) with a new MFA code, ` +
      `then assuming ${plan.role.alias} from it`
    : `assuming ${plan.role.alias} with the access key of profile '${plan.sourceProfile}'` +
      " and a new MFA code";
  if (wantsLongSession(duration)) {
    context.term.info(
      msg`${how}: ${
        formatDuration(duration ?? 0)
      } is longer than the 1 hour AWS allows for roles assumed with session credentials`,
    );
  } else if (!shellBase && !context.viaShellFunction && hasSessionVariables(context.env)) {
    const init = context.shell === "fish"
      ? "stc init fish | source"
      : context.shell === "sh"
      ? "see stc help init"
      : context.shell === "nu"
      ? "stc init nu --install"
      : `eval "$(stc init ${context.shell})"`;
    context.term.info(
      msg`${how}: this shell's base session was not handed to stc: the shell keeps it unexported (${
        own(BASE_SESSION_VARIABLE)
      }) and only stc's shell functions pass it on. Load them (${init}), or hand it to this one command: ${
        own(`${BASE_SESSION_VARIABLE}="$${BASE_SESSION_VARIABLE}"`)
      } stc …`,
    );
  } else if (!shellBase && newSession) {
    context.term.info(
      msg`this shell has no MFA session: getting one for profile '${plan.sourceProfile}' (12 hours) with a new MFA code, then assuming ${plan.role.alias} from it; later assumes need no code`,
    );
  } else if (!shellBase) {
    context.term.info(
      msg`${how}: this shell has no base session (run 'stc session' once to assume many roles with one code)`,
    );
  } else {
    context.term.info(
      msg`${how}: the shell's base session belongs to profile '${shellBase.profile}'`,
    );
  }
}

/** What a role request names, found without assuming it: the role, its source profile and region. */
export interface DescribedRole {
  /** The role. */
  role: RoleInfo;
  /** The profile whose session or key assumes it. */
  profile: string;
  /** That profile's region. */
  region: string | undefined;
}

/** Resolves `request` as {@linkcode obtainRoleCredentials} would (an unknown alias fails the same way). */
export async function describeRole(env: Env, request: RoleRequest): Promise<DescribedRole> {
  const profiles = await loadProfiles(env);
  const shellBase = readBaseSession(env);
  const profile = chooseProfile(request, env, profiles.files, shellBase);
  const catalog = await loadRoleCatalog(env, profile, profiles);
  const plan = resolvePlan(request, {
    env,
    catalog,
    files: profiles.files,
    profile,
    base: shellBase,
  });
  return {
    role: plan.role,
    profile: plan.sourceProfile,
    region: request.region ??
      profileRegion(env, requireProfile(profiles.files, plan.sourceProfile)),
  };
}
