/**
 * `stc credential-process` and `stc roles --write-config` end to end: the AWS CLI gets a role's credentials from
 * the real stc through `credential_process`, with the AssumeRole calls counted at the emulator.
 *
 * @module
 */

import assert from "node:assert/strict";
import { runStc, stcCommandLine } from "./helpers.ts";
import { assertFailure } from "./session_fixture.ts";
import { agentWorld } from "./agent_world.ts";

/**
 * How many AWS CLI runs share one cached role. The issue asks for 50; each run here starts Python and stc
 * (from source, a Deno process) and takes about a second on the 2-core test machine, so the default is 10
 * (the cache is what is tested: one AssumeRole for all of them); STC_TEST_SDK_RUNS=50 runs the full count.
 */
const SDK_RUNS = Number(Deno.env.get("STC_TEST_SDK_RUNS") ?? "10");

async function aws(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command("aws", {
    args: [...args, "--endpoint-url", env.AWS_ENDPOINT_URL, "--output", "json"],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

Deno.test(`credential_process: ${SDK_RUNS} AWS CLI runs, one MFA session, one AssumeRole`, async () => {
  await using w = await agentWorld();
  await w.home.write(
    ".aws/config",
    (await w.home.read(".aws/config"))! + "\n[profile mine]\nregion = eu-west-1\n",
  );
  const written = await runStc(["roles", "--write-config"], { env: w.terminal() });
  assert.equal(written.code, 0, written.stderr);
  const config = (await w.home.read(".aws/config"))!;
  assert.match(
    config,
    /\[profile mine\]\nregion = eu-west-1\n/,
    "a section stc did not write is kept",
  );
  assert.match(
    config,
    /\[profile dev-admin\]\ncredential_process = .* credential-process -p awsops dev-admin\n/,
  );
  assert.equal(config.match(/stc_managed = true/g)?.length, 5);

  await w.session();
  // The AWS CLI's environment: no credentials, no session variables, the profile chosen as terraform users do
  // (AWS_PROFILE) or with --profile; stc finds the agent through its socket.
  const env = { ...w.terminal(), AWS_PROFILE: "dev-admin" };
  for (let run = 0; run < SDK_RUNS; run++) {
    const result = await aws(
      ["sts", "get-caller-identity", ...(run % 2 ? ["--profile", "dev-admin"] : [])],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      JSON.parse(result.stdout).Arn,
      "arn:aws:sts::222222222222:assumed-role/Admin/alice-dev-admin",
    );
  }
  assert.equal(w.emulator.calls("AssumeRole"), 1);
  assert.equal(w.emulator.calls("GetSessionToken"), 1);

  // Another alias is another role, assumed once too.
  const ro = await aws(["sts", "get-caller-identity", "--profile", "prod-ro"], env);
  assert.equal(ro.code, 0, ro.stderr);
  assert.equal(w.emulator.calls("AssumeRole"), 2);

  // The JSON itself.
  const json = await runStc(["credential-process", "-p", "awsops", "dev-admin"], {
    env: w.terminal(),
  });
  assert.equal(json.code, 0, json.stderr);
  const document = JSON.parse(json.stdout);
  assert.deepEqual(Object.keys(document), [
    "Version",
    "AccessKeyId",
    "SecretAccessKey",
    "SessionToken",
    "Expiration",
  ]);
  assert.equal(document.Version, 1);
  assert.ok(Date.parse(document.Expiration) - Date.now() > 300_000);

  // A re-run updates stc's sections only and drops those of aliases that are gone.
  await w.home.write(
    ".aws/awsops_session-tool_roles.cfg",
    "dev-admin arn:aws:iam::222222222222:role/Admin\n",
  );
  const again = await runStc(["roles", "--write-config"], { env: w.terminal() });
  assert.equal(again.code, 0, again.stderr);
  const after = (await w.home.read(".aws/config"))!;
  assert.equal(after.match(/stc_managed = true/g)?.length, 1);
  assert.match(after, /\[profile mine\]\nregion = eu-west-1\n/);
});

Deno.test("credential_process: without a session and without a terminal, one line and exit 3", async () => {
  await using w = await agentWorld();
  // setsid: no controlling terminal, as under an IDE or cron.
  const [program, ...prefix] = stcCommandLine();
  const out = await new Deno.Command("setsid", {
    args: ["-w", program, ...prefix, "credential-process", "dev-admin"],
    env: w.terminal(),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  assertFailure({
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  }, 3);
  assert.match(decoder.decode(out.stderr), /no terminal to ask for it\nhint: run 'stc session'/);
  assert.equal(w.emulator.calls("GetSessionToken"), 0);
});

Deno.test("credential_process: without a terminal, mfa_process gets the session, which the agent then holds", async () => {
  await using w = await agentWorld();
  w.emulator.advanceClock(90);
  const [program, ...prefix] = stcCommandLine();
  const out = await new Deno.Command("setsid", {
    args: ["-w", program, ...prefix, "credential-process", "dev-ro"],
    env: w.terminal({ STC_MFA_PROCESS: `printf ${w.emulator.totp("alice")}` }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.equal(JSON.parse(new TextDecoder().decode(out.stdout)).Version, 1);
  const status = await runStc(["agent", "--status"], { env: w.terminal() });
  assert.match(status.stdout, /^awsops .* 1 cached role$/m);
  assert.equal(w.emulator.calls("GetSessionToken"), 1);
});

Deno.test("credential_process: SDK clients starting at once share one AssumeRole", async () => {
  await using w = await agentWorld();
  await w.session();
  const results = await Promise.all(
    Array.from(
      { length: 6 },
      () => runStc(["credential-process", "-p", "awsops", "prod-admin"], { env: w.terminal() }),
    ),
  );
  for (const result of results) assert.equal(result.code, 0, result.stderr);
  const keys = new Set(results.map((r) => JSON.parse(r.stdout).AccessKeyId));
  assert.equal(keys.size, 1, "every caller got the same credentials");
  assert.equal(w.emulator.calls("AssumeRole"), 1);
});
