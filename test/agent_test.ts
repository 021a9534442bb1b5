/**
 * The session agent end to end: the real CLI against the emulator, "terminals" that share nothing but the
 * agent's socket, a killed agent, a socket directory others could enter, and malformed protocol messages.
 *
 * @module
 */

import assert from "node:assert/strict";
import { evalInBash, runStc } from "./helpers.ts";
import { assertFailure } from "./session_fixture.ts";
import { VARIABLES } from "./role_world.ts";
import { type AgentWorld, agentWorld } from "./agent_world.ts";

Deno.test("agent: a second terminal assumes a role with the first one's session, no MFA code", async () => {
  await using w = await agentWorld();
  await w.session();
  assert.equal(w.emulator.calls("GetSessionToken"), 1);
  // Another process, with nothing of the first one's environment: stdin is empty, so a prompt would fail.
  const second = await runStc(["assume", "dev-admin"], { env: w.terminal() });
  assert.equal(second.code, 0, second.stderr);
  const vars = await evalInBash(second.stdout, VARIABLES);
  assert.equal(vars.AWS_ACCOUNT_ROLE, "Admin");
  assert.equal(vars.AWS_USERNAME, "alice");
  assert.equal(w.emulator.calls("GetSessionToken"), 1);
  assert.equal(w.emulator.calls("AssumeRole"), 1);

  // stc status shows the agent's session as the base session.
  const shellStatus = await runStc(["status", "--json"], { env: w.terminal() });
  assert.equal(shellStatus.code, 0, shellStatus.stderr);
  assert.equal(JSON.parse(shellStatus.stdout).baseSession.profile, "awsops");
  // With the agent off, the second terminal has no session.
  const off = await runStc(["status", "--json"], { env: w.terminal({ STC_AGENT: "off" }) });
  assert.equal(JSON.parse(off.stdout).baseSession, null);

  const status = await runStc(["agent", "--status"], { env: w.terminal() });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^awsops {2}arn:aws:iam::111111111111:user\/alice {2}until /m);
  assert.ok(!status.stdout.includes("ASIA") && !status.stderr.includes("ASIA"), "no key ids");

  // Forgetting everything stops it; the third terminal has no session then.
  assertFailure(await runStc(["session", "--all"], { env: w.terminal() }), 2);
  const cleared = await runStc(["session", "-c", "--all"], { env: w.terminal() });
  assert.equal(cleared.code, 0, cleared.stderr);
  assert.match(cleared.stderr, /the session agent forgot every session and stopped/);
  const after = await runStc(["agent", "--status"], { env: w.terminal() });
  assert.match(after.stderr, /no agent is running/);
});

async function agentPid(w: AgentWorld): Promise<number | undefined> {
  const status = await runStc(["agent", "--status"], { env: w.terminal() });
  assert.equal(status.code, 0, status.stderr);
  const match = status.stderr.match(/agent pid (\d+)/);
  return match ? Number(match[1]) : undefined;
}

Deno.test("agent: killed with SIGKILL, its stale socket is detected and replaced", async () => {
  await using w = await agentWorld();
  await w.session();
  const pid = await agentPid(w);
  assert.ok(pid, "an agent runs");
  Deno.kill(pid, "SIGKILL");
  // Waits until the process is gone (GNU tail watches it; elsewhere the shell asks); the socket file stays.
  await (Deno.build.os === "linux"
    ? new Deno.Command("tail", { args: [`--pid=${pid}`, "-f", "/dev/null"] }).output()
    : new Deno.Command("sh", {
      args: ["-c", 'while kill -0 "$1" 2>/dev/null; do sleep 0.05; done', "sh", String(pid)],
    }).output());
  assert.ok((await Deno.lstat(w.socket)).isSocket, "the dead agent's socket is left");
  assert.equal(await agentPid(w), undefined);
  // Without the agent the second terminal has no session: a prompt on an empty stdin fails, nothing is printed.
  const noSession = await runStc(["assume", "dev-admin"], { env: w.terminal() });
  assert.notEqual(noSession.code, 0);
  assert.equal(noSession.stdout, "");
  // A new session starts a new agent on the same path.
  await w.session();
  const replaced = await agentPid(w);
  assert.ok(replaced !== undefined && replaced !== pid, `new agent ${replaced}`);
  const assumed = await runStc(["assume", "dev-ro"], { env: w.terminal() });
  assert.equal(assumed.code, 0, assumed.stderr);
});

Deno.test("agent: a socket directory others can enter, or another user's, is refused", async () => {
  await using w = await agentWorld();
  const dir = w.socket.slice(0, w.socket.lastIndexOf("/"));
  await Deno.chmod(dir, 0o755);
  for (const args of [["agent", "--status"], ["agent"], ["assume", "dev-admin"]]) {
    const result = await runStc(args, { env: w.terminal() });
    assertFailure(result, 1);
    assert.match(result.stderr, /socket directory .* has mode 0755; it must be 0700/);
  }
  // stc session keeps the session it got (the MFA code is spent) and says why the agent does not hold it.
  w.emulator.advanceClock(90);
  const session = await runStc(["session", w.emulator.totp("alice")], { env: w.terminal() });
  assert.equal(session.code, 0, session.stderr);
  assert.match(session.stderr, /warning: the session agent does not have the session: .*mode 0755/);
  assert.equal(await Deno.lstat(w.socket).catch(() => undefined), undefined, "no agent started");
  // Clearing the shell still works, with a warning about the agent.
  const cleared = await runStc(["session", "-c", "--all"], { env: w.terminal() });
  assert.equal(cleared.code, 0, cleared.stderr);
  assert.match(cleared.stderr, /warning: the session agent was not stopped: .*mode 0755/);
  await Deno.chmod(dir, 0o700);

  // Another user's directory: as root, one is made by handing ours to nobody; otherwise / is root's.
  const root = Deno.uid() === 0;
  if (root) await Deno.chown(dir, 65534, 65534);
  const foreign = await runStc(["agent", "--status"], {
    env: w.terminal(root ? {} : { STC_AGENT_SOCKET: "/stc-agent.sock" }),
  });
  assertFailure(foreign, 1);
  assert.match(foreign.stderr, /socket directory .* belongs to uid \d+, not to you/);
  if (root) await Deno.chown(dir, 0, 0);
});

async function rawRequest(socket: string, bytes: Uint8Array): Promise<string> {
  const conn = await Deno.connect({ transport: "unix", path: socket });
  try {
    await conn.write(bytes).catch(() => 0);
    const chunks: Uint8Array[] = [];
    const buffer = new Uint8Array(4096);
    while (true) {
      const n = await conn.read(buffer).catch(() => null);
      if (n === null) break;
      chunks.push(buffer.slice(0, n));
    }
    return new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
  } finally {
    conn.close();
  }
}

Deno.test("agent: malformed protocol messages get an error and the agent carries on", async () => {
  await using w = await agentWorld();
  await w.session();
  const encode = (text: string) => new TextEncoder().encode(text);
  const cases: [Uint8Array, RegExp][] = [
    [encode("hello\n"), /not JSON/],
    [encode("[1,2]\n"), /not a JSON object/],
    [encode('{"op":"status"}\n'), /unsupported protocol version/],
    [encode('{"v":2,"op":"status"}\n'), /unsupported protocol version/],
    [encode('{"v":1,"op":"steal"}\n'), /unknown operation/],
    [encode('{"v":1,"op":"put-session","session":{"profile":"x"}}\n'), /not a session/],
    [encode('{"v":1,"op":"put-role","key":"k"}\n'), /needs key, profile and credentials/],
    [encode('{"v":1,"op":"get-session","profile":42}\n'), /profile must be a string/],
    [encode('{"v":1,"op":"get-role","key":"k","minSeconds":-1}\n'), /minSeconds must be/],
    [encode('{"v":1,"op":"release-role"}\n'), /key must be a string/],
    [new Uint8Array(70 * 1024).fill(65), /larger than 65536 bytes/],
    [new Uint8Array([0xff, 0xfe, 10]), /not JSON/],
  ];
  for (const [bytes, expected] of cases) {
    const answer = JSON.parse(await rawRequest(w.socket, bytes));
    assert.equal(answer.ok, false);
    assert.equal(answer.v, 1);
    assert.match(answer.error, expected);
  }
  // A client that hangs up mid-request does not stop it either.
  (await Deno.connect({ transport: "unix", path: w.socket })).close();
  const assumed = await runStc(["assume", "dev-admin"], { env: w.terminal() });
  assert.equal(assumed.code, 0, assumed.stderr);
});

Deno.test("agent: started by stc session under the shell function, it outlives that shell", async () => {
  await using w = await agentWorld();
  const init = await runStc(["init", "bash"], { env: w.env });
  assert.equal(init.code, 0, init.stderr);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/init.bash`, init.stdout);
    w.emulator.advanceClock(90);
    // The function captures stc's stdout: an agent holding that pipe would keep the shell waiting.
    const script = `. '${dir}/init.bash'; stc session ${w.emulator.totp("alice")}; echo "rc=$?"`;
    const shell = await new Deno.Command("bash", {
      args: ["-c", script],
      env: w.terminal(),
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(new TextDecoder().decode(shell.stdout), "rc=0\n");
    assert.match(new TextDecoder().decode(shell.stderr), /the session agent holds it/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  // That shell has exited; the agent, in a session and process group of its own, still serves.
  const pid = await agentPid(w);
  assert.ok(pid !== undefined);
  // The session id column is procps's (Linux); elsewhere the process group alone is checked.
  const columns = Deno.build.os === "linux" ? "pid=,pgid=,sid=" : "pid=,pgid=";
  const info = await new Deno.Command("ps", {
    args: ["-o", columns, "-p", String(pid)],
    stdout: "piped",
  }).output();
  const [own, ...leaders] = new TextDecoder().decode(info.stdout).trim().split(/\s+/).map(Number);
  assert.deepEqual(leaders, leaders.map(() => own), "its own process group and session");
  const assumed = await runStc(["assume", "dev-admin"], { env: w.terminal() });
  assert.equal(assumed.code, 0, assumed.stderr);
});

Deno.test("agent: a base session made by stc assume (no session yet) is handed to the agent too", async () => {
  await using w = await agentWorld();
  w.emulator.advanceClock(90);
  const first = await runStc(["assume", "dev-admin", "--mfa", w.emulator.totp("alice")], {
    env: w.terminal(),
  });
  assert.equal(first.code, 0, first.stderr);
  const second = await runStc(["assume", "dev-ro"], { env: w.terminal() });
  assert.equal(second.code, 0, second.stderr);
  assert.equal(w.emulator.calls("GetSessionToken"), 1);
});
