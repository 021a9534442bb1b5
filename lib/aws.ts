/**
 * The one thin layer between stc and AWS: STS, IAM and S3 calls with plain inputs and outputs, endpoints from the
 * standard `AWS_ENDPOINT_URL*` settings, visible retries, and AWS errors translated into {@linkcode StcError}s.
 *
 * The AWS SDK is loaded with `import()` on first use, so commands that never call AWS never load it.
 *
 * @module
 */

import { ExitCode, StcError } from "./errors.ts";
import { info } from "./ui.ts";

import type { Env } from "./env.ts";

export type { Env } from "./env.ts";

/** AWS credentials: a long-term key, or temporary ones with a session token and expiry. */
export interface Credentials {
  /** AKIA… (long-term) or ASIA… (temporary). */
  accessKeyId: string;
  /** The secret key. */
  secretAccessKey: string;
  /** Present for temporary credentials. */
  sessionToken?: string;
  /** When temporary credentials expire. */
  expiration?: Date;
}

/** Where and as whom to call AWS. */
export interface AwsTarget {
  /** Environment, for endpoint settings. */
  env: Env;
  /** Region to sign for and send to. */
  region: string;
  /** Credentials to sign with. */
  credentials: Credentials;
  /** Attempts per call, retries included (default 5). */
  maxAttempts?: number;
}

/** The AWS services stc calls. */
export type Service = "sts" | "iam" | "s3";

/**
 * The endpoint URL configured for a service: `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL` (the variables
 * the AWS SDKs and CLI honour), else undefined for the public AWS endpoint.
 */
export function endpointFor(service: Service, env: Env): string | undefined {
  const specific = env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`];
  if (specific) return specific;
  return env.AWS_ENDPOINT_URL || undefined;
}

/** The region from `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else `us-east-1`. */
export function resolveRegion(env: Env, profileRegion?: string): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || profileRegion || "us-east-1";
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $fault?: string;
}

const EXPIRED = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
  "TokenRefreshRequired",
]);
const INVALID = new Set([
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "UnrecognizedClientException",
  "InvalidAccessKeyId",
  "AuthFailure",
  "InvalidToken",
]);
const NETWORK = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "TimeoutError",
  "RequestTimeout",
]);

/** The AWS error code of an SDK error (`AccessDenied`, `ExpiredToken`, …), or undefined for other errors. */
export function awsErrorCode(error: unknown): string | undefined {
  const e = error as SdkError;
  // The SDK adds $metadata (attempt counts) to network errors too; only an HTTP answer carries an AWS error code.
  if (!e || typeof e !== "object" || !e.$metadata?.httpStatusCode) return undefined;
  return e.Code ?? e.name;
}

/**
 * Translates an error from an AWS call into a one-line {@linkcode StcError} that says which step failed and what
 * to do. `step` names the step, e.g. "GetSessionToken".
 */
export function toStcError(error: unknown, step: string): StcError {
  if (error instanceof StcError) return error;
  const e = (error ?? {}) as SdkError;
  const code = awsErrorCode(error);
  const message = (e.message ?? String(error)).split("\n")[0];
  if (code === undefined) {
    const networkCode = e.code ?? e.name ?? "";
    if (NETWORK.has(networkCode) || /fetch failed|socket hang up|connect|network/i.test(message)) {
      return new StcError(`${step}: AWS could not be reached (${networkCode || message})`, {
        hint: "check the network, a proxy, or AWS_ENDPOINT_URL* settings",
        exitCode: ExitCode.Unreachable,
        cause: error,
      });
    }
    return new StcError(`${step}: ${message}`, { cause: error });
  }
  if (EXPIRED.has(code)) {
    return new StcError(`${step}: the credentials have expired (${code})`, {
      hint: "get a new session with 'stc session', or restore one with 'stc session -r'",
      exitCode: ExitCode.SessionExpired,
      cause: error,
    });
  }
  if (INVALID.has(code)) {
    return new StcError(`${step}: AWS rejected the credentials: ${message} (${code})`, {
      hint:
        "the access key may be deleted, inactive or mistyped; check it with 'stc status' or import a new one",
      exitCode: ExitCode.CredentialsInvalid,
      cause: error,
    });
  }
  if (code === "AccessDenied" && /MultiFactorAuthentication/i.test(message)) {
    return new StcError(`${step}: AWS rejected the MFA code (${code})`, {
      hint: "wait for the next code from your MFA device and try again (each code works only once)",
      cause: error,
    });
  }
  const attempts = e.$metadata?.attempts ?? 1;
  const retried = attempts > 1 ? ` after ${attempts} attempts` : "";
  return new StcError(`${step}: ${message} (${code}${retried})`, { cause: error });
}

/** Runs `call`, translating any error with {@linkcode toStcError}. */
export async function awsStep<T>(step: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toStcError(error, step);
  }
}

// deno-lint-ignore no-explicit-any
type AnyClient = { middlewareStack: { add: (...args: any[]) => void } };

/** Makes retries visible: the SDK retries throttling and transient errors; say so when it happens. */
function reportRetries(client: AnyClient, step: string): void {
  let attempt = 0;
  let lastProblem = "";
  client.middlewareStack.add(
    // deno-lint-ignore no-explicit-any
    (next: any) => async (args: any) => {
      attempt++;
      if (attempt > 1) {
        info(`${step}: ${lastProblem || "transient error"}; retrying (attempt ${attempt})…`);
      }
      try {
        return await next(args);
      } catch (error) {
        const e = error as SdkError;
        lastProblem = awsErrorCode(error) ?? e.code ?? e.name ?? "error";
        throw error;
      }
    },
    { step: "finalizeRequest", name: "stcReportRetries", priority: "low" },
  );
}

function clientConfig(target: AwsTarget, service: Service) {
  const endpoint = endpointFor(service, target.env);
  const { accessKeyId, secretAccessKey, sessionToken } = target.credentials;
  return {
    region: service === "iam" ? iamRegion(target.region) : target.region,
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    maxAttempts: target.maxAttempts ?? 5,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    ...(endpoint ? { endpoint } : {}),
    ...(endpoint && service === "s3" ? { forcePathStyle: true } : {}),
  };
}

/** IAM is global: it is signed for the partition's home region. */
function iamRegion(region: string): string {
  if (region.startsWith("cn-")) return "cn-north-1";
  if (region.startsWith("us-gov-")) return "us-gov-west-1";
  return "us-east-1";
}

/** The identity behind a set of credentials. */
export interface CallerIdentity {
  /** Account id. */
  account: string;
  /** ARN of the user or assumed role. */
  arn: string;
  /** Unique id (AIDA… for users). */
  userId: string;
}

/** Options of {@linkcode getSessionToken}. */
export interface SessionTokenRequest {
  /** Session length in seconds. */
  durationSeconds: number;
  /** MFA device serial (ARN). */
  serialNumber?: string;
  /** Current MFA code. */
  tokenCode?: string;
}

/** Options of {@linkcode assumeRole}. */
export interface AssumeRoleRequest {
  /** The role to assume. */
  roleArn: string;
  /** The session name CloudTrail records. */
  roleSessionName: string;
  /** External id required by the role's trust policy. */
  externalId?: string;
  /** Session length in seconds. */
  durationSeconds?: number;
  /** MFA device serial, when assuming with a long-term key. */
  serialNumber?: string;
  /** Current MFA code, with `serialNumber`. */
  tokenCode?: string;
}

/** The result of {@linkcode assumeRole}. */
export interface AssumedRole {
  /** The role's temporary credentials. */
  credentials: Credentials;
  /** arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION */
  assumedRoleArn: string;
}

// deno-lint-ignore no-explicit-any
function toCredentials(c: any, step: string): Credentials {
  if (!c?.AccessKeyId || !c?.SecretAccessKey) {
    throw new StcError(`${step}: AWS returned no credentials`);
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration ? new Date(c.Expiration) : undefined,
  };
}

/** STS GetCallerIdentity. */
export async function getCallerIdentity(target: AwsTarget): Promise<CallerIdentity> {
  const step = "GetCallerIdentity";
  const sdk = await import("@aws-sdk/client-sts");
  const client = new sdk.STSClient(clientConfig(target, "sts"));
  reportRetries(client, step);
  const out = await awsStep(step, () => client.send(new sdk.GetCallerIdentityCommand({})));
  return { account: out.Account ?? "", arn: out.Arn ?? "", userId: out.UserId ?? "" };
}

/** STS GetSessionToken: temporary credentials for the user, with MFA when given. */
export async function getSessionToken(
  target: AwsTarget,
  request: SessionTokenRequest,
): Promise<Credentials> {
  const step = "GetSessionToken";
  const sdk = await import("@aws-sdk/client-sts");
  const client = new sdk.STSClient(clientConfig(target, "sts"));
  reportRetries(client, step);
  const out = await awsStep(step, () =>
    client.send(
      new sdk.GetSessionTokenCommand({
        DurationSeconds: request.durationSeconds,
        SerialNumber: request.serialNumber,
        TokenCode: request.tokenCode,
      }),
    ));
  return toCredentials(out.Credentials, step);
}

/** STS AssumeRole. */
export async function assumeRole(
  target: AwsTarget,
  request: AssumeRoleRequest,
): Promise<AssumedRole> {
  const step = "AssumeRole";
  const sdk = await import("@aws-sdk/client-sts");
  const client = new sdk.STSClient(clientConfig(target, "sts"));
  reportRetries(client, step);
  const out = await awsStep(step, () =>
    client.send(
      new sdk.AssumeRoleCommand({
        RoleArn: request.roleArn,
        RoleSessionName: request.roleSessionName,
        ExternalId: request.externalId,
        DurationSeconds: request.durationSeconds,
        SerialNumber: request.serialNumber,
        TokenCode: request.tokenCode,
      }),
    ));
  return {
    credentials: toCredentials(out.Credentials, step),
    assumedRoleArn: out.AssumedRoleUser?.Arn ?? "",
  };
}

/** Options of {@linkcode getFederationToken}. */
export interface FederationTokenRequest {
  /** Federated user name (2–32 characters). */
  name: string;
  /** Session length in seconds. */
  durationSeconds: number;
  /** Inline session policy (JSON); without one the session has no permissions. */
  policy?: string;
}

/** STS GetFederationToken: temporary credentials for console sign-in with a long-term key. */
export async function getFederationToken(
  target: AwsTarget,
  request: FederationTokenRequest,
): Promise<Credentials> {
  const step = "GetFederationToken";
  const sdk = await import("@aws-sdk/client-sts");
  const client = new sdk.STSClient(clientConfig(target, "sts"));
  reportRetries(client, step);
  const out = await awsStep(step, () =>
    client.send(
      new sdk.GetFederationTokenCommand({
        Name: request.name,
        DurationSeconds: request.durationSeconds,
        Policy: request.policy,
      }),
    ));
  return toCredentials(out.Credentials, step);
}

/** An IAM user as GetUser describes it. */
export interface IamUser {
  /** User name. */
  userName: string;
  /** User ARN. */
  arn: string;
  /** Unique id (AIDA…). */
  userId: string;
}

/** IAM GetUser for the caller. */
export async function getUser(target: AwsTarget): Promise<IamUser> {
  const step = "GetUser";
  const sdk = await import("@aws-sdk/client-iam");
  const client = new sdk.IAMClient(clientConfig(target, "iam"));
  reportRetries(client, step);
  const out = await awsStep(step, () => client.send(new sdk.GetUserCommand({})));
  return {
    userName: out.User?.UserName ?? "",
    arn: out.User?.Arn ?? "",
    userId: out.User?.UserId ?? "",
  };
}

/** IAM ListMFADevices for a user (the caller when `userName` is absent): the serial numbers. */
export async function listMfaDevices(target: AwsTarget, userName?: string): Promise<string[]> {
  const step = "ListMFADevices";
  const sdk = await import("@aws-sdk/client-iam");
  const client = new sdk.IAMClient(clientConfig(target, "iam"));
  reportRetries(client, step);
  const out = await awsStep(
    step,
    () => client.send(new sdk.ListMFADevicesCommand(userName ? { UserName: userName } : {})),
  );
  return (out.MFADevices ?? []).map((d) => d.SerialNumber ?? "").filter((s) => s !== "");
}

/** An access key's metadata. */
export interface AccessKeyInfo {
  /** AKIA… */
  accessKeyId: string;
  /** Active or Inactive. */
  status: string;
  /** When it was created. */
  created?: Date;
}

/** IAM ListAccessKeys for the caller. */
export async function listAccessKeys(target: AwsTarget): Promise<AccessKeyInfo[]> {
  const step = "ListAccessKeys";
  const sdk = await import("@aws-sdk/client-iam");
  const client = new sdk.IAMClient(clientConfig(target, "iam"));
  reportRetries(client, step);
  const out = await awsStep(step, () => client.send(new sdk.ListAccessKeysCommand({})));
  return (out.AccessKeyMetadata ?? []).map((k) => ({
    accessKeyId: k.AccessKeyId ?? "",
    status: k.Status ?? "",
    created: k.CreateDate ? new Date(k.CreateDate) : undefined,
  }));
}

/** IAM CreateAccessKey for the caller: the new long-term key. */
export async function createAccessKey(target: AwsTarget): Promise<Credentials> {
  const step = "CreateAccessKey";
  const sdk = await import("@aws-sdk/client-iam");
  const client = new sdk.IAMClient(clientConfig(target, "iam"));
  reportRetries(client, step);
  const out = await awsStep(step, () => client.send(new sdk.CreateAccessKeyCommand({})));
  return toCredentials(out.AccessKey, step);
}

/** IAM DeleteAccessKey for the caller. */
export async function deleteAccessKey(target: AwsTarget, accessKeyId: string): Promise<void> {
  const step = "DeleteAccessKey";
  const sdk = await import("@aws-sdk/client-iam");
  const client = new sdk.IAMClient(clientConfig(target, "iam"));
  reportRetries(client, step);
  await awsStep(
    step,
    () => client.send(new sdk.DeleteAccessKeyCommand({ AccessKeyId: accessKeyId })),
  );
}

/** IAM UpdateAccessKey for the caller. */
export async function updateAccessKey(
  target: AwsTarget,
  accessKeyId: string,
  status: "Active" | "Inactive",
): Promise<void> {
  const step = "UpdateAccessKey";
  const sdk = await import("@aws-sdk/client-iam");
  const client = new sdk.IAMClient(clientConfig(target, "iam"));
  reportRetries(client, step);
  await awsStep(
    step,
    () => client.send(new sdk.UpdateAccessKeyCommand({ AccessKeyId: accessKeyId, Status: status })),
  );
}

/** IAM ChangePassword for the caller. */
export async function changePassword(
  target: AwsTarget,
  oldPassword: string,
  newPassword: string,
): Promise<void> {
  const step = "ChangePassword";
  const sdk = await import("@aws-sdk/client-iam");
  const client = new sdk.IAMClient(clientConfig(target, "iam"));
  reportRetries(client, step);
  await awsStep(
    step,
    () =>
      client.send(
        new sdk.ChangePasswordCommand({ OldPassword: oldPassword, NewPassword: newPassword }),
      ),
  );
}

/** The account password policy fields stc uses to generate a compliant password. */
export interface PasswordPolicy {
  /** Minimum length. */
  minimumLength: number;
  /** Require a symbol. */
  requireSymbols: boolean;
  /** Require a digit. */
  requireNumbers: boolean;
  /** Require an uppercase letter. */
  requireUppercase: boolean;
  /** Require a lowercase letter. */
  requireLowercase: boolean;
}

/** IAM GetAccountPasswordPolicy; undefined when the account has none (NoSuchEntity). */
export async function getAccountPasswordPolicy(
  target: AwsTarget,
): Promise<PasswordPolicy | undefined> {
  const step = "GetAccountPasswordPolicy";
  const sdk = await import("@aws-sdk/client-iam");
  const client = new sdk.IAMClient(clientConfig(target, "iam"));
  reportRetries(client, step);
  try {
    const out = await client.send(new sdk.GetAccountPasswordPolicyCommand({}));
    const p = out.PasswordPolicy ?? {};
    return {
      minimumLength: p.MinimumPasswordLength ?? 8,
      requireSymbols: p.RequireSymbols ?? false,
      requireNumbers: p.RequireNumbers ?? false,
      requireUppercase: p.RequireUppercaseCharacters ?? false,
      requireLowercase: p.RequireLowercaseCharacters ?? false,
    };
  } catch (error) {
    if (awsErrorCode(error) === "NoSuchEntity") return undefined;
    throw toStcError(error, step);
  }
}

/** S3 GetObject: the object's body as bytes. */
export async function getObject(
  target: AwsTarget,
  bucket: string,
  key: string,
): Promise<Uint8Array> {
  const step = `GetObject s3://${bucket}/${key}`;
  const sdk = await import("@aws-sdk/client-s3");
  const client = new sdk.S3Client(clientConfig(target, "s3"));
  reportRetries(client, step);
  return await awsStep(step, async () => {
    const out = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!out.Body) throw new StcError(`${step}: the object has no body`);
    return await out.Body.transformToByteArray();
  });
}

/** S3 PutObject. */
export async function putObject(
  target: AwsTarget,
  bucket: string,
  key: string,
  body: Uint8Array,
): Promise<void> {
  const step = `PutObject s3://${bucket}/${key}`;
  const sdk = await import("@aws-sdk/client-s3");
  const client = new sdk.S3Client(clientConfig(target, "s3"));
  reportRetries(client, step);
  await awsStep(
    step,
    () => client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body })),
  );
}
