import assert from "node:assert/strict";
import { maxInFlight, overlapping } from "./timeline.ts";

Deno.test("timeline: overlapping needs one instant shared by all requests", () => {
  const a = { startedAt: 0, endedAt: 10 };
  const b = { startedAt: 5, endedAt: 15 };
  const c = { startedAt: 12, endedAt: 20 };
  assert.equal(overlapping([a, b]), true);
  assert.equal(overlapping([b, c]), true);
  assert.equal(overlapping([a, c]), false);
  assert.equal(overlapping([a, b, c]), false, "pairwise overlap is not enough");
  assert.equal(overlapping([a, { startedAt: 10, endedAt: 11 }]), false, "half-open intervals");
  assert.equal(overlapping([a, { startedAt: 9 }]), true, "no endedAt: still in flight");
  assert.equal(overlapping([a]), false);
  assert.equal(overlapping([]), false);
});

Deno.test("timeline: maxInFlight counts the widest overlap", () => {
  assert.equal(maxInFlight([]), 0);
  assert.equal(maxInFlight([{ startedAt: 0, endedAt: 1 }]), 1);
  const sequential = [{ startedAt: 0, endedAt: 10 }, { startedAt: 10, endedAt: 20 }];
  assert.equal(maxInFlight(sequential), 1);
  assert.equal(
    maxInFlight([
      { startedAt: 0, endedAt: 10 },
      { startedAt: 5, endedAt: 15 },
      { startedAt: 12, endedAt: 20 },
      { startedAt: 13 },
    ]),
    3,
  );
});
