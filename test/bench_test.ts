import assert from "node:assert/strict";
import { BUDGETS, median, runBench } from "./bench.ts";

Deno.test("median: the middle value, the mean of the middle two for an even count", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

Deno.test("deno task bench --quick runs every entry once and reports each budget", async () => {
  const lines: string[] = [];
  const results = await runBench({ pairs: 1, quick: true, print: (line) => lines.push(line) });
  const report = lines.join("\n");
  assert.deepEqual(results.filter((r) => r.error).map((r) => r.error), []);
  for (const result of results) {
    assert.ok(result.timeRatio > 0 && Number.isFinite(result.timeRatio), result.entry.name);
    assert.ok(report.includes(result.entry.name));
  }
  const names = results.map((r) => r.entry.name);
  for (
    const expected of [
      "stc --version",
      "stc --help",
      "stc init bash",
      "stc init zsh",
      "stc init fish",
      "stc complete commands",
      "stc status",
      "stc complete roles (10000 aliases)",
      "stc roles --names (10000 aliases)",
    ]
  ) {
    assert.ok(names.includes(expected), expected);
  }
  const budgeted = results.filter((r) => r.entry.timeBudget !== undefined);
  assert.ok(
    budgeted.some((r) => r.entry.timeBudget === BUDGETS.cachedShellStart) ||
      !names.some((n) => n.startsWith("zsh")),
  );
  assert.match(report, / of \d+ entries within budget/);
  assert.match(report, /load average/);
});
