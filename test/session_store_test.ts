/**
 * `stc session -s / -r / -l`: sessions stored encrypted (age) and restored in another shell, and migration from
 * session-tool.sh's `.aes` files, through the real CLI against the emulator and the real `age` and `openssl`.
 */

import assert from "node:assert/strict";
import { saveSession } from "../lib/session/store.ts";
import type { SessionRecord } from "../lib/session/variables.ts";
import { evalInBash, runStc } from "./helpers.ts";
import { ALICE_ARN, aliceHome, assertFailure, emulated, freshCode } from "./session_fixture.ts";
import { testWith } from "./tools.ts";

const VARS = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_USER",
];

/** A session record of alice's that expires at `expiration`, as `stc session` would store it. */
function aliceSession(expiration: string): SessionRecord {
  return {
    profile: "awsops",
    accessKeyId: "ASIASTOREDEXAMPLE000",
    secretAccessKey: "s".repeat(40),
    sessionToken: "stored-token",
    expiration,
    userArn: ALICE_ARN,
    userName: "alice",
  };
}

/**
 * Decrypts with the real `age -d`, which reads the passphrase only from a terminal: util-linux `script` provides
 * one.
 */
async function ageDecrypt(path: string, passphrase: string): Promise<string> {
  const out = `${path}.out`;
  const child = new Deno.Command("script", {
    args: ["-qec", `age -d -o '${out}' '${path}'`, "/dev/null"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  // A hung age is killed; the timer is cleared otherwise, or it would fire into a later test.
  const timer = setTimeout(() => child.kill(), 15_000);
  // The passphrase is typed once age asks for it on the terminal, as a person would.
  const reader = child.stdout.getReader();
  let shown = "";
  while (!/passphrase/i.test(shown)) {
    const { value, done } = await reader.read();
    if (done) break;
    shown += new TextDecoder().decode(value);
  }
  await writer.write(new TextEncoder().encode(`${passphrase}\n`));
  const status = await child.status.finally(() => clearTimeout(timer));
  await writer.close().catch(() => {});
  await reader.cancel();
  await child.stderr.cancel();
  assert.equal(status.code, 0, "age -d failed");
  const text = await Deno.readTextFile(out);
  await Deno.remove(out);
  return text;
}

/**
 * Encrypts `input` into `output` with the real openssl as session-tool.sh did (passphrase "old pass"), which
 * reads the passphrase from stdin, never argv.
 */
async function sessionToolEncrypt(input: string, output: string, kdf: readonly string[]) {
  const openssl = new Deno.Command("openssl", {
    args: ["enc", "-aes-256-cbc", "-salt", ...kdf, "-in", input, "-out", output, "-pass", "stdin"],
    stdin: "piped",
    stderr: "null",
  }).spawn();
  const writer = openssl.stdin.getWriter();
  await writer.write(new TextEncoder().encode("old pass\n"));
  await writer.close();
  assert.equal((await openssl.status).code, 0);
}

Deno.test("stc session -s stores an age file; -r restores it; -l lists it", async () => {
  await using emulator = await emulated();
  await using home = await aliceHome();
  const env = { ...home.env, ...emulator.env() };
  const made = await runStc(["session", "-s", freshCode(emulator)], {
    env,
    stdin: "correct horse\ncorrect horse\n",
  });
  assert.equal(made.code, 0, made.stderr);
  const shell = await evalInBash(made.stdout, [...VARS, "STC_BASE_SESSION"]);
  const path = `${home.aws}/awsops.session.age`;
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  const bytes = await Deno.readFile(path);
  const header = new TextDecoder().decode(bytes.subarray(0, 80));
  assert.match(header, /^age-encryption\.org\/v1\n-> scrypt [A-Za-z0-9+/]{22} 18\n/);
  assert.ok(!new TextDecoder().decode(bytes).includes(shell.AWS_SESSION_TOKEN!));
  const metadata = (await home.read(".aws/awsops.session.json"))!;
  assert.equal((await Deno.stat(`${home.aws}/awsops.session.json`)).mode! & 0o777, 0o600);
  assert.ok(
    !metadata.includes(shell.AWS_SECRET_ACCESS_KEY!) &&
      !metadata.includes(shell.AWS_SESSION_TOKEN!),
  );
  assert.equal(JSON.parse(metadata).expiration, JSON.parse(shell.STC_BASE_SESSION!).expiration);

  // Another shell (no base session) restores it with the passphrase.
  const restored = await runStc(["session", "-r"], { env, stdin: "correct horse\n" });
  assert.equal(restored.code, 0, restored.stderr);
  const vars = await evalInBash(restored.stdout, VARS);
  for (const name of VARS) assert.equal(vars[name], shell[name], name);

  // A wrong passphrase or a corrupt file: clear error, file untouched.
  // The passphrase is nowhere in the message, and stc's words are not rewritten around it.
  for (const typed of ["wrong pass", "passphrase-or-corrupt-file-0123"]) {
    const wrong = await runStc(["session", "-r"], { env, stdin: `${typed}\n` });
    assertFailure(wrong, 1);
    assert.match(wrong.stderr, /: wrong passphrase or corrupt file\n/);
    assert.doesNotMatch(wrong.stderr, /redacted/);
  }
  assert.deepEqual(await Deno.readFile(path), bytes);
  const corrupt = bytes.slice(0, bytes.length - 10);
  await Deno.writeFile(path, corrupt);
  assertFailure(await runStc(["session", "-r"], { env, stdin: "correct horse\n" }), 1);
  assert.deepEqual(await Deno.readFile(path), corrupt);

  const list = await runStc(["session", "-l"], { env });
  assert.equal(list.code, 0, list.stderr);
  assert.match(
    list.stdout,
    /^awsops +valid +\w{3} \w{3} \d\d .*UTC \d{4} +\(1[12]h \d\dm left\)\n$/,
  );
});

await testWith(["age", "script"], "a stored session opens with the real age -d", async () => {
  await using home = await aliceHome();
  const session = aliceSession("2030-01-01T00:00:00.000Z");
  const path = await saveSession(home.aws, session, "correct horse");
  assert.deepEqual(JSON.parse(await ageDecrypt(path, "correct horse")), session);
});

Deno.test("stc session -s alone stores the shell's base session; -r returns to it without a passphrase", async () => {
  await using emulator = await emulated();
  await using home = await aliceHome();
  const env = { ...home.env, ...emulator.env() };
  const made = await runStc(["session", freshCode(emulator)], { env });
  assert.equal(made.code, 0, made.stderr);
  const shell = await evalInBash(made.stdout, [...VARS, "STC_BASE_SESSION"]);
  const withBase = { ...env, STC_BASE_SESSION: shell.STC_BASE_SESSION! };

  // Empty passphrases are refused: nothing is stored.
  assertFailure(await runStc(["session", "-s"], { env: withBase, stdin: "\n\n\n" }), 1);
  await assert.rejects(() => Deno.stat(`${home.aws}/awsops.session.age`), Deno.errors.NotFound);

  const stored = await runStc(["session", "-s"], { env: withBase, stdin: "pw\npw\n" });
  assert.equal(stored.code, 0, stored.stderr);
  assert.equal(stored.stdout, "");
  const opened = await ageDecrypt(`${home.aws}/awsops.session.age`, "pw");
  if (opened !== undefined) assert.equal(JSON.parse(opened).sessionToken, shell.AWS_SESSION_TOKEN);

  // In a shell with an assumed role's credentials, -r drops back to the base session (no stdin needed).
  const back = await runStc(["session", "-r"], {
    env: { ...withBase, AWS_ACCESS_KEY_ID: "ASIAROLE", AWS_ROLE_ALIAS: "dev-admin" },
  });
  assert.equal(back.code, 0, back.stderr);
  const vars = await evalInBash(back.stdout, [...VARS, "AWS_ROLE_ALIAS"], {
    AWS_ROLE_ALIAS: "dev-admin",
  });
  assert.equal(vars.AWS_ACCESS_KEY_ID, shell.AWS_ACCESS_KEY_ID);
  assert.equal(vars.AWS_ROLE_ALIAS, undefined);
});

Deno.test("stc session -r: an expired stored session exits 3; -l marks it EXPIRED", async () => {
  await using home = await aliceHome();
  const expired = aliceSession("2020-01-01T00:00:00.000Z");
  await saveSession(home.aws, expired, "pw");
  const result = await runStc(["session", "-r", "-p", "awsops"], { env: home.env, stdin: "pw\n" });
  assertFailure(result, 3);
  assert.match(result.stderr, /expired/);
  const list = await runStc(["session", "-l"], { env: home.env });
  assert.match(list.stdout, /^awsops +EXPIRED +Wed Jan 01 00:00:00 UTC 2020\n$/);
  const none = await runStc(["session", "-r", "-p", "other"], { env: home.env });
  assertFailure(none, 3);
  assert.match(none.stderr, /no stored session for profile 'other'/);
});

Deno.test("stc session -r reads session-tool.sh's .aes file and migrates it", async () => {
  await using home = await aliceHome();
  const expiration = new Date(Date.now() + 3 * 3600_000);
  const content = [
    `AWS_USER='${ALICE_ARN}'`,
    "AWS_USERNAME='alice'",
    "AWS_SERIAL='arn:aws:iam::111111111111:mfa/alice'",
    "AWS_PROFILE='awsops'",
    "AWS_SECRET_ACCESS_KEY='legacySecret/with+chars'",
    "AWS_SESSION_TOKEN='legacy'\\''token'",
    "AWS_ACCESS_KEY_ID='ASIALEGACYEXAMPLE000'",
    `AWS_EXPIRATION='${expiration.toISOString().replace(/\.\d+Z/, "Z")}'`,
    `AWS_EXPIRATION_S='${Math.floor(expiration.getTime() / 1000)}'`,
    "AWS_EXPIRATION_LOCAL='whenever'",
    "",
  ].join("\n");
  const plain = await home.write("plain.txt", content);
  await sessionToolEncrypt(plain, `${home.aws}/awsops.aes`, ["-pbkdf2", "-iter", "50000"]);

  const listed = await runStc(["session", "-l"], { env: home.env });
  assert.match(listed.stdout, /^awsops +session-tool\.sh format/);

  const restored = await runStc(["session", "-r"], { env: home.env, stdin: "old pass\ny\n" });
  assert.equal(restored.code, 0, restored.stderr);
  const vars = await evalInBash(restored.stdout, VARS);
  assert.equal(vars.AWS_ACCESS_KEY_ID, "ASIALEGACYEXAMPLE000");
  assert.equal(vars.AWS_SESSION_TOKEN, "legacy'token");
  assert.equal(vars.AWS_SECRET_ACCESS_KEY, "legacySecret/with+chars");
  assert.equal(vars.AWS_USER, ALICE_ARN);

  // Migrated: the age file now opens with the same passphrase; the .aes file is left for session-tool.sh.
  await Deno.stat(`${home.aws}/awsops.aes`);
  const again = await runStc(["session", "-r"], { env: home.env, stdin: "old pass\n" });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(
    (await evalInBash(again.stdout, ["AWS_SESSION_TOKEN"])).AWS_SESSION_TOKEN,
    "legacy'token",
  );
});

for (
  const [name, kdf] of [
    ["EVP_BytesToKey with MD5", ["-md", "md5"]],
    ["EVP_BytesToKey with SHA-256", ["-md", "sha256"]],
  ] as const
) {
  Deno.test(`stc session -r reads a session-tool.sh .aes file made with ${name}`, async () => {
    await using home = await aliceHome();
    const expiration = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z/, "Z");
    const plain = await home.write(
      "plain.txt",
      `AWS_ACCESS_KEY_ID='ASIALEGACYEXAMPLE000'\nAWS_SECRET_ACCESS_KEY='s3cret/$(echo\${IFS}pwned)'\n` +
        `AWS_SESSION_TOKEN='tok'\nAWS_PROFILE='awsops'\nAWS_USER='${ALICE_ARN}'\n` +
        `AWS_EXPIRATION='${expiration}'\n`,
    );
    const path = `${home.aws}/awsops.aes`;
    await sessionToolEncrypt(plain, path, kdf);
    const bytes = await Deno.readFile(path);

    // A wrong passphrase: one error line, exit 1, the file untouched, nothing stored.
    const wrong = await runStc(["session", "-r"], { env: home.env, stdin: "wrong\n" });
    assertFailure(wrong, 1);
    assert.match(wrong.stderr, /wrong passphrase or corrupt file/);
    assert.deepEqual(await Deno.readFile(path), bytes);

    // Declining the offer to store it in stc's format restores it all the same, storing nothing.
    const restored = await runStc(["session", "-r"], { env: home.env, stdin: "old pass\nn\n" });
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stderr, /Store it in stc's format/);
    const vars = await evalInBash(restored.stdout, VARS);
    assert.equal(vars.AWS_ACCESS_KEY_ID, "ASIALEGACYEXAMPLE000");
    assert.equal(vars.AWS_SECRET_ACCESS_KEY, "s3cret/$(echo${IFS}pwned)");
    assert.equal(vars.AWS_USER, ALICE_ARN);
    await assert.rejects(() => Deno.stat(`${home.aws}/awsops.session.age`), Deno.errors.NotFound);
    assert.deepEqual(await Deno.readFile(path), bytes);
  });
}

Deno.test("stc session -r: a stored session that is not a regular file is refused by name, before the passphrase", async () => {
  await using home = await aliceHome();
  await Deno.mkdir(`${home.aws}/awsops.session.age`);
  const result = await runStc(["session", "-r", "-p", "awsops"], { env: home.env, stdin: "pw\n" });
  assertFailure(result, 1);
  assert.match(result.stderr, /cannot read .*awsops\.session\.age: not a regular file/);
  assert.doesNotMatch(result.stderr, /passphrase/i);
});
