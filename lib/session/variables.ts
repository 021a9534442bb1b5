/**
 * The shell variables stc sets for a session or an assumed role, and the base (MFA) session it keeps in the shell.
 *
 * The base session lives in the unexported shell variable `STC_BASE_SESSION`: the shell function from `stc init`
 * hands it to stc alone, so later `assume` and `console` calls need no new MFA code, while child processes of the
 * shell (which see only exported variables) never see it.
 *
 * @module
 */

import {
  type Credentials,
  credentialsProblem,
  fieldProblem,
  type FieldRule,
} from "../core/credentials.ts";
import type { Env } from "../core/env.ts";
import { formatLocalTime, isoSeconds } from "../core/time.ts";
import type { ShellAction } from "../shell/emitter.ts";
import { msg, own, type Text } from "../core/message.ts";
import { registerSecret } from "../core/secrets.ts";
import { StcError } from "../core/errors.ts";
import type { Notices } from "../term/term.ts";
import {
  ALL_VARIABLES,
  BASE_SESSION_VARIABLE,
  LEGACY_VARIABLES,
  ROLE_VARIABLES,
} from "./variable_names.ts";

/** A session from GetSessionToken, as kept in the shell and in the encrypted store. */
export interface SessionRecord {
  /** The profile whose long-term key made it. */
  profile: string;
  /** Temporary credentials. */
  accessKeyId: string;
  /** Secret of the temporary credentials. */
  secretAccessKey: string;
  /** Session token. */
  sessionToken: string;
  /** Expiry, ISO 8601. */
  expiration: string;
  /** ARN of the IAM user. */
  userArn: string;
  /** IAM user name. */
  userName: string;
  /** MFA device serial used, when any. */
  serial?: string;
  /** Region the session was made in. */
  region?: string;
}

/** The role a shell has assumed. */
export interface RoleInfo {
  /** The alias the user typed (or the account/role pair). */
  alias: string;
  /** The role ARN. */
  roleArn: string;
  /** Account id of the role. */
  accountId: string;
  /** Account name or alias, when known. */
  accountName: string;
  /** Role name (last part of the ARN). */
  roleName: string;
}

/** Who credentials belong to: the shell's profile and user variables. */
export interface CredentialOwner {
  /** The profile whose key or session was used. */
  profile: string;
  /** ARN of the IAM user, when known. */
  userArn?: string;
  /** IAM user name, when known. */
  userName?: string;
  /** MFA device serial used, when any. */
  serial?: string;
}

/** The expiry variables for credentials that expire at `expiration`. */
export function expiryVariables(expiration: Date): Record<string, string> {
  const iso = isoSeconds(expiration);
  return {
    AWS_EXPIRATION: iso,
    AWS_EXPIRATION_S: String(Math.floor(expiration.getTime() / 1000)),
    AWS_EXPIRATION_LOCAL: formatLocalTime(expiration),
    AWS_CREDENTIAL_EXPIRATION: iso,
  };
}

function exportAll(variables: Record<string, string | undefined>): ShellAction[] {
  return Object.entries(variables).map(([name, value]) =>
    value === undefined || value === "" ? { kind: "unset", name } : { kind: "export", name, value }
  );
}

/**
 * The actions that make `session` the shell's current and base session: its credentials, user and expiry are
 * exported, the base copy is kept unexported, role variables are removed.
 */
export function sessionActions(session: SessionRecord, toolPath: string): ShellAction[] {
  return [
    ...exportAll({
      AWS_ACCESS_KEY_ID: session.accessKeyId,
      AWS_SECRET_ACCESS_KEY: session.secretAccessKey,
      AWS_SESSION_TOKEN: session.sessionToken,
      ...expiryVariables(new Date(session.expiration)),
      AWS_PROFILE: session.profile,
      AWS_USER: session.userArn,
      AWS_USERNAME: session.userName,
      AWS_SERIAL: session.serial,
      AWS_SESSION_TOOL: toolPath,
    }),
    ...[...ROLE_VARIABLES, ...LEGACY_VARIABLES].map((name): ShellAction => ({
      kind: "unset",
      name,
    })),
    baseSessionAction(session),
  ];
}

/** The action that keeps `session` as the shell's base session (unexported, for stc alone). */
export function baseSessionAction(session: SessionRecord): ShellAction {
  return { kind: "set", name: BASE_SESSION_VARIABLE, value: JSON.stringify(session) };
}

/**
 * The actions that switch the shell to an assumed role's credentials, with the profile and user they came from
 * (for prompts and `stc status`). The base session stays as it was (kept unexported), so the user can assume
 * again or return to it.
 */
export function roleActions(
  owner: CredentialOwner | undefined,
  role: RoleInfo,
  credentials: Credentials,
  toolPath: string,
  now: Date,
): ShellAction[] {
  // AWS always sends an expiry; an hour (the chained-role length) is the safe guess for a server that does not.
  const expiration = credentials.expiration ?? new Date(now.getTime() + 3600_000);
  return [
    ...exportAll({
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
      ...expiryVariables(expiration),
      AWS_ROLE_ALIAS: role.alias,
      AWS_ACCOUNT_ID: role.accountId,
      AWS_ACCOUNT_NAME: role.accountName,
      AWS_ACCOUNT_ROLE: role.roleName,
      AWS_SESSION_TOOL: toolPath,
      ...(owner
        ? {
          AWS_PROFILE: owner.profile,
          AWS_USER: owner.userArn,
          AWS_USERNAME: owner.userName,
          AWS_SERIAL: owner.serial,
        }
        : {}),
    }),
    ...LEGACY_VARIABLES.map((name): ShellAction => ({ kind: "unset", name })),
  ];
}

/** The actions that remove every variable stc sets. */
export function clearActions(): ShellAction[] {
  return ALL_VARIABLES.map((name) => ({ kind: "unset", name }));
}

/** Rules for the names in a session record (IAM's, and bounds that keep every variable short). */
const NAME_RULES: Readonly<Record<string, FieldRule>> = {
  profile: { char: /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]$/u, min: 1, max: 256 },
  userArn: { char: /^[\x21-\x7e]$/, min: 1, max: 2048 },
  userName: { char: /^[\w+=,.@-]$/, min: 1, max: 64 },
  serial: { char: /^[\x21-\x7e]$/, min: 1, max: 256 },
  region: { char: /^[a-z0-9-]$/, min: 1, max: 32 },
};

/**
 * What is wrong with `value` as a session record, without quoting any of it; undefined when it is one. Every field
 * is checked against AWS's rules and bounded, so a record from the shell or a file can be used and kept safely.
 */
export function sessionRecordProblem(value: unknown): string | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return "not a session record";
  const v = value as Record<string, unknown>;
  const required = [
    "profile",
    "accessKeyId",
    "secretAccessKey",
    "sessionToken",
    "expiration",
    "userArn",
    "userName",
  ];
  const missing = required.find((key) => typeof v[key] !== "string" || v[key] === "");
  if (missing !== undefined) return `no ${missing}`;
  for (const key of ["serial", "region"]) {
    if (v[key] !== undefined && typeof v[key] !== "string") return `${key} is not text`;
  }
  const expiration = new Date(v.expiration as string);
  const credentials = credentialsProblem({
    accessKeyId: v.accessKeyId as string,
    secretAccessKey: v.secretAccessKey as string,
    sessionToken: v.sessionToken as string,
    expiration,
  });
  if (credentials !== undefined) return credentials;
  for (const [key, rule] of Object.entries(NAME_RULES)) {
    if (v[key] === undefined) continue;
    const problem = fieldProblem(key, v[key] as string, rule);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * `session` when it follows {@linkcode sessionRecordProblem}'s rules, else an error saying what is wrong with `what`:
 * for a session made from AWS's answers (the user ARN, the credentials) or read from a file, before it is stored or
 * handed to the shell. Its secrets are redacted from then on.
 */
export function checkSessionRecord(
  session: SessionRecord,
  what: Text = own("the new session"),
  hint: Text =
    "nothing was changed; AWS never answers like this: check the endpoint (AWS_ENDPOINT_URL) or a proxy",
): SessionRecord {
  const problem = sessionRecordProblem(session);
  if (problem !== undefined) {
    throw new StcError(msg`${what} cannot be used: ${own(problem)}`, { hint });
  }
  registerSecret(session.secretAccessKey);
  registerSecret(session.sessionToken);
  return session;
}

/** Parses a session record from JSON; undefined when it is not one (see {@linkcode sessionRecordProblem}). */
export function parseSessionRecord(text: string | undefined): SessionRecord | undefined {
  return text ? readSessionRecord(text).session : undefined;
}

/** A session record read from JSON, or what is wrong with the text. */
export type SessionRecordReading = { session: SessionRecord; problem?: undefined } | {
  session?: undefined;
  problem: string;
};

/** Reads a session record from JSON, saying what is wrong when it is not one (never quoting the text). */
export function readSessionRecord(text: string): SessionRecordReading {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: "not JSON" };
  }
  const problem = sessionRecordProblem(value);
  if (problem !== undefined) return { problem };
  const v = value as SessionRecord;
  // Only the known fields, so nothing else the text held travels on.
  registerSecret(v.secretAccessKey);
  registerSecret(v.sessionToken);
  const session: SessionRecord = {
    profile: v.profile,
    accessKeyId: v.accessKeyId,
    secretAccessKey: v.secretAccessKey,
    sessionToken: v.sessionToken,
    expiration: v.expiration,
    userArn: v.userArn,
    userName: v.userName,
    ...(v.serial !== undefined ? { serial: v.serial } : {}),
    ...(v.region !== undefined ? { region: v.region } : {}),
  };
  return { session };
}

const warnedUnreadable = new WeakSet<Env>();

/**
 * The base session the shell function handed to stc, if any. One that cannot be read (broken, cut, or breaking
 * AWS's rules) is ignored, and `notices` gets one warning saying so, once per environment.
 */
export function readBaseSession(env: Env, notices?: Notices): SessionRecord | undefined {
  const text = env[BASE_SESSION_VARIABLE];
  if (!text) return undefined;
  const reading = readSessionRecord(text);
  if (reading.problem !== undefined && notices && !warnedUnreadable.has(env)) {
    warnedUnreadable.add(env);
    notices.warn(
      msg`the base session in ${own(BASE_SESSION_VARIABLE)} is unreadable (${
        own(reading.problem)
      }); it is ignored (a new 'stc session' replaces it)`,
    );
  }
  return reading.session;
}

/**
 * Whether the environment shows a session `stc session` made (its exported user and tool variables): the shell
 * that evaluated it then also holds the base session, unexported, although none was handed over.
 */
export function hasSessionVariables(env: Env): boolean {
  return Boolean(env.AWS_SESSION_TOOL && env.AWS_USER);
}

/** The credentials of a session record. */
export function sessionCredentials(session: SessionRecord): Credentials {
  return {
    accessKeyId: session.accessKeyId,
    secretAccessKey: session.secretAccessKey,
    sessionToken: session.sessionToken,
    expiration: new Date(session.expiration),
  };
}
