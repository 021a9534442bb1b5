/**
 * The one thin layer between stc and AWS: STS, IAM and S3 calls with plain inputs and outputs, endpoints from the
 * standard environment and profile settings (settings.ts), requests sent through stc's own transport
 * (deadlines, CA bundle, proxies: transport.ts), visible retries of only what can succeed on retry (retry.ts), and
 * AWS errors translated into {@linkcode StcError}s.
 *
 * The AWS SDK is loaded with `import()` on first use, so commands that never call AWS never load it.
 *
 * @module
 */

import { ExitCode, StcError } from "../core/errors.ts";
import { formatBytes } from "../core/bytes.ts";
import type { Notices } from "../term/term.ts";
import { isRetryable } from "./retry.ts";
import {
  NetworkError,
  openHttpClient,
  type SdkRequestHandler,
  sdkRequestHandler,
  timeoutsFrom,
} from "./transport.ts";

import type { Env } from "../core/env.ts";
import { registerSecret } from "../core/secrets.ts";
import { credentialsProblem } from "../core/credentials.ts";
import { msg, own } from "../core/message.ts";
import {
  checkRegion,
  type EndpointSettings,
  endpointSettings,
  type ProfileConfig,
  type Service,
} from "./settings.ts";

export type { Env } from "../core/env.ts";

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
  /** Where retries are reported; nowhere when absent. */
  notices?: Notices;
  /** The selected profile: its endpoint and network settings apply after the environment's (settings.ts). */
  profile?: ProfileConfig;
}

export { endpointFor, endpointSettings } from "./settings.ts";
export type { EndpointSettings, Service } from "./settings.ts";

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
  if (notAwsAnswer(e)) return undefined;
  return e.Code ?? e.name;
}

/**
 * Whether an error with an HTTP status is the SDK failing to read the answer (not XML or JSON of AWS's shape): a
 * captive portal, a proxy's error page, a misconfigured endpoint. The SDK names such errors after the JavaScript
 * error (`Error`, `SyntaxError`) or, for error statuses without an AWS error code, `Unknown`/`UnknownError`.
 */
function notAwsAnswer(e: SdkError): boolean {
  const name = e.Code ?? e.name ?? "";
  if (/^(Error|SyntaxError|TypeError|Unknown|UnknownError)$/.test(name)) return true;
  return /Deserialization error|XML parse error|Unexpected token|is not valid JSON/i.test(
    e.message ?? "",
  );
}

const UNREACHABLE_HINT =
  "check the network, a proxy, or the AWS_ENDPOINT_URL* settings; STC_CONNECT_TIMEOUT and STC_REQUEST_TIMEOUT set the deadlines";

/**
 * Translates an error from an AWS call into a one-line {@linkcode StcError} that says which step failed and what
 * to do. `step` names the step, e.g. "GetSessionToken"; `host` the endpoint the call went to, when known.
 */
export function toStcError(error: unknown, step: string, host?: string): StcError {
  if (error instanceof StcError) return error;
  const e = (error ?? {}) as SdkError;
  const at = host ? ` at ${host}` : "";
  const attempts = e.$metadata?.attempts ?? 1;
  const retried = attempts > 1 ? ` after ${attempts} attempts` : "";
  if (error instanceof NetworkError) {
    const tls = error.failure === "tls";
    return new StcError(
      msg`${step}: AWS could not be reached at ${error.host}: ${error.message}${retried}`,
      {
        hint: tls
          ? "the endpoint's certificate is not trusted: check the endpoint, or the proxy that intercepts TLS"
          : UNREACHABLE_HINT,
        exitCode: ExitCode.Unreachable,
        cause: error,
      },
    );
  }
  const code = awsErrorCode(error);
  const message = (e.message ?? String(error)).split("\n")[0];
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && code === undefined) {
    return new StcError(
      msg`${step}: the answer${at} (HTTP ${status}) was not an AWS answer${retried}`,
      {
        hint:
          "the endpoint is not AWS, or something in between answered for it: check AWS_ENDPOINT_URL* and the proxy settings",
        exitCode: ExitCode.Unreachable,
        cause: error,
      },
    );
  }
  if (code === undefined) {
    const networkCode = e.code ?? e.name ?? "";
    if (NETWORK.has(networkCode) || /fetch failed|socket hang up|connect|network/i.test(message)) {
      return new StcError(msg`${step}: AWS could not be reached${at} (${networkCode || message})`, {
        hint: UNREACHABLE_HINT,
        exitCode: ExitCode.Unreachable,
        cause: error,
      });
    }
    return new StcError(msg`${step}: ${message}`, { cause: error });
  }
  if (EXPIRED.has(code)) {
    return new StcError(msg`${step}: the credentials have expired (${code})`, {
      hint: "get a new session with 'stc session', or restore one with 'stc session -r'",
      exitCode: ExitCode.SessionExpired,
      cause: error,
    });
  }
  if (INVALID.has(code)) {
    return new StcError(msg`${step}: AWS rejected the credentials: ${message} (${code})`, {
      hint:
        "an access key may be deleted, inactive or mistyped (the IAM console lists your keys): import a " +
        "new one with 'stc import'; for a session's credentials, get a new session with 'stc session'",
      exitCode: ExitCode.CredentialsInvalid,
      cause: error,
    });
  }
  if (code === "AccessDenied" && /MultiFactorAuthentication/i.test(message)) {
    return new StcError(msg`${step}: AWS rejected the MFA code (${code})`, {
      hint: "wait for the next code from your MFA device and try again (each code works only once)",
      cause: error,
    });
  }
  if (isRetryable(e)) {
    // Throttling and server errors that outlasted the retries: AWS could not serve the call just now.
    return new StcError(msg`${step}: ${message} (${code}${retried})`, {
      hint: "AWS is busy or failing just now: try again in a minute",
      exitCode: ExitCode.Unreachable,
      cause: error,
    });
  }
  return new StcError(msg`${step}: ${message} (${code}${retried})`, { cause: error });
}

// deno-lint-ignore no-explicit-any
type AnyClient = { middlewareStack: { add: (...args: any[]) => void } };

/**
 * Makes retries visible: the SDK retries throttling and transient errors; say so when it happens. Attempts are
 * counted per command invocation (the SDK's handler context), so a client used for several calls counts each
 * call from 1.
 */
function reportRetries(client: AnyClient, step: string, notices: Notices | undefined): void {
  const attempts = new WeakMap<object, { count: number; lastProblem: string }>();
  client.middlewareStack.add(
    // deno-lint-ignore no-explicit-any
    (next: any, context: object) => async (args: any) => {
      const state = attempts.get(context) ?? { count: 0, lastProblem: "" };
      attempts.set(context, state);
      state.count++;
      if (state.count > 1) {
        notices?.info(
          msg`${step}: ${
            state.lastProblem || "transient error"
          }; retrying (attempt ${state.count})…`,
        );
      }
      try {
        return await next(args);
      } catch (error) {
        const e = error as SdkError;
        state.lastProblem = error instanceof NetworkError
          ? error.message
          : awsErrorCode(error) ?? e.code ?? e.name ?? "error";
        throw error;
      }
    },
    // Below the SDK's retry middleware (also in finalizeRequest, priority high): runs once per attempt.
    { step: "finalizeRequest", name: "stcReportRetries", priority: "low" },
  );
}

/**
 * Fails clearly when credentials break AWS's rules (a line feed in a token from the environment, a cut key):
 * the SDK would fail with "Invalid character in header content", or send them.
 */
function checkUsable(credentials: Credentials, step: string): void {
  const problem = credentialsProblem(credentials);
  if (problem === undefined) return;
  throw new StcError(
    msg`${own(step)}: the credentials to sign with are not usable: ${own(problem)}`,
    {
      hint:
        "check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or the profile's key in ~/.aws/credentials; 'stc session' gets new ones",
      exitCode: ExitCode.CredentialsInvalid,
    },
  );
}

/** A logger for the SDK that drops its lines: what matters reaches the user as stc's own errors and notices. */
const SILENT_LOGGER = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function clientConfig(
  target: AwsTarget,
  settings: EndpointSettings,
  service: Service,
  handler: SdkRequestHandler,
) {
  const endpoint = settings.endpoint;
  const { accessKeyId, secretAccessKey, sessionToken } = target.credentials;
  registerSecret(secretAccessKey);
  registerSecret(sessionToken);
  return {
    region: signingRegion(service, target.region),
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    maxAttempts: target.maxAttempts ?? 5,
    requestHandler: handler,
    logger: SILENT_LOGGER,
    useFipsEndpoint: settings.useFipsEndpoint,
    useDualstackEndpoint: settings.useDualstackEndpoint,
    ...(settings.useGlobalEndpoint ? { useGlobalEndpoint: true } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(endpoint && service === "s3" ? { forcePathStyle: true } : {}),
  };
}

/** The parts of the SDK's retry strategy (smithy's `RetryStrategyV2`) that stc narrows. */
interface RetryStrategy {
  acquireInitialRetryToken(scope: string): Promise<unknown>;
  refreshRetryTokenForRetry(token: unknown, info: { error?: unknown }): Promise<unknown>;
  recordSuccess(token: unknown): void;
}

/**
 * Keeps the SDK's standard retry strategy (attempts, back-off, retry quota) but lets it retry only what
 * {@linkcode isRetryable} accepts. The retry middleware asks `config.retryStrategy()` on every call.
 */
function narrowRetries(client: { config: { retryStrategy: () => Promise<unknown> } }): void {
  const standard = client.config.retryStrategy;
  let narrowed: Promise<RetryStrategy> | undefined;
  client.config.retryStrategy = () =>
    narrowed ??= standard().then((given) => {
      const strategy = given as RetryStrategy;
      return {
        acquireInitialRetryToken: (scope) => strategy.acquireInitialRetryToken(scope),
        refreshRetryTokenForRetry: (token, info) =>
          isRetryable(info.error as Parameters<typeof isRetryable>[0])
            ? strategy.refreshRetryTokenForRetry(token, info)
            : Promise.reject(new Error("not retryable")),
        recordSuccess: (token) => strategy.recordSuccess(token),
      };
    });
}

/**
 * The region a request to `service` is signed for. IAM is global: it is signed for its partition's home region
 * (aws: us-east-1, aws-cn: cn-north-1, aws-us-gov: us-gov-west-1); STS and S3 use the given region.
 */
export function signingRegion(service: Service, region: string): string {
  if (service !== "iam") return region;
  if (region.startsWith("cn-")) return "cn-north-1";
  if (region.startsWith("us-gov-")) return "us-gov-west-1";
  return "us-east-1";
}

type StsSdk = typeof import("@aws-sdk/client-sts");
type IamSdk = typeof import("@aws-sdk/client-iam");
type S3Sdk = typeof import("@aws-sdk/client-s3");

type SdkClient = AnyClient & {
  destroy(): void;
  config: { retryStrategy: () => Promise<unknown> };
  // deno-lint-ignore no-explicit-any
  send: (command: any, options?: { abortSignal?: AbortSignal }) => Promise<any>;
};

/**
 * One shape for every call: load the SDK on first use, one client with visible retries of what can succeed on
 * retry, the call's deadline (`STC_REQUEST_TIMEOUT`, all attempts included), errors translated by toStcError and
 * naming the endpoint, the client's connections closed afterwards.
 */
async function withClient<Sdk, Client extends SdkClient, T>(
  target: AwsTarget,
  step: string,
  service: Service,
  load: () => Promise<Sdk>,
  create: (sdk: Sdk, config: ReturnType<typeof clientConfig>) => Client,
  call: (sdk: Sdk, client: Client) => Promise<T>,
): Promise<T> {
  // Settings and credentials are checked before anything is opened or loaded.
  checkUsable(target.credentials, step);
  const timeouts = timeoutsFrom(target.env);
  const settings = endpointSettings(service, target.env, target.profile);
  checkRegion(target.region);
  const sdk = await load();
  const http = await openHttpClient(target.env, target.profile);
  try {
    const handler = sdkRequestHandler(timeouts, http);
    const client = create(sdk, clientConfig(target, settings, service, handler));
    reportRetries(client, step, target.notices);
    try {
      return await callWithin(client, handler, timeouts.requestMs, () => call(sdk, client), step);
    } finally {
      client.destroy();
    }
  } finally {
    http?.close();
  }
}

/** The failure of one of several calls made at once on one client: which step failed, and why. */
class StepFailure extends Error {
  constructor(readonly step: string, cause: unknown) {
    super(step, { cause });
  }
}

/**
 * Runs `call` on `client` with visible, narrowed retries and the deadline of the whole call: every `send` gets
 * its abort signal. Errors are translated by toStcError, naming the endpoint last asked.
 */
async function callWithin<Client extends SdkClient, T>(
  client: Client,
  handler: SdkRequestHandler,
  requestMs: number,
  call: () => Promise<T>,
  step: string,
): Promise<T> {
  narrowRetries(client);
  const deadline = new AbortController();
  const timer = setTimeout(() => {
    const host = handler.lastHost() ?? "the endpoint";
    const reason = `no complete answer within ${requestMs / 1000} s (STC_REQUEST_TIMEOUT)`;
    deadline.abort(new NetworkError("request-timeout", host, reason));
  }, requestMs);
  const send = client.send.bind(client);
  client.send = (command, options) => send(command, { ...options, abortSignal: deadline.signal });
  try {
    return await call();
  } catch (error) {
    const failure = error instanceof StepFailure ? error : undefined;
    const reason = deadline.signal.aborted ? deadline.signal.reason : failure?.cause ?? error;
    throw toStcError(reason, failure?.step ?? step, handler.lastHost());
  } finally {
    clearTimeout(timer);
  }
}

// The import() specifiers stay literal, one per service, so that only the SDK a command needs is loaded.

function withSts<T>(
  target: AwsTarget,
  step: string,
  call: (sdk: StsSdk, client: InstanceType<StsSdk["STSClient"]>) => Promise<T>,
): Promise<T> {
  const load = () => import("@aws-sdk/client-sts");
  return withClient(target, step, "sts", load, (sdk, config) => new sdk.STSClient(config), call);
}

function withIam<T>(
  target: AwsTarget,
  step: string,
  call: (sdk: IamSdk, client: InstanceType<IamSdk["IAMClient"]>) => Promise<T>,
): Promise<T> {
  const load = () => import("@aws-sdk/client-iam");
  return withClient(target, step, "iam", load, (sdk, config) => new sdk.IAMClient(config), call);
}

function withS3<T>(
  target: AwsTarget,
  step: string,
  call: (sdk: S3Sdk, client: InstanceType<S3Sdk["S3Client"]>) => Promise<T>,
): Promise<T> {
  const load = () => import("@aws-sdk/client-s3");
  return withClient(target, step, "s3", load, (sdk, config) => new sdk.S3Client(config), call);
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
    throw new StcError(msg`${step}: AWS returned no credentials`);
  }
  const credentials: Credentials = {
    accessKeyId: String(c.AccessKeyId),
    secretAccessKey: String(c.SecretAccessKey),
    sessionToken: c.SessionToken === undefined ? undefined : String(c.SessionToken),
    expiration: c.Expiration ? new Date(c.Expiration) : undefined,
  };
  // Checked before anything is kept or shown: a huge or malformed value would break the shell or a file.
  const problem = credentialsProblem(credentials);
  if (problem !== undefined) {
    throw new StcError(
      msg`${own(step)} answered with credentials stc cannot use: ${own(problem)}`,
      {
        hint:
          "nothing was changed; AWS never answers like this: check the endpoint (AWS_ENDPOINT_URL) or a proxy",
      },
    );
  }
  registerSecret(credentials.secretAccessKey);
  registerSecret(credentials.sessionToken);
  return credentials;
}

/** STS GetCallerIdentity. */
export function getCallerIdentity(target: AwsTarget): Promise<CallerIdentity> {
  return withSts(target, "GetCallerIdentity", async (sdk, client) => {
    const out = await client.send(new sdk.GetCallerIdentityCommand({}));
    return { account: out.Account ?? "", arn: out.Arn ?? "", userId: out.UserId ?? "" };
  });
}

/**
 * STS GetCallerIdentity and GetSessionToken sent at once on one client: one round trip of latency instead of
 * two, for a session whose MFA device and code are known before the key is checked. When both fail, the
 * identity's error is the one reported: it is about the key, which the MFA code cannot fix.
 */
export function getIdentityAndSessionToken(
  target: AwsTarget,
  request: SessionTokenRequest,
): Promise<{ identity: CallerIdentity; credentials: Credentials }> {
  return withSts(target, "GetCallerIdentity", async (sdk, client) => {
    const [identity, token] = await Promise.allSettled([
      client.send(new sdk.GetCallerIdentityCommand({})),
      client.send(
        new sdk.GetSessionTokenCommand({
          DurationSeconds: request.durationSeconds,
          SerialNumber: request.serialNumber,
          TokenCode: request.tokenCode,
        }),
      ),
    ]);
    if (identity.status === "rejected") throw new StepFailure("GetCallerIdentity", identity.reason);
    if (token.status === "rejected") throw new StepFailure("GetSessionToken", token.reason);
    const out = identity.value;
    return {
      identity: { account: out.Account ?? "", arn: out.Arn ?? "", userId: out.UserId ?? "" },
      credentials: toCredentials(token.value.Credentials, "GetSessionToken"),
    };
  });
}

/** STS GetSessionToken: temporary credentials for the user, with MFA when given. */
export function getSessionToken(
  target: AwsTarget,
  request: SessionTokenRequest,
): Promise<Credentials> {
  const step = "GetSessionToken";
  return withSts(target, step, async (sdk, client) => {
    const out = await client.send(
      new sdk.GetSessionTokenCommand({
        DurationSeconds: request.durationSeconds,
        SerialNumber: request.serialNumber,
        TokenCode: request.tokenCode,
      }),
    );
    return toCredentials(out.Credentials, step);
  });
}

/** STS AssumeRole. */
export function assumeRole(target: AwsTarget, request: AssumeRoleRequest): Promise<AssumedRole> {
  const step = "AssumeRole";
  return withSts(target, step, async (sdk, client) => {
    const out = await client.send(
      new sdk.AssumeRoleCommand({
        RoleArn: request.roleArn,
        RoleSessionName: request.roleSessionName,
        ExternalId: request.externalId,
        DurationSeconds: request.durationSeconds,
        SerialNumber: request.serialNumber,
        TokenCode: request.tokenCode,
      }),
    );
    return {
      credentials: toCredentials(out.Credentials, step),
      assumedRoleArn: out.AssumedRoleUser?.Arn ?? "",
    };
  });
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
export function getFederationToken(
  target: AwsTarget,
  request: FederationTokenRequest,
): Promise<Credentials> {
  const step = "GetFederationToken";
  return withSts(target, step, async (sdk, client) => {
    const out = await client.send(
      new sdk.GetFederationTokenCommand({
        Name: request.name,
        DurationSeconds: request.durationSeconds,
        Policy: request.policy,
      }),
    );
    return toCredentials(out.Credentials, step);
  });
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
export function getUser(target: AwsTarget): Promise<IamUser> {
  return withIam(target, "GetUser", async (sdk, client) => {
    const out = await client.send(new sdk.GetUserCommand({}));
    return {
      userName: out.User?.UserName ?? "",
      arn: out.User?.Arn ?? "",
      userId: out.User?.UserId ?? "",
    };
  });
}

/** IAM ListMFADevices for a user (the caller when `userName` is absent): the serial numbers. */
export function listMfaDevices(target: AwsTarget, userName?: string): Promise<string[]> {
  return withIam(target, "ListMFADevices", async (sdk, client) => {
    const out = await client.send(
      new sdk.ListMFADevicesCommand(userName ? { UserName: userName } : {}),
    );
    return (out.MFADevices ?? []).map((d) => d.SerialNumber ?? "").filter((s) => s !== "");
  });
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
export function listAccessKeys(target: AwsTarget): Promise<AccessKeyInfo[]> {
  return withIam(target, "ListAccessKeys", async (sdk, client) => {
    const out = await client.send(new sdk.ListAccessKeysCommand({}));
    return (out.AccessKeyMetadata ?? []).map((k) => ({
      accessKeyId: k.AccessKeyId ?? "",
      status: k.Status ?? "",
      created: k.CreateDate ? new Date(k.CreateDate) : undefined,
    }));
  });
}

/** When and for which service an access key was last used, as IAM GetAccessKeyLastUsed says. */
export interface AccessKeyUse {
  /** When the key last authenticated a request; undefined when IAM has no record of any use. */
  lastUsed?: Date;
  /** The service of that request ("N/A" when never used). */
  service: string;
}

/** IAM GetAccessKeyLastUsed for one of the caller's keys. */
export function getAccessKeyLastUsed(
  target: AwsTarget,
  accessKeyId: string,
): Promise<AccessKeyUse> {
  return withIam(target, "GetAccessKeyLastUsed", async (sdk, client) => {
    const out = await client.send(
      new sdk.GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }),
    );
    const used = out.AccessKeyLastUsed;
    return {
      lastUsed: used?.LastUsedDate ? new Date(used.LastUsedDate) : undefined,
      service: used?.ServiceName ?? "N/A",
    };
  });
}

/** IAM CreateAccessKey for the caller: the new long-term key. */
export function createAccessKey(target: AwsTarget): Promise<Credentials> {
  const step = "CreateAccessKey";
  return withIam(target, step, async (sdk, client) => {
    const out = await client.send(new sdk.CreateAccessKeyCommand({}));
    return toCredentials(out.AccessKey, step);
  });
}

/** IAM DeleteAccessKey for the caller. */
export function deleteAccessKey(target: AwsTarget, accessKeyId: string): Promise<void> {
  return withIam(target, "DeleteAccessKey", async (sdk, client) => {
    await client.send(new sdk.DeleteAccessKeyCommand({ AccessKeyId: accessKeyId }));
  });
}

/** IAM ChangePassword for the caller. */
export function changePassword(
  target: AwsTarget,
  oldPassword: string,
  newPassword: string,
): Promise<void> {
  // The old password was typed by the user and is never put in a message; the new one is machine-made.
  registerSecret(newPassword);
  return withIam(target, "ChangePassword", async (sdk, client) => {
    await client.send(
      new sdk.ChangePasswordCommand({ OldPassword: oldPassword, NewPassword: newPassword }),
    );
  });
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
export function getAccountPasswordPolicy(target: AwsTarget): Promise<PasswordPolicy | undefined> {
  return withIam(target, "GetAccountPasswordPolicy", async (sdk, client) => {
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
      throw error;
    }
  });
}

/** S3 GetObject: the object's body as bytes. */
export function getObject(
  target: AwsTarget,
  bucket: string,
  key: string,
  maxBytes = Infinity,
): Promise<Uint8Array> {
  const step = `GetObject s3://${bucket}/${key}`;
  const tooLarge = () =>
    new StcError(msg`s3://${bucket}/${key} is larger than ${formatBytes(maxBytes)}`, {
      hint: "the object is not what stc expects there; check it in the bucket",
    });
  return withS3(target, step, async (sdk, client) => {
    const out = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!out.Body) throw new StcError(msg`${step}: the object has no body`);
    // Refused before its body is read, when S3 says how large it is.
    if ((out.ContentLength ?? 0) > maxBytes) throw tooLarge();
    const bytes = await out.Body.transformToByteArray();
    if (bytes.length > maxBytes) throw tooLarge();
    return bytes;
  });
}

/** S3 PutObject. */
export function putObject(
  target: AwsTarget,
  bucket: string,
  key: string,
  body: Uint8Array,
): Promise<void> {
  return withS3(target, `PutObject s3://${bucket}/${key}`, async (sdk, client) => {
    await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  });
}

/**
 * The URL a service's calls go to: the configured endpoint URL, else the one the AWS SDK's endpoint rules give for
 * the region and the FIPS, dual-stack and STS settings (loads that service's SDK; sends nothing).
 */
export async function endpointUrl(
  service: Service,
  region: string,
  env: Env,
  profile?: ProfileConfig,
): Promise<string> {
  const settings = endpointSettings(service, env, profile);
  if (settings.endpoint) return settings.endpoint;
  checkRegion(region);
  const config = {
    region: signingRegion(service, region),
    credentials: { accessKeyId: "AKIAENDPOINTONLY", secretAccessKey: "unused" },
    logger: SILENT_LOGGER,
  };
  // deno-lint-ignore no-explicit-any
  const client: any = service === "sts"
    ? new (await import("@aws-sdk/client-sts")).STSClient(config)
    : service === "iam"
    ? new (await import("@aws-sdk/client-iam")).IAMClient(config)
    : new (await import("@aws-sdk/client-s3")).S3Client(config);
  try {
    const resolved = await client.config.endpointProvider({
      Region: signingRegion(service, region),
      UseFIPS: settings.useFipsEndpoint,
      UseDualStack: settings.useDualstackEndpoint,
      ...(service === "sts" ? { UseGlobalEndpoint: settings.useGlobalEndpoint ?? false } : {}),
    }, { logger: SILENT_LOGGER });
    return String(resolved.url.href ?? resolved.url);
  } finally {
    client.destroy();
  }
}
