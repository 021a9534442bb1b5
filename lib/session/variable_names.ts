/**
 * The names of the shell variables stc sets, and which of them hold secrets. A module of its own: every run
 * registers the secret ones for redaction, and most runs need nothing else of a session.
 *
 * @module
 */

/** The unexported shell variable holding the base session (JSON). */
export const BASE_SESSION_VARIABLE = "STC_BASE_SESSION";

/** Variables that describe the credentials in use. */
export const CREDENTIAL_VARIABLES: readonly string[] = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_EXPIRATION",
  "AWS_EXPIRATION_S",
  "AWS_EXPIRATION_LOCAL",
  "AWS_CREDENTIAL_EXPIRATION",
];

/** Variables that describe the user and profile of a session. */
export const SESSION_VARIABLES: readonly string[] = [
  "AWS_PROFILE",
  "AWS_USER",
  "AWS_USERNAME",
  "AWS_SERIAL",
  "AWS_SESSION_TOOL",
];

/** Variables that describe an assumed role. */
export const ROLE_VARIABLES: readonly string[] = [
  "AWS_ROLE_ALIAS",
  "AWS_ACCOUNT_ID",
  "AWS_ACCOUNT_NAME",
  "AWS_ACCOUNT_ROLE",
];

/** Stale variables other tools set that would shadow stc's credentials. */
export const LEGACY_VARIABLES: readonly string[] = ["AWS_SECURITY_TOKEN"];

/** Variables whose values are secrets: never written to a terminal, and never handed to other programs. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  BASE_SESSION_VARIABLE,
]);

/** Every variable stc may set: what `stc session -c` removes. */
export const ALL_VARIABLES: readonly string[] = [
  ...CREDENTIAL_VARIABLES,
  ...SESSION_VARIABLES,
  ...ROLE_VARIABLES,
  ...LEGACY_VARIABLES,
  BASE_SESSION_VARIABLE,
];
