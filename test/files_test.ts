/**
 * Files and input that are not what stc expects, through the real CLI: invalid profile and bucket names refused
 * before the first write, import's two files landing together across a kill, files that cannot be written
 * (a path through a file, a read-only file system, a full disk) reported in one line naming the file before any
 * passphrase or AWS call, files that are not regular files, and the one size limit of roles lists.
 */

import assert from "node:assert/strict";
import { withLock } from "../lib/fs/atomic.ts";
import { makeHome, type RunResult, runStc, stcCommandLine, type TempHome } from "./helpers.ts";
import { baseSession, ORG_ROLES, withBase, world } from "./role_world.ts";
import { ALICE_KEY, ALICE_SECRET, assertFailure, snapshot } from "./session_fixture.ts";
import { testWith } from "./tools.ts";

const KEY_LINE = `${ALICE_KEY},${ALICE_SECRET}\n`;

/** The names of the entries of `dir`, or undefined when it does not exist. */
async function entries(dir: string): Promise<string[] | undefined> {
  try {
    return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

Deno.test("import checks every value before the first write: bad buckets and profile names are usage errors", async () => {
  await using home = await makeHome();
  const cases: [string[], string, RegExp][] = [
    [
      ["-p", "t", "-b", "my bucket #1"],
      KEY_LINE,
      /invalid --bucket 'my bucket #1' for 'stc import'/,
    ],
    [["-p", "t", "-b", "a\nb"], KEY_LINE, /invalid --bucket 'a\\x0ab'/],
    [["-p", "t", "-b", "x';touch PWNED;#"], KEY_LINE, /invalid --bucket/],
    [["-p", "bad name]"], KEY_LINE, /invalid --profile 'bad name\]'/],
    [["-p", "a\nb"], KEY_LINE, /invalid --profile 'a\\x0ab'/],
    [["-p", "$(touch PWNED)"], KEY_LINE, /invalid --profile '\$\(touch PWNED\)'/],
    [
      [],
      `get_session -p 'x]' -i ${ALICE_KEY},${ALICE_SECRET} -b ok-bucket -d\n`,
      /invalid profile name 'x\]' \(from the import line\)/,
    ],
    [
      [],
      `get_session -p ok -i ${ALICE_KEY},${ALICE_SECRET} -b Bad_Bucket -d\n`,
      /the -b of the import line: 'Bad_Bucket' is not an S3 bucket name/,
    ],
  ];
  for (const [options, stdin, message] of cases) {
    const result = await runStc(["import", ...options, "-"], {
      env: home.env,
      stdin,
      cwd: home.home,
    });
    assertFailure(result, 2);
    assert.match(result.stderr, message, JSON.stringify(options));
    assert.ok(!result.stderr.includes("unexpected failure"), result.stderr);
    assert.ok(!result.stderr.includes(ALICE_SECRET));
    assert.equal(await entries(home.aws), undefined, "nothing written, not even ~/.aws");
  }
  assert.deepEqual(await entries(home.home), [], "no PWNED file");
});

Deno.test("invalid profile names are usage errors in every command, from -p and from AWS_PROFILE", async () => {
  await using home = await makeHome();
  await home.write(".aws/config", "[default]\nsession_tool_default_profile = awsops\n");
  const before = await snapshot(home);
  for (const name of ["bad name]", "a\nb", "$(id)"]) {
    for (const command of [["roles"], ["session"], ["export"], ["rotate"], ["assume", "x"]]) {
      const option = await runStc([...command, "-p", name], { env: home.env });
      assertFailure(option, 2);
      assert.match(
        option.stderr,
        /^stc: error: invalid --profile '.*' for 'stc \w+': a profile name/,
      );
    }
    for (const command of [["roles"], ["session"], ["export"]]) {
      const fromEnv = await runStc(command, { env: { ...home.env, AWS_PROFILE: name } });
      assertFailure(fromEnv, 2);
      assert.match(fromEnv.stderr, /invalid profile name '.*' \(from AWS_PROFILE\)/);
    }
  }
  assert.deepEqual(await snapshot(home), before);
});

Deno.test("a file that cannot be written: one line naming it, exit 1, nothing written", async () => {
  await using home = await makeHome();
  await home.write("file", "a regular file\n");
  for (const variable of ["AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"]) {
    const path = `${home.home}/file/${variable === "AWS_CONFIG_FILE" ? "config" : "credentials"}`;
    const result = await runStc(["import", "-p", "t", "-b", "acme-roles", "-"], {
      env: { ...home.env, [variable]: path },
      stdin: KEY_LINE,
    });
    assertFailure(result, 1);
    assert.equal(
      result.stderr.split("\n")[0],
      `stc: error: cannot write ${path}: a part of the path is not a directory`,
    );
    assert.ok(!result.stderr.includes("STC_DEBUG"), "no debug hint");
    assert.equal(await entries(home.aws), undefined, "nothing written");
  }
});

Deno.test("config and credentials that are not regular files are refused at once, naming them", async () => {
  await using home = await makeHome();
  const zero = await runStc(["roles"], { env: { ...home.env, AWS_CONFIG_FILE: "/dev/zero" } });
  assertFailure(zero, 1);
  assert.match(zero.stderr, /^stc: error: cannot read \/dev\/zero: not a regular file\n/);
  const full = await runStc(["import", "-p", "t", "-"], {
    env: { ...home.env, AWS_SHARED_CREDENTIALS_FILE: "/dev/full" },
    stdin: KEY_LINE,
  });
  assertFailure(full, 1);
  assert.match(full.stderr, /^stc: error: cannot read \/dev\/full: not a regular file\n/);
});

/** Runs `stc import -p t -b acme-roles -` in the background until `ready` holds (watching ~/.aws), then kills it. */
async function killImportWhen(home: TempHome, ready: () => Promise<boolean>): Promise<void> {
  const [command, ...prefix] = stcCommandLine();
  const child = new Deno.Command(command, {
    args: [...prefix, "import", "-p", "t", "-b", "acme-roles", "-"],
    env: home.env,
    clearEnv: true,
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(KEY_LINE));
  await writer.close();
  const watcher = Deno.watchFs(home.aws);
  const reached = (async () => {
    if (await ready()) return true;
    for await (const _ of watcher) if (await ready()) return true;
    return false;
  })();
  // An stc that ends by itself (fails, or never reaches the point) fails the test instead of hanging it.
  const ended = child.status.then(() => false);
  const killable = await Promise.race([reached, ended]);
  watcher.close();
  if (killable) child.kill("SIGKILL");
  await child.status;
  assert.ok(killable, "stc ended before reaching the point where it is killed");
}

Deno.test("an import killed between credentials and config is completed by the next stc", async () => {
  await using home = await makeHome();
  const config = "[default]\nregion = eu-west-1\n";
  await home.write(".aws/config", config);
  // The config lock is held while stc imports: it writes the credentials, then waits for the lock and is killed.
  await withLock(
    `${home.aws}/config`,
    () =>
      killImportWhen(
        home,
        async () => (await home.read(".aws/credentials"))?.includes(ALICE_KEY) ?? false,
      ),
  );
  assert.equal(await home.read(".aws/config"), config, "interrupted before the config was written");
  assert.ok((await entries(home.aws))!.includes("credentials.stc-pending"));

  const next = await runStc(["roles", "--names"], { env: home.env });
  assert.equal(next.code, 0, next.stderr);
  const completed = (await home.read(".aws/config"))!;
  assert.match(completed, /\[profile t\]\nsession-tool_bucketname = acme-roles\n/);
  assert.match(completed, /session_tool_default_profile = t\n/);
  assert.ok(!(await entries(home.aws))!.includes("credentials.stc-pending"), "record removed");
});

Deno.test("an import killed before its credentials were written leaves the config alone on the next run", async () => {
  await using home = await makeHome();
  const config = "[default]\nregion = eu-west-1\n";
  await home.write(".aws/config", config);
  await home.write(
    ".aws/credentials",
    "[other]\naws_access_key_id = AKIAOTHEREXAMPLEKEY1\n",
    0o600,
  );
  await withLock(
    `${home.aws}/credentials`,
    () =>
      killImportWhen(
        home,
        async () => (await entries(home.aws))!.includes("credentials.stc-pending"),
      ),
  );
  const next = await runStc(["roles", "--names"], { env: home.env });
  assert.equal(next.code, 0, next.stderr);
  assert.equal(await home.read(".aws/config"), config, "the key never landed: no config changes");
  assert.ok(!(await entries(home.aws))!.includes("credentials.stc-pending"), "record removed");
});

/**
 * Runs stc with `~/.aws` made read-only (a read-only bind mount) or full (a small tmpfs holding copies of its
 * files, then filled), in a private mount namespace; `after` is copied from the namespace's ~/.aws to
 * `~/after` when stc is done.
 */
function inNamespace(
  home: TempHome,
  kind: "read-only" | "full",
  args: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<RunResult> {
  const setup = kind === "read-only"
    ? `mount --bind "$HOME/.aws" "$HOME/.aws" && mount -o remount,bind,ro "$HOME/.aws"`
    : `cp -a "$HOME/.aws" "$HOME/stage" && mount -t tmpfs -o size=64k tmpfs "$HOME/.aws" && ` +
      `cp -a "$HOME/stage/." "$HOME/.aws/" && (cat /dev/zero > "$HOME/.aws/fill" 2>/dev/null; true)`;
  const script =
    `${setup} || exit 99\n"$@"\nrc=$?\ncp -a "$HOME/.aws/." "$HOME/after/"\nexit $rc\n`;
  const after = `${home.home}/after`;
  return Deno.remove(after, { recursive: true }).catch(() => {}).then(() => Deno.mkdir(after)).then(
    () =>
      runStc(args, {
        env: options.env ?? home.env,
        stdin: options.stdin,
        wrapper: ["unshare", "-rm", "sh", "-c", script, "sh"],
      }),
  );
}

await testWith(
  ["mount-namespace"],
  "a read-only ~/.aws: one line naming the file, before any passphrase or AWS call",
  async () => {
    await using w = await world();
    const before = await snapshot(w.home);
    const imported = await inNamespace(w.home, "read-only", ["import", "-p", "new", "-"], {
      env: w.env,
      stdin: KEY_LINE,
    });
    assertFailure(imported, 1);
    assert.match(
      imported.stderr,
      new RegExp(`^stc: error: cannot write ${w.home.aws}/credentials: read-only file system\n`),
    );
    assert.ok(!imported.stderr.includes("unexpected failure"));
    assert.deepEqual(await snapshot(w.home), before);

    // import -d with writable config and credentials but a read-only roles list: nothing imported.
    const credentialsElsewhere = `${w.home.home}/credentials`;
    const configElsewhere = await w.home.write("config", (await w.home.read(".aws/config"))!);
    const withDownload = await inNamespace(w.home, "read-only", [
      "import",
      "-p",
      "awsops",
      "-d",
      "-",
    ], {
      env: {
        ...w.env,
        AWS_SHARED_CREDENTIALS_FILE: credentialsElsewhere,
        AWS_CONFIG_FILE: configElsewhere,
      },
      stdin: KEY_LINE,
    });
    assertFailure(withDownload, 1);
    assert.match(
      withDownload.stderr,
      new RegExp(
        `^stc: error: cannot write ${w.home.aws}/awsops_session-tool_roles\\.cfg: read-only file system\n`,
      ),
    );
    assert.equal(await w.home.read("credentials"), undefined, "no key written");
    assert.equal(await w.home.read("config"), await w.home.read(".aws/config"), "config unchanged");

    // session -s with a session in the shell: refused before the passphrase is asked for.
    const base = await baseSession(w);
    const stored = await inNamespace(w.home, "read-only", ["session", "-s"], {
      env: withBase(w, base),
      stdin: "pw\npw\n",
    });
    assertFailure(stored, 1);
    assert.match(
      stored.stderr,
      new RegExp(
        `^stc: error: cannot write ${w.home.aws}/awsops\\.session\\.age: read-only file system\n`,
      ),
    );
    assert.ok(!/passphrase/i.test(stored.stderr), stored.stderr);

    // roles --download: refused before S3 is asked.
    const calls = w.emulator.requests().length;
    const downloaded = await inNamespace(w.home, "read-only", ["roles", "--download"], {
      env: w.env,
    });
    assertFailure(downloaded, 1);
    assert.match(
      downloaded.stderr,
      new RegExp(
        `^stc: error: cannot write ${w.home.aws}/awsops_session-tool_roles\\.cfg: read-only file system\n`,
      ),
    );
    assert.equal(w.emulator.requests().length, calls, "no AWS request");
    assert.equal(await w.home.read(".aws/awsops_session-tool_roles.cfg"), ORG_ROLES);
  },
);

await testWith(
  ["mount-namespace"],
  "a full disk: one line naming the file, with a hint, and the files as they were",
  async () => {
    await using home = await makeHome();
    await home.write(".aws/config", "[default]\nregion = eu-west-1\n");
    const before = await snapshot(home);
    const result = await inNamespace(home, "full", ["import", "-p", "t", "-b", "acme-roles", "-"], {
      stdin: KEY_LINE,
    });
    assertFailure(result, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `^stc: error: cannot write ${home.aws}/(credentials|config)(\\.stc-pending)?: no space left on the device\n` +
          "hint: free some space, then run the command again\n$",
      ),
    );
    assert.equal(await home.read("after/config"), before[0], "config unchanged");
    assert.equal(await home.read("after/credentials"), undefined, "no credentials written");
  },
);

Deno.test("20 MB on stdin is refused after 64 KiB, at once (reading is linear and bounded)", async () => {
  await using home = await makeHome();
  const start = performance.now();
  const result = await runStc(["import", "-p", "t", "-"], {
    env: home.env,
    stdin: "a".repeat(20 * 1024 * 1024),
  });
  const seconds = (performance.now() - start) / 1000;
  assertFailure(result, 1);
  assert.match(result.stderr, /^stc: error: the key on stdin is larger than 64 KiB\n/);
  // The quadratic reader took over 150 s for this; stc's start-up is well under a second.
  assert.ok(seconds < 30, `${seconds} s`);
  assert.equal(await entries(home.aws), undefined);
});

/** A roles list of `count` valid lines. */
function rolesList(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`r${i} arn:aws:iam::222222222222:role/R${i}`);
  return lines.join("\n") + "\n";
}

Deno.test("roles lists: one 2 MiB limit for a file and a download, a normal error naming it; no crash below it", async () => {
  await using w = await world();
  const huge = rolesList(130_000);
  const local = await w.home.write(".aws/awsops_roles.cfg", huge);
  for (const args of [["roles"], ["roles", "--names"], ["assume", "r1"]]) {
    const result = await runStc(args, { env: w.env });
    assertFailure(result, 1);
    assert.match(
      result.stderr,
      new RegExp(`^stc: error: cannot read ${local}: it is larger than 2 MiB\n`),
    );
  }
  await Deno.remove(local);

  const organisation = `${w.home.aws}/awsops_session-tool_roles.cfg`;
  w.emulator.putObject("stc-roles", "session-tool_roles.cfg", new TextEncoder().encode(huge));
  const refused = await runStc(["roles", "--download"], { env: w.env });
  assertFailure(refused, 1);
  assert.match(
    refused.stderr,
    /^stc: error: s3:\/\/stc-roles\/session-tool_roles\.cfg is larger than 2 MiB\n/,
  );
  assert.equal(await Deno.readTextFile(organisation), ORG_ROLES, "the list as it was");

  // Just below the limit: downloaded, listed and completed without a crash.
  const count = 40_000;
  const large = rolesList(count);
  assert.ok(large.length < 2 * 1024 * 1024);
  w.emulator.putObject("stc-roles", "session-tool_roles.cfg", new TextEncoder().encode(large));
  const downloaded = await runStc(["roles", "--download"], { env: w.env });
  assert.equal(downloaded.code, 0, downloaded.stderr);
  const listed = await runStc(["roles"], { env: w.env });
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(listed.stdout.trim().split("\n").length, count + 1, "a header and every role");
  const names = await runStc(["roles", "--names"], { env: w.env });
  assert.equal(names.stdout.trim().split("\n").length, count);
});

Deno.test("a deeply nested ~/.aws/accounts is a warning, not a crash (regression guard)", async () => {
  await using w = await world();
  await w.home.write(".aws/accounts", "[".repeat(200_000) + "]".repeat(200_000));
  const nested = await runStc(["roles"], { env: w.env });
  assert.equal(nested.code, 0, nested.stderr);
  assert.match(nested.stderr, /^stc: warning: .*\/accounts:1: not valid JSON/);
  assert.equal(nested.stdout.trim().split("\n").length, 6, "a header and the 5 roles");
});

Deno.test("roles --download refuses a bucket in the config that breaks S3's naming rules, before any request", async () => {
  await using w = await world();
  const config = (await w.home.read(".aws/config"))!;
  await w.home.write(
    ".aws/config",
    config.replace("bucketname = stc-roles", "bucketname = x';touch PWNED;#x"),
  );
  const calls = w.emulator.requests().length;
  const result = await runStc(["roles", "--download"], { env: w.env, cwd: w.home.home });
  assertFailure(result, 2);
  assert.match(
    result.stderr,
    /^stc: error: session-tool_bucketname of profile 'awsops': 'x';touch PWNED;#x' is not an S3 bucket name/,
  );
  assert.equal(w.emulator.requests().length, calls);
  assert.equal(await w.home.read(".aws/awsops_session-tool_roles.cfg"), ORG_ROLES);
});
