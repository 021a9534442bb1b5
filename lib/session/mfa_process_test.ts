import assert from "node:assert/strict";
import { mfaProcessFrom, splitCommandLine } from "./mfa_process.ts";

Deno.test("mfa_process: split at blanks, quotes keep blanks, nothing is expanded", () => {
  assert.deepEqual(splitCommandLine("  ykman  oath accounts code\t--single aws "), [
    "ykman",
    "oath",
    "accounts",
    "code",
    "--single",
    "aws",
  ]);
  assert.deepEqual(splitCommandLine(`op read 'op://Private/AWS MFA/one-time password'`), [
    "op",
    "read",
    "op://Private/AWS MFA/one-time password",
  ]);
  assert.deepEqual(splitCommandLine(`a"b c"d 'say "hi"' "it's" ''`), [
    "ab cd",
    'say "hi"',
    "it's",
    "",
  ]);
  assert.deepEqual(splitCommandLine("echo $HOME `id` *"), ["echo", "$HOME", "`id`", "*"]);
  assert.throws(() => splitCommandLine("echo 'open"), /unclosed quote/);
});

Deno.test("mfa_process: the variable wins over the profile key; the timeout is in seconds", () => {
  assert.equal(mfaProcessFrom({}, undefined), undefined);
  assert.equal(mfaProcessFrom({}, "  "), undefined);
  assert.deepEqual(mfaProcessFrom({}, "ykman code"), {
    argv: ["ykman", "code"],
    timeoutMs: 60_000,
    source: "mfa_process",
  });
  assert.deepEqual(
    mfaProcessFrom({ STC_MFA_PROCESS: "pass otp aws", STC_MFA_PROCESS_TIMEOUT: "2.5" }, "ykman"),
    { argv: ["pass", "otp", "aws"], timeoutMs: 2500, source: "STC_MFA_PROCESS" },
  );
  assert.throws(() => mfaProcessFrom({ STC_MFA_PROCESS_TIMEOUT: "soon" }, "x"), /seconds/);
});
