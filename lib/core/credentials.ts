/**
 * AWS credentials as stc passes them around, and reading them from an environment.
 *
 * @example
 * ```ts
 * import { credentialsFromEnv } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * const env = { AWS_ACCESS_KEY_ID: "ASIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "t" };
 * assert.deepEqual(credentialsFromEnv(env), { accessKeyId: "ASIAEXAMPLE", secretAccessKey: "s", sessionToken: "t" });
 * assert.equal(credentialsFromEnv({}), undefined);
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
