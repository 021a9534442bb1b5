import assert from "node:assert/strict";
import {
  lockPathFor,
  LockTimeoutError,
  probeWritable,
  TEMP_INFIX,
  withLock,
  writeFileAtomic,
} from "./atomic.ts";

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "stc-atomic-" });
}

async function names(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

Deno.test("writeFileAtomic creates 0600 by default and exactly the requested mode", async () => {
  const dir = await tempDir();
  try {
    await writeFileAtomic(`${dir}/secret`, "s3cr3t\n");
    assert.equal((await Deno.stat(`${dir}/secret`)).mode! & 0o777, 0o600);
    assert.equal(await Deno.readTextFile(`${dir}/secret`), "s3cr3t\n");
    await writeFileAtomic(`${dir}/public`, new Uint8Array([1, 2, 3]), { mode: 0o644 });
    assert.equal((await Deno.stat(`${dir}/public`)).mode! & 0o777, 0o644);
    assert.deepEqual(await Deno.readFile(`${dir}/public`), new Uint8Array([1, 2, 3]));
    assert.deepEqual(await names(dir), ["public", "secret"], "no temp files left");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic replaces the file by rename (new inode) and keeps a symlink", async () => {
  const dir = await tempDir();
  try {
    await Deno.writeTextFile(`${dir}/real`, "old");
    const before = await Deno.stat(`${dir}/real`);
    await Deno.symlink(`${dir}/real`, `${dir}/link`);
    await writeFileAtomic(`${dir}/link`, "new");
    assert.ok((await Deno.lstat(`${dir}/link`)).isSymlink, "symlink kept");
    assert.equal(await Deno.readTextFile(`${dir}/real`), "new");
    assert.notEqual((await Deno.stat(`${dir}/real`)).ino, before.ino);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic leaves target and directory untouched when it fails", async () => {
  const dir = await tempDir();
  try {
    await Deno.mkdir(`${dir}/target`);
    await Deno.writeTextFile(`${dir}/target/inside`, "x");
    await assert.rejects(() => writeFileAtomic(`${dir}/target`, "data"));
    assert.deepEqual(await names(dir), ["target"]);
    assert.equal(await Deno.readTextFile(`${dir}/target/inside`), "x");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("withLock serialises concurrent critical sections in one process", async () => {
  const dir = await tempDir();
  try {
    const counter = `${dir}/counter`;
    await Deno.writeTextFile(counter, "0");
    let inside = 0;
    let maxInside = 0;
    await Promise.all(Array.from({ length: 12 }, () =>
      withLock(counter, async () => {
        maxInside = Math.max(maxInside, ++inside);
        const n = Number(await Deno.readTextFile(counter));
        // Gives the other sections a chance to run in between, which the lock must prevent.
        await new Promise((resolve) => setTimeout(resolve, 0));
        await Deno.writeTextFile(counter, String(n + 1));
        inside--;
      })));
    assert.equal(await Deno.readTextFile(counter), "12");
    assert.equal(maxInside, 1);
    assert.ok((await Deno.stat(lockPathFor(counter))).isFile);
    assert.equal((await Deno.stat(lockPathFor(counter))).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("withLock times out with a clear error naming the holder, and frees on throw", async () => {
  const dir = await tempDir();
  try {
    const path = `${dir}/file`;
    let release!: () => void;
    const held = new Promise<void>((r) => release = r);
    let entered!: () => void;
    const inside = new Promise<void>((r) => entered = r);
    const holder = withLock(path, () => {
      entered();
      return held;
    });
    await inside;
    const t0 = Date.now();
    await assert.rejects(
      () => withLock(path, () => {}, { timeoutMs: 300 }),
      (e: unknown) =>
        e instanceof LockTimeoutError && /timed out after 0.3 s/.test(e.message) &&
        e.message.includes(`pid ${Deno.pid}`),
    );
    assert.ok(Date.now() - t0 >= 300);
    release();
    await holder;
    await assert.rejects(() => withLock(path, () => Promise.reject(new Error("boom"))), /boom/);
    assert.equal(await withLock(path, () => 42, { timeoutMs: 500 }), 42);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a lock held by a process killed with SIGKILL does not block the next writer", async () => {
  const dir = await tempDir();
  try {
    const file = `${dir}/credentials`;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-write", "--allow-env", writer, "hold"],
      env: { AWS_SHARED_CREDENTIALS_FILE: file },
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = child.stdout.getReader();
    const { value } = await reader.read();
    assert.equal(new TextDecoder().decode(value), "locked\n");
    await assert.rejects(() => withLock(file, () => {}, { timeoutMs: 100 }), LockTimeoutError);
    child.kill("SIGKILL");
    await child.status;
    await reader.cancel();
    // The kernel released the lock with the process: taking it does not time out.
    await withLock(file, () => {}, { timeoutMs: 2000 });
    assert.ok(!(await names(dir)).some((n) => n.includes(TEMP_INFIX)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const writer = new URL("../../test/fixtures/aws_files_writer.ts", import.meta.url).pathname;

Deno.test("writeFileAtomic and probeWritable refuse to replace a FIFO (or a device) with a file", async () => {
  const dir = await tempDir();
  try {
    const fifo = `${dir}/credentials`;
    const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assert.ok(made.success, "mkfifo");
    await assert.rejects(() => writeFileAtomic(fifo, "data"), /not a regular file/);
    await assert.rejects(() => probeWritable(fifo), /not a regular file/);
    assert.ok((await Deno.lstat(fifo)).isFifo, "still a FIFO");
    assert.deepEqual(await names(dir), ["credentials"], "no temp file left");
    await probeWritable(`${dir}/missing/deeper/file`);
    assert.deepEqual(await names(dir), ["credentials"], "the probe leaves nothing behind");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
