/**
 * `stc exec` end to end: the real CLI against the emulator, with real commands as its children.
 *
 * @module
 */

import assert from "node:assert/strict";
import { runStc, stcCommandLine } from "./helpers.ts";
import { assertFailure } from "./session_fixture.ts";
import { ALICE_KEY, ALICE_SECRET, assumedArn, baseSession, withBase, world } from "./role_world.ts";
import { agentWorld } from "./agent_world.ts";

/** The environment a command saw, as `env -0` printed it. */
function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of text.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

Deno.test("exec: the command gets the role's credentials, no profile, no long-term key, no base session", async () => {
  await using w = await world();
  const base = await baseSession(w);
  const env = withBase(w, base, {
    AWS_ACCESS_KEY_ID: ALICE_KEY,
    AWS_SECRET_ACCESS_KEY: ALICE_SECRET,
    AWS_DEFAULT_PROFILE: "awsops",
    KEEP_ME: "kept",
  });
  const result = await runStc(["exec", "dev-admin", "--", "env", "-0"], { env });
  assert.equal(result.code, 0, result.stderr);
  const child = parseEnv(result.stdout);
  assert.match(child.AWS_ACCESS_KEY_ID, /^ASIA/);
  assert.notEqual(child.AWS_ACCESS_KEY_ID, base.accessKeyId);
  assert.equal(
    await assumedArn(w, child),
    "arn:aws:sts::222222222222:assumed-role/Admin/alice",
  );
  assert.ok(child.AWS_SESSION_TOKEN);
  assert.ok(!Number.isNaN(Date.parse(child.AWS_CREDENTIAL_EXPIRATION)));
  assert.equal(child.AWS_REGION, "us-east-1");
  assert.equal(child.AWS_ROLE_ALIAS, "dev-admin");
  assert.equal(child.AWS_ACCOUNT_ID, "222222222222");
  assert.equal(child.STC_EXEC, "dev-admin");
  assert.equal(child.KEEP_ME, "kept");
  for (const name of ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "STC_BASE_SESSION"]) {
    assert.equal(child[name], undefined, name);
  }
  for (const secret of [ALICE_KEY, ALICE_SECRET, base.secretAccessKey, base.sessionToken]) {
    assert.ok(!result.stdout.includes(secret), "neither the long-term key nor the base session");
  }
  assert.equal(result.stderr.includes(child.AWS_SECRET_ACCESS_KEY), false);

  // Without an alias: the MFA session's own credentials.
  const own = await runStc(["exec", "--", "env", "-0"], { env });
  assert.equal(own.code, 0, own.stderr);
  const session = parseEnv(own.stdout);
  assert.equal(session.AWS_ACCESS_KEY_ID, base.accessKeyId);
  assert.equal(session.STC_EXEC, "awsops");
  assert.equal(session.AWS_PROFILE, undefined);
});

Deno.test("exec: the command's exit status is stc's; nesting and a missing command are refused", async () => {
  await using w = await world();
  const env = withBase(w, await baseSession(w));
  for (const status of [0, 1, 3, 42, 255]) {
    const result = await runStc(["exec", "dev-ro", "--", "sh", "-c", `exit ${status}`], { env });
    assert.equal(result.code, status, result.stderr);
    assert.equal(result.stdout, "");
  }
  // Killed by a signal: 128 + its number, as shells report it.
  const killed = await runStc(["exec", "dev-ro", "--", "sh", "-c", "kill -TERM $$"], { env });
  assert.equal(killed.code, 143);
  // Without a command, $SHELL runs (here reading its commands from stdin).
  const shell = await runStc(["exec", "dev-ro"], {
    env: { ...env, SHELL: "/bin/sh" },
    stdin: 'printf "%s" "$AWS_ROLE_ALIAS"; exit 7\n',
  });
  assert.equal(shell.code, 7, shell.stderr);
  assert.equal(shell.stdout, "dev-ro");

  const nested = await runStc(["exec", "dev-ro", "--", "true"], {
    env: { ...env, STC_EXEC: "dev-admin" },
  });
  assertFailure(nested, 2);
  assert.match(nested.stderr, /already inside 'stc exec' \(as dev-admin\)/);
  const missing = await runStc(["exec", "dev-ro", "--", "no-such-command-stc"], { env });
  assertFailure(missing, 1);
  assert.match(missing.stderr, /cannot run 'no-such-command-stc': command not found/);
  // Words before -- are arguments: a command there is a usage error, not a role alias.
  const noDashes = await runStc(["exec", "dev-ro", "ls"], { env });
  assertFailure(noDashes, 2);
});

Deno.test("exec: INT, TERM and HUP are passed on to the command", async () => {
  await using w = await world();
  const env = withBase(w, await baseSession(w));
  const [program, ...prefix] = stcCommandLine();
  for (const [signal, number] of [["SIGINT", 2], ["SIGTERM", 15], ["SIGHUP", 1]] as const) {
    // The command says it is ready on stdout, then reports the signal it gets as its exit status.
    const script = `trap 'exit ${100 + number}' ${signal.slice(3)}; echo ready; ` +
      "while :; do sleep 0.05; done";
    const child = new Deno.Command(program, {
      args: [...prefix, "exec", "dev-ro", "--", "sh", "-c", script],
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.getReader();
    let said = "";
    while (!said.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      said += new TextDecoder().decode(value);
    }
    reader.releaseLock();
    assert.equal(said, "ready\n");
    child.kill(signal);
    const out = await child.output();
    assert.equal(out.code, 100 + number, `${signal}: ${new TextDecoder().decode(out.stderr)}`);
  }
});

Deno.test("exec: a second terminal runs a program with the agent's session", async () => {
  await using w = await agentWorld();
  await w.session();
  const result = await runStc(["exec", "dev-admin", "--", "env", "-0"], { env: w.terminal() });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(parseEnv(result.stdout).AWS_ACCOUNT_ROLE, "Admin");
  assert.equal(w.emulator.calls("GetSessionToken"), 1);
});

Deno.test("exec: under the shell function the command's output is its own, never code for the shell", async () => {
  await using w = await world();
  const base = await baseSession(w);
  const init = await runStc(["init", "bash"], { env: w.env });
  assert.equal(init.code, 0, init.stderr);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/init.bash`, init.stdout);
    const script = `. '${dir}/init.bash'\nSTC_BASE_SESSION=$1\n` +
      `stc exec dev-ro -- printf '%s\\n' 'touch ${dir}/evaluated' "$STC_BASE_SESSION"\necho "rc=$?"\n`;
    const out = await new Deno.Command("bash", {
      args: ["-c", script, "bash", JSON.stringify(base)],
      env: w.env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert.match(
      stdout,
      new RegExp(`^touch ${dir}/evaluated\n`),
      new TextDecoder().decode(out.stderr),
    );
    assert.match(stdout, /rc=0\n$/);
    assert.equal(await Deno.lstat(`${dir}/evaluated`).catch(() => undefined), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
