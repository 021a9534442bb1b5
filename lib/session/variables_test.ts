import assert from "node:assert/strict";
import { captureTerm } from "../term/term.ts";
import {
  checkSessionRecord,
  readBaseSession,
  readSessionRecord,
  type SessionRecord,
} from "./variables.ts";
import { BASE_SESSION_VARIABLE } from "./variable_names.ts";

const SESSION: SessionRecord = {
  profile: "awsops",
  accessKeyId: "ASIAEXAMPLEEXAMPLE01",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYVARIABLES1",
  sessionToken: "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ",
  expiration: "2026-12-05T07:00:00.000Z",
  userArn: "arn:aws:iam::111111111111:user/alice",
  userName: "alice",
  serial: "arn:aws:iam::111111111111:mfa/alice",
  region: "eu-north-1",
};

Deno.test("a session record is read only when every field follows AWS's rules and bounds", () => {
  assert.deepEqual(readSessionRecord(JSON.stringify(SESSION)).session, SESSION);
  const problem = (changes: Record<string, unknown>) =>
    readSessionRecord(JSON.stringify({ ...SESSION, ...changes })).problem;
  assert.equal(readSessionRecord("{broken").problem, "not JSON");
  assert.equal(readSessionRecord("[]").problem, "not a session record");
  assert.equal(problem({ userArn: undefined }), "no userArn");
  assert.equal(
    problem({ sessionToken: "A".repeat(100 * 1024) }),
    "the session token is 102400 characters long (at most 8192)",
  );
  assert.equal(
    problem({ secretAccessKey: "two\nlines-and-more-text" }),
    "the secret key holds a line feed",
  );
  assert.equal(
    problem({ accessKeyId: "ASIA\x1b]0;X\x07AAAAAAAAAA" }),
    "the access key id holds a control character",
  );
  assert.equal(problem({ expiration: "soon" }), "the expiry is not a date");
  assert.equal(problem({ userName: "alice\u202e" }), "userName holds a character outside ASCII");
  assert.equal(problem({ serial: "x".repeat(300) }), "serial is 300 characters long (at most 256)");
  assert.equal(problem({ region: 7 }), "region is not text");
  // Extra fields do not travel on.
  assert.deepEqual(readSessionRecord(JSON.stringify({ ...SESSION, extra: "x" })).session, SESSION);
});

Deno.test("an unreadable STC_BASE_SESSION is ignored with one warning that quotes none of it", () => {
  const term = captureTerm();
  const env = {
    [BASE_SESSION_VARIABLE]: JSON.stringify({ ...SESSION, sessionToken: "A".repeat(102_400) }),
  };
  assert.equal(readBaseSession(env, term), undefined);
  assert.equal(readBaseSession(env, term), undefined);
  assert.equal(
    term.output(),
    "stc: warning: the base session in STC_BASE_SESSION is unreadable (the session token is 102400 characters " +
      "long (at most 8192)); it is ignored (a new 'stc session' replaces it)\n",
  );
  const quiet = captureTerm();
  assert.equal(readBaseSession({}, quiet), undefined);
  assert.deepEqual(
    readBaseSession({ [BASE_SESSION_VARIABLE]: JSON.stringify(SESSION) }, quiet),
    SESSION,
  );
  assert.equal(quiet.output(), "");
});

Deno.test("checkSessionRecord refuses a session made from a malformed answer, quoting none of it", () => {
  assert.equal(checkSessionRecord(SESSION), SESSION);
  assert.throws(
    () =>
      checkSessionRecord({
        ...SESSION,
        userArn: "arn:aws:iam::111111111111:user/\x1b]0;PWNED\x07",
      }),
    (error: Error) =>
      error.message === "the new session cannot be used: userArn holds a control character",
  );
});
