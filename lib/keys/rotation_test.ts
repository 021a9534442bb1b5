import assert from "node:assert/strict";
import type { AccessKeyInfo } from "../aws/client.ts";
import {
  CLOCK_ALLOWANCE_MS,
  describeStep,
  parseRotationRecord,
  recordChanges,
  recordProfileName,
  ROTATION_STEPS,
  type RotationRecord,
  unsavedKeyCandidates,
} from "./rotation.ts";

const OLD = "AKIAOLDKEY0000000001";
const NEW = "AKIANEWKEY0000000002";
const OTHER = "AKIAOTHERKEY00000003";
const STARTED = new Date("2026-03-04T05:06:07.000Z");

function record(step: RotationRecord["step"], extra: Partial<RotationRecord> = {}): RotationRecord {
  return {
    profile: "work",
    step,
    started: STARTED,
    oldKeyId: OLD,
    ...(step === "create" ? {} : { newKeyId: NEW }),
    ...(step === "prove" ? { newSecret: "s".repeat(40) } : {}),
    twoKeys: false,
    ...extra,
  };
}

/** The section a write of `changes` leaves (keys set to null are absent). */
function section(changes: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(changes).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

Deno.test("a record of every step reads back as written", () => {
  for (const step of ROTATION_STEPS) {
    for (const twoKeys of [false, true]) {
      const written = record(step, { twoKeys });
      assert.deepEqual(parseRotationRecord("work", section(recordChanges(written))), written);
    }
  }
  assert.equal(recordProfileName("work"), "work.stc-rotation");
});

Deno.test("the record holds the new key's secret at step prove only", () => {
  for (const step of ROTATION_STEPS) {
    const changes = recordChanges(record(step, { newSecret: "s".repeat(40) }));
    if (step === "prove") {
      assert.equal(changes.aws_access_key_id, NEW);
      assert.equal(changes.aws_secret_access_key, "s".repeat(40));
    } else {
      // Removed, not merely left out: a write of this record drops a secret an earlier step saved.
      assert.equal(changes.aws_access_key_id, null);
      assert.equal(changes.aws_secret_access_key, null);
    }
  }
  assert.equal(recordChanges(record("delete-old")).stc_rotation_two_keys, null);
  assert.equal(
    recordChanges(record("delete-old", { twoKeys: true })).stc_rotation_two_keys,
    "true",
  );
});

Deno.test("no section, no rotation; a section stc did not make is refused", () => {
  assert.equal(parseRotationRecord("work", undefined), undefined);
  assert.throws(
    () => parseRotationRecord("work", { region: "eu-west-1" }),
    /profile 'work.stc-rotation' exists and was not made by stc rotate/,
  );
  assert.throws(
    () =>
      parseRotationRecord("work", section(recordChanges({ ...record("create"), profile: "x" }))),
    /was not made by stc rotate/,
  );
});

Deno.test("a damaged record is refused, saying what is wrong", () => {
  const good = section(recordChanges(record("prove")));
  const cases: [Record<string, string>, RegExp][] = [
    [{ ...good, stc_rotation_step: "finish" }, /no known step/],
    [{ ...good, stc_rotation_started: "yesterday" }, /no start time/],
    [{ ...good, stc_rotation_old_key: "" }, /no old key id/],
    [{ ...good, stc_rotation_old_key: "AKIA$(rm -rf ~)" }, /no old key id/],
    [{ ...good, stc_rotation_new_key: "akia-lower" }, /a bad new key id/],
    [{ ...good, aws_secret_access_key: "" }, /the new key is not saved in it/],
    [{ ...good, aws_access_key_id: OTHER }, /the new key is not saved in it/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => parseRotationRecord("work", value), message);
    assert.throws(() => parseRotationRecord("work", value), /holds a key rotation stc cannot read/);
  }
  const { stc_rotation_new_key: _, ...withoutNew } = section(recordChanges(record("delete-old")));
  assert.throws(() => parseRotationRecord("work", withoutNew), /no new key id/);
});

Deno.test("unsaved keys: at create and second-key, keys IAM dates from the start on, but no known key", () => {
  const at = (ms: number) => new Date(STARTED.getTime() + ms);
  const keys = [
    { accessKeyId: OLD, status: "Active", created: at(-86_400_000) },
    { accessKeyId: NEW, status: "Active", created: at(1000) },
    { accessKeyId: OTHER, status: "Active", created: at(2000) },
  ];
  const ids = (r: RotationRecord, profileKey: string, list: AccessKeyInfo[] = keys) =>
    unsavedKeyCandidates(r, list, profileKey).map((k) => k.accessKeyId);

  assert.deepEqual(ids(record("create"), OLD), [NEW, OTHER]);
  assert.deepEqual(ids(record("second-key"), NEW), [OTHER]);
  assert.deepEqual(ids(record("prove"), OLD), []);
  assert.deepEqual(ids(record("delete-old"), NEW), []);

  // A key dated before the rotation started (beyond the clocks' allowance) is not the rotation's.
  const early = [{ accessKeyId: OTHER, status: "Active", created: at(-CLOCK_ALLOWANCE_MS - 1) }];
  assert.deepEqual(ids(record("create"), OLD, early), []);
  const skewed = [{ accessKeyId: OTHER, status: "Active", created: at(-CLOCK_ALLOWANCE_MS) }];
  assert.deepEqual(ids(record("create"), OLD, skewed), [OTHER]);
  // Without a date, nothing can be said about a key: it is left alone.
  assert.deepEqual(ids(record("create"), OLD, [{ accessKeyId: OTHER, status: "Active" }]), []);
});

Deno.test("each step is described for the message of the run that finishes it", () => {
  assert.equal(describeStep(record("create")), "creating the new key");
  assert.equal(describeStep(record("prove")), `checking the new key ${NEW}`);
  assert.equal(describeStep(record("delete-old")), `deleting the old key ${OLD}`);
  assert.equal(describeStep(record("second-key")), "creating the second key for another host");
});
