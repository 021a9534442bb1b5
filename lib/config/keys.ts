/**
 * The names of the profile keys stc reads and writes besides the AWS SDKs' own: session-tool.sh's keys, which stc
 * keeps so that users of either tool share one set of files.
 *
 * @module
 */

/** session-tool.sh's key in `[default]` of ~/.aws/config naming the profile to use. */
export const DEFAULT_PROFILE_KEY = "session_tool_default_profile";
/** session-tool.sh's key naming the S3 bucket with the organisation's roles file. */
export const BUCKET_KEY = "session-tool_bucketname";
/** session-tool.sh's key naming the roles file in the bucket. */
export const ROLES_FILE_KEY = "session-tool_rolesfile";
/** session-tool.sh's key naming the browser for console sign-in. */
export const BROWSER_KEY = "session-tool_chrome";
/** The roles file name in the bucket when {@linkcode ROLES_FILE_KEY} is not set. */
export const DEFAULT_ROLES_FILE = "session-tool_roles.cfg";
/** The profile `stc import` writes to when none is given (session-tool.sh's default). */
export const IMPORT_PROFILE = "awsops";
/** stc's key in `[default]` of ~/.aws/config: `off` turns the session agent off (as `STC_AGENT=off` does). */
export const AGENT_KEY = "stc_agent";
/** The profile key naming a program that prints the MFA code (aws-vault's name). */
export const MFA_PROCESS_KEY = "mfa_process";
