/**
 * STS actions: GetCallerIdentity, GetSessionToken, AssumeRole, GetFederationToken, with AWS's
 * validation, trust, MFA, ExternalId and role-chaining rules.
 *
 * @module
 */

import type { Caller } from "./auth.ts";
import {
  intParam,
  notAuthorized,
  type QueryContext,
  type QueryHandler,
  required,
  validationError,
} from "./query.ts";
import {
  checkMfa,
  randomId,
  randomSecret,
  randomToken,
  type SessionState,
  type UserState,
} from "./state.ts";
import { AwsError, isoDate, type XmlObject } from "./xml.ts";

/** Seconds a role-chained session may last at most. */
const ROLE_CHAIN_LIMIT = 3600;

/** STS actions by name. */
export const STS_ACTIONS: Record<string, QueryHandler> = {
  GetCallerIdentity: ({ caller }) => ({
    UserId: caller.userId,
    Account: caller.accountId,
    Arn: caller.arn,
  }),
  GetSessionToken: getSessionToken,
  AssumeRole: assumeRole,
  GetFederationToken: getFederationToken,
};

/** Does a principal list (trust policy or bucket ACL) include the caller? */
export function principalMatches(principals: readonly string[], caller: Caller): boolean {
  if (caller.kind === "federated") {
    return principals.includes(caller.arn);
  }
  const identity = caller.kind === "assumed-role" ? caller.role!.arn : caller.user!.arn;
  const account = caller.accountId;
  return principals.some((p) =>
    p === identity || p === account || p === `arn:aws:iam::${account}:root`
  );
}

/**
 * Issues and registers temporary credentials, or the field values of a pending `credentials`
 * fault instead, and returns the `<Credentials>` element.
 */
function issue(
  ctx: QueryContext,
  duration: number,
  fields: Omit<SessionState, "accessKeyId" | "secret" | "token" | "expiration">,
): XmlObject {
  const override = ctx.takeCredentials() ?? {};
  const overriddenExpiry = override.expiration === undefined
    ? NaN
    : Date.parse(override.expiration);
  const session: SessionState = {
    ...fields,
    accessKeyId: override.accessKeyId ?? "ASIA" + randomId(16),
    secret: override.secretAccessKey ?? randomSecret(),
    token: override.sessionToken ?? randomToken(),
    expiration: Number.isNaN(overriddenExpiry) ? ctx.now + duration * 1000 : overriddenExpiry,
  };
  ctx.state.sessions.set(session.accessKeyId, session);
  return {
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secret,
    SessionToken: session.token,
    Expiration: override.expiration ?? isoDate(session.expiration),
  };
}

const MFA_INVALID = "MultiFactorAuthentication failed with invalid MFA one time pass code.";
const MFA_UNABLE = "MultiFactorAuthentication failed, unable to validate MFA code.  " +
  "Please verify your MFA serial number is valid and associated with this user.";

/**
 * Validates SerialNumber + TokenCode when given; returns whether MFA was presented.
 * `user` is the IAM user whose devices may match (none for role sessions).
 */
function presentedMfa(ctx: QueryContext, user: UserState | undefined): boolean {
  const serial = ctx.params.get("SerialNumber");
  const code = ctx.params.get("TokenCode");
  if (serial === null && code === null) return false;
  if (
    serial !== null && (serial.length < 9 || serial.length > 256 || !/^[\w+=/:,.@-]*$/.test(serial))
  ) {
    throw validationError(
      "serialNumber",
      serial,
      serial.length < 9
        ? "Member must have length greater than or equal to 9"
        : "Member must satisfy regular expression pattern: [\\w+=/:,.@-]*",
    );
  }
  if (code !== null && !/^\d{6}$/.test(code)) {
    throw validationError(
      "tokenCode",
      code,
      /^\d*$/.test(code)
        ? `Member must have length ${
          code.length < 6 ? "greater than or equal to" : "less than or equal to"
        } 6`
        : "Member must satisfy regular expression pattern: [\\d]*",
    );
  }
  if (serial === null || code === null || !user) {
    throw new AwsError(403, "AccessDenied", MFA_UNABLE);
  }
  const failure = checkMfa(ctx.state, user, serial, code);
  if (failure === "invalid-code") throw new AwsError(403, "AccessDenied", MFA_INVALID);
  if (failure === "unable-to-validate") throw new AwsError(403, "AccessDenied", MFA_UNABLE);
  return true;
}

function getSessionToken(ctx: QueryContext): XmlObject {
  const { caller } = ctx;
  if (caller.kind !== "user") {
    throw new AwsError(403, "AccessDenied", "Cannot call GetSessionToken with session credentials");
  }
  const duration = intParam(ctx.params, "DurationSeconds", 900, 129600) ?? 43200;
  const mfa = presentedMfa(ctx, caller.user);
  if (caller.user!.mfaRequired && !mfa) {
    throw new AwsError(
      403,
      "AccessDenied",
      `User: ${caller.arn} is not authorized to perform: sts:GetSessionToken on resource: ${caller.arn} with an explicit deny in an identity-based policy`,
    );
  }
  const credentials = issue(ctx, duration, {
    kind: "session-token",
    accountId: caller.accountId,
    user: caller.user,
    mfa,
    roleChained: false,
  });
  return { Credentials: credentials };
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;

function checkName(member: string, value: string, min: number, max: number): void {
  if (value.length < min) {
    throw validationError(member, value, `Member must have length greater than or equal to ${min}`);
  }
  if (value.length > max) {
    throw validationError(member, value, `Member must have length less than or equal to ${max}`);
  }
  if (!/^[\w+=,.@-]*$/.test(value)) {
    throw validationError(
      member,
      value,
      "Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  }
}

function assumeRole(ctx: QueryContext): XmlObject {
  const { caller, state, params } = ctx;
  const roleArn = required(params, "RoleArn");
  const sessionName = required(params, "RoleSessionName");
  if (roleArn.length < 20) {
    throw validationError(
      "roleArn",
      roleArn,
      "Member must have length greater than or equal to 20",
    );
  }
  if (!ROLE_ARN.test(roleArn)) throw new AwsError(400, "ValidationError", `${roleArn} is invalid`);
  checkName("roleSessionName", sessionName, 2, 64);
  const duration = intParam(params, "DurationSeconds", 900, 43200) ?? 3600;
  const externalId = params.get("ExternalId");
  if (externalId !== null) {
    if (externalId.length < 2 || externalId.length > 1224 || !/^[\w+=,.@:/-]*$/.test(externalId)) {
      throw validationError(
        "externalId",
        externalId,
        "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
      );
    }
  }
  const mfa = presentedMfa(ctx, caller.kind === "assumed-role" ? undefined : caller.user) ||
    caller.mfa;
  const role = state.roles.get(roleArn);
  const denied = notAuthorized(caller, "sts:AssumeRole", roleArn);
  if (!role || caller.kind === "federated") throw denied;
  if (!principalMatches(role.trust.principals, caller)) throw denied;
  if (role.trust.requireMfa && !mfa) throw denied;
  if (role.trust.externalId !== undefined && externalId !== role.trust.externalId) throw denied;
  const chained = caller.kind !== "user";
  if (chained && duration > ROLE_CHAIN_LIMIT) {
    throw new AwsError(
      400,
      "ValidationError",
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    );
  }
  if (duration > role.maxSessionDuration) {
    throw new AwsError(
      400,
      "ValidationError",
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
  }
  const credentials = issue(ctx, duration, {
    kind: "assumed-role",
    accountId: role.accountId,
    role,
    name: sessionName,
    mfa,
    roleChained: chained,
  });
  const policy = params.get("Policy");
  return {
    Credentials: credentials,
    AssumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${sessionName}`,
      Arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
    },
    PackedPolicySize: policy === null ? undefined : Math.min(100, Math.ceil(policy.length / 20)),
  };
}

function getFederationToken(ctx: QueryContext): XmlObject {
  const { caller, params } = ctx;
  if (caller.kind !== "user") {
    throw new AwsError(
      403,
      "AccessDenied",
      "Cannot call GetFederationToken with session credentials",
    );
  }
  const name = required(params, "Name");
  checkName("name", name, 2, 32);
  const duration = intParam(params, "DurationSeconds", 900, 129600) ?? 43200;
  const credentials = issue(ctx, duration, {
    kind: "federated",
    accountId: caller.accountId,
    user: caller.user,
    name,
    mfa: false,
    roleChained: false,
  });
  const policy = params.get("Policy");
  return {
    Credentials: credentials,
    FederatedUser: {
      FederatedUserId: `${caller.accountId}:${name}`,
      Arn: `arn:aws:sts::${caller.accountId}:federated-user/${name}`,
    },
    PackedPolicySize: policy === null ? undefined : Math.min(100, Math.ceil(policy.length / 20)),
  };
}
