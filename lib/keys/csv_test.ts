import assert from "node:assert/strict";
import { checkAccessKey, chooseKey, parseKeyCsv, parseKeyInput } from "./csv.ts";
import { StcError } from "../core/errors.ts";

const ID = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const ID2 = "AKIAI44QH8DHBEXAMPLE";
const SECRET2 = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";

function rejectsWithoutSecret(error: unknown, secret = SECRET): boolean {
  assert.ok(error instanceof StcError);
  assert.ok(!error.message.includes(secret) && !(error.hint ?? "").includes(secret));
  return true;
}

Deno.test("parseKeyCsv reads the two-column console layout with BOM and CRLF", async () => {
  const text = `\uFEFFAccess key ID,Secret access key\r\n${ID},${SECRET}\r\n`;
  assert.deepEqual(await parseKeyCsv(text), [{ accessKeyId: ID, secretAccessKey: SECRET }]);
});

Deno.test("parseKeyCsv reads the five-column layout by header", async () => {
  const text = "User name,Password,Access key ID,Secret access key,Console login link\n" +
    `alice,,${ID},${SECRET},https://111111111111.signin.aws.amazon.com/console\n` +
    `bob,"p,w",${ID2},${SECRET2},https://x\n`;
  assert.deepEqual(await parseKeyCsv(text), [
    { accessKeyId: ID, secretAccessKey: SECRET, userName: "alice" },
    { accessKeyId: ID2, secretAccessKey: SECRET2, userName: "bob" },
  ]);
});

Deno.test("parseKeyCsv rejects files without the key columns or with a bad secret", async () => {
  await assert.rejects(() => parseKeyCsv("a,b\n1,2\n"), StcError);
  await assert.rejects(
    () => parseKeyCsv(`Access key ID,Secret access key\n${ID},${SECRET}x\n`),
    (e) => rejectsWithoutSecret(e, `${SECRET}x`),
  );
  await assert.rejects(
    () => parseKeyCsv(`Access key ID,Secret access key\n"${ID},${SECRET}\n`),
    (e) => rejectsWithoutSecret(e),
  );
});

Deno.test("checkAccessKey validates id and secret without echoing the secret", () => {
  assert.deepEqual(checkAccessKey(` ${ID} `, `${SECRET}\n`), {
    accessKeyId: ID,
    secretAccessKey: SECRET,
  });
  assert.throws(() => checkAccessKey("ASIAIOSFODNN7EXAMPLE", SECRET), /invalid access key id/);
  assert.throws(() => checkAccessKey("AKIAiosfodnn7example", SECRET), StcError);
  assert.throws(() => checkAccessKey(ID, SECRET.slice(1)), (e) => rejectsWithoutSecret(e));
  // A secret pasted into the id field is not echoed either.
  assert.throws(() => checkAccessKey(SECRET, ID), (e) => rejectsWithoutSecret(e));
});

Deno.test("parseKeyInput accepts a pair, CSV text and an import command", async () => {
  assert.deepEqual(await parseKeyInput(`${ID},${SECRET}\n`), {
    keys: [{ accessKeyId: ID, secretAccessKey: SECRET }],
  });
  assert.deepEqual(await parseKeyInput(`Access key ID,Secret access key\n${ID},${SECRET}\n`), {
    keys: [{ accessKeyId: ID, secretAccessKey: SECRET }],
  });
  assert.deepEqual(await parseKeyInput(`get_session -p ops -i ${ID},${SECRET} -b bkt -d\n`), {
    keys: [{ accessKeyId: ID, secretAccessKey: SECRET }],
    profile: "ops",
    bucket: "bkt",
    download: true,
  });
  await assert.rejects(
    () => parseKeyInput(`${ID} ${SECRET} extra`),
    (e) => rejectsWithoutSecret(e),
  );
  await assert.rejects(() => parseKeyInput(""), StcError);
});

Deno.test("chooseKey needs --key-id when there are several keys", () => {
  const keys = [
    { accessKeyId: ID, secretAccessKey: SECRET },
    { accessKeyId: ID2, secretAccessKey: SECRET2 },
  ];
  assert.throws(() => chooseKey(keys, undefined), (e: StcError) => {
    assert.match(e.message, new RegExp(`${ID}, ${ID2}`));
    assert.match(e.hint ?? "", /--key-id/);
    return rejectsWithoutSecret(e) && rejectsWithoutSecret(e, SECRET2);
  });
  assert.equal(chooseKey(keys, ID2).secretAccessKey, SECRET2);
  assert.throws(() => chooseKey(keys, "AKIANOTTHERE00000000"), /AKIANOTTHERE00000000 is not/);
  // A secret pasted after --key-id by mistake is not echoed.
  assert.throws(
    () => chooseKey(keys, SECRET2),
    (e: StcError) =>
      /^access key is not in the input$/.test(e.message) && rejectsWithoutSecret(e, SECRET2),
  );
  assert.equal(chooseKey(keys.slice(0, 1), undefined).accessKeyId, ID);
});
