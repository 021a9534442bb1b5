/**
 * AWS credentials as stc passes them around, reading them from an environment, and AWS's rules for them.
 *
 * @example
 * ```ts
 * import { credentialsFromEnv, credentialsProblem } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * const env = { AWS_ACCESS_KEY_ID: "ASIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "t" };
 * assert.deepEqual(credentialsFromEnv(env), { accessKeyId: "ASIAEXAMPLE", secretAccessKey: "s", sessionToken: "t" });
 * assert.equal(credentialsFromEnv({}), undefined);
 *
 * const key = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
 * assert.equal(credentialsProblem(key), undefined);
 * assert.equal(credentialsProblem({ ...key, sessionToken: "two\nlines" }), "the session token holds a line feed");
 * assert.equal(
 *   credentialsProblem({ ...key, sessionToken: "A".repeat(100_000) }),
 *   "the session token is 100000 characters long (at most 8192)",
 * );
 * ```
 *
 * @module
 */

import type { Env } from "./env.ts";

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

/**
 * The credentials in an environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, optional `AWS_SESSION_TOKEN`
 * and the expiry from `AWS_EXPIRATION` or `AWS_CREDENTIAL_EXPIRATION`), or undefined without a key pair.
 */
export function credentialsFromEnv(env: Env): Credentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const expiration = env.AWS_EXPIRATION || env.AWS_CREDENTIAL_EXPIRATION;
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    ...(expiration && !Number.isNaN(Date.parse(expiration))
      ? { expiration: new Date(expiration) }
      : {}),
  };
}

/** A field's allowed characters (one character each) and length. */
export interface FieldRule {
  /** Matches one allowed character. */
  char: RegExp;
  /** Shortest allowed length. */
  min: number;
  /** Longest allowed length. */
  max: number;
}

/**
 * AWS's rules for credentials (IAM and STS API reference), enforced on every set stc receives, reads or is about to
 * use: a broken or hostile value fails with a clear message instead of reaching a file, the shell (a 100 KB token
 * exceeds the OS limit on one environment string) or an HTTP header.
 */
export const CREDENTIAL_RULES: Readonly<
  Record<"accessKeyId" | "secretAccessKey" | "sessionToken", FieldRule>
> = {
  /** AccessKeyId: 16-128 word characters (documented). */
  accessKeyId: { char: /^\w$/, min: 16, max: 128 },
  /** No documented pattern; AWS's are 40 characters of base64. Visible ASCII, bounded. */
  secretAccessKey: { char: /^[\x21-\x7e]$/, min: 16, max: 128 },
  /** Visible ASCII (AWS's are base64). No documented maximum; AWS's stay well under half of this one. */
  sessionToken: { char: /^[\x21-\x7e]$/, min: 1, max: 8192 },
};

/** The earliest and latest expiry stc believes: a date outside is a broken answer, not a session. */
const EXPIRY_RANGE = [Date.UTC(2000, 0, 1), Date.UTC(2200, 0, 1)] as const;

/** What kind of character `char` is, for a message that must not quote it. */
export function characterKind(char: string): string {
  if (char === "\n") return "a line feed";
  if (char === "\r") return "a carriage return";
  if (char === " ") return "a space";
  const code = char.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f) return "a control character";
  if (code > 0x7e) return "a character outside ASCII";
  return `the character '${char}'`;
}

/** What is wrong with one field by its rule, without quoting it; undefined when nothing is. */
export function fieldProblem(what: string, value: string, rule: FieldRule): string | undefined {
  const bad = [...value].find((c) => !rule.char.test(c));
  if (bad !== undefined) return `${what} holds ${characterKind(bad)}`;
  if (value.length > rule.max) {
    return `${what} is ${value.length} characters long (at most ${rule.max})`;
  }
  if (value.length < rule.min) {
    return `${what} is ${value.length} characters long (at least ${rule.min})`;
  }
  return undefined;
}

/**
 * What is wrong with `credentials` by {@linkcode CREDENTIAL_RULES} (and a believable expiry), or undefined when
 * nothing is. The description never quotes a value.
 */
export function credentialsProblem(credentials: Credentials): string | undefined {
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = credentials;
  const problem = fieldProblem("the access key id", accessKeyId, CREDENTIAL_RULES.accessKeyId) ??
    fieldProblem("the secret key", secretAccessKey, CREDENTIAL_RULES.secretAccessKey) ??
    (sessionToken === undefined
      ? undefined
      : fieldProblem("the session token", sessionToken, CREDENTIAL_RULES.sessionToken));
  if (problem !== undefined) return problem;
  if (expiration !== undefined) {
    const time = expiration.getTime();
    if (Number.isNaN(time)) return "the expiry is not a date";
    if (time < EXPIRY_RANGE[0] || time > EXPIRY_RANGE[1]) {
      return "the expiry is not a believable date";
    }
  }
  return undefined;
}
