/**
 * `stc status`: what the shell's AWS session is — identity, profile, role and time left — read from the
 * environment stc set, without network unless `--verify` is given.
 *
 * @module
 */

import { type Command, type Context, defineCommand } from "../cli/command.ts";
import type { CallerIdentity } from "../aws/client.ts";
import { humanLine, printLine } from "../cli/output.ts";
import { readBaseSession } from "../session/variables.ts";
import { formatDuration, formatLocalTime, secondsLeft } from "../core/time.ts";
import { STATUS_SPEC } from "./specs/status.ts";

/** The shell's session as `stc status --json` reports it. */
export interface SessionStatus {
  /** Whether the shell holds AWS credentials at all. */
  active: boolean;
  /** AWS_PROFILE. */
  profile: string | null;
  /** ARN of the IAM user (AWS_USER). */
  user: string | null;
  /** AWS_USERNAME. */
  userName: string | null;
  /** The access key id in use (not secret). */
  accessKeyId: string | null;
  /** The assumed role, when one is. */
  role: { alias: string; accountId: string; accountName: string; roleName: string } | null;
  /** Expiry of the credentials in use, ISO 8601. */
  expiration: string | null;
  /** Seconds left (negative when expired). */
  secondsLeft: number | null;
  /** Whether the credentials in use have expired. */
  expired: boolean;
  /** The base (MFA) session kept for later commands, when the shell function handed one over. */
  baseSession: { profile: string; expiration: string; secondsLeft: number } | null;
  /** What AWS said about the credentials, with `--verify`. */
  verified: CallerIdentity | null;
}

/** Reads the session status from an environment (pure: no network). */
export function sessionStatus(env: Context["env"], now: Date): SessionStatus {
  const value = (name: string) => (env[name] ? env[name]! : null);
  const expiration = value("AWS_EXPIRATION") ?? value("AWS_CREDENTIAL_EXPIRATION");
  const validExpiration = expiration && !Number.isNaN(Date.parse(expiration)) ? expiration : null;
  const left = validExpiration ? secondsLeft(validExpiration, now) : null;
  const base = readBaseSession(env);
  return {
    active: Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY),
    profile: value("AWS_PROFILE"),
    user: value("AWS_USER"),
    userName: value("AWS_USERNAME"),
    accessKeyId: value("AWS_ACCESS_KEY_ID"),
    role: env.AWS_ACCOUNT_ROLE || env.AWS_ROLE_ALIAS
      ? {
        alias: env.AWS_ROLE_ALIAS ?? "",
        accountId: env.AWS_ACCOUNT_ID ?? "",
        accountName: env.AWS_ACCOUNT_NAME ?? "",
        roleName: env.AWS_ACCOUNT_ROLE ?? "",
      }
      : null,
    expiration: validExpiration,
    secondsLeft: left,
    expired: left !== null && left <= 0,
    baseSession: base
      ? {
        profile: base.profile,
        expiration: base.expiration,
        secondsLeft: secondsLeft(base.expiration, now),
      }
      : null,
    verified: null,
  };
}

/**
 * The local expiry time stc wrote when it set the credentials (`AWS_EXPIRATION_LOCAL`), when it belongs to the
 * expiry in use (`AWS_EXPIRATION_S` is that instant): the same words the shell shows, without loading the
 * time-zone names of `Intl` to write them again on every status.
 */
export function localExpiration(env: Context["env"], status: SessionStatus): string | undefined {
  const local = env.AWS_EXPIRATION_LOCAL;
  if (!local || status.expiration === null) return undefined;
  const seconds = Math.floor(Date.parse(status.expiration) / 1000);
  return env.AWS_EXPIRATION_S === String(seconds) ? local : undefined;
}

/** The status as lines for a person; `local` is the expiry in local time when already written (see above). */
export function formatStatus(status: SessionStatus, local?: string): string[] {
  if (!status.active) return ["no AWS session in this shell (stc session to get one)"];
  const lines: string[] = [];
  const who = status.user ?? status.userName ?? "unknown user";
  lines.push(`identity:  ${who}${status.profile ? ` (profile ${status.profile})` : ""}`);
  if (status.role) {
    const account = status.role.accountName
      ? `${status.role.accountName} (${status.role.accountId})`
      : status.role.accountId;
    lines.push(
      `role:      ${status.role.roleName} in ${account}${
        status.role.alias ? ` [${status.role.alias}]` : ""
      }`,
    );
  }
  if (status.expiration !== null && status.secondsLeft !== null) {
    lines.push(
      `expires:   ${local ?? formatLocalTime(new Date(status.expiration))} (${
        status.expired ? "EXPIRED" : `${formatDuration(status.secondsLeft)} left`
      })`,
    );
  } else {
    lines.push("expires:   unknown (not set by stc)");
  }
  if (status.role && status.baseSession) {
    lines.push(
      `base:      profile ${status.baseSession.profile}, ${
        status.baseSession.secondsLeft > 0
          ? `${formatDuration(status.baseSession.secondsLeft)} left`
          : "EXPIRED"
      }`,
    );
  }
  if (status.verified) {
    lines.push(`verified:  ${status.verified.arn} (account ${status.verified.account})`);
  }
  return lines;
}

/** `stc status`. */
export const statusCommand: Command = defineCommand(
  STATUS_SPEC,
  async (context, input) => {
    const status = sessionStatus(context.env, context.now());
    if (input.options.verify) {
      // The AWS layer only for --verify: the status itself is read from the environment.
      const [{ requireShellCredentials }, { profileRegion }, { getCallerIdentity }] = await Promise
        .all([
          import("./shell_credentials.ts"),
          import("../config/profile.ts"),
          import("../aws/client.ts"),
        ]);
      const credentials = requireShellCredentials(context);
      status.verified = await getCallerIdentity({
        env: context.env,
        region: profileRegion(context.env, undefined),
        credentials,
        maxAttempts: 3,
        notices: context.term,
      });
    }
    if (input.options.json) return [printLine(JSON.stringify(status, null, 2))];
    return formatStatus(status, localExpiration(context.env, status)).map(humanLine);
  },
);
