/**
 * `stc session`: an MFA session from the profile's long-term key (GetSessionToken), and the sessions stored
 * between shells (`-s`, `-r`, `-l`), clearing (`-c`) and verifying (`-v`) the shell's credentials. The options are
 * session-tool.sh's `get_session` letters.
 *
 * @module
 */

import { longTermTarget } from "../session/new_session.ts";
import { DEFAULT_SESSION_SECONDS, parseDuration, SESSION_TOKEN_LIMITS } from "../core/duration.ts";
import { type Command, type Context, defineCommand, toolPath } from "../cli/command.ts";
import {
  type CallerIdentity,
  getCallerIdentity,
  getIdentityAndSessionToken,
  getSessionToken,
} from "../aws/client.ts";
import {
  awsPaths,
  checkWritable,
  loadProfiles,
  mergeProfileUpdates,
  updateProfiles,
} from "../config/aws_files.ts";
import { ExitCode, StcError, usageError } from "../core/errors.ts";
import {
  checkMfaCode,
  type MfaDevice,
  mfaProcessFor,
  mfaSerialUpdate,
  obtainMfaCode,
  resolveMfaDevice,
} from "../session/mfa.ts";
import type { Credentials } from "../core/credentials.ts";
import { guardSecretOutput, guardShellChange, humanLine } from "../cli/output.ts";
import { resourceName } from "../core/arn.ts";
import { profileRegion, selectProfile } from "../config/profile.ts";
import { getProfile } from "../config/ini.ts";
import {
  checkSessionWritable,
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
  checkSessionRecord,
  clearActions,
  readBaseSession,
  sessionActions,
  type SessionRecord,
} from "../session/variables.ts";
import type { ShellAction } from "../shell/emitter.ts";
import type { CommandInput } from "../cli/spec.ts";
import { DEFAULT_PROFILE_KEY } from "../config/keys.ts";
import { formatDuration, formatLocalTime, secondsLeft } from "../core/time.ts";
import { requireShellCredentials } from "./shell_credentials.ts";
import { SESSION_SPEC } from "./specs/session.ts";
import { forgetAll, shareSession } from "../agent/share.ts";
import { msg } from "../core/message.ts";

/** A base session with more than this many seconds left is returned to by `-r` without a passphrase. */
const RETURN_TO_BASE_MIN_SECONDS = 600;

function describe(session: SessionRecord, now: Date): string {
  const left = secondsLeft(session.expiration, now);
  return `${session.userName} (profile ${session.profile}) until ${
    formatLocalTime(new Date(session.expiration))
  } (${formatDuration(left)} left)`;
}

async function verify(context: Context): Promise<ShellAction[]> {
  const credentials = requireShellCredentials(context);
  const now = context.now();
  const identity = await getCallerIdentity({
    env: context.env,
    region: profileRegion(context.env, undefined),
    credentials,
    maxAttempts: 3,
    notices: context.term,
  });
  const left = credentials.expiration
    ? `, ${formatDuration(secondsLeft(credentials.expiration, now))} left`
    : "";
  context.term.info(msg`valid: ${identity.arn} (account ${identity.account})${left}`);
  return [];
}

async function list(context: Context): Promise<ShellAction[]> {
  const sessions = await listStoredSessions(sessionStoreDir(context.env));
  if (sessions.length === 0) {
    context.term.info(msg`no stored sessions in ${sessionStoreDir(context.env)}`);
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
    return humanLine(`${s.profile.padEnd(width)}  ${state}`);
  });
}

/** Fails with exit code 3 when a session has expired (or is about to). */
function checkNotExpired(session: SessionRecord, now: Date, what: string): void {
  if (secondsLeft(session.expiration, now) <= 0) {
    throw new StcError(
      msg`${what} for profile '${session.profile}' expired at ${
        formatLocalTime(new Date(session.expiration))
      }`,
      {
        hint: msg`get a new one with 'stc session -p ${session.profile} -s'`,
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
  const base = readBaseSession(context.env, context.term);
  if (
    base && base.profile === profile &&
    secondsLeft(base.expiration, now) > RETURN_TO_BASE_MIN_SECONDS
  ) {
    context.term.info(msg`back to the base session: ${describe(base, now)}`);
    return sessionActions(base, toolPath(context));
  }
  const dir = sessionStoreDir(context.env);
  const stored = await readStoredSession(dir, profile);
  if (stored) {
    const passphrase = await context.term.prompt(
      msg`Passphrase for the stored session of '${profile}':`,
      {
        secret: true,
      },
    );
    const session = await decryptSession(stored, passphrase, storedSessionPath(dir, profile));
    checkNotExpired(session, now, "the stored session");
    context.term.info(msg`restored: ${describe(session, now)}`);
    await shareSession(context.env, context.self, context.term, session);
    return sessionActions(session, toolPath(context));
  }
  const legacy = await readLegacySession(dir, profile);
  if (legacy) return await restoreLegacy(context, profile, legacy);
  throw new StcError(msg`no stored session for profile '${profile}' in ${dir}`, {
    hint: msg`store one with 'stc session -p ${profile} -s' (see 'stc session -l')`,
    exitCode: ExitCode.SessionExpired,
  });
}

async function restoreLegacy(
  context: Context,
  profile: string,
  data: Uint8Array,
): Promise<ShellAction[]> {
  const dir = sessionStoreDir(context.env);
  const passphrase = await context.term.prompt(
    msg`Passphrase for session-tool.sh's stored session of '${profile}':`,
    { secret: true },
  );
  const { decryptLegacySession, legacyToSessionRecord } = await import("../session/legacy.ts");
  const { variables } = decryptLegacySession(data, passphrase);
  const session = checkSessionRecord(
    legacyToSessionRecord(variables, profile),
    "the session-tool.sh session",
    "it holds values AWS never issues; get a new session with 'stc session'",
  );
  const now = context.now();
  checkNotExpired(session, now, "the session-tool.sh session");
  if (
    await context.term.confirm(
      msg`Store it in stc's format (${storedSessionPath(dir, session.profile)}, same passphrase)?`,
      true,
    )
  ) {
    const path = await saveSession(dir, session, passphrase, now);
    context.term.info(
      msg`stored in ${path}; ${legacySessionPath(dir, profile)} is left for session-tool.sh`,
    );
  }
  context.term.info(msg`restored: ${describe(session, now)}`);
  return sessionActions(session, toolPath(context));
}

async function storeCurrent(context: Context): Promise<ShellAction[]> {
  const base = readBaseSession(context.env)!;
  const now = context.now();
  checkNotExpired(base, now, "the session in this shell");
  await checkSessionWritable(sessionStoreDir(context.env), base.profile);
  const passphrase = await context.term.promptNewSecret(
    msg`New passphrase for the stored session of '${base.profile}':`,
  );
  const path = await saveSession(sessionStoreDir(context.env), base, passphrase, now);
  context.term.info(msg`stored ${describe(base, now)} in ${path}`);
  return [];
}

async function newSession(
  context: Context,
  input: CommandInput<typeof SESSION_SPEC>,
  requested: string | undefined,
): Promise<ShellAction[]> {
  guardSecretOutput(context);
  const given = input.args.MFA;
  if (given !== undefined) checkMfaCode(given);
  const durationSeconds = input.options.duration !== undefined
    ? parseDuration(input.options.duration, "--duration", SESSION_TOKEN_LIMITS)
    : DEFAULT_SESSION_SECONDS;
  const store = input.options.save;
  const { files, selected, profile, target } = await longTermTarget(context, requested);
  // A profile name unusable as a file name, or files that cannot be written, fail before the MFA code is spent.
  if (store) await checkSessionWritable(sessionStoreDir(context.env), selected.name);
  const rememberProfile = requested !== undefined &&
    getProfile(files, "default")?.[DEFAULT_PROFILE_KEY] !== requested;
  // The config is written after the call when the profile is remembered or its MFA device is discovered.
  if (rememberProfile || !profile.mfa_serial) await checkWritable([awsPaths(context.env).config]);
  let identity: CallerIdentity;
  let device: MfaDevice;
  let credentials: Credentials;
  let passphrase: string | undefined;
  if (profile.mfa_serial && given !== undefined && !store) {
    // Nothing to find out or ask between the two calls: both at once, one round trip. A deleted key fails both,
    // and its own message is reported; AWS refuses the key before it looks at the MFA code.
    device = { serial: profile.mfa_serial, discovered: false };
    ({ identity, credentials } = await getIdentityAndSessionToken(target, {
      durationSeconds,
      serialNumber: device.serial,
      tokenCode: given,
    }));
  } else {
    // The key is checked before the MFA code is spent or asked for: a deleted key fails here with its own
    // message. Without mfa_serial, the device is found from the user the key belongs to.
    identity = await getCallerIdentity(target);
    device = await resolveMfaDevice(context.term, profile, selected.name, target, identity.arn);
    passphrase = store
      ? await context.term.promptNewSecret(
        msg`New passphrase for the stored session of '${selected.name}':`,
      )
      : undefined;
    const code = await obtainMfaCode(
      context.term,
      given,
      device.serial,
      mfaProcessFor(context.env, profile),
    );
    credentials = await getSessionToken(target, {
      durationSeconds,
      serialNumber: device.serial,
      tokenCode: code,
    });
  }
  const session: SessionRecord = checkSessionRecord({
    profile: selected.name,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken ?? "",
    expiration:
      (credentials.expiration ?? new Date(context.now().getTime() + durationSeconds * 1000))
        .toISOString(),
    userArn: identity.arn,
    userName: resourceName(identity.arn),
    serial: device.serial,
    region: target.region,
  });
  // The discovered MFA device and the remembered profile land in one write of the config file.
  await updateProfiles(
    "config",
    mergeProfileUpdates(
      mfaSerialUpdate(device, selected.name),
      rememberProfile ? { default: { [DEFAULT_PROFILE_KEY]: requested } } : {},
    ),
    context.env,
  );
  if (device.discovered) {
    context.term.info(msg`saved mfa_serial = ${device.serial} in profile '${selected.name}'`);
  }
  if (rememberProfile) {
    context.term.info(msg`'${requested}' is now the default profile (${DEFAULT_PROFILE_KEY})`);
  }
  const now = context.now();
  if (passphrase !== undefined) {
    const path = await saveSession(sessionStoreDir(context.env), session, passphrase, now);
    context.term.info(msg`stored in ${path}`);
  }
  context.term.info(msg`session: ${describe(session, now)}`);
  await shareSession(context.env, context.self, context.term, session);
  return sessionActions(session, toolPath(context));
}

/** `stc session`. */
export const sessionCommand: Command = defineCommand(
  SESSION_SPEC,
  async (context, input) => {
    const { options: values, positionals } = input;
    const requested = values.profile;
    const modes = (["restore", "list", "clear", "verify"] as const).filter((m) => values[m]);
    if (modes.length > 1 || (modes.length === 1 && values.save)) {
      throw usageError(
        msg`options ${
          [...(values.save ? ["save"] : []), ...modes].map((m) => `--${m}`).join(", ")
        } cannot be combined`,
        "see 'stc help session'",
      );
    }
    if (modes.length === 1 && positionals.length > 0) {
      throw usageError(msg`--${modes[0]} takes no MFA code`, "see 'stc help session'");
    }
    if (values.all && modes[0] !== "clear") {
      throw usageError("--all goes with -c (clear)", "stc session -c --all");
    }
    if (values.duration !== undefined && modes.length > 0) {
      throw usageError("--duration applies only to a new session", "see 'stc help session'");
    }
    switch (modes[0]) {
      case "clear":
        guardShellChange(context, "cleared");
        context.term.info("cleared the AWS session variables");
        if (values.all) await forgetAll(context.env, context.term);
        return clearActions();
      case "verify":
        return await verify(context);
      case "list":
        return await list(context);
      case "restore":
        return await restore(context, requested);
    }
    if (values.save && positionals.length === 0) {
      const baseProfile = readBaseSession(context.env, context.term)?.profile;
      if (baseProfile !== undefined && (requested === undefined || requested === baseProfile)) {
        return await storeCurrent(context);
      }
      context.term.say("No session in this shell to store: getting a new one.");
    }
    return await newSession(context, input, requested);
  },
);
