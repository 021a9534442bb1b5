import assert from "node:assert/strict";
import { StcError } from "../core/errors.ts";
import { createRenewal, RENEW_BEFORE_SECONDS } from "./renewal.ts";

const T0 = Date.parse("2026-01-01T00:00:00Z");

function world(obtainResult: (n: number) => Promise<Date>) {
  let now = T0;
  const said: string[] = [];
  let obtained = 0;
  const renewal = createRenewal({
    label: "dev-admin",
    now: () => new Date(now),
    notices: { info: (m) => said.push(`info: ${m}`), warn: (m) => said.push(`warn: ${m}`) },
    initial: {
      credentials: {
        accessKeyId: "ASIA0",
        secretAccessKey: "s",
        expiration: new Date(T0 + 3600_000),
      },
      baseExpiration: new Date(T0 + 2 * 3600_000),
    },
    async obtain(minSeconds) {
      assert.equal(minSeconds, RENEW_BEFORE_SECONDS);
      obtained++;
      return {
        credentials: {
          accessKeyId: `ASIA${obtained}`,
          secretAccessKey: "s",
          expiration: await obtainResult(obtained),
        },
      };
    },
  });
  return {
    renewal,
    said,
    obtained: () => obtained,
    at: (minutes: number) => now = T0 + minutes * 60_000,
    key: async () => {
      const served = await renewal.serve();
      return served.ok ? served.credentials.accessKeyId : `${served.status} ${served.message}`;
    },
  };
}

Deno.test("renewal: credentials are renewed only under 15 minutes left, once for simultaneous requests", async () => {
  const w = world((n) => Promise.resolve(new Date(T0 + (45 * n + 60) * 60_000)));
  w.at(45);
  assert.equal(await w.key(), "ASIA0");
  assert.equal(w.obtained(), 0);
  w.at(46);
  const keys = await Promise.all([w.key(), w.key(), w.key()]);
  assert.deepEqual(keys, ["ASIA1", "ASIA1", "ASIA1"]);
  assert.equal(w.obtained(), 1);
  assert.equal(w.renewal.renewals, 1);
  assert.match(w.said[0], /^info: dev-admin: new credentials, valid until .* \(renewal 1\)$/);
});

Deno.test("renewal: a failed renewal serves the current credentials while over a minute is left, then an error", async () => {
  const w = world(() =>
    Promise.reject(new StcError("AWS could not be reached", { hint: "check the network" }))
  );
  w.at(50);
  assert.equal(await w.key(), "ASIA0");
  assert.equal(await w.key(), "ASIA0");
  w.at(59.5);
  assert.equal(
    await w.key(),
    "503 stc: AWS could not be reached (check the network)",
  );
  // One warning for one reason, however many requests.
  assert.equal(w.said.filter((s) => s.includes("renewal failed")).length, 1, w.said.join("\n"));
  assert.match(w.said[0], /the current credentials are served for 10m 00s more$/);
});

Deno.test("renewal: the base session's end is told 10 minutes ahead, and when it is over, once each", () => {
  const w = world((n) => Promise.resolve(new Date(T0 + (45 * n + 60) * 60_000)));
  w.at(100);
  w.renewal.checkBase();
  assert.deepEqual(w.said, []);
  w.at(111);
  w.renewal.checkBase();
  w.renewal.checkBase();
  assert.equal(w.said.length, 1);
  assert.match(w.said[0], /^warn: the MFA session expires in 9m 00s/);
  w.at(121);
  w.renewal.checkBase();
  w.renewal.checkBase();
  assert.equal(w.said.length, 2);
  assert.match(w.said[1], /^warn: the MFA session expired at .*run 'stc session'/);
});
