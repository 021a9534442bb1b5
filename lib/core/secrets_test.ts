import assert from "node:assert/strict";
import { createSecretRegistry, MIN_SECRET_LENGTH, PARTIAL_MATCH_LENGTH } from "./secrets.ts";

const KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYREDACTTEST";
const TOKEN = `IQoJb3JpZ2luX2VjE${"Zm9vYmFyYmF6".repeat(20)}tail`;

Deno.test("registered secrets are redacted whole and in parts of at least 16 characters", () => {
  const secrets = createSecretRegistry();
  secrets.register(KEY);
  secrets.register(TOKEN);
  secrets.register(undefined);
  assert.equal(secrets.redact(`a ${TOKEN} b ${KEY} c`), "a [redacted] b [redacted] c");
  // A server quoting the middle of a token, or a key cut short.
  assert.equal(
    secrets.redact(`token ${TOKEN.slice(40, 40 + PARTIAL_MATCH_LENGTH)}!`),
    "token [redacted]!",
  );
  assert.equal(secrets.redact(`key ${KEY.slice(0, 20)}…`), "key [redacted]…");
  // Shorter fragments are not: they could be anyone's words.
  assert.equal(
    secrets.redact(`k ${KEY.slice(0, PARTIAL_MATCH_LENGTH - 1)}`),
    `k ${KEY.slice(0, 15)}`,
  );
  assert.equal(secrets.redact("nothing secret here"), "nothing secret here");
});

Deno.test("short secrets (passphrases, common words) are never registered: stc's own words stay as written", () => {
  const secrets = createSecretRegistry();
  for (
    const value of [
      "wrong pass",
      "pass",
      "phrase",
      "a".repeat(MIN_SECRET_LENGTH - 1),
      "wrong passphrase or corrupt file", // long, but words: typed by a person
      "=".repeat(40), // long, but not machine-made
      "cannot\tdecrypt\tthe\tstored",
    ]
  ) {
    secrets.register(value);
  }
  const message =
    "cannot decrypt the stored session: wrong passphrase or corrupt file ========================================";
  assert.equal(secrets.redact(message), message);
});
