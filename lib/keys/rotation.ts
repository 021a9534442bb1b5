/**
 * The durable record of a key rotation in progress, and the bound on waiting for IAM to accept a new key.
 *
 * `stc rotate` keeps the record in the credentials file, in a section of its own next to the profile it rotates
 * (`[P.stc-rotation]`, marked `stc_rotation_of = P`), so that every change of the profile's key and the record of
 * how far the rotation got land in the same atomic, locked write of that 0600 file, and a run killed at any
 * moment leaves a record that says exactly what the next run has to finish. The record names the keys by their
 * ids; it holds a secret only at step `prove`, where it is the one place the new key's secret is kept (a secret AWS
 * returns only once), under the standard key names, so the section also works as a profile for the AWS CLI.
 *
 * | step         | what the run is doing                              | the profile holds | IAM holds          |
 * | ------------ | -------------------------------------------------- | ----------------- | ------------------ |
 * | `create`     | creating the new key                               | the old key       | old (and new?)     |
 * | `prove`      | checking the new key, saved in the record          | the old key       | old, new           |
 * | `delete-old` | deleting the old key                               | the new key       | new (and old?)     |
 * | `second-key` | creating a second key for another host (`-t` only) | the new key       | new (and second?)  |
 *
 * No record: no rotation of the profile is in progress.
 *
 * @example
 * ```ts
 * import { parseRotationRecord, recordChanges, recordProfileName } from "./rotation.ts";
 * import assert from "node:assert/strict";
 *
 * const record = {
 *   profile: "work",
 *   step: "delete-old",
 *   started: new Date("2026-01-02T03:04:05Z"),
 *   oldKeyId: "AKIAOLDKEY0000000001",
 *   newKeyId: "AKIANEWKEY0000000002",
 *   twoKeys: false,
 * } as const;
 * assert.equal(recordProfileName("work"), "work.stc-rotation");
 * const section = Object.fromEntries(
 *   Object.entries(recordChanges(record)).filter(([, v]) => v !== null),
 * ) as Record<string, string>;
 * assert.deepEqual(parseRotationRecord("work", section), record);
 * assert.equal(parseRotationRecord("work", undefined), undefined);
 * ```
 *
 * @module
 */

import type { AccessKeyInfo } from "../aws/client.ts";
import type { ProfileChanges } from "../config/aws_files.ts";
import type { Profile } from "../config/ini.ts";
import { StcError } from "../core/errors.ts";
import { msg } from "../core/message.ts";

/** The environment variable bounding the wait for a new key to work, in seconds (default 60). */
export const PROPAGATION_TIMEOUT_VARIABLE = "STC_ROTATE_PROPAGATION_TIMEOUT";
/** The default of {@linkcode PROPAGATION_TIMEOUT_VARIABLE}, in seconds. */
export const DEFAULT_PROPAGATION_TIMEOUT_S = 60;

/** Suffix of the section that records a rotation of a profile in progress. */
export const RECORD_SUFFIX = ".stc-rotation";

/** The keys of a record besides the key pair; `of` marks the section as stc's and names the profile. */
export const RECORD_KEYS = {
  of: "stc_rotation_of",
  step: "stc_rotation_step",
  started: "stc_rotation_started",
  oldKey: "stc_rotation_old_key",
  newKey: "stc_rotation_new_key",
  twoKeys: "stc_rotation_two_keys",
} as const;

/** The steps of a rotation, in order (see the module documentation). */
export const ROTATION_STEPS = ["create", "prove", "delete-old", "second-key"] as const;

/** One of {@linkcode ROTATION_STEPS}. */
export type RotationStep = typeof ROTATION_STEPS[number];

/** How far a rotation of one profile got. */
export interface RotationRecord {
  /** The profile whose key is rotated. */
  readonly profile: string;
  /** The step under way. */
  readonly step: RotationStep;
  /** When the rotation started (local clock). */
  readonly started: Date;
  /** The key the profile held when the rotation started. */
  readonly oldKeyId: string;
  /** The new key, from step `prove` on. */
  readonly newKeyId?: string;
  /** The new key's secret: at step `prove` only, where the record is the one place it is kept. */
  readonly newSecret?: string;
  /** Whether the rotation ends with a second key for another host (`stc rotate -t`). */
  readonly twoKeys: boolean;
}

/** The section holding the record of a rotation of `profile`. */
export function recordProfileName(profile: string): string {
  return `${profile}${RECORD_SUFFIX}`;
}

/**
 * The changes to the record's section that make it hold exactly `record`: every record key set, and the key pair
 * set at step `prove` and removed otherwise.
 */
export function recordChanges(record: RotationRecord): ProfileChanges {
  const secret = record.step === "prove" ? record.newSecret : undefined;
  return {
    [RECORD_KEYS.of]: record.profile,
    [RECORD_KEYS.step]: record.step,
    [RECORD_KEYS.started]: record.started.toISOString(),
    [RECORD_KEYS.oldKey]: record.oldKeyId,
    [RECORD_KEYS.newKey]: record.newKeyId ?? null,
    [RECORD_KEYS.twoKeys]: record.twoKeys ? "true" : null,
    aws_access_key_id: secret ? record.newKeyId! : null,
    aws_secret_access_key: secret ?? null,
  };
}

const KEY_ID = /^[A-Z0-9]{16,128}$/;

/**
 * The rotation of `profile` in progress, from its section (`undefined`: none). A section of that name that stc did
 * not make, or one it cannot read, stops the rotation before anything happens: it is never taken over, removed,
 * or guessed at.
 */
export function parseRotationRecord(
  profile: string,
  section: Profile | undefined,
): RotationRecord | undefined {
  if (!section) return undefined;
  const name = recordProfileName(profile);
  if (section[RECORD_KEYS.of] !== profile) {
    throw new StcError(msg`profile '${name}' exists and was not made by stc rotate`, {
      hint:
        msg`stc rotate keeps the state of a rotation of '${profile}' in a profile of that name; rename yours, then run stc rotate again`,
    });
  }
  const unreadable = (what: string) =>
    new StcError(msg`profile '${name}' holds a key rotation stc cannot read: ${what}`, {
      hint:
        msg`if it is damaged and no rotation of '${profile}' is under way, remove that profile from the credentials file, then run stc rotate again`,
    });
  const step = section[RECORD_KEYS.step] as RotationStep;
  if (!ROTATION_STEPS.includes(step)) throw unreadable("no known step");
  const started = new Date(section[RECORD_KEYS.started] ?? "");
  if (Number.isNaN(started.getTime())) throw unreadable("no start time");
  const oldKeyId = section[RECORD_KEYS.oldKey] ?? "";
  if (!KEY_ID.test(oldKeyId)) throw unreadable("no old key id");
  const newKeyId = section[RECORD_KEYS.newKey];
  if (newKeyId !== undefined && !KEY_ID.test(newKeyId)) throw unreadable("a bad new key id");
  if (step !== "create" && newKeyId === undefined) throw unreadable("no new key id");
  let newSecret: string | undefined;
  if (step === "prove") {
    newSecret = section.aws_secret_access_key;
    if (!newSecret || section.aws_access_key_id !== newKeyId) {
      throw unreadable("the new key is not saved in it");
    }
  }
  return {
    profile,
    step,
    started,
    oldKeyId,
    ...(newKeyId === undefined ? {} : { newKeyId }),
    ...(newSecret === undefined ? {} : { newSecret }),
    twoKeys: section[RECORD_KEYS.twoKeys] === "true",
  };
}

/**
 * How much earlier than the record's start time IAM may date a key the rotation created: the local clock and
 * AWS's may disagree by a few minutes (SigV4 itself allows five).
 */
export const CLOCK_ALLOWANCE_MS = 15 * 60 * 1000;

/**
 * The keys that the step `record` stopped at may have created without keeping their secret anywhere: at step
 * `create` any key but the old one and the profile's, at step `second-key` any key but the profile's, and only
 * keys IAM dates from the rotation's start on. Whether one is really unused is for IAM to say
 * (GetAccessKeyLastUsed): this only narrows down which keys to ask about.
 */
export function unsavedKeyCandidates(
  record: RotationRecord,
  keys: readonly AccessKeyInfo[],
  profileKeyId: string,
): AccessKeyInfo[] {
  if (record.step !== "create" && record.step !== "second-key") return [];
  const known = new Set([profileKeyId, record.oldKeyId]);
  const since = record.started.getTime() - CLOCK_ALLOWANCE_MS;
  return keys.filter((key) =>
    !known.has(key.accessKeyId) && key.created !== undefined && key.created.getTime() >= since
  );
}

/** What the run that wrote `record` was doing, for messages. */
export function describeStep(record: RotationRecord): string {
  switch (record.step) {
    case "create":
      return "creating the new key";
    case "prove":
      return `checking the new key ${record.newKeyId}`;
    case "delete-old":
      return `deleting the old key ${record.oldKeyId}`;
    case "second-key":
      return "creating the second key for another host";
  }
}
