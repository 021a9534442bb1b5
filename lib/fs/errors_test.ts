import assert from "node:assert/strict";
import { StcError } from "../core/errors.ts";
import { describeFsError, fileWriteError, unhandledFsError } from "./errors.ts";

/** The error Deno throws for `fn`. */
async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

Deno.test("a file-system error that reached the top is one line naming the file and what was done to it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "stc-errors-" });
  try {
    await Deno.writeTextFile(`${dir}/file`, "x");
    const write = unhandledFsError(
      await thrown(() => Deno.writeTextFile(`${dir}/file/credentials`, "x")),
    );
    assert.ok(write instanceof StcError);
    assert.equal(
      write.message,
      `cannot write ${dir}/file/credentials: a part of the path is not a directory`,
    );
    const read = unhandledFsError(await thrown(() => Deno.readTextFile(`${dir}/file/x`)));
    assert.equal(read?.message, `cannot read ${dir}/file/x: a part of the path is not a directory`);
    assert.equal(unhandledFsError(new Error("boom")), undefined);
    assert.equal(unhandledFsError(new TypeError("x is undefined")), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fileWriteError names the file, says why in words, and hints only where a hint is true", () => {
  const full = Object.assign(new Error("No space left on device (os error 28)"), {
    code: "ENOSPC",
  });
  const error = fileWriteError("/home/a/.aws/credentials", full);
  assert.equal(error.message, "cannot write /home/a/.aws/credentials: no space left on the device");
  assert.equal(error.hint, "free some space, then run the command again");
  const readOnly = Object.assign(new Error("Read-only file system (os error 30)"), {
    code: "EROFS",
  });
  assert.equal(fileWriteError("/x", readOnly).message, "cannot write /x: read-only file system");
  assert.equal(fileWriteError("/x", readOnly).hint, undefined);
  const denied = new Deno.errors.PermissionDenied("Permission denied (os error 13)");
  assert.equal(fileWriteError("/a/b", denied).hint, "check the owner and permissions of /a");
  const own = new StcError("already words");
  assert.equal(fileWriteError("/x", own), own);
  assert.equal(
    describeFsError(new Deno.errors.NotCapable("Requires all access")),
    "not a regular file",
  );
});
