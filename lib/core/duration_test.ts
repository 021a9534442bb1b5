import assert from "node:assert/strict";
import { parseDuration, ROLE_LIMITS, SESSION_TOKEN_LIMITS } from "./duration.ts";
import { ExitCode, StcError } from "./errors.ts";

function usage(fn: () => unknown, message: RegExp): void {
  assert.throws(
    fn,
    (e) => e instanceof StcError && e.exitCode === ExitCode.Usage && message.test(e.message),
  );
}

Deno.test("parseDuration takes seconds or a number with s, m or h", () => {
  assert.equal(parseDuration("7200", "--duration", ROLE_LIMITS), 7200);
  assert.equal(parseDuration("2h", "--duration", ROLE_LIMITS), 7200);
  assert.equal(parseDuration("90m", "--duration", ROLE_LIMITS), 5400);
  assert.equal(parseDuration(" 900s ", "--duration", ROLE_LIMITS), 900);
  assert.equal(parseDuration("12H", "--duration", ROLE_LIMITS), 43200);
  assert.equal(parseDuration("36h", "--duration", SESSION_TOKEN_LIMITS), 129600);
});

Deno.test("parseDuration refuses other forms and values outside the limits, naming the setting", () => {
  usage(
    () => parseDuration("899", "--duration", ROLE_LIMITS),
    /^--duration must be between 15m and 12h/,
  );
  usage(() => parseDuration("13h", "--duration", ROLE_LIMITS), /between 15m and 12h/);
  usage(() => parseDuration("37h", "X", SESSION_TOKEN_LIMITS), /^X must be between 15m and 36h/);
  usage(() => parseDuration("2d", "--duration", ROLE_LIMITS), /must be seconds or a number/);
  usage(() => parseDuration("", "--duration", ROLE_LIMITS), /must be seconds or a number/);
  usage(() => parseDuration("-5", "--duration", ROLE_LIMITS), /must be seconds or a number/);
});
