import assert from "node:assert/strict";
import { runDemo } from "./demo.ts";

Deno.test("deno task demo: every step of the tour succeeds against the emulator", async () => {
  assert.equal(await runDemo({ quiet: true }), 0);
});
