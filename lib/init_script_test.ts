import assert from "node:assert/strict";
import { getoptsString, SEED_COMMANDS } from "./init_seed.ts";
import {
  assetUrl,
  INIT_SHELLS,
  initAssets,
  readAsset,
  renderInit,
  SELF_PLACEHOLDER,
} from "./init_script.ts";

Deno.test("assetUrl: completions/ beside lib/, from source and inside a compiled binary", () => {
  assert.equal(
    assetUrl("init.zsh", "file:///work/stc/lib/init_script.ts").href,
    "file:///work/stc/completions/init.zsh",
  );
  // deno compile runs the modules from a virtual directory; included files sit at the same relative path.
  assert.equal(
    assetUrl("stc.fish", "file:///tmp/deno-compile-stc/lib/init_script.ts").href,
    "file:///tmp/deno-compile-stc/completions/stc.fish",
  );
  assert.throws(() => assetUrl("../deno.json"), /invalid asset name/);
  assert.throws(() => assetUrl(".hidden"), /invalid asset name/);
});

Deno.test("every asset exists and names the binary only through the placeholder", async () => {
  for (const shell of INIT_SHELLS) {
    const texts = await Promise.all(initAssets(shell).map((name) => readAsset(name)));
    assert.ok(texts[0].includes(SELF_PLACEHOLDER), `init.${shell} runs the binary`);
    const rendered = renderInit(shell, ["/opt/$HOME/it's stc"], texts);
    assert.ok(!rendered.includes(SELF_PLACEHOLDER));
    const quoted = shell === "fish" ? `'/opt/$HOME/it\\'s stc'` : `'/opt/$HOME/it'\\''s stc'`;
    assert.ok(rendered.includes(`command ${quoted} `), shell);
  }
});

Deno.test("the seed functions parse the options the completions offer", async () => {
  const shared = await readAsset("seed.sh");
  const fish = await readAsset("init.fish");
  for (const seed of SEED_COMMANDS) {
    const letters = seed.options.map((o) => `${o.short}${o.type === "string" ? "=" : ""}`);
    const body = (text: string, start: string) => {
      const from = text.indexOf(start);
      assert.ok(from >= 0, `${start} is defined`);
      return text.slice(from, text.indexOf("\n}", from) + 2 || text.indexOf("\nend", from));
    };
    if (seed.options.some((o) => o.type === "string") || seed.options.length > 1) {
      assert.ok(
        body(shared, `function ${seed.name} {`).includes(`getopts '${getoptsString(seed)}'`),
        `${seed.name} (bash/zsh) parses ${getoptsString(seed)}`,
      );
      const fishBody = fish.slice(fish.indexOf(`function ${seed.name} `));
      assert.ok(
        fishBody.slice(0, fishBody.indexOf("\nend")).includes(
          `argparse --name=${seed.name} ${letters.join(" ")} --`,
        ),
        `${seed.name} (fish) parses ${letters.join(" ")}`,
      );
    }
  }
});
