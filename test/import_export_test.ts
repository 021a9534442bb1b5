/**
 * `stc import` and `stc export` through the real CLI: console CSV files, stdin, the export line round trip, the
 * roles bucket and download, the default profile, and refusals that leave the files alone.
 */

import assert from "node:assert/strict";
import { makeHome, runStc } from "./helpers.ts";
import { ALICE_KEY, ALICE_SECRET, assertFailure, emulated, snapshot } from "./session_fixture.ts";
import { startOnTerminal } from "./pty.ts";
import { testWith } from "./tools.ts";

const BOB_KEY = "AKIABOBEXAMPLEKEY001";
const BOB_SECRET = "bobEmulatorSecretKey+0123456789abcdefghi";

Deno.test("stc import reads both console CSV layouts and picks a key with --key-id", async () => {
  await using home = await makeHome();
  const two = await home.write(
    "Downloads/alice_accessKeys.csv",
    `\uFEFFAccess key ID,Secret access key\r\n${ALICE_KEY},${ALICE_SECRET}\r\n`,
  );
  const result = await runStc(["import", two], { env: home.env });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "");
  assert.ok(!result.stderr.includes(ALICE_SECRET));
  assert.equal(
    await home.read(".aws/credentials"),
    `[awsops]\naws_access_key_id = ${ALICE_KEY}\naws_secret_access_key = ${ALICE_SECRET}\n`,
  );
  assert.equal((await Deno.stat(`${home.aws}/credentials`)).mode! & 0o777, 0o600);
  assert.match(
    (await home.read(".aws/config"))!,
    /\[default\]\nsession_tool_default_profile = awsops\n/,
  );

  const five = await home.write(
    "Downloads/credentials.csv",
    "User name,Password,Access key ID,Secret access key,Console login link\n" +
      `alice,,${ALICE_KEY},${ALICE_SECRET},https://111111111111.signin.aws.amazon.com/console\n` +
      `bob,,${BOB_KEY},${BOB_SECRET},https://111111111111.signin.aws.amazon.com/console\n`,
  );
  const before = await snapshot(home);
  const ambiguous = await runStc(["import", "-p", "bob", five], { env: home.env });
  assertFailure(ambiguous, 2);
  assert.match(
    ambiguous.stderr,
    new RegExp(`holds 2 access keys: ${ALICE_KEY}, ${BOB_KEY}\nhint: .*--key-id`),
  );
  assert.deepEqual(await snapshot(home), before);

  const chosen = await runStc(["import", "-p", "bob", "--key-id", BOB_KEY, five], {
    env: home.env,
  });
  assert.equal(chosen.code, 0, chosen.stderr);
  assert.match(
    (await home.read(".aws/credentials"))!,
    new RegExp(
      `\\[bob\\]\naws_access_key_id = ${BOB_KEY}\naws_secret_access_key = ${
        BOB_SECRET.replace("+", "\\+")
      }\n`,
    ),
  );
  // The default profile stays as it was unless --default is given.
  assert.match((await home.read(".aws/config"))!, /session_tool_default_profile = awsops\n/);
  const made = await runStc(["import", "-p", "bob", "--default", "--key-id", BOB_KEY, five], {
    env: home.env,
  });
  assert.equal(made.code, 0, made.stderr);
  assert.match((await home.read(".aws/config"))!, /session_tool_default_profile = bob\n/);
});

Deno.test("stc import refuses bad keys without echoing the secret and leaves the files alone", async () => {
  await using home = await makeHome();
  await home.write(".aws/credentials", "[keep]\naws_access_key_id = AKIAKEEPEXAMPLE00000\n", 0o600);
  const before = await snapshot(home);
  const badSecret = ALICE_SECRET.slice(0, 39) + "!";
  for (
    const [stdin, code] of [
      [`${ALICE_KEY},${badSecret}\n`, 2],
      [`ASIAALICEEXAMPLEKEY1,${ALICE_SECRET}\n`, 2],
      [`${ALICE_KEY} ${ALICE_SECRET} more\n`, 2],
      [`Access key ID,Secret access key\n${ALICE_KEY},${ALICE_SECRET}x\n`, 2],
      ["", 2],
    ] as const
  ) {
    const result = await runStc(["import", "-"], { env: home.env, stdin });
    assertFailure(result, code);
    assert.ok(!result.stderr.includes(ALICE_SECRET.slice(0, 30)), result.stderr);
  }
  const missing = await runStc(["import", "nope.csv"], { env: home.env });
  assertFailure(missing, 2);
  assert.match(missing.stderr, /file 'nope.csv' not found/);
  assert.deepEqual(await snapshot(home), before);
});

Deno.test("stc export prints a get_session line that stc import - accepts on another host, with -b and -d", async () => {
  await using emulator = await emulated();
  await using first = await makeHome();
  const env = { ...first.env, ...emulator.env() };
  // The pair on stdin, with the roles bucket and an immediate download of the roles file.
  const imported = await runStc(["import", "-b", "stc-roles", "-d", "-"], {
    env,
    stdin: `${ALICE_KEY},${ALICE_SECRET}\n`,
  });
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(
    (await first.read(".aws/config"))!,
    /\[profile awsops\]\nsession-tool_bucketname = stc-roles\n/,
  );
  const roles = await first.read(".aws/awsops_session-tool_roles.cfg");
  assert.equal(
    roles,
    new TextDecoder().decode(emulator.object("stc-roles", "session-tool_roles.cfg")),
  );

  const exported = await runStc(["export"], { env });
  assert.equal(exported.code, 0, exported.stderr);
  assert.equal(
    exported.stdout,
    `get_session -p awsops -i ${ALICE_KEY},${ALICE_SECRET} -b stc-roles -d\n`,
  );

  // On the other host the line is fed on stdin: profile, bucket and download come from it.
  await using second = await makeHome();
  const env2 = { ...second.env, ...emulator.env() };
  const again = await runStc(["import", "-"], { env: env2, stdin: exported.stdout });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(await second.read(".aws/credentials"), await first.read(".aws/credentials"));
  assert.match((await second.read(".aws/config"))!, /session-tool_bucketname = stc-roles/);
  assert.equal(await second.read(".aws/awsops_session-tool_roles.cfg"), roles);

  // Options given on the command line win over the line's.
  const renamed = await runStc(["import", "-p", "ops2", "-"], {
    env: env2,
    stdin: exported.stdout,
  });
  assert.equal(renamed.code, 0, renamed.stderr);
  assert.match(
    (await second.read(".aws/credentials"))!,
    /\[ops2\]\naws_access_key_id = AKIAALICEEXAMPLEKEY1\n/,
  );

  // Without a bucket the line has no -b/-d.
  const plain = await runStc(["export", "-p", "ops2"], {
    env: { ...env2, AWS_CONFIG_FILE: `${second.aws}/none` },
  });
  assert.equal(plain.stdout, `get_session -p ops2 -i ${ALICE_KEY},${ALICE_SECRET}\n`);

  // A failed download is reported after the import, which stays done.
  const failed = await runStc(["import", "-p", "x", "-b", "no-such-bucket", "-d", "-"], {
    env: env2,
    stdin: `${ALICE_KEY},${ALICE_SECRET}\n`,
  });
  assertFailure(failed, 1);
  assert.match(failed.stderr, /the key is imported, but the roles download failed/);
});

Deno.test("stc import KEYID,SECRET as an argument works but warns that the secret is in history and ps", async () => {
  await using home = await makeHome();
  const result = await runStc(["import", "-p", "argv", `${ALICE_KEY},${ALICE_SECRET}`], {
    env: home.env,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /stc: warning: .*shell history.*ps.*stc import -/);
  assert.ok(!result.stderr.includes(ALICE_SECRET));
  assert.match((await home.read(".aws/credentials"))!, /\[argv\]\naws_access_key_id = AKIAALICE/);

  // A mistyped pair is still a secret on the command line: warned about, refused, never echoed.
  const before = await snapshot(home);
  const typo = ALICE_SECRET.slice(0, 35);
  for (const argument of [`${ALICE_KEY},${typo}`, `akiaaliceexample,${typo}`]) {
    const bad = await runStc(["import", argument], { env: home.env });
    assertFailure(bad, 2);
    assert.match(bad.stderr, /stc: warning: .*shell history/);
    assert.ok(!bad.stderr.includes(typo), bad.stderr);
  }
  assert.deepEqual(await snapshot(home), before);
});

await testWith(
  ["script"],
  "stc import - at a terminal asks for the key id, then the secret, without echo",
  async () => {
    await using home = await makeHome();
    await using session = startOnTerminal(["import", "-p", "typed", "-"], home.env);
    await session.waitFor(/Access key ID \(or paste KEYID,SECRET\): $/);
    await session.type(`${ALICE_KEY}\r`);
    await session.waitFor(/Secret access key: $/);
    await session.type(`${ALICE_SECRET}\r`);
    const { code, output } = await session.close();
    assert.equal(code, 0, output);
    assert.match(output, new RegExp(`Access key ID: ${ALICE_KEY}\\n`));
    assert.ok(!output.includes(ALICE_SECRET), output);
    assert.match(output, /imported AKIAALICE\w+ into profile 'typed'/);
    assert.match(
      (await home.read(".aws/credentials"))!,
      /\[typed\]\naws_access_key_id = AKIAALICE/,
    );

    // A pair pasted at the first question is the whole answer, and is not shown either.
    await using pasted = startOnTerminal(["import", "-p", "pasted", "-"], home.env);
    await pasted.waitFor(/Access key ID \(or paste KEYID,SECRET\): $/);
    await pasted.type(`${ALICE_KEY},${ALICE_SECRET}\r`);
    const done = await pasted.close();
    assert.equal(done.code, 0, done.output);
    assert.ok(!done.output.includes(ALICE_SECRET), done.output);
    assert.doesNotMatch(done.output, /Secret access key/);
  },
);

Deno.test("stc export: the line reads back exactly in bash, zsh, fish, sh and nu, whatever the names hold", async () => {
  await using home = await makeHome();
  // A profile fish would expand (%self) and a secret no real key has, with sh and fish quote escapes.
  const secret = `s\\';touch PWNED;#$(touch PWNED)`;
  await home.write(
    ".aws/credentials",
    `[%self]\naws_access_key_id = ${ALICE_KEY}\naws_secret_access_key = ${secret}\n`,
    0o600,
  );
  await home.write(".aws/config", "[profile %self]\nsession-tool_bucketname = stc-roles\n");
  const want = ["-p", "%self", "-i", `${ALICE_KEY},${secret}`, "-b", "stc-roles", "-d"];
  for (const shell of ["bash", "zsh", "fish", "sh", "nu"] as const) {
    const exported = await runStc(["export", "-p", "%self", "--shell", shell], { env: home.env });
    assert.equal(exported.code, 0, exported.stderr);
    // The line runs a stand-in get_session that writes each argument on a line of its own.
    const define = shell === "fish"
      ? "function get_session; printf '%s\\n' $argv > args; end"
      : shell === "nu"
      ? `def --wrapped get_session [...args: string] { $args | each {|a| $"($a)\\n" } | str join | save -f args }`
      : "get_session() { printf '%s\\n' \"$@\" > args; }";
    const out = await new Deno.Command(shell, {
      args: [
        ...(shell === "nu" ? ["--no-config-file"] : []),
        "-c",
        `${define}\n${exported.stdout}`,
      ],
      cwd: home.home,
      env: home.env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, `${shell}: ${new TextDecoder().decode(out.stderr)}`);
    assert.deepEqual((await home.read("args"))?.split("\n"), [...want, ""], shell);
    await assert.rejects(Deno.stat(`${home.home}/PWNED`), Deno.errors.NotFound, shell);
  }
});

Deno.test("a bucket that is not an S3 bucket name is a usage error wherever it enters, before any write", async () => {
  await using home = await makeHome();
  const pair = `${ALICE_KEY},${ALICE_SECRET}\n`;
  for (const bucket of ["my bucket #1", "a\nb", "=deno", "x\\';touch PWNED;#", "Upper"]) {
    const option = await runStc(["import", "-p", "t", "-b", bucket, "-"], {
      env: home.env,
      stdin: pair,
    });
    assertFailure(option, 2);
    assert.match(
      option.stderr,
      /^stc: error: invalid --bucket '.*' for 'stc import': a bucket name/,
    );
    const line = await runStc(["import", "-"], {
      env: home.env,
      stdin: `get_session -p t -i ${ALICE_KEY},${ALICE_SECRET} -b '${
        bucket.replaceAll("'", "'\\''")
      }' -d\n`,
    });
    assertFailure(line, 2);
    assert.match(line.stderr, /^stc: error: the -b of the import line: .* is not an S3 bucket/);
    assert.deepEqual(await snapshot(home), [undefined, undefined], JSON.stringify(bucket));
  }
  // Read from the config file: refused by every command that would use it.
  await home.write(
    ".aws/credentials",
    `[t]\naws_access_key_id = ${ALICE_KEY}\n` +
      `aws_secret_access_key = ${ALICE_SECRET}\n`,
    0o600,
  );
  await home.write(".aws/config", "[profile t]\nsession-tool_bucketname = x\\';touch PWNED;#\n");
  for (const args of [["export", "-p", "t"], ["roles", "--download", "-p", "t"]]) {
    const result = await runStc(args, {
      env: { ...home.env, AWS_ENDPOINT_URL: "http://127.0.0.1:9" },
    });
    assertFailure(result, 2);
    assert.match(
      result.stderr,
      /^stc: error: session-tool_bucketname of profile 't': .* is not an S3 bucket name/,
    );
    assert.match(result.stderr, /\nhint: correct it in ~\/.aws\/config/);
  }
});
