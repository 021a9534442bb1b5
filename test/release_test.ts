import assert from "node:assert/strict";
import { selfCommand } from "../lib/cli/main.ts";
import { REPO_ROOT, stcCommandLine } from "./helpers.ts";

function permissionFlags(text: string): string[] {
  return [...text.matchAll(/--allow-[a-z]+(?:=\S+)?/g)].map((m) => m[0]).sort();
}

Deno.test("the compiled binary, the stc task, the release workflow and re-runs use one permission set", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${REPO_ROOT}deno.json`));
  const compile = permissionFlags(config.tasks.compile);
  assert.ok(compile.length > 0);
  assert.deepEqual(permissionFlags(config.tasks.stc), compile);
  const release = await Deno.readTextFile(`${REPO_ROOT}.github/workflows/release.yml`);
  const line = /STC_PERMISSIONS: (.*)/.exec(release)?.[1] ?? "";
  assert.deepEqual(permissionFlags(line), compile);
  assert.deepEqual(permissionFlags(selfCommand().join(" ")), compile);
  assert.deepEqual(permissionFlags(stcCommandLine().join(" ")), compile);
  // The completions/ assets are text imports (lib/init_script.ts), embedded like code: no --include needed.
  assert.match(config.tasks.compile, /--output dist\/stc main\.ts$/);
  assert.match(release, /deno compile --target/);
});

Deno.test("from source, stc re-runs itself through deno run of main.ts", () => {
  const self = selfCommand();
  assert.equal(self[0], Deno.execPath());
  assert.equal(self[1], "run");
  assert.ok(self[self.length - 1].endsWith("/main.ts"));
  const spaced = selfCommand({
    standalone: false,
    execPath: "/opt/deno",
    mainUrl: "file:///home/a%20b/stc/main.ts",
  });
  assert.equal(spaced[spaced.length - 1], "/home/a b/stc/main.ts");
});

Deno.test("compiled, stc re-runs the binary itself with no extra arguments", () => {
  assert.deepEqual(
    selfCommand({ standalone: true, execPath: "/usr/local/bin/stc", mainUrl: "file:///x/main.ts" }),
    ["/usr/local/bin/stc"],
  );
});
