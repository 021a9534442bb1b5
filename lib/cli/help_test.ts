import assert from "node:assert/strict";
import { SEED_COMMANDS, seedUsage } from "../commands/seed.ts";
import { COMMAND_SPECS } from "../commands/specs.ts";
import { commandHelp, fitHelp, HELP_HELP, HELP_WIDTH, overviewHelp } from "./help.ts";

function overlong(text: string): string[] {
  return text.split("\n").filter((line) => [...line].length > HELP_WIDTH);
}

Deno.test("no help line is wider than 100 columns: commands, overview, help, the functions of stc init", () => {
  for (const spec of COMMAND_SPECS) assert.deepEqual(overlong(commandHelp(spec)), [], spec.name);
  for (const seed of SEED_COMMANDS) assert.deepEqual(overlong(seedUsage(seed)), [], seed.name);
  assert.deepEqual(overlong(overviewHelp(COMMAND_SPECS)), []);
  assert.deepEqual(overlong(HELP_HELP), []);
});

Deno.test("fitHelp reflows paragraphs, hangs table rows and usage lines, keeps short lines", () => {
  assert.equal(fitHelp("aaa bbb\nccc ddd eee", 11), "aaa bbb ccc\nddd eee");
  assert.equal(
    fitHelp("  -x, --xx  one two three four", 24),
    "  -x, --xx  one two\n            three four",
  );
  assert.equal(
    fitHelp("Usage: get_session [-aaaa] [-bbbb] [-cccc]", 40),
    "Usage: get_session [-aaaa] [-bbbb]\n                   [-cccc]",
  );
  assert.equal(fitHelp("intro:\n  1. short\n\nnext"), "intro:\n  1. short\n\nnext");
  // A word longer than the width stays whole rather than being cut.
  assert.equal(
    fitHelp("https://example.com/a/very/long/url", 10),
    "https://example.com/a/very/long/url",
  );
});
