import assert from "node:assert/strict";
import { fitHelp } from "./wrap.ts";

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
