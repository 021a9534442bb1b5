import assert from "node:assert/strict";
import { splitShellWords } from "../shell/words.ts";
import {
  formatImportCommand,
  formatStcImportCommand,
  isImportCommand,
  parseImportCommand,
} from "./transfer.ts";

const ID = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

Deno.test("formatImportCommand matches session-tool.sh's export line", () => {
  assert.equal(
    formatImportCommand({
      profile: "awsops",
      accessKeyId: ID,
      secretAccessKey: SECRET,
      bucket: "b1",
    }, "sh"),
    `get_session -p awsops -i ${ID},${SECRET} -b b1 -d`,
  );
  assert.equal(
    formatImportCommand({ profile: "awsops", accessKeyId: ID, secretAccessKey: SECRET }, "fish"),
    `get_session -p awsops -i ${ID},${SECRET}`,
  );
});

Deno.test("formatImportCommand quotes unusual values and parseImportCommand reverses it", () => {
  const key = { profile: "my prof'x", accessKeyId: ID, secretAccessKey: SECRET, bucket: "a b$c" };
  const line = formatImportCommand(key, "sh");
  assert.match(line, /-p 'my prof'\\''x'/);
  assert.deepEqual(parseImportCommand(line), {
    profile: key.profile,
    accessKeyId: ID,
    secretAccessKey: SECRET,
    bucket: key.bucket,
    download: true,
  });
});

Deno.test("parseImportCommand accepts stc import lines and a missing bucket", () => {
  assert.deepEqual(parseImportCommand(`stc import -p x ${ID},${SECRET}`), {
    profile: "x",
    accessKeyId: ID,
    secretAccessKey: SECRET,
    download: false,
  });
  assert.equal(isImportCommand(`get_session -i ${ID},${SECRET}`), true);
  assert.equal(isImportCommand(`${ID},${SECRET}`), false);
});

Deno.test("parseImportCommand errors never contain the secret", () => {
  for (
    const line of [
      `get_session -i ${ID}${SECRET}`,
      `ls -i ${ID},${SECRET}`,
      `get_session -x ${SECRET}`,
    ]
  ) {
    assert.throws(() => parseImportCommand(line), (e: Error) => {
      assert.ok(!e.message.includes(SECRET), e.message);
      return true;
    });
  }
});

Deno.test("splitShellWords handles quotes and backslashes", () => {
  assert.deepEqual(splitShellWords(`a 'b c' "d\\"e" f\\ g`), ["a", "b c", 'd"e', "f g"]);
  assert.equal(splitShellWords("a 'b"), undefined);
});

Deno.test("formatStcImportCommand pipes the pair to 'stc import -' and parseImportCommand reads it back", () => {
  const key = { profile: "awsops", accessKeyId: ID, secretAccessKey: SECRET, bucket: "b1" };
  const line = formatStcImportCommand(key, "zsh");
  assert.equal(line, `printf '%s\\n' ${ID},${SECRET} | stc import -p awsops -b b1 -d -`);
  assert.equal(isImportCommand(line), true);
  assert.deepEqual(parseImportCommand(line), { ...key, download: true });
  const bare = formatStcImportCommand(
    { profile: "a b", accessKeyId: ID, secretAccessKey: SECRET },
    "bash",
  );
  assert.equal(bare, `printf '%s\\n' ${ID},${SECRET} | stc import -p 'a b' -`);
  assert.deepEqual(parseImportCommand(bare), {
    profile: "a b",
    accessKeyId: ID,
    secretAccessKey: SECRET,
    download: false,
  });
});

Deno.test("import lines quote for the target shell: fish reads its own quoting, sh its own", () => {
  const key = { profile: "%self", accessKeyId: ID, secretAccessKey: SECRET, bucket: "x\\';touch" };
  assert.equal(
    formatImportCommand(key, "fish"),
    `get_session -p '%self' -i ${ID},${SECRET} -b 'x\\\\\\';touch' -d`,
  );
  assert.equal(
    formatStcImportCommand(key, "sh"),
    `printf '%s\\n' ${ID},${SECRET} | stc import -p '%self' -b 'x\\'\\'';touch' -d -`,
  );
});

Deno.test("nu: the pair is a nushell string piped to stc (no printf program, whose arguments ps shows)", () => {
  const key = { profile: "awsops", accessKeyId: ID, secretAccessKey: SECRET, bucket: "b1" };
  const line = formatStcImportCommand(key, "nu");
  assert.equal(line, `'${ID},${SECRET}' | stc import -p awsops -b b1 -d -`);
  assert.equal(isImportCommand(line), true);
  assert.deepEqual(parseImportCommand(line), { ...key, download: true });
  assert.equal(
    formatImportCommand(key, "nu"),
    `get_session -p awsops -i '${ID},${SECRET}' -b b1 -d`,
  );
});
