/**
 * The credential server (`stc exec --server`, `stc serve`) end to end: the real CLI against the emulator, real
 * programs (the AWS SDK's default chain, the AWS CLI) as its clients, and hours of simulated time: the emulator's
 * clock, stc's (`STC_TEST_CLOCK_FILE`) and the SDK program's move together, by the program, between its calls.
 *
 * @module
 */

import assert from "node:assert/strict";
import { REPO_ROOT, runStc, runStcOnTerminal, stcCommandLine } from "./helpers.ts";
import { ALICE_KEY, ALICE_SECRET, baseSession, withBase, world } from "./role_world.ts";
import { awsCliV2, testWith } from "./tools.ts";
import { agentWorld } from "./agent_world.ts";

interface Call {
  minute: number;
  ok: boolean;
  arn?: string;
  key?: string;
  minutesLeft?: number;
  error?: string;
  message?: string;
}

/** Runs the SDK program under `stc exec --server` for `steps` steps of `stepSeconds`. */
async function runProgram(
  env: Record<string, string>,
  steps: number,
  stepSeconds: number,
): Promise<{ code: number; calls: Call[]; stderr: string }> {
  const result = await runStc([
    "exec",
    "--server",
    "dev-admin",
    "--",
    Deno.execPath(),
    "run",
    "--allow-all",
    "--no-prompt",
    `${REPO_ROOT}test/server_child.ts`,
    String(steps),
    String(stepSeconds),
  ], { env });
  const calls = result.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) =>
    JSON.parse(l) as Call
  );
  return { code: result.code, calls, stderr: result.stderr };
}

async function clockFile(): Promise<{ path: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "stc-clock-" });
  const path = `${dir}/offset`;
  await Deno.writeTextFile(path, "0");
  return { path, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

Deno.test("exec --server: an SDK program runs three simulated hours of one-hour role credentials, never with an expired one, about one AssumeRole an hour", async () => {
  await using w = await world();
  await using clock = await clockFile();
  const base = await baseSession(w);
  const env = withBase(w, base, { STC_TEST_CLOCK_FILE: clock.path });
  const before = w.emulator.calls("AssumeRole");
  // Seven-minute steps: 26 of them are 182 minutes, and no step lands on a refresh boundary.
  const { code, calls, stderr } = await runProgram(env, 26, 420);
  assert.equal(code, 0, stderr);
  assert.equal(calls.length, 27, stderr);
  const failed = calls.filter((c) => !c.ok);
  assert.deepEqual(failed, [], "no call failed, none with an expired credential");
  assert.equal(calls.at(-1)!.minute, 182);
  for (const call of calls) {
    assert.equal(call.arn, "arn:aws:sts::222222222222:assumed-role/Admin/alice");
    assert.ok(call.minutesLeft! >= 4, `minute ${call.minute}: ${call.minutesLeft} minutes left`);
  }
  // The SDK asks again when under 5 minutes are left, in the background while it still uses the old ones; the
  // server then assumes the role again. Its request runs while the program moves the clock on (as time moves on
  // in real life), so a renewal lands at the step where the SDK asked or the next one: new credentials are first
  // used after 56 to 63 minutes of the last ones, and the last renewal may be the one the program asked for
  // before it ended.
  const assumed = w.emulator.calls("AssumeRole") - before;
  const renewals = stderr.match(/dev-admin: new credentials, valid until/g)?.length ?? 0;
  assert.equal(assumed, 1 + renewals, stderr);
  assert.ok(renewals >= 3 && renewals <= 4, `about one renewal an hour, not one a call: ${stderr}`);
  const changes = calls.filter((c, i) => i > 0 && c.key !== calls[i - 1].key);
  assert.ok(changes.length >= 2 && changes.length <= renewals, JSON.stringify(changes));
  for (const [i, call] of calls.entries()) {
    if (i > 0 && call.key !== calls[i - 1].key) {
      assert.ok(
        calls[i - 1].minutesLeft! < 5,
        `renewed only near the end: ${JSON.stringify(call)}`,
      );
    }
  }
  for (const secret of [base.secretAccessKey, base.sessionToken]) {
    assert.ok(!stderr.includes(secret));
  }
});

/** One HTTP/1.1 request with exactly the given headers; the status and body of the answer. */
async function rawGet(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const head = [`GET ${path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    await conn.write(new TextEncoder().encode(`${head.join("\r\n")}\r\nConnection: close\r\n\r\n`));
    const chunks: Uint8Array[] = [];
    const buffer = new Uint8Array(65536);
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      chunks.push(buffer.slice(0, n));
    }
    const text = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
    return { status: Number(text.split(" ")[1]), body: text.slice(text.indexOf("\r\n\r\n") + 4) };
  } finally {
    conn.close();
  }
}

/** Starts `stc serve ARGS` and reads the variables it writes to stdout (a pipe). */
async function startServe(args: string[], env: Record<string, string>) {
  const [command, ...prefix] = stcCommandLine();
  const child = new Deno.Command(command, {
    args: [...prefix, "serve", ...args],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.getReader();
  let out = "";
  while (!out.includes("AWS_CONTAINER_AUTHORIZATION_TOKEN=")) {
    const { value, done } = await reader.read();
    if (done) break;
    out += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const url = out.match(/AWS_CONTAINER_CREDENTIALS_FULL_URI='([^']*)'/)?.[1];
  const token = out.match(/AWS_CONTAINER_AUTHORIZATION_TOKEN='([^']*)'/)?.[1];
  return { child, stdout: out, stderr, url, token };
}

Deno.test("serve: only requests with the token and a loopback Host get credentials; TERM stops it", async () => {
  await using w = await world();
  const env = withBase(w, await baseSession(w));
  const serve = await startServe(["dev-admin"], env);
  try {
    assert.ok(serve.url && serve.token, serve.stdout);
    assert.match(serve.stdout, /unset[^;]* AWS_PROFILE;/, "the shell code unsets what would win");
    // At least 128 bits of randomness: 32 bytes, base64url.
    assert.match(serve.token!, /^[A-Za-z0-9_-]{43}$/);
    const url = new URL(serve.url!);
    assert.equal(url.hostname, "127.0.0.1");
    const port = Number(url.port);
    const host = `127.0.0.1:${port}`;
    const cases: [string, Record<string, string>, number][] = [
      ["no token", { Host: host }, 401],
      ["wrong token", { Host: host, Authorization: serve.token!.replace(/.$/, "x") }, 403],
      ["empty token", { Host: host, Authorization: "" }, 403],
      ["foreign Host", { Host: `attacker.example:${port}`, Authorization: serve.token! }, 403],
      ["loopback name, other port", { Host: "localhost:1", Authorization: serve.token! }, 403],
    ];
    for (const [what, headers, status] of cases) {
      const answer = await rawGet(port, url.pathname, headers);
      assert.equal(answer.status, status, what);
      assert.ok(!answer.body.includes("ASIA"), `${what}: no credentials`);
    }
    for (const name of [host, `localhost:${port}`, `[::1]:${port}`]) {
      const answer = await rawGet(port, url.pathname, { Host: name, Authorization: serve.token! });
      assert.equal(answer.status, 200, name);
      const body = JSON.parse(answer.body);
      assert.deepEqual(Object.keys(body).sort(), [
        "AccessKeyId",
        "Expiration",
        "SecretAccessKey",
        "Token",
      ]);
      assert.match(body.AccessKeyId, /^ASIA/);
      assert.match(body.Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  } finally {
    serve.child.kill("SIGTERM");
  }
  const status = await serve.child.status;
  assert.equal(status.code, 0);
  const stderr = await serve.stderr;
  assert.match(stderr, /serving dev-admin on http:\/\/127\.0\.0\.1:\d+\/stc\/credentials/);
  assert.match(stderr, /refused a request \(no token\)/);
  assert.match(stderr, /refused a request \(foreign host\)/);
  assert.ok(!stderr.includes(serve.token!), "the token is never on stderr");
  await assert.rejects(() => rawGet(Number(new URL(serve.url!).port), "/", {}));
});

Deno.test("exec --server: the command gets the endpoint and no credentials; the server stops with it", async () => {
  await using w = await world();
  const base = await baseSession(w);
  const env = withBase(w, base, {
    AWS_ACCESS_KEY_ID: ALICE_KEY,
    AWS_SECRET_ACCESS_KEY: ALICE_SECRET,
    AWS_DEFAULT_PROFILE: "awsops",
  });
  const result = await runStc(["exec", "--server", "dev-admin", "--", "env", "-0"], { env });
  assert.equal(result.code, 0, result.stderr);
  const child = Object.fromEntries(
    result.stdout.split("\0").filter((e) => e.includes("=")).map((e) => {
      const eq = e.indexOf("=");
      return [e.slice(0, eq), e.slice(eq + 1)];
    }),
  );
  const url = new URL(child.AWS_CONTAINER_CREDENTIALS_FULL_URI);
  assert.equal(url.hostname, "127.0.0.1");
  assert.match(child.AWS_CONTAINER_AUTHORIZATION_TOKEN, /^[A-Za-z0-9_-]{43}$/);
  for (
    const name of [
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "AWS_PROFILE",
      "AWS_DEFAULT_PROFILE",
      "STC_BASE_SESSION",
      "AWS_CREDENTIAL_EXPIRATION",
    ]
  ) assert.equal(child[name], undefined, name);
  assert.equal(child.AWS_ROLE_ALIAS, "dev-admin");
  assert.equal(child.AWS_ACCOUNT_ID, "222222222222");
  assert.equal(child.STC_EXEC, "dev-admin");
  assert.equal(child.AWS_REGION, "us-east-1");
  // The command has ended, and so has the server.
  await assert.rejects(() => rawGet(Number(url.port), url.pathname, {}));

  const unknown = await runStc(["exec", "--server", "nope", "--", "true"], { env });
  assert.equal(unknown.code, 1, unknown.stderr);
  assert.match(unknown.stderr, /unknown role alias 'nope'/);
  const noAlias = await runStc(["exec", "--server", "--", "true"], { env });
  assert.equal(noAlias.code, 2, noAlias.stderr);
  assert.match(noAlias.stderr, /--server serves a role/);
});

await testWith(
  ["aws-cli-v2"],
  "exec --server: the AWS CLI fetches the role's credentials from the server",
  async () => {
    await using w = await world();
    const env = withBase(w, await baseSession(w));
    const result = await runStc([
      "exec",
      "--server",
      "dev-admin",
      "--",
      (await awsCliV2())!,
      "sts",
      "get-caller-identity",
      "--endpoint-url",
      w.emulator.endpoint,
      "--output",
      "json",
    ], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      JSON.parse(result.stdout).Arn,
      "arn:aws:sts::222222222222:assumed-role/Admin/alice",
    );
  },
);

Deno.test("serve: the MFA session's end is announced 10 minutes ahead; after it, credentials are served while they last, then an error naming stc session", async () => {
  await using w = await world();
  await using clock = await clockFile();
  const base = await baseSession(w, 5400);
  const serve = await startServe(
    ["dev-admin"],
    withBase(w, base, { STC_TEST_CLOCK_FILE: clock.path }),
  );
  const url = new URL(serve.url!);
  const at = async (minutes: number) => {
    w.emulator.setClockOffset(minutes * 60);
    await Deno.writeTextFile(`${clock.path}.tmp`, String(minutes * 60));
    await Deno.rename(`${clock.path}.tmp`, clock.path);
    return await rawGet(Number(url.port), url.pathname, {
      Host: url.host,
      Authorization: serve.token!,
    });
  };
  try {
    // 9 minutes before the session's end: renewed from it (the first credentials are under 15 minutes from
    // their end), and warned.
    const renewed = await at(81);
    assert.equal(renewed.status, 200);
    const key = JSON.parse(renewed.body).AccessKeyId;
    // The session is over: the role's credentials still have 50 minutes, and are served.
    assert.equal(JSON.parse((await at(91)).body).AccessKeyId, key);
    // 14 minutes left, no renewal possible: still served.
    assert.equal(JSON.parse((await at(127)).body).AccessKeyId, key);
    // 30 seconds left: an error the SDKs report, naming what to run.
    const over = await at(140.5);
    assert.equal(over.status, 503);
    const error = JSON.parse(over.body);
    assert.equal(error.Code, "CredentialsUnavailable");
    assert.match(error.Message, /the MFA session expired at .*stc session/);
  } finally {
    serve.child.kill("SIGTERM");
  }
  assert.equal((await serve.child.status).code, 0);
  const stderr = await serve.stderr;
  assert.match(stderr, /warning: the MFA session expires in [89]m \d\ds/);
  assert.match(stderr, /warning: the MFA session expired at .*run 'stc session'/);
  assert.match(
    stderr,
    /warning: dev-admin: renewal failed: the MFA session expired at .*; the current credentials are served for 13m/,
  );
  assert.equal(stderr.match(/new credentials, valid until/g)?.length, 1, stderr);
});

Deno.test("serve --env-file: the variables in a 0600 file, removed when the server stops", async () => {
  await using w = await world();
  const env = withBase(w, await baseSession(w));
  const path = `${w.home.home}/serve.env`;
  const serve = await startServe(["dev-admin", "--env-file", path], env);
  let text: string;
  try {
    assert.ok(serve.token);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    text = await Deno.readTextFile(path);
  } finally {
    serve.child.kill("SIGINT");
  }
  assert.equal((await serve.child.status).code, 0);
  // Sourced in sh, it points an SDK at the server.
  assert.match(text, /export AWS_CONTAINER_AUTHORIZATION_TOKEN='[A-Za-z0-9_-]{43}';/);
  assert.ok(text.includes(serve.token!));
  await assert.rejects(() => Deno.stat(path), Deno.errors.NotFound);
  assert.ok(!(await serve.stderr).includes(serve.token!));
});

await testWith(
  ["script"],
  "serve: with stdout on a terminal and no --env-file, the token is not shown: usage error before any work",
  async () => {
    await using w = await world();
    const before = w.emulator.calls("AssumeRole");
    const result = await runStcOnTerminal(
      ["serve", "dev-admin"],
      withBase(w, await baseSession(w)),
    );
    assert.equal(result.code, 2, result.output);
    assert.match(result.output, /the server's token is a secret and is not shown on a terminal/);
    assert.match(result.output, /hint: write it to a private file with --env-file PATH/);
    assert.equal(w.emulator.calls("AssumeRole"), before);
  },
);

await testWith(
  ["aws-cli-v2"],
  "exec --server: the AWS CLI, run every 20 simulated minutes for three hours, never gets an expired credential",
  async () => {
    await using w = await world();
    await using clock = await clockFile();
    const env = withBase(w, await baseSession(w), { STC_TEST_CLOCK_FILE: clock.path });
    const before = w.emulator.calls("AssumeRole");
    const result = await runStc([
      "exec",
      "--server",
      "dev-admin",
      "--",
      Deno.execPath(),
      "run",
      "--allow-all",
      "--no-prompt",
      `${REPO_ROOT}test/server_child.ts`,
      "9",
      "1200",
      (await awsCliV2())!,
    ], { env });
    assert.equal(result.code, 0, result.stderr);
    const calls = result.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) =>
      JSON.parse(l) as Call
    );
    assert.equal(calls.length, 10, result.stderr);
    assert.deepEqual(calls.filter((c) => !c.ok), []);
    assert.equal(calls.at(-1)!.minute, 180);
    for (const call of calls) {
      assert.equal(call.arn, "arn:aws:sts::222222222222:assumed-role/Admin/alice");
    }
    // Each AWS CLI run fetches once; the server assumes the role again only under 15 minutes left.
    const assumed = w.emulator.calls("AssumeRole") - before;
    assert.ok(assumed >= 3 && assumed <= 5, `${assumed} AssumeRoles for 10 runs: ${result.stderr}`);
  },
);

Deno.test("exec --server with the agent: the base session and the role's credentials come from it, shared with credential-process", async () => {
  await using w = await agentWorld();
  await w.session();
  const before = w.emulator.calls("AssumeRole");
  // A fresh terminal: no session variables; the agent has the session.
  const served = await runStc(["exec", "--server", "dev-admin", "--", "env", "-0"], {
    env: w.terminal(),
  });
  assert.equal(served.code, 0, served.stderr);
  assert.match(served.stdout, /AWS_CONTAINER_CREDENTIALS_FULL_URI=http:\/\/127\.0\.0\.1:/);
  const json = await runStc(["credential-process", "dev-admin"], { env: w.terminal() });
  assert.equal(json.code, 0, json.stderr);
  // The server's AssumeRole was cached in the agent: credential-process made none.
  assert.equal(w.emulator.calls("AssumeRole") - before, 1);
});
