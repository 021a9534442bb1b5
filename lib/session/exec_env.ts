/**
 * The environment `stc exec` gives its command: the caller's, without any AWS credential, profile or stc session
 * variable, plus the credentials to use and stc's informational variables.
 *
 * @example
 * ```ts
 * import { execEnvironment } from "./exec_env.ts";
 * import assert from "node:assert/strict";
 * const env = execEnvironment(
 *   { PATH: "/bin", AWS_PROFILE: "awsops", AWS_SECRET_ACCESS_KEY: "long-term", STC_BASE_SESSION: "{}" },
 *   { accessKeyId: "ASIAX", secretAccessKey: "s", sessionToken: "t", expiration: new Date(0) },
 *   { region: "eu-west-1", label: "dev-admin", variables: { AWS_ROLE_ALIAS: "dev-admin" } },
 * );
 * assert.equal(env.PATH, "/bin");
 * assert.equal(env.AWS_PROFILE, undefined);
 * assert.equal(env.STC_BASE_SESSION, undefined);
 * assert.equal(env.AWS_SECRET_ACCESS_KEY, "s");
 * assert.equal(env.AWS_REGION, "eu-west-1");
 * assert.equal(env.STC_EXEC, "dev-admin");
 * ```
 *
 * @module
 */

import type { Credentials } from "../core/credentials.ts";
import type { Env } from "../core/env.ts";
import { expiryVariables } from "./variables.ts";
import { ALL_VARIABLES } from "./variable_names.ts";

/** Set inside `stc exec`'s command (to what it runs as), so that a nested `stc exec` is noticed. */
export const EXEC_VARIABLE = "STC_EXEC";

/** Variables other tools read that would choose other credentials than the ones given. */
const SHADOWING = [
  "AWS_DEFAULT_PROFILE",
  "AWS_SECURITY_TOKEN",
  "AWS_CREDENTIAL_FILE",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_ROLE_SESSION_NAME",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "STC_EVAL_SHELL",
];

/** What the command runs as. */
export interface ExecIdentity {
  /** The region for the SDK. */
  region?: string;
  /** The role alias or profile, for STC_EXEC. */
  label: string;
  /** stc's informational variables (AWS_ROLE_ALIAS, AWS_ACCOUNT_ID, AWS_USER, …). */
  variables: Record<string, string | undefined>;
}

/** `env` without any variable that chooses or holds credentials, plus `set` (those with a value). */
function cleanEnvironment(
  env: Env,
  set: Record<string, string | undefined>,
): Record<string, string> {
  const removed = new Set([...ALL_VARIABLES, ...SHADOWING]);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !removed.has(name)) out[name] = value;
  }
  for (const [name, value] of Object.entries(set)) if (value) out[name] = value;
  return out;
}

/** Where a credential server listens, and its token. */
export interface CredentialEndpoint {
  /** For AWS_CONTAINER_CREDENTIALS_FULL_URI. */
  url: string;
  /** For AWS_CONTAINER_AUTHORIZATION_TOKEN. */
  token: string;
}

/**
 * The command's environment under `stc exec --server`: no credentials at all, only where to fetch them (the
 * container-credentials variables every SDK reads), so that they are renewed while it runs.
 */
export function serverEnvironment(
  env: Env,
  endpoint: CredentialEndpoint,
  identity: ExecIdentity,
): Record<string, string> {
  return cleanEnvironment(env, {
    ...identity.variables,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: endpoint.token,
    AWS_REGION: identity.region,
    AWS_DEFAULT_REGION: identity.region,
    [EXEC_VARIABLE]: identity.label,
  });
}

/** The command's environment. */
export function execEnvironment(
  env: Env,
  credentials: Credentials,
  identity: ExecIdentity,
): Record<string, string> {
  const expiration = credentials.expiration ?? new Date(Date.now() + 3600_000);
  return cleanEnvironment(env, {
    ...identity.variables,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    ...expiryVariables(expiration),
    AWS_REGION: identity.region,
    AWS_DEFAULT_REGION: identity.region,
    [EXEC_VARIABLE]: identity.label,
  });
}
