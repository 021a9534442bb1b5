import assert from "node:assert/strict";
import { getoptsString, SEED_COMMANDS } from "../commands/seed.ts";
import {
  AUTO_RENEW_ENABLE,
  INIT_ASSETS,
  INIT_SHELLS,
  initAssets,
  initScript,
  readAsset,
  renderInit,
  SELF_PLACEHOLDER,
  withAutoRenew,
} from "./init_script.ts";
import type { StcError } from "../core/errors.ts";

Deno.test("the assets are exactly the files in completions/, and all are in main.ts's module graph", async () => {
  const dir = new URL("../../completions/", import.meta.url);
  const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assert.deepEqual([...INIT_ASSETS].sort(), files);
  assert.deepEqual(
    [...new Set(INIT_SHELLS.flatMap(initAssets))].sort(),
    files,
    "each file is used by some shell",
  );
  // What `deno info` lists is what `deno compile` embeds: the init code needs no --include.
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL("../../main.ts", import.meta.url).href],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const graph: { modules: { specifier: string }[] } = JSON.parse(
    new TextDecoder().decode(out.stdout),
  );
  const specifiers = new Set(graph.modules.map((m) => m.specifier));
  for (const name of files) assert.ok(specifiers.has(new URL(name, dir).href), name);
});

Deno.test("every asset exists and names the binary only through the placeholder", async () => {
  for (const shell of INIT_SHELLS) {
    const texts = await Promise.all(initAssets(shell).map((name) => readAsset(name)));
    assert.ok(texts[0].includes(SELF_PLACEHOLDER), `init.${shell} runs the binary`);
    const rendered = renderInit(shell, ["/opt/$HOME/it's stc"], texts);
    assert.ok(!rendered.includes(SELF_PLACEHOLDER));
    const quoted = shell === "fish"
      ? `command '/opt/$HOME/it\\'s stc' `
      : shell === "nu"
      ? `^r#'/opt/$HOME/it's stc'# `
      : `command '/opt/$HOME/it'\\''s stc' `;
    assert.ok(rendered.includes(quoted), shell);
  }
});

Deno.test("-h of each seed function prints the usage stc generates, in both templates", async () => {
  const shared = await readAsset("seed.sh");
  const fish = await readAsset("init.fish");
  const nu = await readAsset("init.nu");
  for (const seed of SEED_COMMANDS) {
    const call = `stc init --usage ${seed.name}\n`;
    assert.equal(shared.split(call).length, 2, `${seed.name} (bash/zsh)`);
    assert.equal(fish.split(call).length, 2, `${seed.name} (fish)`);
    assert.equal(nu.split(`(stc init --usage ${seed.name})`).length, 2, `${seed.name} (nu)`);
  }
  // No help text of their own, and no stc help in place of the functions' own usage.
  for (const text of [shared, fish, nu]) assert.doesNotMatch(text, /Usage:|stc help/);
});

Deno.test("the seed functions parse the options the completions offer", async () => {
  const shared = await readAsset("seed.sh");
  const fish = await readAsset("init.fish");
  const nu = await readAsset("init.nu");
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
      const nuBody = nu.slice(nu.indexOf(`def --env --wrapped ${seed.name} [`));
      assert.ok(
        nuBody.slice(0, nuBody.indexOf("\n}")).includes(`_stc_getopts '${getoptsString(seed)}'`),
        `${seed.name} (nu) parses ${getoptsString(seed)}`,
      );
    }
  }
});

Deno.test("initScript registers the auto-renew prompt hook only when asked", async () => {
  // nushell has no prompt hook of stc's: --auto-renew is a usage error there.
  await assert.rejects(initScript("nu", ["/bin/stc"], { autoRenew: true }), /not available in nu/);
  for (const shell of INIT_SHELLS.filter((s) => s !== "nu")) {
    const plain = await initScript(shell, ["/bin/stc"]);
    const renewing = await initScript(shell, ["/bin/stc"], { autoRenew: true });
    // Every template defines the hook and the command that registers it; only --auto-renew runs that command.
    assert.match(plain, new RegExp(`function ${AUTO_RENEW_ENABLE}\\b`), shell);
    assert.ok(!plain.trimEnd().endsWith(AUTO_RENEW_ENABLE), shell);
    assert.equal(renewing, `${plain}\n${AUTO_RENEW_ENABLE}\n`, shell);
  }
});

Deno.test("withAutoRenew: a shell whose templates lack the hook gets a usage error", () => {
  assert.deepEqual(withAutoRenew("zsh", ["a", "function _stc_auto_renew_enable {\n}"]), [
    "a",
    "function _stc_auto_renew_enable {\n}",
    AUTO_RENEW_ENABLE,
  ]);
  assert.throws(
    () => withAutoRenew("nu", ["def stc [] {}"]),
    (error: StcError) => error.exitCode === 2 && /not available in nu/.test(error.message),
  );
});
