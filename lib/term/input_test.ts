import assert from "node:assert/strict";
import { StcError } from "../core/errors.ts";
import { type ByteSource, createLineReader, MAX_LINE_BYTES } from "./input.ts";

/** A pipe delivering `total` bytes of `fill` (a newline every `lineLength` bytes when given) in `chunk`-byte reads. */
function pipe(
  total: number,
  chunk: number,
  lineLength?: number,
): ByteSource & { delivered: number } {
  const source = {
    delivered: 0,
    read(buffer: Uint8Array): Promise<number | null> {
      if (source.delivered >= total) return Promise.resolve(null);
      const n = Math.min(chunk, buffer.length, total - source.delivered);
      for (let i = 0; i < n; i++) {
        const at = source.delivered + i;
        buffer[i] = lineLength !== undefined && at % lineLength === lineLength - 1 ? 10 : 97;
      }
      source.delivered += n;
      return Promise.resolve(n);
    },
  };
  return source;
}

Deno.test("readAll stops reading just past its limit: 20 MB on a pipe is refused after ~64 KiB", async () => {
  const source = pipe(20 * 1024 * 1024, 4096);
  const reader = createLineReader(source);
  await assert.rejects(
    () => reader.readAll(64 * 1024, "the key on stdin"),
    (e) => e instanceof StcError && e.message === "the key on stdin is larger than 64 KiB",
  );
  assert.ok(source.delivered <= 64 * 1024 + 16 * 1024, `read ${source.delivered} bytes`);
});

Deno.test("readLine refuses a line longer than its limit after reading about that much", async () => {
  const source = pipe(20 * 1024 * 1024, 4096);
  const reader = createLineReader(source);
  await assert.rejects(
    () => reader.readLine(),
    (e) => e instanceof StcError && /a line of input is longer than 65536 bytes/.test(e.message),
  );
  assert.ok(source.delivered <= MAX_LINE_BYTES + 16 * 1024, `read ${source.delivered} bytes`);
});

Deno.test("reading is linear: 16 MB in 4 KiB reads, as one text and as 200,000 lines", async () => {
  // Re-copying the buffer on every read (the old reader) takes minutes here; a linear reader a fraction of a second.
  const size = 16 * 1024 * 1024;
  let start = performance.now();
  const text = await createLineReader(pipe(size, 4096)).readAll(size, "input");
  assert.equal(text.length, size);
  const whole = performance.now() - start;

  start = performance.now();
  const reader = createLineReader(pipe(200_000 * 80, 4096, 80));
  let lines = 0;
  for (let line = await reader.readLine(); line !== undefined; line = await reader.readLine()) {
    assert.equal(line.length, 79);
    lines++;
  }
  assert.equal(lines, 200_000);
  const split = performance.now() - start;
  assert.ok(whole < 10_000 && split < 10_000, `${whole.toFixed(0)} ms, ${split.toFixed(0)} ms`);
});

Deno.test("lines end at LF or CR LF; the last line needs no line end", async () => {
  const bytes = new TextEncoder().encode("one\r\ntwo\nthree");
  let given = false;
  const reader = createLineReader({
    read(buffer) {
      if (given) return Promise.resolve(null);
      given = true;
      buffer.set(bytes);
      return Promise.resolve(bytes.length);
    },
  });
  assert.equal(await reader.readLine(), "one");
  assert.equal(await reader.readLine(), "two");
  assert.equal(await reader.readLine(), "three");
  assert.equal(await reader.readLine(), undefined);
});
