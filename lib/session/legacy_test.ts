import assert from "node:assert/strict";
import { decryptLegacySession, legacyToSessionRecord, parseAssignments } from "./legacy.ts";
import { StcError } from "../core/errors.ts";

const CONTENT = [
  "AWS_USER='arn:aws:iam::111111111111:user/alice'",
  "AWS_USERNAME='alice'",
  "AWS_SERIAL='arn:aws:iam::111111111111:mfa/alice'",
  "AWS_PROFILE='awsops'",
  "AWS_SECRET_ACCESS_KEY='abc/def+ghi'",
  "AWS_SESSION_TOKEN='tok$(touch /tmp/never)'",
  "AWS_ACCESS_KEY_ID='ASIAEXAMPLE'",
  "AWS_EXPIRATION='2030-01-02T03:04:05Z'",
  "AWS_EXPIRATION_S='1893553445'",
  "AWS_EXPIRATION_LOCAL='Wed Jan  2 03:04:05 UTC 2030'",
  "",
].join("\n");

/** Encrypts `content` with the real openssl binary; the passphrase goes through a file, never argv. */
async function opensslEncrypt(
  content: string,
  passphrase: string,
  args: string[],
): Promise<Uint8Array> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/pass`, passphrase, { mode: 0o600 });
    await Deno.writeTextFile(`${dir}/in`, content);
    const out = await new Deno.Command("openssl", {
      args: [
        "enc",
        "-aes-256-cbc",
        "-salt",
        ...args,
        "-in",
        `${dir}/in`,
        "-pass",
        `file:${dir}/pass`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    return out.stdout;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

for (
  const [name, args, kdf] of [
    ["pbkdf2 50000", ["-pbkdf2", "-iter", "50000"], "pbkdf2-sha256"],
    ["EVP_BytesToKey md5", ["-md", "md5"], "evp-md5"],
    ["EVP_BytesToKey sha256", ["-md", "sha256"], "evp-sha256"],
    ["base64 output", ["-pbkdf2", "-iter", "50000", "-a"], "pbkdf2-sha256"],
  ] as const
) {
  Deno.test(`decryptLegacySession opens openssl files: ${name}`, async () => {
    const data = await opensslEncrypt(CONTENT, "pass phrase", [...args]);
    const session = decryptLegacySession(data, "pass phrase");
    assert.equal(session.kdf, kdf);
    assert.equal(session.variables.AWS_SESSION_TOKEN, "tok$(touch /tmp/never)");
    assert.equal(session.variables.AWS_SECRET_ACCESS_KEY, "abc/def+ghi");
    assert.throws(() => decryptLegacySession(data, "wrong"), StcError);
  });
}

Deno.test("decryptLegacySession rejects corrupt files", async () => {
  const data = await opensslEncrypt(CONTENT, "pw", ["-pbkdf2", "-iter", "50000"]);
  const corrupt = data.slice(0, data.length - 5);
  assert.throws(() => decryptLegacySession(corrupt, "pw"), /wrong passphrase or corrupt/);
  assert.throws(() => decryptLegacySession(new TextEncoder().encode("hello"), "pw"), StcError);
});

Deno.test("parseAssignments takes values literally and refuses expansions", () => {
  assert.deepEqual(parseAssignments("A='x y'\nexport B=\"q\"\nC=plain\n"), {
    A: "x y",
    B: "q",
    C: "plain",
  });
  assert.deepEqual(parseAssignments("A='it'\\''s'"), { A: "it's" });
  assert.equal(parseAssignments("A=$(id)"), undefined);
  assert.equal(parseAssignments("rm -rf /"), undefined);
  assert.equal(parseAssignments("A='x' B='y'"), undefined);
});

Deno.test("legacyToSessionRecord maps session-tool.sh's variables", () => {
  const record = legacyToSessionRecord(parseAssignments(CONTENT)!, "other");
  assert.deepEqual(record, {
    profile: "awsops",
    accessKeyId: "ASIAEXAMPLE",
    secretAccessKey: "abc/def+ghi",
    sessionToken: "tok$(touch /tmp/never)",
    expiration: "2030-01-02T03:04:05.000Z",
    userArn: "arn:aws:iam::111111111111:user/alice",
    userName: "alice",
    serial: "arn:aws:iam::111111111111:mfa/alice",
  });
});
