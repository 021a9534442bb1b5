/**
 * Fixture types and the emulator's mutable state: accounts, users, keys, MFA devices, roles,
 * temporary sessions, buckets, the emulator clock, faults and console sign-in tokens.
 *
 * @module
 */

import { createHash, randomBytes } from "node:crypto";
import { verifyTotp } from "./totp.ts";

/** An access key in the fixture. */
export interface FixtureAccessKey {
  /** `AKIA` + 16 uppercase letters/digits. */
  id: string;
  /** 40-character secret. */
  secret: string;
  /** Defaults to `Active`. */
  status?: "Active" | "Inactive";
  /** ISO date; defaults to 2024-01-01. */
  createDate?: string;
}

/** A virtual MFA device in the fixture. */
export interface FixtureMfaDevice {
  /** Device name; the serial is `arn:aws:iam::ACCOUNT:mfa/NAME`. */
  name: string;
  /** Base32 TOTP seed. */
  secret: string;
}

/** An IAM user in the fixture. */
export interface FixtureUser {
  name: string;
  /** Console password (login profile); absent means the user has none. */
  password?: string;
  /** When true, GetSessionToken with this user's keys requires SerialNumber + TokenCode. */
  mfaRequired?: boolean;
  accessKeys?: FixtureAccessKey[];
  mfaDevices?: FixtureMfaDevice[];
}

/** Who may assume a role. */
export interface FixtureTrust {
  /**
   * Principals: user ARNs (`arn:aws:iam::A:user/N`), role ARNs (`arn:aws:iam::A:role/N`, matching
   * sessions of that role: role chaining), account roots (`arn:aws:iam::A:root`) or bare account
   * ids (any IAM principal of that account).
   */
  principals: string[];
  /** Require MFA to be present (aws:MultiFactorAuthPresent). */
  requireMfa?: boolean;
  /** Require this sts:ExternalId. */
  externalId?: string;
}

/** An IAM role in the fixture. */
export interface FixtureRole {
  name: string;
  /** 3600–43200; default 3600. */
  maxSessionDuration?: number;
  trust: FixtureTrust;
}

/** An account password policy (GetAccountPasswordPolicy). */
export interface PasswordPolicy {
  minimumPasswordLength: number;
  requireSymbols: boolean;
  requireNumbers: boolean;
  requireUppercaseCharacters: boolean;
  requireLowercaseCharacters: boolean;
  allowUsersToChangePassword: boolean;
  expirePasswords: boolean;
  maxPasswordAge?: number;
  passwordReusePrevention?: number;
  hardExpiry?: boolean;
}

/** An AWS account in the fixture. */
export interface FixtureAccount {
  /** 12-digit account id. */
  id: string;
  alias?: string;
  users?: FixtureUser[];
  roles?: FixtureRole[];
  passwordPolicy?: PasswordPolicy;
}

/** An S3 bucket in the fixture. */
export interface FixtureBucket {
  name: string;
  /** Owning account id. */
  account: string;
  /** Principals allowed GetObject/HeadObject/ListObjectsV2 (same forms as trust principals). */
  readers: string[];
  /** Principals allowed PutObject. */
  writers: string[];
  /** Initial objects: key → UTF-8 text. */
  objects?: Record<string, string>;
}

/** The whole seed of an emulator. */
export interface Fixture {
  accounts: FixtureAccount[];
  buckets?: FixtureBucket[];
}

/** A user's access key in state. */
export interface AccessKeyState {
  id: string;
  secret: string;
  status: "Active" | "Inactive";
  createDate: number;
  /** Emulator-clock ms from which the key authenticates (IAM eventual consistency). */
  usableFrom: number;
  /** The last request the key authenticated (GetAccessKeyLastUsed); absent when never used. */
  lastUsed?: KeyUse;
}

/** When, for which service and in which region a long-term key last authenticated a request. */
export interface KeyUse {
  /** Emulator-clock ms. */
  at: number;
  /** The service of the request's credential scope (`sts`, `iam`, `s3`). */
  service: string;
  /** The region of the request's credential scope. */
  region: string;
}

/** An MFA device in state. */
export interface MfaDeviceState {
  serial: string;
  secret: string;
  enableDate: number;
}

/** A user in state. */
export interface UserState {
  accountId: string;
  name: string;
  arn: string;
  userId: string;
  createDate: number;
  password?: string;
  passwordHistory: string[];
  mfaRequired: boolean;
  keys: AccessKeyState[];
  mfaDevices: MfaDeviceState[];
}

/** A role in state. */
export interface RoleState {
  accountId: string;
  name: string;
  arn: string;
  roleId: string;
  maxSessionDuration: number;
  trust: FixtureTrust;
}

/** How temporary credentials were obtained. */
export type SessionKind = "session-token" | "assumed-role" | "federated";

/** Temporary credentials (ASIA…) issued by STS. */
export interface SessionState {
  kind: SessionKind;
  accessKeyId: string;
  secret: string;
  token: string;
  /** Emulator-clock ms. */
  expiration: number;
  accountId: string;
  /** The user behind session-token and federated credentials. */
  user?: UserState;
  role?: RoleState;
  /** Role session name or federated user name. */
  name?: string;
  mfa: boolean;
  /** Assumed-role credentials obtained with temporary credentials (role chaining). */
  roleChained: boolean;
}

/** A stored S3 object. */
export interface ObjectState {
  body: Uint8Array;
  contentType: string;
  etag: string;
  lastModified: number;
  checksums: Record<string, string>;
}

/** A bucket in state. */
export interface BucketState {
  name: string;
  accountId: string;
  readers: string[];
  writers: string[];
  objects: Map<string, ObjectState>;
}

/** What an injected fault does. */
export type FaultKind = FaultSpec["kind"];

/** What every fault names: the action (API name) and how many of its next calls it hits. */
export interface FaultBase {
  action: string;
  /** At least 1. */
  count: number;
}

/** `throttle` and `500`: the service's own error for that; `drop`: the connection is closed. */
export interface PlainFault extends FaultBase {
  kind: "throttle" | "500" | "drop";
}

/**
 * An AWS error the test words itself, in the service's error format (Query or S3 XML), for
 * hostile-text tests: any text, escaped so that the SDK parses back exactly that text.
 */
export interface ErrorFault extends FaultBase {
  kind: "error";
  /** HTTP status, 300–599. */
  status: number;
  /** `<Code>` text. */
  code: string;
  /** `<Message>` text. */
  message: string;
}

/** Credential fields a `credentials` fault puts into an STS answer instead of fresh ones. */
export interface CredentialOverride {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** `<Expiration>` text; if it parses as a date, the issued session expires then. */
  expiration?: string;
}

/**
 * The next `count` successful GetSessionToken, AssumeRole or GetFederationToken calls answer
 * with these field values. The session is registered under them, so values a client can send
 * back still authenticate.
 */
export interface CredentialsFault extends FaultBase {
  kind: "credentials";
  credentials: CredentialOverride;
}

/** A fault for the next `count` calls of `action`. */
export type FaultSpec = PlainFault | ErrorFault | CredentialsFault;

/** A console sign-in token issued by the federation endpoint. */
export interface SigninTokenState {
  issuedAt: number;
  session: SessionState;
  sessionDuration?: number;
  used: boolean;
}

/** A successful console login, recorded for assertions. */
export interface LoginRecord {
  /** Emulator-clock time of the login. */
  at: Date;
  issuer: string;
  destination: string;
  /** ARN of the signed-in identity. */
  arn: string;
  accountId: string;
  /** Console session length in seconds. */
  sessionDuration: number;
}

/** An AWS request (STS, IAM or S3), recorded for assertions. */
export interface RequestRecord {
  /** The service of the SigV4 credential scope (a guess from the request's form if unsigned). */
  service: "sts" | "iam" | "s3";
  /** API name, e.g. `GetSessionToken`; `""` if the request names none the emulator knows. */
  action: string;
  /** Query-protocol parameters (passwords redacted); empty for S3. */
  params: Record<string, string>;
  /** Request headers except Authorization and X-Amz-Security-Token. */
  headers: Record<string, string>;
  /** Whether the request passed authentication (signature, key, token, expiry, time). */
  authenticated: boolean;
  /** Caller ARN; absent when authentication failed. */
  caller?: string;
  /**
   * When the emulator began handling the request: ms since the emulator started, on a
   * monotonic clock (`performance.now()`), unaffected by `advanceClock`.
   */
  startedAt: number;
  /**
   * When the emulator handed its answer over (after any latency set with `setLatency`) or
   * dropped the connection, same clock; absent while the request is still in flight.
   */
  endedAt?: number;
  /** HTTP status of the answer; absent while in flight and for dropped connections. */
  status?: number;
  /** AWS error code of an error answer, e.g. `AccessDenied`. */
  errorCode?: string;
}

/** The emulator's whole mutable state. */
export interface State {
  accounts: Map<string, FixtureAccount>;
  users: UserState[];
  roles: Map<string, RoleState>;
  sessions: Map<string, SessionState>;
  buckets: Map<string, BucketState>;
  passwordPolicies: Map<string, PasswordPolicy>;
  /** Emulator clock = wall clock + this offset. */
  clockOffsetMs: number;
  keyPropagationDelayMs: number;
  faults: FaultSpec[];
  /** serial → code → expiry ms: codes already used, rejected until they leave the window. */
  usedMfaCodes: Map<string, Map<string, number>>;
  signinTokens: Map<string, SigninTokenState>;
  logins: LoginRecord[];
  /** action → number of authenticated calls received (faulted ones included). */
  calls: Map<string, number>;
  /** Every AWS request, authenticated or not, in order of arrival. */
  requests: RequestRecord[];
  /** `performance.now()` when the state was created: the origin of request timestamps. */
  startedAt: number;
  /** action (or `*`) → ms to hold each answer back. */
  latencies: Map<string, number>;
  /** Called when latencies change, so that answers held back re-check how long they still wait. */
  latencyWatchers: Set<() => void>;
  /** ListMFADevices without UserName fails as moto answers (404 "user with name None"). */
  listMfaDevicesRequiresUserName: boolean;
}

const DEFAULT_DATE = Date.parse("2024-01-01T00:00:00Z");

/** Builds fresh state from a fixture (the fixture is not mutated). */
export function createState(fixture: Fixture): State {
  const state: State = {
    accounts: new Map(),
    users: [],
    roles: new Map(),
    sessions: new Map(),
    buckets: new Map(),
    passwordPolicies: new Map(),
    clockOffsetMs: 0,
    keyPropagationDelayMs: 0,
    faults: [],
    usedMfaCodes: new Map(),
    signinTokens: new Map(),
    logins: [],
    calls: new Map(),
    requests: [],
    startedAt: performance.now(),
    latencies: new Map(),
    latencyWatchers: new Set(),
    listMfaDevicesRequiresUserName: false,
  };
  for (const account of fixture.accounts) {
    if (!/^\d{12}$/.test(account.id)) throw new Error(`fixture: bad account id ${account.id}`);
    state.accounts.set(account.id, account);
    if (account.passwordPolicy) state.passwordPolicies.set(account.id, account.passwordPolicy);
    for (const u of account.users ?? []) {
      state.users.push({
        accountId: account.id,
        name: u.name,
        arn: `arn:aws:iam::${account.id}:user/${u.name}`,
        userId: "AIDA" + randomId(17),
        createDate: DEFAULT_DATE,
        password: u.password,
        passwordHistory: u.password === undefined ? [] : [u.password],
        mfaRequired: u.mfaRequired ?? false,
        keys: (u.accessKeys ?? []).map((k) => {
          if (!/^AKIA[A-Z0-9]{16}$/.test(k.id)) throw new Error(`fixture: bad key id ${k.id}`);
          if (k.secret.length !== 40) throw new Error(`fixture: secret of ${k.id} is not 40 chars`);
          return {
            id: k.id,
            secret: k.secret,
            status: k.status ?? "Active",
            createDate: k.createDate ? Date.parse(k.createDate) : DEFAULT_DATE,
            usableFrom: 0,
          };
        }),
        mfaDevices: (u.mfaDevices ?? []).map((d) => ({
          serial: `arn:aws:iam::${account.id}:mfa/${d.name}`,
          secret: d.secret,
          enableDate: DEFAULT_DATE,
        })),
      });
    }
    for (const r of account.roles ?? []) {
      const arn = `arn:aws:iam::${account.id}:role/${r.name}`;
      state.roles.set(arn, {
        accountId: account.id,
        name: r.name,
        arn,
        roleId: "AROA" + randomId(17),
        maxSessionDuration: r.maxSessionDuration ?? 3600,
        trust: r.trust,
      });
    }
  }
  for (const b of fixture.buckets ?? []) {
    const objects = new Map<string, ObjectState>();
    state.buckets.set(b.name, {
      name: b.name,
      accountId: b.account,
      readers: b.readers,
      writers: b.writers,
      objects,
    });
    for (const [key, text] of Object.entries(b.objects ?? {})) {
      objects.set(key, makeObject(new TextEncoder().encode(text), "text/plain", DEFAULT_DATE, {}));
    }
  }
  return state;
}

/** Builds a stored object, computing its ETag (MD5, as S3 does for single-part uploads). */
export function makeObject(
  body: Uint8Array,
  contentType: string,
  at: number,
  checksums: Record<string, string>,
): ObjectState {
  return { body, contentType, etag: `"${md5Hex(body)}"`, lastModified: at, checksums };
}

function md5Hex(body: Uint8Array): string {
  return createHash("md5").update(body).digest("hex");
}

/** Monotonic ms since the emulator started (request timestamps). */
export function elapsedMs(state: State): number {
  return performance.now() - state.startedAt;
}

/** How long to hold back the answer to an action: its own latency, else `*`'s, else 0. */
export function latencyFor(state: State, action: string): number {
  return state.latencies.get(action) ?? state.latencies.get("*") ?? 0;
}

/** The emulator clock in ms since the epoch. */
export function nowMs(state: State): number {
  return Date.now() + state.clockOffsetMs;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Random uppercase letters and digits (key ids, unique ids). */
export function randomId(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => ALNUM[b % ALNUM.length]).join("");
}

/** A random 40-character secret access key. */
export function randomSecret(): string {
  return randomBytes(30).toString("base64").replace(/[^A-Za-z0-9+/]/g, "A").slice(0, 40);
}

/** A long random session token (AWS's are several hundred base64 characters). */
export function randomToken(): string {
  return "IQoJb3JpZ2luX2VjE" + randomBytes(300).toString("base64");
}

/** Finds a user by `name` or `ACCOUNT/name`. */
export function findUser(state: State, userName: string): UserState | undefined {
  const [account, name] = userName.includes("/") ? userName.split("/", 2) : [undefined, userName];
  return state.users.find((u) =>
    u.name === name && (account === undefined || u.accountId === account)
  );
}

/** Finds a user that owns an access key. */
export function findKey(
  state: State,
  accessKeyId: string,
): { user: UserState; key: AccessKeyState } | undefined {
  for (const user of state.users) {
    const key = user.keys.find((k) => k.id === accessKeyId);
    if (key) return { user, key };
  }
  return undefined;
}

/** Why an MFA check failed; `undefined` when it passed. */
export type MfaFailure = "invalid-code" | "unable-to-validate";

/**
 * Validates a TOTP code for one of the user's devices (current step ±1) and marks it used so
 * the same code cannot be replayed while it is still valid.
 */
export function checkMfa(
  state: State,
  user: UserState,
  serial: string,
  code: string,
): MfaFailure | undefined {
  const device = user.mfaDevices.find((d) => d.serial === serial);
  if (!device) return "unable-to-validate";
  const now = nowMs(state);
  const counter = verifyTotp(device.secret, code, now, 1);
  if (counter === undefined) return "invalid-code";
  const used = state.usedMfaCodes.get(serial) ?? new Map<string, number>();
  state.usedMfaCodes.set(serial, used);
  for (const [k, exp] of used) if (exp <= now) used.delete(k);
  // A code stays acceptable until one step after its own; remember it at least that long.
  // AWS reports a replayed code with its "unable to validate" message, not "invalid code".
  if (used.has(code)) return "unable-to-validate";
  used.set(code, (counter + 2) * 30_000);
  return undefined;
}
