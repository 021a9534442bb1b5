import assert from "node:assert/strict";
import { SEED_COMMANDS, seedUsage } from "../commands/seed.ts";
import { OPTION_EXCEPTIONS } from "../commands/overview.ts";
import { loadAllSpecs } from "./registry.ts";
import { HELP_WIDTH } from "../core/wrap.ts";
import { commandHelp, HELP_HELP, overviewHelp } from "./help.ts";

function overlong(text: string): string[] {
  return text.split("\n").filter((line) => [...line].length > HELP_WIDTH);
}

Deno.test("no help line is wider than 100 columns: commands, overview, help, the functions of stc init", async () => {
  const specs = await loadAllSpecs();
  for (const spec of specs) assert.deepEqual(overlong(commandHelp(spec)), [], spec.name);
  for (const seed of SEED_COMMANDS) assert.deepEqual(overlong(seedUsage(seed)), [], seed.name);
  assert.deepEqual(overlong(overviewHelp(specs)), []);
  assert.deepEqual(overlong(HELP_HELP), []);
});

Deno.test("an option letter means one option in every command, but the exceptions the help lists", async () => {
  const specs = await loadAllSpecs();
  const longNames = new Map<string, Set<string>>();
  const letters = new Map<string, Set<string>>();
  for (const spec of specs) {
    for (const option of spec.options) {
      if (option.short === undefined) continue;
      longNames.set(option.short, (longNames.get(option.short) ?? new Set()).add(option.name));
      letters.set(option.name, (letters.get(option.name) ?? new Set()).add(option.short));
    }
  }
  const differing = [...longNames].filter(([, names]) => names.size > 1).map(([letter]) => letter);
  const listed = OPTION_EXCEPTIONS.map((e) => e.letter);
  assert.deepEqual(differing.filter((letter) => !listed.includes(letter)), []);
  // A long name never has two letters either.
  assert.deepEqual([...letters].filter(([, shorts]) => shorts.size > 1), []);
  const overview = overviewHelp(specs);
  for (const letter of listed) assert.match(overview, new RegExp(`\\n  -${letter}  `));
});
