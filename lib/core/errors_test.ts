import assert from "node:assert/strict";
import { ExitCode, StcError, usageError, withContext, withHint } from "./errors.ts";

Deno.test("StcError carries hint, exit code (default 1) and cause; usageError is exit 2", () => {
  const cause = new Error("inner");
  const error = new StcError("it failed", { hint: "do this", cause });
  assert.equal(error.exitCode, ExitCode.Failure);
  assert.equal(error.hint, "do this");
  assert.equal(error.cause, cause);
  assert.equal(usageError("bad", "see help").exitCode, ExitCode.Usage);
});

Deno.test("withHint adds a hint to an StcError without one, keeping message, exit code and cause", () => {
  const original = new StcError("GetUser: denied", { exitCode: ExitCode.CredentialsInvalid });
  const hinted = withHint(original, "import a new key") as StcError;
  assert.equal(hinted.message, "GetUser: denied");
  assert.equal(hinted.hint, "import a new key");
  assert.equal(hinted.exitCode, ExitCode.CredentialsInvalid);
  assert.equal(hinted.cause, original);
  const already = new StcError("x", { hint: "keep" });
  assert.equal(withHint(already, "other"), already);
  const plain = new Error("not ours");
  assert.equal(withHint(plain, "other"), plain);
});

Deno.test("withContext names the step before the message, keeping exit code and its own hint first", () => {
  const original = new StcError("S3: timed out", { exitCode: ExitCode.Unreachable });
  const named = withContext(original, "roles download failed", "retry later") as StcError;
  assert.equal(named.message, "roles download failed: S3: timed out");
  assert.equal(named.hint, "retry later");
  assert.equal(named.exitCode, ExitCode.Unreachable);
  assert.equal(named.cause, original);
  const hinted = new StcError("denied", { hint: "own hint" });
  assert.equal((withContext(hinted, "step", "fallback") as StcError).hint, "own hint");
  assert.equal((withContext(hinted, "step") as StcError).hint, "own hint");
  assert.equal((withContext(new StcError("x"), "step") as StcError).hint, undefined);
  const plain = new Error("not ours");
  assert.equal(withContext(plain, "step"), plain);
});
