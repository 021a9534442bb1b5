/**
 * `stc rotate`: replace a profile's long-term access key with a new one (session-tool.sh's
 * `rotate_credentials`), and optionally the IAM user's console password.
 *
 * A rotation is recorded in the credentials file from before its first change to its end (lib/keys/rotation.ts),
 * and runs as steps that each move that record on (lib/keys/rotation_steps.ts). This command holds the rotation
 * lock, finishes an interrupted rotation of the profile before anything else, or checks, asks and starts a new
 * one, and prints the import lines of the key it ends with.
 *
 * @module
 */

import {
  type AwsTarget,
  changePassword,
  deleteAccessKey,
  getAccountPasswordPolicy,
  getUser,
  type IamUser,
  listAccessKeys,
  type PasswordPolicy,
} from "../aws/client.ts";
import { AwsLockBusyError, awsPaths, loadProfiles, withAwsLock } from "../config/aws_files.ts";
import { type Command, type Context, defineCommand } from "../cli/command.ts";
import { StcError, usageError } from "../core/errors.ts";
import { getProfile } from "../config/ini.ts";
import { formatImportCommand, formatStcImportCommand } from "../keys/transfer.ts";
import { printLine } from "../cli/output.ts";
import {
  longTermKey,
  profileConfig,
  profileRegion,
  requireProfile,
  rolesBucket,
  selectProfile,
} from "../config/profile.ts";
import type { ShellAction } from "../shell/emitter.ts";
import type { ShellName } from "../shell/shell_name.ts";
import type { Credentials } from "../core/credentials.ts";
import { parseRotationRecord, recordProfileName, type RotationRecord } from "../keys/rotation.ts";
import {
  propagationTimeoutMs,
  removeRecord,
  resumeRotation,
  type Rotation,
  type RotationState,
  runSteps,
  writeRecord,
} from "../keys/rotation_steps.ts";
import { generatePassword, STRONG_DEFAULT_POLICY } from "../keys/password.ts";
import type { Term } from "../term/term.ts";
import { ROTATE_SPEC } from "./specs/rotate.ts";
import { msg } from "../core/message.ts";

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

/** The options of one run. */
interface Wishes {
  /** Change the console password: yes, no, or ask. */
  password: boolean | undefined;
  /** End with a second key for another host (`-t`). */
  twoKeys: boolean;
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

/** The error for a user who already has a key besides the profile's, when `-t` was not given. */
function twoKeysError(
  rotation: Rotation,
  user: IamUser,
  unused: { accessKeyId: string; status: string; created?: Date },
): StcError {
  const created = unused.created ? `, created ${unused.created.toISOString().slice(0, 10)}` : "";
  return new StcError(
    msg`user ${user.userName} already has two access keys; ${unused.accessKeyId} (${unused.status}${created}) is not the key of profile '${rotation.profile}'`,
    {
      hint:
        msg`if no other host uses it, run 'stc rotate -t -p ${rotation.profile}': it deletes that key, rotates this profile's key, and creates a second key for another host`,
    },
  );
}

/**
 * A new rotation: checks that IAM has room for a new key, records the start (nothing has changed before this
 * write), then asks about the password and, with `-t`, deletes the user's other key. Returns the state the
 * steps start from.
 */
async function startRotation(
  rotation: Rotation,
  profileKey: Credentials,
  wishes: Wishes,
): Promise<RotationState> {
  const signer = {
    env: rotation.env,
    region: rotation.region,
    credentials: profileKey,
    ...(rotation.settings ? { profile: rotation.settings } : {}),
  };
  const target = { ...signer, notices: rotation.term };
  const user = await getUser(target);
  const unused = (await listAccessKeys(target)).filter((k) =>
    k.accessKeyId !== profileKey.accessKeyId
  );
  if (unused.length > 0 && !wishes.twoKeys) throw twoKeysError(rotation, user, unused[0]);
  const record: RotationRecord = {
    profile: rotation.profile,
    step: "create",
    started: rotation.now(),
    oldKeyId: profileKey.accessKeyId,
    twoKeys: wishes.twoKeys,
  };
  try {
    await writeRecord(rotation, record);
  } catch (error) {
    throw new StcError(msg`the key rotation cannot start: ${reason(error)}`, {
      hint: msg`nothing was changed; make ${rotation.credentialsPath} writable, then try again`,
      cause: error,
    });
  }
  try {
    await changeConsolePassword(rotation.term, target, user, wishes.password);
    for (const key of unused) {
      await deleteAccessKey(target, key.accessKeyId);
      rotation.term.info(msg`deleted the key not in use ${key.accessKeyId}`);
    }
  } catch (error) {
    // No key was created: the record of the start would only make the next run look for one.
    await removeRecord(rotation).catch(() => {});
    throw error;
  }
  return { record, profileKey };
}

/**
 * Asks (unless `-y`/`-n` decided) and changes the console password of `user`, signed as `target`; the new one is
 * shown once on stderr.
 */
async function changeConsolePassword(
  term: Term,
  target: AwsTarget,
  user: IamUser,
  choice: boolean | undefined,
): Promise<void> {
  const wanted = choice ??
    await term.confirm(msg`Change the console password of ${user.userName} too?`, false);
  if (!wanted) return;
  const current = await term.prompt(msg`Current console password of ${user.userName}:`, {
    secret: true,
  });
  if (current === "") throw new StcError("no password entered; nothing was changed");
  let policy: PasswordPolicy | undefined;
  try {
    policy = await getAccountPasswordPolicy(target);
  } catch (error) {
    term.info(
      msg`cannot read the account's password policy (${reason(error)}); using a strong default`,
    );
  }
  const password = generatePassword(policy ?? STRONG_DEFAULT_POLICY);
  try {
    await changePassword(target, current, password);
  } catch (error) {
    throw new StcError(msg`the console password was not changed: ${reason(error)}`, {
      hint: (error instanceof StcError ? error.hint : undefined) ??
        "check the current password and try again; the access key was not touched",
      exitCode: error instanceof StcError ? error.exitCode : undefined,
      cause: error,
    });
  }
  term.say(msg`New console password of ${user.userName} (shown only now, store it safely):`);
  term.reveal(`  ${password}`);
}

/** Why something failed, in one line without secrets. */
function reason(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}

/** The import lines of the key the rotation ended with (the second key with `-t`). */
function importLines(
  rotation: Rotation,
  finished: RotationState,
  bucket: string | undefined,
  shell: ShellName,
): ShellAction[] {
  const exported = finished.secondKey ?? finished.profileKey;
  const transfer = {
    profile: rotation.profile,
    accessKeyId: exported.accessKeyId,
    secretAccessKey: exported.secretAccessKey,
    bucket,
  };
  rotation.term.info(
    msg`${
      finished.secondKey
        ? "import the second key on the other host"
        : "to use the new key on another host too"
    }, run there the first line below (stc), or the second where session-tool.sh's get_session is in use:`,
  );
  return [
    printLine(formatStcImportCommand(transfer, shell)),
    printLine(formatImportCommand(transfer, shell)),
  ];
}

/** The rotation of one profile (under the rotation lock): an interrupted one is finished first. */
async function rotateProfile(
  context: Context,
  requested: string | undefined,
  wishes: Wishes,
): Promise<ShellAction[]> {
  const { files } = await loadProfiles(context.env);
  const selected = selectProfile(requested, context.env, files);
  const profile = requireProfile(files, selected.name);
  const profileKey = longTermKey(profile, selected.name);
  // Read (and checked) before anything changes: it goes into the import lines printed at the end.
  const bucket = rolesBucket(profile, selected.name);
  const recorded = parseRotationRecord(
    selected.name,
    getProfile(files, recordProfileName(selected.name)),
  );
  const rotation: Rotation = {
    env: context.env,
    term: context.term,
    now: () => context.now(),
    profile: selected.name,
    region: profileRegion(context.env, profile),
    credentialsPath: awsPaths(context.env).credentials,
    settings: profileConfig(files, selected.name),
  };

  let state: RotationState | undefined;
  if (recorded) {
    // What the interrupted rotation was asked for is asked for still: with -t then, it ends with a second key.
    wishes = { ...wishes, twoKeys: recorded.twoKeys || wishes.twoKeys };
    const record = { ...recorded, twoKeys: wishes.twoKeys };
    state = await resumeRotation(rotation, record, profileKey);
    // The password was dealt with when the interrupted rotation started; change it now only when asked to.
    if (state && wishes.password) {
      const target = {
        env: rotation.env,
        region: rotation.region,
        credentials: state.profileKey,
        notices: rotation.term,
        ...(rotation.settings ? { profile: rotation.settings } : {}),
      };
      await changeConsolePassword(rotation.term, target, await getUser(target), true);
    }
  }
  state ??= await startRotation(rotation, profileKey, wishes);
  const finished = await runSteps(rotation, state);
  return importLines(rotation, finished, bucket, context.shell);
}

/** `stc rotate`. */
export const rotateCommand: Command = defineCommand(
  ROTATE_SPEC,
  async (context, input) => {
    const wishes = {
      password: passwordChoice(input.options),
      twoKeys: input.options["two-keys"],
    };
    propagationTimeoutMs(context.env); // a bad setting is a usage error before anything happens
    const requested = input.options.profile;
    return await exclusively(context.env, () => rotateProfile(context, requested, wishes));
  },
);
