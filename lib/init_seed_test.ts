import assert from "node:assert/strict";
import { COMMANDS } from "./commands.ts";
import { getoptsString, SEED_COMMANDS } from "./init_seed.ts";

Deno.test("seed options are stc's own options (same description and completion) under a letter", () => {
  const own = new Set(["help", "source", "export"]);
  for (const seed of SEED_COMMANDS) {
    for (const option of seed.options) {
      assert.match(option.short ?? "", /^[a-z]$/, `${seed.name} --${option.name}`);
      if (own.has(option.name)) continue;
      const source = COMMANDS.flatMap((c) => c.options).find((o) =>
        o.name === option.name && o.description === option.description
      );
      assert.ok(source, `${seed.name} -${option.short} is an stc option`);
      assert.equal(option.complete, source.complete);
    }
    const letters = seed.options.map((o) => o.short);
    assert.equal(new Set(letters).size, letters.length, `${seed.name}: letters are unique`);
  }
  // session-tool.sh's rotate_credentials: -y/-n answer the password question, -t rotates both keys.
  const rotate = SEED_COMMANDS.find((s) => s.name === "rotate_credentials")!;
  assert.equal(getoptsString(rotate), ":hp:ynt");
  assert.match(rotate.options.find((o) => o.short === "t")!.description, /second key/);
});
