/**
 * IAM self-service actions: GetUser, ListMFADevices, ListAccessKeys, CreateAccessKey,
 * UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed, ChangePassword, GetAccountPasswordPolicy.
 *
 * Users act on themselves only; role and federated sessions may read their account's password
 * policy. Newly created keys authenticate only after the configured propagation delay.
 *
 * @module
 */

import { type QueryContext, type QueryHandler, required, validationError } from "./query.ts";
import { type PasswordPolicy, randomId, randomSecret, type UserState } from "./state.ts";
import { AwsError, isoDate, type XmlObject } from "./xml.ts";

/** AWS's quota on access keys per user. */
export const ACCESS_KEYS_PER_USER = 2;

/** IAM actions by name. */
export const IAM_ACTIONS: Record<string, QueryHandler> = {
  GetUser: (ctx) => {
    const user = targetUser(ctx, "GetUser");
    return {
      User: {
        Path: "/",
        UserName: user.name,
        UserId: user.userId,
        Arn: user.arn,
        CreateDate: isoDate(user.createDate),
      },
    };
  },
  ListMFADevices: (ctx) => {
    if (ctx.state.listMfaDevicesRequiresUserName && !ctx.params.get("UserName")) {
      // moto (and set-ups built on it) looks up the user named by the parameter, Python's None.
      throw new AwsError(404, "NoSuchEntity", "The user with name None cannot be found.");
    }
    const user = targetUser(ctx, "ListMFADevices");
    return {
      MFADevices: user.mfaDevices.map((d) => ({
        UserName: user.name,
        SerialNumber: d.serial,
        EnableDate: isoDate(d.enableDate),
      })),
      IsTruncated: false,
    };
  },
  ListAccessKeys: (ctx) => {
    const user = targetUser(ctx, "ListAccessKeys");
    return {
      AccessKeyMetadata: user.keys.map((k) => ({
        UserName: user.name,
        AccessKeyId: k.id,
        Status: k.status,
        CreateDate: isoDate(k.createDate),
      })),
      IsTruncated: false,
    };
  },
  CreateAccessKey: (ctx) => {
    const user = targetUser(ctx, "CreateAccessKey");
    if (user.keys.length >= ACCESS_KEYS_PER_USER) {
      throw new AwsError(
        409,
        "LimitExceeded",
        `Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`,
      );
    }
    const key = {
      id: "AKIA" + randomId(16),
      secret: randomSecret(),
      status: "Active" as const,
      createDate: ctx.now,
      usableFrom: ctx.now + ctx.state.keyPropagationDelayMs,
    };
    user.keys.push(key);
    return {
      AccessKey: {
        UserName: user.name,
        AccessKeyId: key.id,
        Status: key.status,
        SecretAccessKey: key.secret,
        CreateDate: isoDate(key.createDate),
      },
    };
  },
  UpdateAccessKey: (ctx) => {
    const user = targetUser(ctx, "UpdateAccessKey");
    const id = required(ctx.params, "AccessKeyId");
    const status = required(ctx.params, "Status");
    if (status !== "Active" && status !== "Inactive") {
      throw validationError(
        "status",
        status,
        "Member must satisfy enum value set: [Active, Inactive]",
      );
    }
    ownedKey(user, id).status = status;
    return undefined;
  },
  DeleteAccessKey: (ctx) => {
    const user = targetUser(ctx, "DeleteAccessKey");
    const id = required(ctx.params, "AccessKeyId");
    const key = ownedKey(user, id);
    user.keys.splice(user.keys.indexOf(key), 1);
    return undefined;
  },
  GetAccessKeyLastUsed: (ctx) => {
    const user = targetUser(ctx, "GetAccessKeyLastUsed");
    const key = ownedKey(user, required(ctx.params, "AccessKeyId"));
    // AWS answers "N/A" for the service and region of a key never used, without a date.
    const used = key.lastUsed;
    return {
      UserName: user.name,
      AccessKeyLastUsed: used
        ? { LastUsedDate: isoDate(used.at), ServiceName: used.service, Region: used.region }
        : { ServiceName: "N/A", Region: "N/A" },
    };
  },
  ChangePassword: changePassword,
  GetAccountPasswordPolicy: ({ caller, state }) => {
    const policy = state.passwordPolicies.get(caller.accountId);
    if (!policy) {
      throw new AwsError(
        404,
        "NoSuchEntity",
        `The Password Policy with domain name ${caller.accountId} cannot be found.`,
      );
    }
    return { PasswordPolicy: policyXml(policy) };
  },
};

/**
 * The user an action applies to: `UserName` if given (which must be the caller: users manage
 * only themselves here), else the calling user.
 */
function targetUser(ctx: QueryContext, action: string): UserState {
  const { caller } = ctx;
  const self = caller.kind === "user" || caller.kind === "session-token" ? caller.user : undefined;
  const name = ctx.params.get("UserName");
  if (name === null || name === "") {
    if (!self) {
      throw new AwsError(
        400,
        "ValidationError",
        "Must specify userName when calling with non-User credentials",
      );
    }
    return self;
  }
  if (!self || self.name !== name) {
    throw new AwsError(
      403,
      "AccessDenied",
      `User: ${caller.arn} is not authorized to perform: iam:${action} on resource: user ${name} because no identity-based policy allows the iam:${action} action`,
    );
  }
  return self;
}

function ownedKey(user: UserState, id: string) {
  const key = user.keys.find((k) => k.id === id);
  if (!key) {
    throw new AwsError(404, "NoSuchEntity", `The Access Key with id ${id} cannot be found.`);
  }
  return key;
}

function policyXml(p: PasswordPolicy): XmlObject {
  return {
    MinimumPasswordLength: p.minimumPasswordLength,
    RequireSymbols: p.requireSymbols,
    RequireNumbers: p.requireNumbers,
    RequireUppercaseCharacters: p.requireUppercaseCharacters,
    RequireLowercaseCharacters: p.requireLowercaseCharacters,
    AllowUsersToChangePassword: p.allowUsersToChangePassword,
    ExpirePasswords: p.expirePasswords,
    MaxPasswordAge: p.maxPasswordAge,
    PasswordReusePrevention: p.passwordReusePrevention,
    HardExpiry: p.hardExpiry,
  };
}

/** AWS's default when an account sets no policy: at least 8 characters. */
function conforms(
  policy: PasswordPolicy | undefined,
  password: string,
  history: string[],
): boolean {
  if (!policy) return password.length >= 8;
  if (password.length < policy.minimumPasswordLength) return false;
  if (policy.requireSymbols && !/[!@#$%^&*()_+\-=[\]{}|']/.test(password)) return false;
  if (policy.requireNumbers && !/\d/.test(password)) return false;
  if (policy.requireUppercaseCharacters && !/[A-Z]/.test(password)) return false;
  if (policy.requireLowercaseCharacters && !/[a-z]/.test(password)) return false;
  const reuse = policy.passwordReusePrevention ?? 0;
  if (reuse > 0 && history.slice(-reuse).includes(password)) return false;
  return true;
}

/** IAM's password alphabet: tab, LF, CR and U+0020–U+00FF. */
function passwordChar(c: string): boolean {
  const code = c.codePointAt(0)!;
  return code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0xff);
}

function changePassword(ctx: QueryContext): undefined {
  const { caller, state } = ctx;
  const oldPassword = required(ctx.params, "OldPassword");
  const newPassword = required(ctx.params, "NewPassword");
  for (const [member, value] of [["oldPassword", oldPassword], ["newPassword", newPassword]]) {
    if (value.length > 128 || ![...value].every(passwordChar)) {
      // Never echo a password back, not even a rejected one.
      throw new AwsError(
        400,
        "ValidationError",
        `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+`,
      );
    }
  }
  const user = caller.kind === "user" || caller.kind === "session-token" ? caller.user : undefined;
  if (!user) {
    throw new AwsError(400, "InvalidUserType", "Only IAM users can change their own password.");
  }
  if (user.password === undefined) {
    throw new AwsError(404, "NoSuchEntity", `Login Profile for User ${user.name} cannot be found.`);
  }
  const policy = state.passwordPolicies.get(user.accountId);
  if (policy && !policy.allowUsersToChangePassword) {
    throw new AwsError(
      403,
      "AccessDenied",
      `User: ${caller.arn} is not authorized to perform: iam:ChangePassword on resource: user ${user.name}`,
    );
  }
  if (oldPassword !== user.password) {
    throw new AwsError(400, "InvalidUserType", "The old password is incorrect.");
  }
  if (!conforms(policy, newPassword, user.passwordHistory)) {
    throw new AwsError(
      400,
      "PasswordPolicyViolation",
      "Password does not conform to the account password policy.",
    );
  }
  user.password = newPassword;
  user.passwordHistory.push(newPassword);
  return undefined;
}
