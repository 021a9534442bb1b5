import assert from "node:assert/strict";
import { ExitCode, redactSecrets, registerSecret, StcError, usageError } from "./errors.ts";

Deno.test("StcError carries hint, exit code (default 1) and cause; usageError is exit 2", () => {
  const cause = new Error("inner");
  const error = new StcError("it failed", { hint: "do this", cause });
  assert.equal(error.exitCode, ExitCode.Failure);
  assert.equal(error.hint, "do this");
  assert.equal(error.cause, cause);
  assert.equal(usageError("bad", "see help").exitCode, ExitCode.Usage);
});

Deno.test("registered secrets are redacted from any text, longest first; short values are not", () => {
  const key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYREDACTTEST";
  const token = `IQoJb3JpZ2luX2VjE${key}tail`;
  registerSecret(key);
  registerSecret(token);
  registerSecret("123456");
  registerSecret(undefined);
  assert.equal(
    redactSecrets(`a ${token} b ${key} c 123456`),
    "a [redacted] b [redacted] c 123456",
  );
  assert.equal(redactSecrets("nothing secret here"), "nothing secret here");
});
