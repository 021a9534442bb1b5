/**
 * Runs the emulator standalone (`deno task emulator`): prints the endpoint, the environment to
 * export, a sample access-key CSV and how to get alice's current MFA code, then serves until
 * Ctrl-C.
 *
 * @module
 */

import { defaultFixture, startEmulator } from "./server.ts";

const fixture = await defaultFixture();
const emulator = await startEmulator({ fixture });
const alice = fixture.accounts.flatMap((a) => a.users ?? []).find((u) => u.name === "alice");
if (!alice?.accessKeys?.[0] || !alice.mfaDevices?.[0]) {
  throw new Error("fixture.json must define alice with an access key and an MFA device");
}

// The CSV mirrors what the AWS console downloads; 0600 because it holds a secret.
const dir = await Deno.makeTempDir({ prefix: "stc-emulator-" });
const csvPath = `${dir}/alice_accessKeys.csv`;
await Deno.writeTextFile(
  csvPath,
  `Access key ID,Secret access key\n${alice.accessKeys[0].id},${alice.accessKeys[0].secret}\n`,
  { mode: 0o600 },
);

const exports = Object.entries(emulator.env()).map(([k, v]) => `export ${k}=${v}`).join("\n");
console.log(`stc AWS emulator listening on ${emulator.endpoint}

Export these in the shell that runs stc:
${exports}

alice's access key CSV (console format): ${csvPath}
alice's MFA serial: ${emulator.mfaSerial("alice")}
alice's TOTP secret (base32): ${alice.mfaDevices[0].secret}
Current MFA code:  curl -s '${emulator.endpoint}/__admin/totp?user=alice&format=text'

Admin API: ${emulator.endpoint}/__admin/ (see test/emulator/README.md). Ctrl-C to stop.`);

const stop = async () => {
  await emulator.close();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
