import assert from "node:assert/strict";
import { formatStatus, localExpiration, sessionStatus } from "./status.ts";

const NOW = new Date("2030-01-02T02:00:00Z");
const BASE = {
  AWS_ACCESS_KEY_ID: "ASIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "secret",
  AWS_EXPIRATION: "2030-01-02T03:04:05Z",
};

Deno.test("status shows the local expiry stc wrote when it belongs to the expiry in use", () => {
  const env = {
    ...BASE,
    AWS_EXPIRATION_S: String(Date.parse("2030-01-02T03:04:05Z") / 1000),
    AWS_EXPIRATION_LOCAL: "Wed Jan 02 04:04:05 CET 2030",
  };
  const status = sessionStatus(env, NOW);
  assert.equal(localExpiration(env, status), "Wed Jan 02 04:04:05 CET 2030");
  const lines = formatStatus(status, localExpiration(env, status));
  assert.ok(
    lines.includes("expires:   Wed Jan 02 04:04:05 CET 2030 (1h 04m left)"),
    lines.join("\n"),
  );
});

Deno.test("status formats the expiry itself when the local text is missing or of another expiry", () => {
  const stale = {
    ...BASE,
    AWS_EXPIRATION_S: String(Date.parse("2030-01-01T00:00:00Z") / 1000),
    AWS_EXPIRATION_LOCAL: "Tue Jan 01 01:00:00 CET 2030",
  };
  for (const env of [BASE, stale]) {
    const status = sessionStatus(env, NOW);
    assert.equal(localExpiration(env, status), undefined);
    const expires = formatStatus(status, localExpiration(env, status)).find((l) =>
      l.startsWith("expires:")
    );
    assert.match(expires ?? "", /^expires: {3}\w{3} Jan 0[12] \d\d:04:05 .* 2030 \(1h 04m left\)$/);
  }
});
