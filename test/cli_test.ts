import assert from "node:assert/strict";
import { testWith } from "./tools.ts";
import { makeHome, REPO_ROOT, runStc, runStcOnTerminal } from "./helpers.ts";
import { VERSION } from "../lib/core/version.ts";

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
  const { COMMANDS } = await import("../lib/cli/registry.ts");
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

Deno.test("help works for every command both ways, on stderr, exit 0", async () => {
  await using home = await makeHome();
  const { COMMANDS } = await import("../lib/cli/registry.ts");
  await Promise.all(COMMANDS.map(async (command) => {
    const a = await runStc(["help", command.name], { env: home.env });
    const b = await runStc([command.name, "--help"], { env: home.env });
    const c = await runStc([command.name, "-h"], { env: home.env });
    for (const r of [a, b, c]) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "");
    }
    assert.equal(a.stderr, b.stderr);
    assert.equal(a.stderr, c.stderr);
    assert.match(a.stderr, new RegExp(`^Usage: stc ${command.name} `));
  }));
  const unknown = await runStc(["help", "sesion"], { env: home.env });
  assert.equal(unknown.code, 2);
  assert.equal(
    unknown.stderr,
    "stc: error: unknown command 'sesion'\nhint: did you mean 'session' or 'version'?\n",
  );
  // The help of help itself, however it is asked for.
  for (const args of [["help", "help"], ["help", "--help"], ["help", "-h"]]) {
    const help = await runStc(args, { env: home.env });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stderr, /^Usage: stc help \[command\]/);
  }
  const short = await runStc(["-V"], { env: home.env });
  assert.equal(short.stdout, `stc ${VERSION}\n`);
});

Deno.test("a global option before the command is refused with a hint, without echoing its value", async () => {
  await using home = await makeHome();
  const result = await runStc(["--profile=hunter2-secret", "session"], { env: home.env });
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /^stc: error: unknown option '--profile'\nhint: options go after/);
  assert.doesNotMatch(result.stderr, /hunter2/);
});

Deno.test("an unknown command that is not shaped like a name is not echoed (it may be a key)", async () => {
  await using home = await makeHome();
  const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  for (const arg of [secret, "AKIAIOSFODNN7EXAMPLEwJalrXUtnFEMI"]) {
    const result = await runStc([arg], { env: home.env });
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr.split("\n")[0],
      "stc: error: unknown command (not shown: not a command name)",
    );
    assert.ok(!result.stderr.includes(arg.slice(0, 12)));
  }
});

Deno.test("option values: -p=x means -p x, an empty value and an unknown --shell are usage errors", async () => {
  await using home = await makeHome();
  const { parseCommandArgs, findCommand } = await import("../lib/cli/dispatch.ts");
  const session = (await findCommand("session"))!;
  assert.equal(parseCommandArgs(session, ["-p=dev"]).values.profile, "dev");
  assert.equal(parseCommandArgs(session, ["--profile=dev"]).values.profile, "dev");
  assert.deepEqual(parseCommandArgs(session, ["--", "-p=dev"]).positionals, ["-p=dev"]);
  for (const args of [["session", "-p="], ["session", "--profile="], ["session", "-p", ""]]) {
    const result = await runStc(args, { env: home.env });
    assert.equal(result.code, 2, args.join(" "));
    assert.match(result.stderr, /^stc: error: option '--profile' needs a non-empty value/);
  }
  const shell = await runStc(["session", "-c", "--shell", "tcsh"], { env: home.env });
  assert.equal(shell.code, 2);
  assert.equal(shell.stdout, "");
  assert.match(shell.stderr, /^stc: error: unknown shell 'tcsh'\nhint: use one of/);
  // `session -c` only unsets variables: no AWS. The syntax follows --shell, except under the shell
  // function, whose shell evaluates stdout whatever --shell says.
  const fish = await runStc(["session", "-c", "--shell", "fish"], { env: home.env });
  assert.equal(fish.code, 0, fish.stderr);
  assert.match(fish.stdout, /set -e/);
  const viaFunction = await runStc(["session", "-c", "--shell", "fish"], {
    env: { ...home.env, STC_EVAL_SHELL: "bash" },
  });
  assert.equal(viaFunction.code, 0, viaFunction.stderr);
  assert.doesNotMatch(viaFunction.stdout, /set -e/);
  assert.match(viaFunction.stdout, /unset /);
});

Deno.test("runtime failures exit 1 with one error line and no stack trace", async () => {
  await using home = await makeHome();
  const result = await runStc(["session", "123456", "-p", "nosuch"], {
    env: { ...home.env, AWS_ENDPOINT_URL: "http://127.0.0.1:9" },
  });
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /^stc: error: /);
  assert.equal(result.stderr.split("\n").filter((l) => l.startsWith("stc: error:")).length, 1);
  assert.ok(!result.stderr.includes("    at "));
});

const SESSION_SECRET = "sessionSecretKeyForTheDebugTest0123456789";
const SESSION_TOKEN = "FwoGZXIvYXdzEDebugTestSessionToken".repeat(8);

Deno.test("STC_DEBUG=1 adds stack traces (the error's and its cause's), never secrets; nothing else does", async () => {
  await using home = await makeHome();
  const env = {
    ...home.env,
    AWS_ACCESS_KEY_ID: "ASIADEBUGTESTKEY0001",
    AWS_SECRET_ACCESS_KEY: SESSION_SECRET,
    AWS_SESSION_TOKEN: SESSION_TOKEN,
    AWS_ENDPOINT_URL: "http://127.0.0.1:9",
  };
  const runs = await Promise.all(
    [undefined, "0", "true", "yes", "1"].map((value) =>
      runStc(["session", "-v"], { env: value === undefined ? env : { ...env, STC_DEBUG: value } })
    ),
  );
  for (const [i, result] of runs.entries()) {
    assert.equal(result.code, 5, result.stderr);
    assert.match(result.stderr, /^stc: error: GetCallerIdentity: AWS could not be reached/m);
    assert.ok(!result.stderr.includes(SESSION_SECRET));
    assert.ok(!result.stderr.includes(SESSION_TOKEN.slice(0, 30)));
    const debug = i === runs.length - 1;
    assert.equal(result.stderr.includes("    at "), debug, result.stderr);
    assert.equal(result.stderr.includes("\ncaused by: "), debug, result.stderr);
  }
  const usage = await runStc(["verison"], { env: { ...home.env, STC_DEBUG: "1" } });
  assert.equal(usage.code, 2);
  assert.match(
    usage.stderr,
    /^stc: error: unknown command 'verison'\nhint: .*\nStcError: .*\n {4}at /,
  );
});

await testWith(
  ["script"],
  "colour: on a terminal stderr only, and never with NO_COLOR",
  async () => {
    await using home = await makeHome();
    const { NO_COLOR: _, ...colourEnv } = home.env;
    const tty = await runStcOnTerminal(["verison"], colourEnv);
    assert.equal(tty?.code, 2);
    assert.ok(tty!.output.includes("\x1b[31mstc: error:\x1b[39m unknown command"), tty!.output);
    const noColour = await runStcOnTerminal(["verison"], home.env);
    assert.equal(noColour?.code, 2);
    assert.match(noColour!.output, /^stc: error: unknown command 'verison'\n/);
    assert.ok(!noColour!.output.includes("\x1b"));
    const emptyNoColour = await runStcOnTerminal(["verison"], { ...colourEnv, NO_COLOR: "" });
    assert.ok(!emptyNoColour!.output.includes("\x1b"), "NO_COLOR set to anything, even empty");
    const piped = await runStc(["verison"], { env: colourEnv });
    assert.equal(piped.code, 2);
    assert.ok(!piped.stderr.includes("\x1b"), "stderr is a pipe: no colour");
  },
);

await testWith(
  ["script"],
  "credentials are refused on a terminal stdout before AWS is contacted",
  async () => {
    const { aliceHome } = await import("./session_fixture.ts");
    await using home = await aliceHome();
    // Nothing listens on port 9: reaching for AWS would fail with "could not be reached" (exit 5).
    const env = { ...home.env, AWS_ENDPOINT_URL: "http://127.0.0.1:9" };
    const before = [await home.read(".aws/config"), await home.read(".aws/credentials")];
    const refused = await runStcOnTerminal(["session", "123456"], env);
    assert.equal(refused?.code, 1, refused?.output);
    assert.match(
      refused!.output,
      /^stc: error: refusing to print credentials to a terminal\nhint: /,
    );
    assert.doesNotMatch(refused!.output, /could not be reached/);
    assert.deepEqual([await home.read(".aws/config"), await home.read(".aws/credentials")], before);
    // The same command with stdout captured does go to AWS; under the shell function a terminal is fine.
    const piped = await runStc(["session", "123456"], { env });
    assert.equal(piped.code, 5, piped.stderr);
    const viaFunction = await runStcOnTerminal(["session", "123456"], {
      ...env,
      STC_EVAL_SHELL: "bash",
    });
    assert.equal(viaFunction?.code, 5, viaFunction?.output);

    // session -c run directly clears nothing: it says so, and how to do it, instead of showing unset lines.
    const clear = await runStcOnTerminal(["session", "-c"], env);
    assert.equal(clear?.code, 1, clear?.output);
    assert.match(clear!.output, /^stc: error: nothing cleared: run directly, stc cannot change/);
    assert.match(clear!.output, /hint: load the shell functions with 'eval "\$\(stc init bash\)"'/);
    assert.doesNotMatch(clear!.output, /unset|cleared the AWS/);
    const clearedByFunction = await runStcOnTerminal(["session", "-c"], {
      ...env,
      STC_EVAL_SHELL: "bash",
    });
    assert.equal(clearedByFunction?.code, 0, clearedByFunction?.output);
    assert.match(clearedByFunction!.output, /unset -v AWS_ACCESS_KEY_ID/);
  },
);

Deno.test("help also explains the session-tool.sh and assume-role functions of stc init", async () => {
  await using home = await makeHome();
  const seed = await runStc(["help", "get_session"], { env: home.env });
  assert.equal(seed.code, 0);
  assert.equal(seed.stdout, "");
  assert.match(seed.stderr, /^Usage: get_session \[-h\]/);
  assert.match(seed.stderr, /-i FILE +stc import FILE/);
  const same = await runStc(["init", "--usage", "get_session"], { env: home.env });
  assert.equal(same.stderr, seed.stderr);
  const unknown = await runStc(["help", "get_sesion"], { env: home.env });
  assert.equal(unknown.code, 2);
});

Deno.test("under the shell function, stdout starts with its mark only when it is shell code", async () => {
  await using home = await makeHome();
  await home.write(".aws/config", "[profile awsops]\nregion = eu-west-1\n");
  const mark = "stc-1234567890";
  const withMark = { ...home.env, STC_EVAL_SHELL: "bash", STC_EVAL_MARK: mark };
  const data = await runStc(["complete", "profiles"], { env: withMark });
  assert.equal(data.stdout, "awsops\n");
  const code = await runStc(["session", "-c"], { env: withMark });
  assert.equal(code.code, 0, code.stderr);
  assert.ok(code.stdout.startsWith(`${mark}\nunset `), code.stdout);
  // Without a (well-formed) mark, as from the function of an older stc, all of stdout is shell code.
  for (
    const env of [{ ...withMark, STC_EVAL_MARK: "a b\nc" }, { ...home.env, STC_EVAL_SHELL: "bash" }]
  ) {
    const old = await runStc(["complete", "profiles"], { env });
    assert.equal(old.stdout, "printf '%s' 'awsops'$'\\n''';\n");
  }
});
