import assert from "node:assert/strict";
import { makeHome, REPO_ROOT, runStc } from "./helpers.ts";
import { VERSION } from "../lib/version.ts";

Deno.test("--version prints the version from deno.json on stdout", async () => {
  await using home = await makeHome();
  const config = JSON.parse(await Deno.readTextFile(`${REPO_ROOT}deno.json`));
  assert.equal(VERSION, config.version);
  const result = await runStc(["--version"], { env: home.env });
  assert.equal(result.code, 0);
  assert.equal(result.stdout, `stc ${config.version}\n`);
  assert.equal(result.stderr, "");
});

Deno.test("--help lists every command on stderr and keeps stdout empty", async () => {
  await using home = await makeHome();
  const result = await runStc(["--help"], { env: home.env });
  assert.equal(result.code, 0);
  assert.equal(result.stdout, "");
  const { COMMANDS } = await import("../lib/commands.ts");
  for (const command of COMMANDS) assert.match(result.stderr, new RegExp(`\\n  ${command.name} `));
});

Deno.test("help <cmd> and <cmd> --help show the same command help", async () => {
  await using home = await makeHome();
  const a = await runStc(["help", "version"], { env: home.env });
  const b = await runStc(["version", "--help"], { env: home.env });
  assert.equal(a.code, 0);
  assert.equal(b.code, 0);
  assert.equal(a.stderr, b.stderr);
  assert.match(a.stderr, /^Usage: stc version/);
});

Deno.test("an unknown command is a one-line usage error with the closest name, exit 2", async () => {
  await using home = await makeHome();
  const result = await runStc(["verison"], { env: home.env });
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.equal(
    result.stderr,
    "stc: error: unknown command 'verison'\nhint: did you mean 'version'?\n",
  );
});

Deno.test("an unknown option is a usage error naming the option, exit 2", async () => {
  await using home = await makeHome();
  const result = await runStc(["version", "--verbose"], { env: home.env });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^stc: error: unknown option '--verbose' for 'stc version'\n/);
});

Deno.test("extra arguments are refused without echoing them (they may be secrets)", async () => {
  await using home = await makeHome();
  const result = await runStc(["version", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"], {
    env: home.env,
  });
  assert.equal(result.code, 2);
  assert.doesNotMatch(result.stderr, /wJalr/);
  assert.match(result.stderr, /too many arguments/);
});

Deno.test("no arguments prints the overview and exits 2", async () => {
  await using home = await makeHome();
  const result = await runStc([], { env: home.env });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /Usage: stc <command>/);
});
