import assert from "node:assert/strict";
import { shellOutput } from "./shell_output.ts";

Deno.test("text the shell prints on stderr is sanitised like the Term's; stdout data is left exact", () => {
  const code = shellOutput("bash", [
    { kind: "print", text: "title \x1b]0;PWNED\x07\u202e\nnext line\n", stream: "stderr" },
    { kind: "print", text: "data \x1b[31m\n" },
  ]);
  assert.ok(!code.includes("\x1b]0;"), code);
  assert.ok(!code.includes("\u202e"), code);
  assert.ok(code.includes("title \\x1b]0;PWNED\\x07\\u{202e}"), code);
  assert.ok(code.includes("next line"), code);
  assert.ok(code.includes("data \x1b[31m"), "stdout data is exact");
});
