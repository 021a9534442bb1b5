import assert from "node:assert/strict";
import { browserEnvironment } from "./console.ts";

Deno.test("browserEnvironment: no credentials, base session or stc shell-function variables reach the browser", () => {
  const env = browserEnvironment({
    PATH: "/usr/bin",
    DISPLAY: ":0",
    AWS_ACCESS_KEY_ID: "ASIAEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_SESSION_TOKEN: "token",
    STC_BASE_SESSION: "{}",
    STC_EVAL_SHELL: "bash",
    STC_EVAL_MARK: "mark-1234",
    AWS_PROFILE: "awsops",
    UNSET: undefined,
  });
  assert.deepEqual(env, { PATH: "/usr/bin", DISPLAY: ":0", AWS_PROFILE: "awsops" });
});
