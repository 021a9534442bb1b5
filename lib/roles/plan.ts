/**
 * Planning an assume, without I/O: what a request names (a role alias, an account and a role name, a config
 * profile with a `source_profile` chain), the AssumeRole calls that reach it, how long the session may be, and
 * which credentials start the chain.
 *
 * @example
 * ```ts
 * import { chooseRoute, resolvePlan } from "./plan.ts";
 * import { mergeRoles, parseAccountsJson } from "./catalog.ts";
 * import { parseProfileFiles } from "../config/ini.ts";
 * import assert from "node:assert/strict";
 *
 * const catalog = mergeRoles([], parseAccountsJson('{"prod": "333333333333"}', "accounts"));
 * const files = parseProfileFiles({ config: "[profile ops]\nregion = eu-west-1\n" });
 * const plan = resolvePlan({ role: "prod", roleName: "Admin" }, {
 *   env: { AWS_REGION: "cn-north-1" },
 *   catalog,
 *   files,
 *   profile: "ops",
 * });
 * assert.equal(plan.steps[0].roleArn, "arn:aws-cn:iam::333333333333:role/Admin");
 * assert.equal(chooseRoute(plan, undefined, undefined), "long-term-key");
 * ```
 *
 * @module
 */

import { partitionOf, partitionOfRegion, roleArn } from "../core/arn.ts";
import { CHAINED_ROLE_MAX_SECONDS, parseDuration, ROLE_LIMITS } from "../core/duration.ts";
import type { Credentials } from "../core/credentials.ts";
import type { Env } from "../core/env.ts";
import { StcError, usageError } from "../core/errors.ts";
import { didYouMean } from "../core/suggest.ts";
import { getProfile, type ProfileFiles } from "../config/ini.ts";
import { profileRegion, requireProfile, selectProfile } from "../config/profile.ts";
import { type ChainBase, ProfileChainError, resolveProfileChain } from "../config/profile_chain.ts";
import type { RoleInfo, SessionRecord } from "../session/variables.ts";
import {
  assumableNames,
  findRole,
  isAccountId,
  isValidRoleName,
  resolveAccount,
  type RoleCatalog,
  type RoleEntry,
  roleInfo,
} from "./catalog.ts";
import { msg } from "../core/message.ts";

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
  /**
   * An automatic renewal (`stc assume --renew`, run by the prompt hook): only from a session the shell holds,
   * never with an MFA code, at most the one hour AWS allows such a role, and one attempt per AWS call, so that a
   * prompt waits for at most one round trip.
   */
  renew?: boolean;
}

/** One AssumeRole call of a chain. */
export interface Step {
  /** The role to assume. */
  roleArn: string;
  /** The external id its trust policy asks for. */
  externalId?: string;
  /** The role session name, when the profile gives one (`role_session_name`). */
  sessionName?: string;
  /** MFA device named by the profile of this step (config profiles). */
  mfaSerial?: string;
}

/** What a request resolved to. */
export interface Plan {
  /** The role, for the shell variables. */
  role: RoleInfo;
  /** The AssumeRole calls, in order: the last one gives the role's credentials. */
  steps: Step[];
  /** The profile whose long-term key (or base session) starts the chain. */
  sourceProfile: string;
  /** Credentials stored in the profile itself (a config chain ending in temporary keys). */
  profileCredentials?: Credentials;
  /** `duration_seconds` of a config profile. */
  durationSeconds?: number;
}

/** What a request is resolved against. */
export interface PlanSources {
  /** The command's environment (`AWS_ROLE_ALIAS`, the region). */
  readonly env: Env;
  /** Role aliases and accounts. */
  readonly catalog: RoleCatalog;
  /** The AWS config and credentials files. */
  readonly files: ProfileFiles;
  /** The profile chosen for the request. */
  readonly profile: string;
  /** The shell's base session, when it has one. */
  readonly base?: SessionRecord;
}

/**
 * How the chain starts: from the shell's base session, from a base session made for this assume with the
 * long-term key and an MFA code, from the long-term key and an MFA code directly, or from the profile's own
 * credentials.
 */
export type RoleRoute =
  | "base-session"
  | "new-base-session"
  | "long-term-key"
  | "profile-credentials";

/** The profile a request uses: `-p`, else `AWS_PROFILE_ASSUME_ROLE`, the base session's, then the usual choice. */
export function chooseProfile(
  request: RoleRequest,
  env: Env,
  files: ProfileFiles,
  base: SessionRecord | undefined,
): string {
  return selectProfile(request.profile || env.AWS_PROFILE_ASSUME_ROLE || base?.profile, env, files)
    .name;
}

function unknownAlias(name: string, catalog: RoleCatalog): StcError {
  const names = assumableNames(catalog);
  return new StcError(msg`unknown role alias '${name.slice(0, 80)}'`, {
    hint: didYouMean(name, names) ??
      (names.length === 0
        ? "no roles are defined: get the organisation's list with 'stc roles --download', or add " +
          "'alias role_arn' lines to the roles file"
        : "list the aliases with 'stc roles'"),
  });
}

/**
 * The partition roles of the account form are in: that of the base session's user when the shell has one for
 * the profile, else that of the profile's region.
 */
function accountPartition(sources: PlanSources): string {
  const { base, profile, env, files } = sources;
  const fromBase = base?.profile === profile ? partitionOf(base.userArn) : undefined;
  return fromBase ?? partitionOfRegion(profileRegion(env, getProfile(files, profile)));
}

function accountPlan(sources: PlanSources, account: string, roleName: string): Plan {
  const resolved = resolveAccount(sources.catalog, account);
  if (!resolved) {
    throw new StcError(msg`unknown account '${account.slice(0, 80)}'`, {
      hint: didYouMean(account, sources.catalog.accounts.map((a) => a.name)) ??
        "give a 12-digit account id, or a name from ~/.aws/accounts",
    });
  }
  if (!isValidRoleName(roleName)) {
    throw usageError(msg`'${roleName.slice(0, 80)}' is not a valid role name`);
  }
  const arn = roleArn(resolved.accountId, roleName, accountPartition(sources));
  return {
    role: {
      alias: `${account}/${roleName}`,
      roleArn: arn,
      accountId: resolved.accountId,
      accountName: resolved.accountName ?? account,
      roleName,
    },
    // As Coinbase's assume-role does: the account id is the external id on this route.
    steps: [{ roleArn: arn, externalId: resolved.accountId }],
    sourceProfile: sources.profile,
  };
}

function chainBaseCredentials(base: ChainBase): Credentials | undefined {
  if (base.type !== "AccessKey") {
    throw new StcError(
      msg`profile '${base.profile}' gets its credentials from ${base.type}, which stc does not use`,
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
      throw new StcError(msg`profile '${entry.alias}' cannot be used: ${error.message}`, {
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

/**
 * What a request names, and the AssumeRole calls that reach it: a role alias (roles files, config profiles with
 * their `source_profile` chain), an account (name or id) with a role name, the `account/Role` that
 * `AWS_ROLE_ALIAS` records for that form, or, without a role, the shell's current role (`AWS_ROLE_ALIAS`).
 */
export function resolvePlan(request: RoleRequest, sources: PlanSources): Plan {
  const { env, catalog, files } = sources;
  const name = request.role || env.AWS_ROLE_ALIAS;
  if (!name) {
    throw usageError(
      "no role given, and this shell has not assumed one yet",
      "give an alias (see 'stc roles'), or an account and a role name",
    );
  }
  if (request.roleName !== undefined) return accountPlan(sources, name, request.roleName);
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
      sourceProfile: sources.profile,
    };
  }
  // `account/Role` is how AWS_ROLE_ALIAS records the account form, for re-assuming.
  const slash = name.indexOf("/");
  if (slash > 0 && resolveAccount(catalog, name.slice(0, slash))) {
    return accountPlan(sources, name.slice(0, slash), name.slice(slash + 1));
  }
  if (resolveAccount(catalog, name) || isAccountId(name)) {
    throw usageError(
      msg`'${name}' is an account, not a role alias: give the role name too`,
      `stc assume ${name} ROLE-NAME`,
    );
  }
  // A profile named with -p that is defined nowhere is the mistake, not the alias.
  if (request.profile) requireProfile(files, request.profile);
  throw unknownAlias(name, catalog);
}

/** The session length asked for: `--duration`, the profile's `duration_seconds`, `AWS_ROLE_SESSION_TIMEOUT`. */
export function requestedDuration(request: RoleRequest, plan: Plan, env: Env): number | undefined {
  if (request.durationSeconds !== undefined) return request.durationSeconds;
  if (plan.durationSeconds !== undefined) return plan.durationSeconds;
  const timeout = env.AWS_ROLE_SESSION_TIMEOUT;
  return timeout ? parseDuration(timeout, "AWS_ROLE_SESSION_TIMEOUT", ROLE_LIMITS) : undefined;
}

/** Whether `duration` is longer than AWS allows a role assumed with temporary credentials. */
export function wantsLongSession(duration: number | undefined): boolean {
  return duration !== undefined && duration > CHAINED_ROLE_MAX_SECONDS;
}

/**
 * How the chain starts: with credentials the profile holds itself; else from the base session (`base`, the
 * shell's base session when it belongs to the plan's source profile) unless more than an hour is asked for;
 * else, when the shell has no base session at all and the caller keeps one (`startBaseSession`), from a new
 * base session; else with the long-term key and an MFA code. More than an hour through several roles is
 * refused: AWS caps every chained role at one hour.
 */
export function chooseRoute(
  plan: Plan,
  base: SessionRecord | undefined,
  duration: number | undefined,
  start: { startBaseSession?: boolean; shellBase?: SessionRecord } = {},
): RoleRoute {
  const long = wantsLongSession(duration);
  if (long && plan.steps.length > 1) {
    throw new StcError(
      msg`'${plan.role.alias}' is reached through ${plan.steps.length} roles; AWS caps chained roles at 1 hour`,
      { hint: "ask for at most 1 hour (--duration 1h)" },
    );
  }
  if (plan.profileCredentials) return "profile-credentials";
  if (base && !long) return "base-session";
  return start.startBaseSession === true && !long && start.shellBase === undefined
    ? "new-base-session"
    : "long-term-key";
}

/**
 * Whether the role is assumed with temporary credentials (role chaining): AWS then caps it at one hour and the
 * console refuses a `SessionDuration` for it. False only for one AssumeRole with the long-term key.
 */
export function isChained(route: RoleRoute, plan: Plan): boolean {
  return route !== "long-term-key" || plan.steps.length > 1;
}
