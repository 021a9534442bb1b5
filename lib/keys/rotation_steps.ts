/**
 * The steps of a key rotation, each taking it from one recorded step to the next (see `rotation.ts` for the record
 * and what each step means). A new rotation and the completion of an interrupted one run the same steps, from
 * wherever the record says: there is one way through, whatever stopped the last run.
 *
 * Order, and why a kill or failure at any moment loses nothing:
 *
 * 1. The record (step `create`, the old key's id) is written before CreateAccessKey. A run stopped between the two
 *    writes leaves a key whose secret is lost: the next run asks IAM about keys created since the record's start,
 *    deletes those IAM shows never used, and starts again.
 * 2. The new key and its secret go into the record (step `prove`) in the write right after CreateAccessKey; if
 *    that write fails, the run deletes the new key at once.
 * 3. The new key is proven (a request signed with it, retried while IAM propagates it), then moved into the profile
 *    in the same write that advances the record to `delete-old` and drops the secret from it.
 * 4. The old key is deleted, signed with the new one; then the record is removed, or with `-t` advanced to
 *    `second-key`, after which a second key is created for another host and the record removed.
 *
 * At every moment the profile holds a key that works; the old key is deleted only after the new one is proven and
 * in the profile. A failure stops the run with what state things are in, and the next `stc rotate` of the profile
 * finishes the job.
 *
 * @module
 */

import {
  type AccessKeyInfo,
  awsErrorCode,
  type AwsTarget,
  createAccessKey,
  deleteAccessKey,
  getAccessKeyLastUsed,
  getCallerIdentity,
  listAccessKeys,
} from "../aws/client.ts";
import {
  mergeProfileUpdates,
  type ProfileUpdates,
  removeProfile,
  updateProfiles,
} from "../config/aws_files.ts";
import type { ProfileConfig } from "../config/profile.ts";
import type { Credentials } from "../core/credentials.ts";
import type { Env } from "../core/env.ts";
import { ExitCode, StcError, usageError } from "../core/errors.ts";
import { isoSeconds, sleep } from "../core/time.ts";
import type { Term } from "../term/term.ts";
import {
  DEFAULT_PROPAGATION_TIMEOUT_S,
  describeStep,
  PROPAGATION_TIMEOUT_VARIABLE,
  recordChanges,
  recordProfileName,
  type RotationRecord,
  type RotationStep,
  unsavedKeyCandidates,
} from "./rotation.ts";
import { msg } from "../core/message.ts";

/** How long to wait for a new key to be accepted, from {@linkcode PROPAGATION_TIMEOUT_VARIABLE}. */
export function propagationTimeoutMs(env: Env): number {
  const raw = env[PROPAGATION_TIMEOUT_VARIABLE];
  if (raw === undefined || raw === "") return DEFAULT_PROPAGATION_TIMEOUT_S * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw usageError(
      msg`${PROPAGATION_TIMEOUT_VARIABLE} must be a number of seconds`,
      `unset it for the default of ${DEFAULT_PROPAGATION_TIMEOUT_S}`,
    );
  }
  return seconds * 1000;
}

/** The delays between attempts to use a new key: 1, 2, 4, 8, 8, … seconds. */
export function backoffMs(attempt: number): number {
  return Math.min(8, 2 ** attempt) * 1000;
}

/** Who rotates which profile, where: what every step needs. */
export interface Rotation {
  /** The command's environment (endpoints, the credentials file's path). */
  readonly env: Env;
  /** Where progress and the state after a failure are told. */
  readonly term: Term;
  /** The current time. */
  readonly now: () => Date;
  /** The profile whose key is rotated. */
  readonly profile: string;
  /** The region to call AWS in. */
  readonly region: string;
  /** The credentials file, for messages. */
  readonly credentialsPath: string;
  /** The profile's endpoint and network settings. */
  readonly settings?: ProfileConfig;
}

/** Where a rotation stands. */
export interface RotationState {
  /** How far it got; undefined once it is finished. */
  readonly record?: RotationRecord;
  /** The key the profile holds. */
  readonly profileKey: Credentials;
  /** The second key for another host (`-t`), once created. */
  readonly secondKey?: Credentials;
}

/** Where and as whom to call AWS. */
function as(rotation: Rotation, credentials: Credentials): AwsTarget {
  return {
    env: rotation.env,
    region: rotation.region,
    credentials,
    notices: rotation.term,
    ...(rotation.settings ? { profile: rotation.settings } : {}),
  };
}

/** Why something failed, in one line without secrets. */
function reason(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0];
  return String(error);
}

function exitCodeOf(error: unknown): StcError["exitCode"] {
  return error instanceof StcError ? error.exitCode : ExitCode.Failure;
}

/** How the user finishes the rotation: run stc rotate again. */
function again(rotation: Rotation, what: string): string {
  return `run 'stc rotate -p ${rotation.profile}' again${what ? `: ${what}` : ""}`;
}

/**
 * Says on stderr what state the keys and the file are in, and returns the error to stop with. Used for every
 * failure after the record was written.
 */
function stopWithState(
  rotation: Rotation,
  message: string,
  state: string[],
  finish: string,
  cause: unknown,
): StcError {
  rotation.term.say(msg`State of the key rotation of profile '${rotation.profile}':`, {
    style: "bold",
  });
  for (const line of state) rotation.term.say(msg`  - ${line}`);
  // Exit 4 would say the profile's key is bad; it is not, the rotation is unfinished.
  const unreachable = exitCodeOf(cause) === ExitCode.Unreachable;
  return new StcError(message, {
    hint: msg`to finish: ${finish}`,
    exitCode: unreachable ? ExitCode.Unreachable : ExitCode.Failure,
    cause,
  });
}

/** Writes `record` (and `also`, other changes to the credentials file) in one atomic write. */
export async function writeRecord(
  rotation: Rotation,
  record: RotationRecord,
  also: ProfileUpdates = {},
): Promise<void> {
  const updates = { [recordProfileName(rotation.profile)]: recordChanges(record) };
  await updateProfiles("credentials", mergeProfileUpdates(updates, also), rotation.env);
}

/** Removes the record: no rotation of the profile is in progress any more. */
export async function removeRecord(rotation: Rotation): Promise<void> {
  await removeProfile("credentials", recordProfileName(rotation.profile), rotation.env);
}

/** Moves on to `next` (or to the end), stopping with the state when the record cannot be written. */
async function advance(
  rotation: Rotation,
  state: RotationState,
  next: RotationRecord | undefined,
  situation: string[],
): Promise<RotationState> {
  try {
    if (next) await writeRecord(rotation, next);
    else await removeRecord(rotation);
  } catch (error) {
    throw stopWithState(
      rotation,
      `the progress of the key rotation could not be recorded: ${reason(error)}`,
      situation,
      `make ${rotation.credentialsPath} writable, then ${
        again(rotation, "it finishes the rotation")
      }`,
      error,
    );
  }
  return { ...state, record: next };
}

/** Deletes a key; one that no longer exists counts as deleted. */
async function deleteKey(rotation: Rotation, signer: Credentials, id: string): Promise<void> {
  try {
    await deleteAccessKey(as(rotation, signer), id);
  } catch (error) {
    const cause = error instanceof StcError ? error.cause : error;
    if (awsErrorCode(cause) === "NoSuchEntity") return;
    throw error;
  }
}

/**
 * Deletes the keys that the step `record` stopped at created without saving them (their secret is lost), when
 * IAM shows them never used; a key that was used is someone else's and is left alone, with a warning. Returns the
 * ids deleted.
 */
export async function discardUnsavedKeys(
  rotation: Rotation,
  record: RotationRecord,
  signer: Credentials,
  keys: readonly AccessKeyInfo[],
): Promise<string[]> {
  const deleted: string[] = [];
  for (const key of unsavedKeyCandidates(record, keys, signer.accessKeyId)) {
    const use = await getAccessKeyLastUsed(as(rotation, signer), key.accessKeyId);
    if (use.lastUsed) {
      rotation.term.warn(
        msg`the key ${key.accessKeyId} was created after the rotation started, but IAM shows it used (${
          isoSeconds(use.lastUsed)
        }, ${use.service}): not stc's, so left alone`,
      );
      continue;
    }
    await deleteKey(rotation, signer, key.accessKeyId);
    deleted.push(key.accessKeyId);
    rotation.term.info(
      msg`deleted the key ${key.accessKeyId}, which the interrupted rotation created but could not save (IAM shows it never used)`,
    );
  }
  return deleted;
}

/** Step `create`: CreateAccessKey, and the new key saved in the record (step `prove`). */
async function createNewKey(rotation: Rotation, state: RotationState): Promise<RotationState> {
  const record = state.record!;
  const old = state.profileKey;
  let fresh: Credentials;
  try {
    fresh = await createAccessKey(as(rotation, old));
  } catch (error) {
    throw await failedCreate(rotation, record, old, error);
  }
  const next: RotationRecord = {
    ...record,
    step: "prove",
    newKeyId: fresh.accessKeyId,
    newSecret: fresh.secretAccessKey,
  };
  try {
    await writeRecord(rotation, next);
  } catch (error) {
    throw await failedSave(rotation, old, fresh, error);
  }
  rotation.term.info(
    msg`created the new key ${fresh.accessKeyId}; saved it in profile '${
      recordProfileName(rotation.profile)
    }' until it is proven`,
  );
  return { ...state, record: next };
}

/**
 * CreateAccessKey failed: AWS may have created the key anyway (an answer lost on the way), so look, delete such a
 * key if it was never used, and remove the record. What cannot be cleaned up now is left to the next run.
 */
async function failedCreate(
  rotation: Rotation,
  record: RotationRecord,
  old: Credentials,
  error: unknown,
): Promise<StcError> {
  const message = `no new key: ${
    reason(error)
  }; profile '${rotation.profile}' still holds its key ${old.accessKeyId}, which works`;
  try {
    const keys = await listAccessKeys(as(rotation, old));
    await discardUnsavedKeys(rotation, record, old, keys);
    await removeRecord(rotation);
  } catch {
    return new StcError(message, {
      hint: again(rotation, "it first deletes a key AWS may have created for this attempt"),
      exitCode: exitCodeOf(error),
      cause: error,
    });
  }
  return new StcError(message, {
    hint: "nothing was changed; try again later",
    exitCode: exitCodeOf(error),
    cause: error,
  });
}

/** The new key could not be saved: its secret is lost, so delete it at once (it was never used). */
async function failedSave(
  rotation: Rotation,
  old: Credentials,
  fresh: Credentials,
  error: unknown,
): Promise<StcError> {
  const path = rotation.credentialsPath;
  const message = `the new key ${fresh.accessKeyId} could not be saved: ${reason(error)}`;
  const oldWorks =
    `profile '${rotation.profile}' still holds the old key ${old.accessKeyId}, which works`;
  try {
    await deleteKey(rotation, old, fresh.accessKeyId);
  } catch (deleteError) {
    return stopWithState(
      rotation,
      message,
      [
        oldWorks,
        `the new key ${fresh.accessKeyId} exists in IAM, but its secret could not be saved and is lost (${
          reason(deleteError)
        })`,
      ],
      `make ${path} writable, then ${
        again(rotation, `it first deletes the unsaved key ${fresh.accessKeyId}`)
      }`,
      error,
    );
  }
  await removeRecord(rotation).catch(() => {
    // The file cannot be written: the record stays at `create`, and the next run finds nothing to clean up.
  });
  return stopWithState(
    rotation,
    message,
    [oldWorks, `the new key ${fresh.accessKeyId} was deleted again`],
    `make ${path} writable, then ${again(rotation, "")}`,
    error,
  );
}

/** Step `prove`: the new key is proven, then moved into the profile (step `delete-old`). */
async function proveAndInstall(rotation: Rotation, state: RotationState): Promise<RotationState> {
  const record = state.record!;
  const fresh = { accessKeyId: record.newKeyId!, secretAccessKey: record.newSecret! };
  const oldWorks =
    `profile '${rotation.profile}' still holds the old key ${record.oldKeyId}, which works`;
  const saved = `the new key ${fresh.accessKeyId} is saved in profile '${
    recordProfileName(rotation.profile)
  }' of ${rotation.credentialsPath}`;
  await waitUntilAccepted(rotation, fresh, [oldWorks, saved, "both keys exist in IAM"]);
  const next: RotationRecord = {
    ...record,
    step: "delete-old",
    newSecret: undefined,
  };
  try {
    await writeRecord(rotation, next, {
      [rotation.profile]: {
        aws_access_key_id: fresh.accessKeyId,
        aws_secret_access_key: fresh.secretAccessKey,
      },
    });
  } catch (error) {
    throw stopWithState(
      rotation,
      `the new key ${fresh.accessKeyId} works but could not be written to profile '${rotation.profile}': ${
        reason(error)
      }`,
      [oldWorks, saved, "both keys exist in IAM; nothing was deleted"],
      `make ${rotation.credentialsPath} writable, then ${
        again(rotation, "it moves the new key into the profile and deletes the old one")
      }`,
      error,
    );
  }
  rotation.term.info(msg`profile '${rotation.profile}' now holds the new key ${fresh.accessKeyId}`);
  return { ...state, record: next, profileKey: fresh };
}

/** Signs requests with the new key until AWS accepts it (IAM propagates new keys in seconds). */
async function waitUntilAccepted(
  rotation: Rotation,
  fresh: Credentials,
  situation: string[],
): Promise<void> {
  const timeoutMs = propagationTimeoutMs(rotation.env);
  const start = Date.now();
  const target = { ...as(rotation, fresh), maxAttempts: 1 };
  for (let attempt = 0;; attempt++) {
    let problem: unknown;
    try {
      await getCallerIdentity(target);
      if (attempt > 0) rotation.term.info(msg`AWS accepts the new key ${fresh.accessKeyId}`);
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
        [...situation, "nothing was deleted"],
        `run 'stc rotate -p ${rotation.profile}' again later: it checks the saved new key, moves it into the profile and deletes the old one`,
        problem,
      );
    }
    const delay = Math.min(backoffMs(attempt), left);
    rotation.term.info(
      msg`waiting for AWS to accept the new key ${fresh.accessKeyId} (new keys take a while to propagate): ${
        Math.round(elapsed / 1000)
      } s of ${Math.round(timeoutMs / 1000)} s, next try in ${Math.ceil(delay / 1000)} s…`,
    );
    await sleep(delay);
  }
}

/** Step `delete-old`: DeleteAccessKey of the old key, signed with the new one. */
async function deleteOldKey(rotation: Rotation, state: RotationState): Promise<RotationState> {
  const record = state.record!;
  const fresh = state.profileKey;
  try {
    await deleteKey(rotation, fresh, record.oldKeyId);
  } catch (error) {
    throw stopWithState(
      rotation,
      `the old key ${record.oldKeyId} could not be deleted: ${reason(error)}`,
      [
        `profile '${rotation.profile}' holds the new key ${fresh.accessKeyId}, which works`,
        `the old key ${record.oldKeyId} still exists in IAM`,
      ],
      again(rotation, `it finishes this rotation by deleting the old key ${record.oldKeyId}`),
      error,
    );
  }
  rotation.term.info(msg`deleted the old key ${record.oldKeyId}`);
  const next: RotationRecord | undefined = record.twoKeys
    ? { ...record, step: "second-key" }
    : undefined;
  return await advance(rotation, state, next, [
    `profile '${rotation.profile}' holds the new key ${fresh.accessKeyId}, which works`,
    `the old key ${record.oldKeyId} was deleted`,
  ]);
}

/** Step `second-key` (`-t`): a second key for another host, stored nowhere here. */
async function createSecondKey(rotation: Rotation, state: RotationState): Promise<RotationState> {
  const key = state.profileKey;
  const situation = [
    `profile '${rotation.profile}' holds the new key ${key.accessKeyId}, which works`,
    `the old key ${state.record!.oldKeyId} was deleted`,
  ];
  let second: Credentials;
  try {
    second = await createAccessKey(as(rotation, key));
  } catch (error) {
    throw stopWithState(
      rotation,
      `the key of profile '${rotation.profile}' was rotated to ${key.accessKeyId}, but the second key could not be created: ${
        reason(error)
      }`,
      [...situation, "the second key for another host was not created"],
      again(rotation, "it creates the second key"),
      error,
    );
  }
  rotation.term.info(
    msg`created the second key ${second.accessKeyId} for another host (not stored here)`,
  );
  // The record goes before the key is shown: once shown, the key may be in use and is no longer the rotation's.
  const done = await advance(rotation, state, undefined, [
    ...situation,
    `the second key ${second.accessKeyId} was created but cannot be shown; the next run deletes it and creates another`,
  ]);
  return { ...done, secondKey: second };
}

const STEPS: Readonly<
  Record<RotationStep, (rotation: Rotation, state: RotationState) => Promise<RotationState>>
> = {
  create: createNewKey,
  prove: proveAndInstall,
  "delete-old": deleteOldKey,
  "second-key": createSecondKey,
};

/** Runs the steps from where `state`'s record says to the end. */
export async function runSteps(rotation: Rotation, state: RotationState): Promise<RotationState> {
  while (state.record) state = await STEPS[state.record.step](rotation, state);
  return state;
}

/**
 * Brings an interrupted rotation to a state its remaining steps can run from, and says what is being finished.
 * Returns that state, or undefined when nothing of it is left to finish (it had not got as far as saving a new
 * key): then its leftovers are cleaned up, its record removed, and a new rotation can start.
 */
export async function resumeRotation(
  rotation: Rotation,
  record: RotationRecord,
  profileKey: Credentials,
): Promise<RotationState | undefined> {
  const term = rotation.term;
  term.info(
    msg`finishing the rotation of profile '${rotation.profile}' that stopped while ${
      describeStep(record)
    } (started ${isoSeconds(record.started)})`,
  );
  const abandon = async (why: string) => {
    term.info(why);
    try {
      await removeRecord(rotation);
    } catch (error) {
      throw new StcError(
        msg`the record of the interrupted rotation could not be removed: ${reason(error)}`,
        {
          hint: msg`make ${rotation.credentialsPath} writable, then ${again(rotation, "")}`,
          cause: error,
        },
      );
    }
    return undefined;
  };
  const expected = record.step === "create" || record.step === "prove"
    ? record.oldKeyId
    : record.newKeyId!;
  if (profileKey.accessKeyId !== expected) {
    if (record.step === "prove" && profileKey.accessKeyId === record.newKeyId) {
      return { record: { ...record, step: "delete-old" }, profileKey };
    }
    throw new StcError(
      msg`profile '${rotation.profile}' holds the key ${profileKey.accessKeyId}, not the key ${expected} the interrupted rotation left in it`,
      {
        hint: msg`if you changed the profile on purpose, remove the profile '${
          recordProfileName(rotation.profile)
        }' from ${rotation.credentialsPath} (nothing else needs it), then ${again(rotation, "")}`,
      },
    );
  }
  switch (record.step) {
    case "create": {
      const keys = await listAccessKeys(as(rotation, profileKey));
      const deleted = await discardUnsavedKeys(rotation, record, profileKey, keys);
      return await abandon(
        deleted.length > 0
          ? "the interrupted rotation is cleaned up; starting a new one"
          : "the interrupted rotation had not created a key; starting a new one",
      );
    }
    case "prove": {
      const keys = await listAccessKeys(as(rotation, profileKey)).catch((error) => {
        if (exitCodeOf(error) !== ExitCode.CredentialsInvalid) throw error;
        // The old key was deleted or deactivated by hand: the saved new key may be the one that works.
        const saved = { accessKeyId: record.newKeyId!, secretAccessKey: record.newSecret! };
        return listAccessKeys(as(rotation, saved)).catch(() => {
          throw error;
        });
      });
      if (!keys.some((k) => k.accessKeyId === record.newKeyId)) {
        return await abandon(
          `the saved new key ${record.newKeyId} no longer exists in IAM; starting a new rotation`,
        );
      }
      return { record, profileKey };
    }
    case "delete-old":
      return { record, profileKey };
    case "second-key": {
      const keys = await listAccessKeys(as(rotation, profileKey));
      await discardUnsavedKeys(rotation, record, profileKey, keys);
      return { record, profileKey };
    }
  }
}
