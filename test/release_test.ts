import assert from "node:assert/strict";
import { selfCommand } from "../lib/cli/self.ts";
import { REPO_ROOT, stcCommandLine, testingBinary } from "./helpers.ts";

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
  if (!testingBinary()) assert.deepEqual(permissionFlags(stcCommandLine().join(" ")), compile);
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

Deno.test("CI tests the compiled binary on every push: the whole suite through STC_BIN, on each OS", async () => {
  const ci = await Deno.readTextFile(`${REPO_ROOT}.github/workflows/ci.yml`);
  const binary = ci.slice(ci.indexOf("\n  binary:"));
  assert.match(ci, /on:\n {2}push:/);
  for (const runner of ["ubuntu-latest", "ubuntu-24.04-arm", "macos-latest"]) {
    assert.ok(binary.includes(`runner: ${runner}`), runner);
  }
  // `deno task compile` itself: the flags are deno.json's.
  assert.match(binary, /run: deno task compile\n/);
  assert.match(
    binary,
    /STC_BIN: \$\{\{ github\.workspace \}\}\/dist\/stc\n\s+run: deno task test\n/,
  );
});

Deno.test("a release publishes only binaries that passed the suite, with checksums and attestations", async () => {
  const release = await Deno.readTextFile(`${REPO_ROOT}.github/workflows/release.yml`);
  const build = release.slice(release.indexOf("\n  build:"), release.indexOf("\n  release:"));
  const publish = release.slice(release.indexOf("\n  release:"));
  // Tested before uploaded, in the same job; the release job needs every build.
  const test = build.indexOf("STC_BIN: ${{ github.workspace }}/dist/stc-${{ matrix.target }}");
  assert.ok(test > 0 && test < build.indexOf("actions/upload-artifact"));
  assert.match(publish, /needs: build/);
  assert.match(publish, /sha256sum stc-\* > SHA256SUMS/);
  assert.match(publish, /actions\/attest-build-provenance@v\d/);
  assert.match(publish, /id-token: write/);
  assert.match(publish, /attestations: write/);
  for (
    const target of ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "x86_64-apple-darwin"]
  ) {
    assert.ok(build.includes(`target: ${target}`), target);
  }
  assert.match(build, /target: aarch64-apple-darwin/);
});
