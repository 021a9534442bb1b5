/**
 * `stc session`: an MFA session from the profile's long-term key (GetSessionToken), and the sessions stored
 * between shells (`-s`, `-r`, `-l`), clearing (`-c`) and verifying (`-v`) the shell's credentials. The options are
 * session-tool.sh's `get_session` letters.
 *
 * @module
 */

import { DEFAULT_SESSION_SECONDS, parseDuration, SESSION_TOKEN_LIMITS } from "../core/duration.ts";
import {
  type Command,
  type Context,
  type ParsedArgs,
  profileOption,
  toolPath,
} from "../cli/command.ts";
import {
  type AwsTarget,
  type Credentials,
  getCallerIdentity,
  getSessionToken,
} from "../aws/client.ts";
import { mergeProfileUpdates, updateProfiles } from "../config/aws_files.ts";
import { ExitCode, StcError, usageError } from "../core/errors.ts";
import { decryptLegacySession, legacyToSessionRecord } from "../session/legacy.ts";
import { checkMfaCode, mfaSerialUpdate, obtainMfaCode, resolveMfaDevice } from "../session/mfa.ts";
import { guardSecretOutput, printLine } from "../cli/output.ts";
import {
  DEFAULT_PROFILE_KEY,
  longTermKey,
  profileRegion,
  requireProfile,
  selectProfile,
} from "../config/profile.ts";
import { getProfile } from "../config/ini.ts";
import { loadProfiles } from "../roles/load.ts";
import {
  decryptSession,
  legacySessionPath,
  listStoredSessions,
  readLegacySession,
  readStoredSession,
  saveSession,
  sessionStoreDir,
  storedSessionPath,
} from "../session/store.ts";
import {
  clearActions,
  formatDuration,
  formatLocalTime,
  readBaseSession,
  secondsLeft,
  sessionActions,
  type SessionRecord,
} from "../session/variables.ts";
import type { ShellAction } from "../shell/emitter.ts";
import { confirm, info, prompt, promptNewSecret, say } from "../term/ui.ts";

/** A base session with more than this many seconds left is returned to by `-r` without a passphrase. */
const RETURN_TO_BASE_MIN_SECONDS = 600;

/** The user name in a user ARN (`arn:aws:iam::1:user/path/name` → `name`). */
export function userNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1) || arn;
}

function describe(session: SessionRecord, now: Date): string {
  const left = secondsLeft(session.expiration, now);
  return `${session.userName} (profile ${session.profile}) until ${
    formatLocalTime(new Date(session.expiration))
  } (${formatDuration(left)} left)`;
}

/** Credentials of the shell's environment (what `-v` checks), or undefined when there are none. */
function environmentCredentials(env: Context["env"]): Credentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const expiration = env.AWS_EXPIRATION ?? env.AWS_CREDENTIAL_EXPIRATION;
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    ...(expiration && !Number.isNaN(Date.parse(expiration))
      ? { expiration: new Date(expiration) }
      : {}),
  };
}

async function verify(context: Context): Promise<ShellAction[]> {
  const credentials = environmentCredentials(context.env);
  if (!credentials) {
    throw new StcError("no AWS credentials in this shell", {
      hint: "get a session with 'stc session', or restore one with 'stc session -r'",
      exitCode: ExitCode.SessionExpired,
    });
  }
  const now = context.now();
  if (credentials.expiration && secondsLeft(credentials.expiration, now) <= 0) {
    throw new StcError(
      `the session in this shell expired at ${formatLocalTime(credentials.expiration)}`,
      {
        hint: "get a new one with 'stc session', or restore one with 'stc session -r'",
        exitCode: ExitCode.SessionExpired,
      },
    );
  }
  const identity = await getCallerIdentity({
    env: context.env,
    region: profileRegion(context.env, undefined),
    credentials,
    maxAttempts: 3,
  });
  const left = credentials.expiration
    ? `, ${formatDuration(secondsLeft(credentials.expiration, now))} left`
    : "";
  info(`valid: ${identity.arn} (account ${identity.account})${left}`);
  return [];
}

async function list(context: Context): Promise<ShellAction[]> {
  const sessions = await listStoredSessions(sessionStoreDir(context.env));
  if (sessions.length === 0) {
    info(`no stored sessions in ${sessionStoreDir(context.env)}`);
    return [];
  }
  const now = context.now();
  const width = Math.max(...sessions.map((s) => s.profile.length));
  return sessions.map((s) => {
    let state: string;
    if (s.format === "legacy") state = "session-tool.sh format, expiry unknown until restored";
    else if (!s.expiration) state = "expiry unknown";
    else {
      const left = secondsLeft(s.expiration, now);
      state = `${left > 0 ? "valid  " : "EXPIRED"}  ${formatLocalTime(new Date(s.expiration))}` +
        (left > 0 ? `  (${formatDuration(left)} left)` : "");
    }
    return printLine(`${s.profile.padEnd(width)}  ${state}`);
  });
}

/** Fails with exit code 3 when a session has expired (or is about to). */
function checkNotExpired(session: SessionRecord, now: Date, what: string): void {
  if (secondsLeft(session.expiration, now) <= 0) {
    throw new StcError(
      `${what} for profile '${session.profile}' expired at ${
        formatLocalTime(new Date(session.expiration))
      }`,
      {
        hint: `get a new one with 'stc session -p ${session.profile} -s'`,
        exitCode: ExitCode.SessionExpired,
      },
    );
  }
}

async function restoreProfileName(
  context: Context,
  requested: string | undefined,
): Promise<string> {
  if (requested) return requested;
  const { files } = await loadProfiles(context.env);
  return selectProfile(undefined, context.env, files).name;
}

async function restore(context: Context, requested: string | undefined): Promise<ShellAction[]> {
  guardSecretOutput(context);
  const profile = await restoreProfileName(context, requested);
  const now = context.now();
  const base = readBaseSession(context.env);
  if (
    base && base.profile === profile &&
    secondsLeft(base.expiration, now) > RETURN_TO_BASE_MIN_SECONDS
  ) {
    info(`back to the base session: ${describe(base, now)}`);
    return sessionActions(base, toolPath(context));
  }
  const dir = sessionStoreDir(context.env);
  const stored = await readStoredSession(dir, profile);
  if (stored) {
    const passphrase = await prompt(`Passphrase for the stored session of '${profile}':`, {
      secret: true,
    });
    const session = await decryptSession(stored, passphrase, storedSessionPath(dir, profile));
    checkNotExpired(session, now, "the stored session");
    info(`restored: ${describe(session, now)}`);
    return sessionActions(session, toolPath(context));
  }
  const legacy = await readLegacySession(dir, profile);
  if (legacy) return await restoreLegacy(context, profile, legacy);
  throw new StcError(`no stored session for profile '${profile}' in ${dir}`, {
    hint: `store one with 'stc session -p ${profile} -s' (see 'stc session -l')`,
    exitCode: ExitCode.SessionExpired,
  });
}

async function restoreLegacy(
  context: Context,
  profile: string,
  data: Uint8Array,
): Promise<ShellAction[]> {
  const dir = sessionStoreDir(context.env);
  const passphrase = await prompt(
    `Passphrase for session-tool.sh's stored session of '${profile}':`,
    { secret: true },
  );
  const { variables } = decryptLegacySession(data, passphrase);
  const session = legacyToSessionRecord(variables, profile);
  const now = context.now();
  checkNotExpired(session, now, "the session-tool.sh session");
  if (
    await confirm(
      `Store it in stc's format (${storedSessionPath(dir, session.profile)}, same passphrase)?`,
      true,
    )
  ) {
    const path = await saveSession(dir, session, passphrase, now);
    info(`stored in ${path}; ${legacySessionPath(dir, profile)} is left for session-tool.sh`);
  }
  info(`restored: ${describe(session, now)}`);
  return sessionActions(session, toolPath(context));
}

async function storeCurrent(context: Context): Promise<ShellAction[]> {
  const base = readBaseSession(context.env)!;
  const now = context.now();
  checkNotExpired(base, now, "the session in this shell");
  const passphrase = await promptNewSecret(
    `New passphrase for the stored session of '${base.profile}':`,
  );
  const path = await saveSession(sessionStoreDir(context.env), base, passphrase, now);
  info(`stored ${describe(base, now)} in ${path}`);
  return [];
}

async function newSession(
  context: Context,
  args: ParsedArgs,
  requested: string | undefined,
): Promise<ShellAction[]> {
  guardSecretOutput(context);
  const given = args.positionals[0];
  if (given !== undefined) checkMfaCode(given);
  const durationSeconds = typeof args.values.duration === "string"
    ? parseDuration(args.values.duration, "--duration", SESSION_TOKEN_LIMITS)
    : DEFAULT_SESSION_SECONDS;
  const store = args.values.save === true;
  const { files } = await loadProfiles(context.env);
  const selected = selectProfile(requested, context.env, files);
  const profile = requireProfile(files, selected.name);
  const target: AwsTarget = {
    env: context.env,
    region: profileRegion(context.env, profile),
    credentials: longTermKey(profile, selected.name),
  };
  // A profile name unusable as a file name fails before the MFA code is spent.
  if (store) storedSessionPath(sessionStoreDir(context.env), selected.name);
  // The key is checked before the MFA code is spent: a deleted key fails here with its own message.
  const identity = await getCallerIdentity(target);
  const device = await resolveMfaDevice(profile, selected.name, target);
  const passphrase = store
    ? await promptNewSecret(`New passphrase for the stored session of '${selected.name}':`)
    : undefined;
  const code = await obtainMfaCode(given, device.serial);
  const credentials = await getSessionToken(target, {
    durationSeconds,
    serialNumber: device.serial,
    tokenCode: code,
  });
  const session: SessionRecord = {
    profile: selected.name,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken ?? "",
    expiration:
      (credentials.expiration ?? new Date(context.now().getTime() + durationSeconds * 1000))
        .toISOString(),
    userArn: identity.arn,
    userName: userNameFromArn(identity.arn),
    serial: device.serial,
    region: target.region,
  };
  // The discovered MFA device and the remembered profile land in one write of the config file.
  const rememberProfile = requested !== undefined &&
    getProfile(files, "default")?.[DEFAULT_PROFILE_KEY] !== requested;
  await updateProfiles(
    "config",
    mergeProfileUpdates(
      mfaSerialUpdate(device, selected.name),
      rememberProfile ? { default: { [DEFAULT_PROFILE_KEY]: requested } } : {},
    ),
    context.env,
  );
  if (device.discovered) info(`saved mfa_serial = ${device.serial} in profile '${selected.name}'`);
  if (rememberProfile) info(`'${requested}' is now the default profile (${DEFAULT_PROFILE_KEY})`);
  const now = context.now();
  if (passphrase !== undefined) {
    const path = await saveSession(sessionStoreDir(context.env), session, passphrase, now);
    info(`stored in ${path}`);
  }
  info(`session: ${describe(session, now)}`);
  return sessionActions(session, toolPath(context));
}

/** `stc session`. */
export const sessionCommand: Command = {
  name: "session",
  summary:
    "Get an MFA session from the profile's access key, or store, restore, clear or verify one",
  description: `
Calls GetSessionToken with the profile's long-term access key and an MFA code, and sets AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, AWS_USER, AWS_EXPIRATION and related variables in the
shell. The MFA device is the profile's mfa_serial, else the user's device (saved as mfa_serial). The session stays
available to later stc commands in the same shell (assume, console) without a new MFA code.

-s stores the session encrypted (age format, passphrase) in ~/.aws/PROFILE.session.age; -r restores it in another
shell (also session-tool.sh's ~/.aws/PROFILE.aes). Exit codes of -v: 3 expired or no session, 4 invalid
credentials, 5 AWS unreachable.`,
  args: [{
    name: "MFA",
    description: "Current code of your MFA device (asked when missing)",
    optional: true,
  }],
  options: [
    profileOption("Profile with the long-term key; remembered as the default"),
    {
      name: "duration",
      type: "string",
      valueName: "TIME",
      description: "Session length: 12h (default), 90m or seconds (900-129600)",
    },
    { name: "save", short: "s", type: "boolean", description: "Store the session encrypted" },
    { name: "restore", short: "r", type: "boolean", description: "Restore a stored session" },
    { name: "list", short: "l", type: "boolean", description: "List stored sessions" },
    { name: "clear", short: "c", type: "boolean", description: "Remove every variable stc set" },
    {
      name: "verify",
      short: "v",
      type: "boolean",
      description:
        "Check the shell's credentials with AWS (exit 3 expired, 4 invalid, 5 unreachable)",
    },
  ],
  examples: [
    {
      command: "stc session 123456",
      description: "Get a 12-hour session with the default profile",
    },
    {
      command: "stc session -p awsops -s",
      description: "Get a session (asks the code) and store it",
    },
    { command: "stc session -r", description: "Restore the stored session in another shell" },
    { command: "stc session -v", description: "Check that the shell's session still works" },
  ],
  async run(context, args) {
    const { values, positionals } = args;
    const requested = typeof values.profile === "string" && values.profile !== ""
      ? values.profile
      : undefined;
    const modes = ["restore", "list", "clear", "verify"].filter((m) => values[m] === true);
    if (modes.length > 1 || (modes.length === 1 && values.save === true)) {
      throw usageError(
        `options ${[...(values.save ? ["save"] : []), ...modes].map((m) => `--${m}`).join(", ")} ` +
          "cannot be combined",
        "see 'stc help session'",
      );
    }
    if (modes.length === 1 && positionals.length > 0) {
      throw usageError(`--${modes[0]} takes no MFA code`, "see 'stc help session'");
    }
    if (values.duration !== undefined && modes.length > 0) {
      throw usageError("--duration applies only to a new session", "see 'stc help session'");
    }
    switch (modes[0]) {
      case "clear":
        info("cleared the AWS session variables");
        return clearActions();
      case "verify":
        return await verify(context);
      case "list":
        return await list(context);
      case "restore":
        return await restore(context, requested);
    }
    if (values.save === true && positionals.length === 0) {
      const base = readBaseSession(context.env);
      if (base && (!requested || requested === base.profile)) {
        return await storeCurrent(context);
      }
      say("No session in this shell to store: getting a new one.");
    }
    return await newSession(context, args, requested);
  },
};
