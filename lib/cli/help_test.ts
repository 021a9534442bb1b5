import assert from "node:assert/strict";
import { SEED_COMMANDS, seedUsage } from "../commands/seed.ts";
import { COMMAND_SPECS } from "../commands/specs.ts";
import { HELP_WIDTH } from "../core/wrap.ts";
import { commandHelp, HELP_HELP, overviewHelp } from "./help.ts";

function overlong(text: string): string[] {
  return text.split("\n").filter((line) => [...line].length > HELP_WIDTH);
}

Deno.test("no help line is wider than 100 columns: commands, overview, help, the functions of stc init", () => {
  for (const spec of COMMAND_SPECS) assert.deepEqual(overlong(commandHelp(spec)), [], spec.name);
  for (const seed of SEED_COMMANDS) assert.deepEqual(overlong(seedUsage(seed)), [], seed.name);
  assert.deepEqual(overlong(overviewHelp(COMMAND_SPECS)), []);
  assert.deepEqual(overlong(HELP_HELP), []);
});
