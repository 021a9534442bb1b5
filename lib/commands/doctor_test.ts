import assert from "node:assert/strict";
import { type Check, formatChecks, maskKeyId } from "./doctor.ts";

Deno.test("maskKeyId: the first and last four characters, never more", () => {
  assert.equal(maskKeyId("AKIAIOSFODNN7EXAMPLE"), "AKIA…MPLE");
  assert.equal(maskKeyId("AKIA1234"), "…");
  assert.equal(maskKeyId(""), "…");
});

Deno.test("formatChecks: a mark per status; the fix under a ✗ or ! only", () => {
  const checks: Check[] = [
    { id: "a", status: "ok", detail: "fine", fix: "not shown" },
    { id: "b", status: "fail", detail: "broken", fix: "do this" },
    { id: "c", status: "warn", detail: "worth knowing", fix: "maybe that" },
    { id: "d", status: "skip", detail: "skipped" },
  ];
  assert.deepEqual(formatChecks(checks), [
    "✓ a: fine",
    "✗ b: broken",
    "    fix: do this",
    "! c: worth knowing",
    "    fix: maybe that",
    "- d: skipped",
  ]);
});
