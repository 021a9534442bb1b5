import assert from "node:assert/strict";
import { shownName, validateProfileName } from "./profile_name.ts";
import { sanitise } from "../term/sanitise.ts";
import { isValidIdentifier } from "../config/ini.ts";

Deno.test("validateProfileName accepts exactly the names the AWS files can hold", () => {
  for (
    const name of [
      "default",
      "dev",
      "a/b",
      "x.y",
      "50%",
      "me@acme",
      "a:b",
      "a+b",
      "_-",
      "",
      "bad name]",
    ]
  ) {
    assert.equal(validateProfileName(name) === undefined, isValidIdentifier(name), name);
  }
  for (const name of ["bad name]", "a\nb", "$(touch x)", "a=b", "é", "a b", "[x", ""]) {
    assert.ok(validateProfileName(name), JSON.stringify(name));
  }
});

Deno.test("shownName quotes a shortened value that the one sanitiser escapes", () => {
  const shown = (value: string) => sanitise(shownName(value));
  assert.equal(shown("bad name]"), "'bad name]'");
  assert.equal(shown("a\nb"), "'a\\x0ab'");
  assert.equal(shown("\x1b]0;PWNED\x07"), "'\\x1b]0;PWNED\\x07'");
  assert.equal(shown("\u202eevil"), "'\\u{202e}evil'");
  assert.equal(shown("x".repeat(100)), `'${"x".repeat(64)}…'`);
});
