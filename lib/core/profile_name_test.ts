import assert from "node:assert/strict";
import { shownName, validateProfileName } from "./profile_name.ts";
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

Deno.test("shownName shows control, quote and non-ASCII characters escaped, and shortens", () => {
  assert.equal(shownName("bad name]"), "'bad name]'");
  assert.equal(shownName("a\nb"), "'a\\u{a}b'");
  assert.equal(shownName("\x1b]0;PWNED\x07"), "'\\u{1b}]0;PWNED\\u{7}'");
  assert.equal(shownName("it's"), "'it\\u{27}s'");
  assert.equal(shownName("\u202eevil"), "'\\u{202e}evil'");
  assert.equal(shownName("x".repeat(100)), `'${"x".repeat(64)}…'`);
});
