import assert from "node:assert/strict";
import { loadAllSpecs } from "../cli/registry.ts";
import { findSeedCommand, getoptsString, SEED_COMMANDS, seedUsage } from "./seed.ts";

Deno.test("seed options are stc's own options (same description and completion) under a letter", async () => {
  const specs = await loadAllSpecs();
  const own = new Set(["help", "source", "export"]);
  for (const seed of SEED_COMMANDS) {
    for (const option of seed.options) {
      assert.match(option.short ?? "", /^[a-z]$/, `${seed.name} --${option.name}`);
      if (own.has(option.name)) continue;
      const source = specs.flatMap((c) => c.options).find((o) =>
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

Deno.test("seed usage: a synopsis, every option and argument with the stc command it runs", async () => {
  const specs = await loadAllSpecs();
  for (const seed of SEED_COMMANDS) {
    // Lines broken to fit 100 columns continue with a hanging indent: read them joined again.
    const text = seedUsage(seed).replace(/\n {3,}/g, " ");
    const lines = text.split("\n");
    const synopsis = lines[0];
    assert.ok(synopsis.startsWith(`Usage: ${seed.name} `), synopsis);
    for (const option of seed.options) {
      const flag = `-${option.short}${option.type === "string" ? ` ${option.valueName}` : ""}`;
      assert.ok(synopsis.includes(`[${flag}]`), `${seed.name}: ${flag} in ${synopsis}`);
      const line = lines.find((l) => l.startsWith(`  ${flag} `));
      assert.ok(line, `${seed.name}: a line for ${flag}`);
      if (option.name === "help") {
        assert.match(line, /Show this help$/);
        continue;
      }
      assert.match(option.runs ?? "", /^stc [a-z]+/, `${seed.name} ${flag} runs an stc command`);
      assert.ok(line.includes(option.runs!), `${seed.name}: ${line}`);
      assert.ok(line.endsWith(option.description), `${seed.name}: ${line}`);
      // The command it names exists, and so does the long option.
      const [, command, long] = option.runs!.split(" ");
      const target = specs.find((c) => c.name === command);
      assert.ok(target, option.runs);
      if (long?.startsWith("--")) {
        assert.ok(target.options.some((o) => `--${o.name}` === long), option.runs);
      }
    }
    for (const arg of seed.args) {
      const line = lines.find((l) => l.startsWith(`  ${arg.name} `));
      assert.ok(line, `${seed.name}: a line for argument ${arg.name}`);
      assert.ok(line.endsWith(arg.description), line);
      assert.ok(line.includes(arg.runs ?? `stc ${seed.command}`), line);
      assert.ok(synopsis.includes(arg.optional ? `[${arg.name}]` : `<${arg.name}>`), synopsis);
    }
    assert.equal(lines.at(-2), `See 'stc help ${seed.command}' for details.`);
    assert.equal(lines.at(-1), "");
  }
  // session-tool.sh's order, and what the letters with no stc option of their own run.
  const getSession = seedUsage(findSeedCommand("get_session")!);
  assert.ok(
    getSession.startsWith(
      "Usage: get_session [-h] [-s] [-r] [-l] [-c] [-d] [-u] [-v] [-i FILE] [-b BUCKET] [-e] [-p PROFILE]\n" +
        "                   [MFA]\n",
    ),
  );
  assert.match(getSession, /^ {2}-i FILE +stc import FILE +/m);
  assert.match(getSession, /^ {2}-e +stc export +/m);
  assert.match(getSession, /^ {2}-d +stc roles --download +/m);
  assert.match(seedUsage(findSeedCommand("assume_role")!), /^ {2}-l +stc roles --names +/m);
  assert.equal(findSeedCommand("nope"), undefined);
});
