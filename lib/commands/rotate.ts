/**
 * `stc rotate`: replace a profile's long-term access key with a new one (session-tool.sh's
 * `rotate_credentials`), and optionally the IAM user's console password.
 *
 * ## Crash safety
 *
 * At every moment the profile in the credentials file holds a key that works, and a secret AWS returns only
 * once is on disk before anything else can fail. The key is replaced in steps, each a single atomic, locked
 * write of the credentials file (lib/aws_files.ts):
 *
 * | state | credentials file                                  | IAM keys   | a kill or failure here leaves   |
 * | ----- | ------------------------------------------------- | ---------- | ------------------------------- |
 * | S0    | `[P]` = old                                       | old        | nothing changed                 |
 * | S1    | `[P]` = old                                       | old, new   | new key's secret lost (1)       |
 * | S2    | `[P]` = old, `[P.stc-new-key]` = new (unproven)   | old, new   | resumable (2)                   |
 * | S3    | `[P]` = new (proven), no `[P.stc-new-key]`        | old, new   | old key still in IAM (3)        |
 * | S4    | `[P]` = new                                       | new        | done                            |
 *
 * S0 → S1 is CreateAccessKey; S1 → S2 saves the new key in the side profile `P.stc-new-key` (marked
 * `stc_rotation_of = P`: a profile of that name without the mark is the user's own and stops the rotation before
 * anything happens); S2 → S3 first
 * proves the new key (GetCallerIdentity signed with it, retried with backoff while IAM propagates, up to
 * `STC_ROTATE_PROPAGATION_TIMEOUT` seconds, default 60), then moves it into `[P]` and drops the side profile
 * in one write; S3 → S4 is DeleteAccessKey of the old key. The old key is deleted only after the new one is
 * proven and configured.
 *
 * 1. A kill between CreateAccessKey and the first write loses the new secret; the old key still works. The
 *    next run finds two keys and names the one not in use (`-t` deletes it).
 * 2. The next `stc rotate` of the profile finds `[P.stc-new-key]` and resumes: it proves that key, moves it
 *    into `[P]` and deletes the old one. A saved key that no longer exists in IAM is discarded.
 * 3. The next run finds two keys and names the old one as not in use.
 *
 * Rotations of one credentials file hold a lock for their whole run: a concurrent second one would take the
 * first one's new key for an unused key. The second one stops at once with a clear error.
 *
 * A failure after CreateAccessKey never deletes a key: the command stops, says on stderr what state the
 * keys and the file are in and how to finish, and exits non-zero.
 *
 * With `-t` (one key per host): the key not in use is deleted first, the profile's key is rotated, then a
 * second key is created and only its import command is printed, for the other host.
 *
 * @module
 */

import {
  type AccessKeyInfo,
  type AwsTarget,
  changePassword,
  createAccessKey,
  deleteAccessKey,
  getAccountPasswordPolicy,
  getCallerIdentity,
  getUser,
  type IamUser,
  listAccessKeys,
  type PasswordPolicy,
} from "../aws/client.ts";
import {
  AwsLockBusyError,
  awsPaths,
  editAwsFile,
  loadProfiles,
  removeProfile,
  updateProfile,
  withAwsLock,
} from "../config/aws_files.ts";
import { type Command, type Context, defineCommand } from "../cli/command.ts";
import { ExitCode, StcError, usageError } from "../core/errors.ts";
import { getProfile, type Profile, type ProfileFiles } from "../config/ini.ts";
import { profileSection, removeSection, setKey } from "../config/ini_edit.ts";
import { formatImportCommand, formatStcImportCommand } from "../keys/transfer.ts";
import { printLine } from "../cli/output.ts";
import { generatePassword, STRONG_DEFAULT_POLICY } from "../keys/password.ts";
import {
  longTermKey,
  profileRegion,
  requireProfile,
  rolesBucket,
  selectProfile,
} from "../config/profile.ts";
import type { ShellAction } from "../shell/emitter.ts";
import type { Credentials } from "../core/credentials.ts";
import { sleep } from "../core/time.ts";
import {
  DEFAULT_PROPAGATION_TIMEOUT_S,
  PENDING_MARKER,
  pendingProfileName,
  PROPAGATION_TIMEOUT_VARIABLE,
} from "../keys/rotation.ts";
import { SPECS } from "./specs.ts";

/** How long to wait for a new key to be accepted, from {@linkcode PROPAGATION_TIMEOUT_VARIABLE}. */
export function propagationTimeoutMs(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env[PROPAGATION_TIMEOUT_VARIABLE];
  if (raw === undefined || raw === "") return DEFAULT_PROPAGATION_TIMEOUT_S * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw usageError(
      `${PROPAGATION_TIMEOUT_VARIABLE} must be a number of seconds`,
      `unset it for the default of ${DEFAULT_PROPAGATION_TIMEOUT_S}`,
    );
  }
  return seconds * 1000;
}

/** The delays between attempts to use a new key: 1, 2, 4, 8, 8, … seconds. */
export function backoffMs(attempt: number): number {
  return Math.min(8, 2 ** attempt) * 1000;
}

/** What the user asked about the password: `true` change it, `false` keep it, `undefined` ask. */
export function passwordChoice(
  values: { readonly password?: boolean; readonly "keep-password"?: boolean },
): boolean | undefined {
  if (values.password && values["keep-password"]) {
    throw usageError("-y and -n contradict each other", "give at most one of them");
  }
  if (values.password) return true;
  if (values["keep-password"]) return false;
  return undefined;
}

/** The long-term key a profile holds, or undefined when it holds none. */
function storedKey(profile: Profile | undefined): Credentials | undefined {
  const accessKeyId = profile?.aws_access_key_id;
  const secretAccessKey = profile?.aws_secret_access_key;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

/**
 * The new key an interrupted rotation of `profile` saved, if any. A profile of that name without stc's marker
 * is the user's own: the rotation stops before anything happens rather than overwrite or remove it.
 */
function savedPendingKey(files: ProfileFiles, profile: string): Credentials | undefined {
  const name = pendingProfileName(profile);
  const section = getProfile(files, name);
  if (!section) return undefined;
  if (section[PENDING_MARKER] !== profile) {
    throw new StcError(`profile '${name}' exists and was not made by stc rotate`, {
      hint:
        `stc rotate keeps a new key of '${profile}' in a profile of that name until it works; rename yours, then run stc rotate again`,
    });
  }
  return storedKey(section);
}

/**
 * Runs `fn` holding the rotation lock of the credentials file. Two rotations at once would each take the
 * other's new key for an unused one (and with -t delete it), so a second one stops at once instead.
 */
async function exclusively<T>(env: Context["env"], fn: () => Promise<T>): Promise<T> {
  try {
    return await withAwsLock(env, "rotate", fn, 1000);
  } catch (error) {
    if (!(error instanceof AwsLockBusyError)) throw error;
    throw new StcError("another stc rotate is running for this credentials file", {
      hint: "let it finish (it may be waiting for an answer in another terminal), then try again",
      cause: error,
    });
  }
}

/** Everything the steps share: who, where, and how to describe the state in messages. */
interface Rotation {
  context: Context;
  profile: string;
  pending: string;
  credentialsPath: string;
  region: string;
  user: IamUser;
  old: Credentials;
}

function target(rotation: Rotation, credentials: Credentials): AwsTarget {
  return {
    env: rotation.context.env,
    region: rotation.region,
    credentials,
    notices: rotation.context.term,
  };
}

/** Why something failed, in one line without secrets. */
function reason(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0];
  return String(error);
}

/**
 * Says on stderr what state the keys and the file are in, and returns the error to stop with. Used for every
 * failure after CreateAccessKey.
 */
function stopWithState(
  rotation: Rotation,
  message: string,
  state: string[],
  finish: string,
  cause: unknown,
): StcError {
  const term = rotation.context.term;
  term.say(`State of the key rotation of profile '${rotation.profile}':`, { style: "bold" });
  for (const line of state) term.say(`  - ${line}`);
  // Exit 4 would say the profile's key is bad; it is not, the rotation is unfinished.
  const unreachable = cause instanceof StcError && cause.exitCode === ExitCode.Unreachable;
  return new StcError(message, {
    hint: `to finish: ${finish}`,
    exitCode: unreachable ? ExitCode.Unreachable : ExitCode.Failure,
    cause,
  });
}

function deleteKeyCommand(rotation: Rotation, accessKeyId: string): string {
  return `aws iam delete-access-key --access-key-id ${accessKeyId} --profile ${rotation.profile}`;
}

/** The error for a user who already has a key besides the profile's, when `-t` was not given. */
function twoKeysError(rotation: Rotation, unused: AccessKeyInfo[]): StcError {
  const key = unused[0];
  const created = key.created ? `, created ${key.created.toISOString().slice(0, 10)}` : "";
  return new StcError(
    `user ${rotation.user.userName} already has two access keys; ${key.accessKeyId} (${key.status}${created}) is not the key of profile '${rotation.profile}'`,
    {
      hint: `if no other host uses it, delete it: ${
        deleteKeyCommand(rotation, key.accessKeyId)
      }; or run 'stc rotate -t -p ${rotation.profile}', which deletes it, rotates, and creates a second key for another host`,
    },
  );
}

/** Asks (unless `-y`/`-n` decided) and changes the console password; the new one is shown once on stderr. */
async function changeConsolePassword(
  rotation: Rotation,
  choice: boolean | undefined,
): Promise<void> {
  const term = rotation.context.term;
  const wanted = choice ??
    await term.confirm(`Change the console password of ${rotation.user.userName} too?`, false);
  if (!wanted) return;
  const as = target(rotation, rotation.old);
  const current = await term.prompt(`Current console password of ${rotation.user.userName}:`, {
    secret: true,
  });
  if (current === "") throw new StcError("no password entered; nothing was changed");
  let policy: PasswordPolicy | undefined;
  try {
    policy = await getAccountPasswordPolicy(as);
  } catch (error) {
    term.info(
      `cannot read the account's password policy (${reason(error)}); using a strong default`,
    );
  }
  const password = generatePassword(policy ?? STRONG_DEFAULT_POLICY);
  try {
    await changePassword(as, current, password);
  } catch (error) {
    const e = error as StcError;
    throw new StcError(`the console password was not changed: ${reason(error)}`, {
      hint: e.hint ?? "check the current password and try again; the access key was not touched",
      exitCode: e.exitCode,
      cause: error,
    });
  }
  term.say(`New console password of ${rotation.user.userName} (shown only now, store it safely):`);
  term.reveal(`  ${password}`);
}

/** S0 → S1 → S2: creates the new key and saves it in the side profile at once. */
async function createAndSave(rotation: Rotation): Promise<Credentials> {
  let fresh: Credentials;
  try {
    fresh = await createAccessKey(target(rotation, rotation.old));
  } catch (error) {
    const e = error as StcError;
    throw new StcError(
      `no new key: ${
        reason(error)
      }; profile '${rotation.profile}' still holds its key ${rotation.old.accessKeyId}, which works`,
      {
        hint:
          `try again later; if AWS created a key anyway, 'stc rotate -p ${rotation.profile}' will name it`,
        exitCode: e.exitCode,
        cause: error,
      },
    );
  }
  const key = { accessKeyId: fresh.accessKeyId, secretAccessKey: fresh.secretAccessKey };
  try {
    await updateProfile(
      "credentials",
      rotation.pending,
      {
        aws_access_key_id: key.accessKeyId,
        aws_secret_access_key: key.secretAccessKey,
        [PENDING_MARKER]: rotation.profile,
      },
      rotation.context.env,
    );
  } catch (error) {
    throw stopWithState(
      rotation,
      `the new key ${key.accessKeyId} could not be saved to ${rotation.credentialsPath}: ${
        reason(error)
      }`,
      [
        `profile '${rotation.profile}' still holds the old key ${rotation.old.accessKeyId}, which works`,
        `the new key ${key.accessKeyId} exists in IAM, but its secret could not be saved and is lost`,
        "both keys exist in IAM; nothing was deleted",
      ],
      `delete the new key (${
        deleteKeyCommand(rotation, key.accessKeyId)
      }), make ${rotation.credentialsPath} writable, then run 'stc rotate -p ${rotation.profile}' again`,
      error,
    );
  }
  rotation.context.term.info(
    `created the new key ${key.accessKeyId}; saved it in profile '${rotation.pending}'`,
  );
  return key;
}

/** Signs requests with the new key until AWS accepts it (IAM propagates new keys in seconds). */
async function waitUntilAccepted(rotation: Rotation, fresh: Credentials): Promise<void> {
  const timeoutMs = propagationTimeoutMs(rotation.context.env);
  const start = Date.now();
  const as = { ...target(rotation, fresh), maxAttempts: 1 };
  for (let attempt = 0;; attempt++) {
    let problem: unknown;
    try {
      await getCallerIdentity(as);
      if (attempt > 0) rotation.context.term.info(`AWS accepts the new key ${fresh.accessKeyId}`);
      return;
    } catch (error) {
      problem = error;
    }
    const elapsed = Date.now() - start;
    const left = timeoutMs - elapsed;
    if (left <= 0) {
      throw stopWithState(
        rotation,
        `AWS did not accept the new key ${fresh.accessKeyId} within ${
          Math.round(timeoutMs / 1000)
        } s: ${reason(problem)}`,
        [
          `profile '${rotation.profile}' still holds the old key ${rotation.old.accessKeyId}, which works`,
          `the new key ${fresh.accessKeyId} is saved in profile '${rotation.pending}' of ${rotation.credentialsPath}`,
          "both keys exist in IAM; nothing was deleted",
        ],
        `run 'stc rotate -p ${rotation.profile}' again later: it checks the saved new key, moves it into the profile and deletes the old one`,
        problem,
      );
    }
    const delay = Math.min(backoffMs(attempt), left);
    rotation.context.term.info(
      `waiting for AWS to accept the new key ${fresh.accessKeyId} (new keys take a while to propagate): ${
        Math.round(elapsed / 1000)
      } s of ${Math.round(timeoutMs / 1000)} s, next try in ${Math.ceil(delay / 1000)} s…`,
    );
    await sleep(delay);
  }
}

/** S2 → S3: the proven new key goes into the profile and the side profile goes away, in one write. */
async function promote(rotation: Rotation, fresh: Credentials): Promise<void> {
  try {
    await editAwsFile("credentials", (text) => {
      const section = profileSection("credentials", rotation.profile, text);
      text = setKey(text, section, "aws_access_key_id", fresh.accessKeyId);
      text = setKey(text, section, "aws_secret_access_key", fresh.secretAccessKey);
      return removeSection(text, profileSection("credentials", rotation.pending, text));
    }, rotation.context.env);
  } catch (error) {
    throw stopWithState(
      rotation,
      `the new key ${fresh.accessKeyId} works but could not be written to profile '${rotation.profile}': ${
        reason(error)
      }`,
      [
        `profile '${rotation.profile}' still holds the old key ${rotation.old.accessKeyId}, which works`,
        `the new key ${fresh.accessKeyId} works and is saved in profile '${rotation.pending}' of ${rotation.credentialsPath}`,
        "both keys exist in IAM; nothing was deleted",
      ],
      `make ${rotation.credentialsPath} writable, then run 'stc rotate -p ${rotation.profile}' again`,
      error,
    );
  }
  rotation.context.term.info(
    `profile '${rotation.profile}' now holds the new key ${fresh.accessKeyId}`,
  );
}

/** S3 → S4: deletes the old key, signed with the new one. */
async function deleteOldKey(rotation: Rotation, fresh: Credentials): Promise<void> {
  try {
    await deleteAccessKey(target(rotation, fresh), rotation.old.accessKeyId);
  } catch (error) {
    throw stopWithState(
      rotation,
      `the old key ${rotation.old.accessKeyId} could not be deleted: ${reason(error)}`,
      [
        `profile '${rotation.profile}' holds the new key ${fresh.accessKeyId}, which works`,
        `the old key ${rotation.old.accessKeyId} still exists in IAM and still works`,
      ],
      `delete the old key: ${deleteKeyCommand(rotation, rotation.old.accessKeyId)}`,
      error,
    );
  }
  rotation.context.term.info(`deleted the old key ${rotation.old.accessKeyId}`);
}

/** The whole rotation of one profile (under the rotation lock). */
async function rotateProfile(
  context: Context,
  requested: string | undefined,
  choice: boolean | undefined,
  twoKeys: boolean,
): Promise<ShellAction[]> {
  const { files } = await loadProfiles(context.env);
  const selected = selectProfile(requested, context.env, files);
  const profile = requireProfile(files, selected.name);
  const old = longTermKey(profile, selected.name);
  // Read (and checked) before anything changes: it goes into the import lines printed at the end.
  const bucket = rolesBucket(profile, selected.name);
  const region = profileRegion(context.env, profile);
  const base = { context, profile: selected.name, region, old };
  const pendingName = pendingProfileName(selected.name);

  let pending = savedPendingKey(files, selected.name);
  let user: IamUser;
  try {
    user = await getUser({ env: context.env, region, credentials: old, notices: context.term });
  } catch (error) {
    if (pending && error instanceof StcError && error.exitCode === ExitCode.CredentialsInvalid) {
      throw new StcError(error.message, {
        hint:
          `an unfinished rotation saved a newer key in profile '${pendingName}'; if 'aws sts get-caller-identity --profile ${pendingName}' works, import that key into '${selected.name}'`,
        exitCode: error.exitCode,
        cause: error,
      });
    }
    throw error;
  }
  const rotation: Rotation = {
    ...base,
    pending: pendingName,
    credentialsPath: awsPaths(context.env).credentials,
    user,
  };
  const keys = await listAccessKeys(target(rotation, old));

  if (pending) {
    const id = pending.accessKeyId;
    const stale = id === old.accessKeyId
      ? "is already the profile's key"
      : keys.some((k) => k.accessKeyId === id)
      ? undefined
      : "no longer exists in IAM";
    if (stale) {
      rotation.context.term.info(`discarding profile '${pendingName}': its key ${id} ${stale}`);
      try {
        await removeProfile("credentials", pendingName, context.env);
      } catch (error) {
        throw new StcError(`cannot remove profile '${pendingName}': ${reason(error)}`, {
          hint: `make ${rotation.credentialsPath} writable and try again`,
          cause: error,
        });
      }
      pending = undefined;
    }
  }
  const unused = keys.filter((k) =>
    k.accessKeyId !== old.accessKeyId && k.accessKeyId !== pending?.accessKeyId
  );
  if (unused.length > 0 && !twoKeys) throw twoKeysError(rotation, unused);

  await changeConsolePassword(rotation, choice);

  for (const key of unused) {
    await deleteAccessKey(target(rotation, old), key.accessKeyId);
    rotation.context.term.info(`deleted the key not in use ${key.accessKeyId}`);
  }
  if (pending) {
    rotation.context.term.info(
      `resuming the rotation of profile '${rotation.profile}': the new key ${pending.accessKeyId} is saved in profile '${pendingName}'`,
    );
  }
  const fresh = pending ?? await createAndSave(rotation);
  await waitUntilAccepted(rotation, fresh);
  await promote(rotation, fresh);
  await deleteOldKey(rotation, fresh);

  let exported = fresh;
  if (twoKeys) {
    try {
      exported = await createAccessKey(target(rotation, fresh));
    } catch (error) {
      const e = error as StcError;
      throw new StcError(
        `the key of profile '${rotation.profile}' was rotated to ${fresh.accessKeyId}, but the second key could not be created: ${
          reason(error)
        }`,
        {
          hint: `run 'stc rotate -t -p ${rotation.profile}' again to rotate and create it`,
          exitCode: e.exitCode,
          cause: error,
        },
      );
    }
    rotation.context.term.info(
      `created the second key ${exported.accessKeyId} for another host (not stored here)`,
    );
  }
  const transfer = {
    profile: rotation.profile,
    accessKeyId: exported.accessKeyId,
    secretAccessKey: exported.secretAccessKey,
    bucket,
  };
  rotation.context.term.info(
    `${
      twoKeys ? "import the second key on the other host" : "to use the new key on another host too"
    }, run there the first line below (stc), or the second where session-tool.sh's get_session is in use:`,
  );
  const shell = rotation.context.shell;
  return [
    printLine(formatStcImportCommand(transfer, shell)),
    printLine(formatImportCommand(transfer, shell)),
  ];
}

/** `stc rotate`. */
export const rotateCommand: Command = defineCommand(
  SPECS.rotate,
  async (context, input) => {
    const choice = passwordChoice(input.options);
    const twoKeys = input.options["two-keys"];
    propagationTimeoutMs(context.env); // a bad setting is a usage error before anything happens
    const requested = input.options.profile;
    return await exclusively(
      context.env,
      () => rotateProfile(context, requested, choice, twoKeys),
    );
  },
);
