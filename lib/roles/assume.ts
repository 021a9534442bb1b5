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
  getSessionToken,
} from "../aws/client.ts";
import {
  CHAINED_ROLE_MAX_SECONDS,
  DEFAULT_SESSION_SECONDS,
  parseDuration,
  ROLE_LIMITS,
} from "../core/duration.ts";
import { resourceName } from "../core/arn.ts";
import { ExitCode, StcError, usageError } from "../core/errors.ts";
import type { ProfileFiles } from "../config/ini.ts";
import {
  type MfaDevice,
  obtainMfaCode,
  rememberMfaDevice,
  resolveMfaDevice,
} from "../session/mfa.ts";
import { longTermKey, profileRegion, requireProfile, selectProfile } from "../config/profile.ts";
import { type ChainBase, ProfileChainError, resolveProfileChain } from "../config/profile_chain.ts";
import {
  accountName,
  accountRoleArn,
  assumableNames,
  findRole,
  isAccountId,
  isValidRoleName,
  isValidSessionName,
  resolveAccount,
  type RoleCatalog,
  type RoleEntry,
  roleInfo,
} from "./catalog.ts";
import { loadRoleCatalog, reportProblems } from "./load.ts";
import {
  type CredentialOwner,
  readBaseSession,
  type RoleInfo,
  sessionCredentials,
  type SessionRecord,
} from "../session/variables.ts";
import { didYouMean } from "../core/suggest.ts";
import type { Term } from "../term/term.ts";
import type { Credentials } from "../core/credentials.ts";
import type { Env } from "../core/env.ts";
import { printable } from "../core/text.ts";
import { type LoadedProfiles, loadProfiles } from "../config/aws_files.ts";
import { formatDuration, formatLocalTime, secondsLeft } from "../core/time.ts";

/** What assuming a role needs from the command. */
export interface AssumeContext {
  /** The command's environment. */
  readonly env: Env;
  /** The current time. */
  now(): Date;
  /** Where progress is reported and MFA codes are asked for. */
  readonly term: Term;
}

/** What to assume. */
export interface RoleRequest {
  /**
   * A role alias; with `roleName`, an account name (accounts file) or 12-digit account id. Absent: the alias
   * in `AWS_ROLE_ALIAS` (re-assume the current role).
   */
  role?: string;
  /** Role name in the account (Coinbase assume-role's `<account> <role>` form). */
  roleName?: string;
  /** Session length; more than an hour takes the long-term-key route. */
  durationSeconds?: number;
  /** An MFA code given on the command line (used only when the long-term-key route needs one). */
  mfaCode?: string;
  /** The profile (`-p`); else `AWS_PROFILE_ASSUME_ROLE`, the base session's profile, then the usual choice. */
  profile?: string;
  /** The region of the AWS calls (else the profile's); `stc assume` also exports it. */
  region?: string;
  /**
   * When an MFA code is needed because the shell has no base session, get a base session (GetSessionToken,
   * 12 hours) with it and assume from that, returned as `newBase` for the shell to keep: one code, many roles.
   * Only for callers that hand the base session to the shell (`stc assume`).
   */
  startBaseSession?: boolean;
}

/** How the credentials were obtained. */
export type RoleRoute =
  | "base-session"
  | "new-base-session"
  | "long-term-key"
  | "profile-credentials";

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

/** One AssumeRole call of a chain. */
interface Step {
  roleArn: string;
  externalId?: string;
  sessionName?: string;
  /** MFA device named by the profile of this step (config profiles). */
  mfaSerial?: string;
}

/** What a request resolved to. */
interface Plan {
  role: RoleInfo;
  steps: Step[];
  /** The profile whose long-term key (or base session) starts the chain. */
  sourceProfile: string;
  /** Credentials stored in the profile itself (a config chain ending in temporary keys). */
  profileCredentials?: Credentials;
  /** `duration_seconds` of a config profile. */
  durationSeconds?: number;
}

function chooseProfile(request: RoleRequest, env: Env, files: ProfileFiles, base?: SessionRecord) {
  const requested = request.profile || env.AWS_PROFILE_ASSUME_ROLE || base?.profile;
  return selectProfile(requested, env, files).name;
}

function unknownAlias(name: string, catalog: RoleCatalog): StcError {
  const names = assumableNames(catalog);
  return new StcError(`unknown role alias '${printable(name.slice(0, 80))}'`, {
    hint: didYouMean(name, names) ??
      (names.length === 0
        ? "no roles are defined: get the organisation's list with 'stc roles --download', or add " +
          "'alias role_arn' lines to the roles file"
        : "list the aliases with 'stc roles'"),
  });
}

function accountPlan(
  catalog: RoleCatalog,
  account: string,
  roleName: string,
  profile: string,
): Plan {
  const resolved = resolveAccount(catalog, account);
  if (!resolved) {
    throw new StcError(`unknown account '${printable(account.slice(0, 80))}'`, {
      hint: didYouMean(account, catalog.accounts.map((a) => a.name)) ??
        "give a 12-digit account id, or a name from ~/.aws/accounts",
    });
  }
  if (!isValidRoleName(roleName)) {
    throw usageError(`'${printable(roleName.slice(0, 80))}' is not a valid role name`);
  }
  const roleArn = accountRoleArn(resolved.accountId, roleName);
  return {
    role: {
      alias: `${account}/${roleName}`,
      roleArn,
      accountId: resolved.accountId,
      accountName: resolved.accountName ?? account,
      roleName,
    },
    // As Coinbase's assume-role does: the account id is the external id on this route.
    steps: [{ roleArn, externalId: resolved.accountId }],
    sourceProfile: profile,
  };
}

function chainBaseCredentials(base: ChainBase): Credentials | undefined {
  if (base.type !== "AccessKey") {
    throw new StcError(
      `profile '${base.profile}' gets its credentials from ${base.type}, which stc does not use`,
      { hint: "give the role profile a source_profile with an access key (stc import)" },
    );
  }
  return base.sessionToken
    ? {
      accessKeyId: base.accessKeyId,
      secretAccessKey: base.secretAccessKey,
      sessionToken: base.sessionToken,
    }
    : undefined;
}

function configPlan(entry: RoleEntry, catalog: RoleCatalog, files: ProfileFiles): Plan {
  let chain;
  try {
    chain = resolveProfileChain(files, entry.alias);
  } catch (error) {
    if (error instanceof ProfileChainError) {
      throw new StcError(`profile '${entry.alias}' cannot be used: ${error.message}`, {
        hint: "a role profile needs source_profile naming a profile with an access key",
        cause: error,
      });
    }
    throw error;
  }
  const profileCredentials = chainBaseCredentials(chain.base);
  return {
    role: roleInfo(entry, catalog),
    steps: chain.roles.map((r) => ({
      roleArn: r.roleArn,
      ...(r.externalId ? { externalId: r.externalId } : {}),
      ...(r.roleSessionName ? { sessionName: r.roleSessionName } : {}),
      ...(r.mfaSerial ? { mfaSerial: r.mfaSerial } : {}),
    })),
    sourceProfile: chain.base.profile,
    ...(profileCredentials ? { profileCredentials } : {}),
    ...(entry.durationSeconds ? { durationSeconds: entry.durationSeconds } : {}),
  };
}

function resolvePlan(
  request: RoleRequest,
  env: Env,
  catalog: RoleCatalog,
  files: ProfileFiles,
  profile: string,
): Plan {
  const name = request.role || env.AWS_ROLE_ALIAS;
  if (!name) {
    throw usageError(
      "no role given, and this shell has not assumed one yet",
      "give an alias (see 'stc roles'), or an account and a role name",
    );
  }
  if (request.roleName !== undefined) return accountPlan(catalog, name, request.roleName, profile);
  const entry = findRole(catalog, name);
  if (entry?.source === "config") return configPlan(entry, catalog, files);
  if (entry) {
    return {
      role: roleInfo(entry, catalog),
      // The roles file's session_name column is not used: the organisation's list is shared by all its users,
      // so CloudTrail would show one name for everyone. The session name is the IAM user's, as session-tool.sh
      // made it; a profile's role_session_name (a setting of one user) still wins.
      steps: [{
        roleArn: entry.roleArn,
        ...(entry.externalId ? { externalId: entry.externalId } : {}),
      }],
      sourceProfile: profile,
    };
  }
  // `account/Role` is how AWS_ROLE_ALIAS records the account form, for re-assuming.
  const slash = name.indexOf("/");
  if (slash > 0 && resolveAccount(catalog, name.slice(0, slash))) {
    return accountPlan(catalog, name.slice(0, slash), name.slice(slash + 1), profile);
  }
  if (resolveAccount(catalog, name) || isAccountId(name)) {
    throw usageError(
      `'${name}' is an account, not a role alias: give the role name too`,
      `stc assume ${name} ROLE-NAME`,
    );
  }
  // A profile named with -p that is defined nowhere is the mistake, not the alias.
  if (request.profile) requireProfile(files, request.profile);
  throw unknownAlias(name, catalog);
}

function requestedDuration(request: RoleRequest, plan: Plan, env: Env): number | undefined {
  if (request.durationSeconds !== undefined) return request.durationSeconds;
  if (plan.durationSeconds !== undefined) return plan.durationSeconds;
  const timeout = env.AWS_ROLE_SESSION_TIMEOUT;
  return timeout ? parseDuration(timeout, "AWS_ROLE_SESSION_TIMEOUT", ROLE_LIMITS) : undefined;
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
  if (error instanceof StcError && error.hint === undefined) {
    const message = error.message;
    let hint: string | undefined;
    if (/AccessDenied/.test(message)) {
      hint = `your user may not assume ${step.roleArn}` +
        (step.externalId ? " with this external id" : "") +
        "; check the alias, or ask the role's owner to trust your user";
    } else if (/MaxSessionDuration/.test(message)) {
      hint = `the role allows less than ${
        formatDuration(duration ?? 0)
      }; ask for less with --duration`;
    } else if (/1 hour session limit/.test(message)) {
      hint = "roles assumed with session credentials last at most 1 hour";
    }
    if (hint) throw new StcError(message, { hint, exitCode: error.exitCode, cause: error });
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

function sessionNameFor(step: Step, userName: string | undefined): string {
  if (step.sessionName) return step.sessionName;
  // IAM user names allow only characters that session names allow too; only the length differs.
  const name = (userName ?? "").slice(0, 64);
  return isValidSessionName(name) ? name : "stc-session";
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
  const profileName = chooseProfile(request, env, files, shellBase);
  const catalog = await loadRoleCatalog(env, profileName, profiles);
  reportProblems(context.term, catalog.problems, 3);
  const plan = resolvePlan(request, env, catalog, files, profileName);
  const duration = requestedDuration(request, plan, env);
  const base = shellBase?.profile === plan.sourceProfile ? shellBase : undefined;
  const wantsLong = duration !== undefined && duration > CHAINED_ROLE_MAX_SECONDS;
  if (wantsLong && plan.steps.length > 1) {
    throw new StcError(
      `'${plan.role.alias}' is reached through ${plan.steps.length} roles; AWS caps chained roles at 1 hour`,
      { hint: "ask for at most 1 hour (--duration 1h)" },
    );
  }
  const sourceProfile = requireProfile(files, plan.sourceProfile);
  const region = request.region ?? profileRegion(env, sourceProfile);
  const target = (credentials: Credentials): AwsTarget => ({
    env,
    region,
    credentials,
    notices: context.term,
  });

  let route: RoleRoute;
  let current: Credentials;
  let identity: { userArn: string; userName: string } | undefined;
  let serial: string | undefined;
  let newBase: SessionRecord | undefined;
  let firstExtra: Partial<AssumeRoleRequest> = {};
  let discoveredDevice: MfaDevice | undefined;
  if (plan.profileCredentials) {
    route = "profile-credentials";
    current = plan.profileCredentials;
  } else if (base && !wantsLong) {
    if (secondsLeft(base.expiration, context.now()) <= 0) throw expiredBase(base);
    route = "base-session";
    current = sessionCredentials(base);
    identity = base;
    serial = base.serial;
  } else {
    const newSession = request.startBaseSession === true && !wantsLong && shellBase === undefined;
    route = newSession ? "new-base-session" : "long-term-key";
    current = longTermKey(sourceProfile, plan.sourceProfile);
    explainLongRoute(context.term, plan, duration, shellBase, wantsLong, newSession);
    if (!plan.steps[0].mfaSerial) {
      discoveredDevice = await resolveMfaDevice(
        context.term,
        sourceProfile,
        plan.sourceProfile,
        target(current),
      );
    }
    serial = plan.steps[0].mfaSerial ?? discoveredDevice!.serial;
    identity = userOf(await getCallerIdentity(target(current)));
    const code = await obtainMfaCode(context.term, request.mfaCode, serial);
    if (newSession) {
      newBase = await startBaseSession(target(current), plan.sourceProfile, identity, {
        serial,
        code,
        region,
        now: context.now(),
      });
      current = sessionCredentials(newBase);
    } else {
      firstExtra = { serialNumber: serial, tokenCode: code };
    }
  }
  if (identity === undefined && plan.steps.some((s) => !s.sessionName)) {
    identity = userOf(await getCallerIdentity(target(current)));
  }

  let assumedRoleArn = "";
  for (const [index, step] of plan.steps.entries()) {
    const last = index === plan.steps.length - 1;
    const result = await callAssume(target(current), step, {
      roleArn: step.roleArn,
      roleSessionName: sessionNameFor(step, identity?.userName),
      ...(step.externalId ? { externalId: step.externalId } : {}),
      ...(last && duration !== undefined ? { durationSeconds: duration } : {}),
      ...(index === 0 ? firstExtra : {}),
    });
    current = result.credentials;
    assumedRoleArn = result.assumedRoleArn;
  }
  if (discoveredDevice) {
    await rememberMfaDevice(context.term, discoveredDevice, plan.sourceProfile, context.env);
  }
  return {
    credentials: current,
    role: plan.role,
    ...(base ? { base } : {}),
    ...(newBase ? { newBase } : {}),
    owner: {
      profile: plan.sourceProfile,
      // Only an IAM user is a user: credentials of a role profile's chain belong to an assumed role.
      ...(identity && route !== "profile-credentials"
        ? { userArn: identity.userArn, userName: identity.userName }
        : {}),
      ...(serial ? { serial } : {}),
    },
    route,
    chained: route !== "long-term-key" || plan.steps.length > 1,
    assumedRoleArn,
    profile: plan.sourceProfile,
  };
}

function userOf(caller: CallerIdentity): { userArn: string; userName: string } {
  return { userArn: caller.arn, userName: resourceName(caller.arn) };
}

/**
 * A base session (GetSessionToken, 12 hours) from the profile's long-term key and an MFA code, as
 * `stc session` makes it: the shell keeps it, so the next roles need no code.
 */
async function startBaseSession(
  target: AwsTarget,
  profile: string,
  user: { userArn: string; userName: string },
  mfa: { serial: string; code: string; region: string; now: Date },
): Promise<SessionRecord> {
  const credentials = await getSessionToken(target, {
    durationSeconds: DEFAULT_SESSION_SECONDS,
    serialNumber: mfa.serial,
    tokenCode: mfa.code,
  });
  return {
    profile,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken ?? "",
    expiration:
      (credentials.expiration ?? new Date(mfa.now.getTime() + DEFAULT_SESSION_SECONDS * 1000))
        .toISOString(),
    userArn: user.userArn,
    userName: user.userName,
    serial: mfa.serial,
    region: mfa.region,
  };
}

function explainLongRoute(
  term: Term,
  plan: Plan,
  duration: number | undefined,
  shellBase: SessionRecord | undefined,
  wantsLong: boolean,
  newSession: boolean,
): void {
  if (newSession) {
    term.info(
      `this shell has no MFA session: getting one for profile '${plan.sourceProfile}' (12 hours) with ` +
        `a new MFA code, then assuming ${plan.role.alias} from it; later assumes need no code`,
    );
    return;
  }
  const how = `assuming ${plan.role.alias} with the access key of profile '${plan.sourceProfile}'` +
    " and a new MFA code";
  if (wantsLong) {
    term.info(
      `${how}: ${formatDuration(duration ?? 0)} is longer than the 1 hour AWS allows for roles ` +
        "assumed with session credentials",
    );
  } else if (!shellBase) {
    term.info(
      `${how}: this shell has no base session (run 'stc session' once to assume many roles with one code)`,
    );
  } else {
    term.info(`${how}: the shell's base session belongs to profile '${shellBase.profile}'`);
  }
}
