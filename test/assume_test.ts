/**
 * `stc assume` end to end: the real CLI against the emulator, its output evaluated in a real bash.
 *
 * @module
 */

import assert from "node:assert/strict";
import { evalInBash, runStc, shellWord, stcCommandLine } from "./helpers.ts";
import { startOnTerminal } from "./pty.ts";
import { testWith } from "./tools.ts";
import { assumedArn, baseSession, VARIABLES, withBase, world } from "./role_world.ts";

Deno.test("assume from the base session exports the role and its variables", async () => {
  await using w = await world();
  await w.home.write(".aws/accounts", '{"dev": "222222222222"}');
  const base = await baseSession(w);
  const result = await runStc(["assume", "dev-admin"], { env: withBase(w, base) });
  assert.equal(result.code, 0, result.stderr);
  const vars = await evalInBash(result.stdout, VARIABLES);
  assert.equal(vars.AWS_ROLE_ALIAS, "dev-admin");
  assert.equal(vars.AWS_ACCOUNT_ID, "222222222222");
  assert.equal(vars.AWS_ACCOUNT_NAME, "dev");
  assert.equal(vars.AWS_ACCOUNT_ROLE, "Admin");
  assert.equal(vars.AWS_PROFILE, "awsops");
  assert.equal(vars.AWS_USERNAME, "alice");
  assert.match(vars.AWS_ACCESS_KEY_ID!, /^ASIA/);
  assert.notEqual(vars.AWS_ACCESS_KEY_ID, base.accessKeyId);
  // Assumed from a session: AWS's default (and cap) of one hour.
  const left = Number(vars.AWS_EXPIRATION_S) - Date.now() / 1000;
  assert.ok(left > 3500 && left <= 3601, `expires in ${left} s`);
  // CloudTrail shows the IAM user, as with session-tool.sh: the session name column of the organisation's
  // list (alice-dev-admin) is shared by all its users and not used.
  assert.equal(await assumedArn(w, vars), "arn:aws:sts::222222222222:assumed-role/Admin/alice");
  assert.equal(w.emulator.calls("GetSessionToken"), 1);

  // Without an alias, the shell's current role (AWS_ROLE_ALIAS) is assumed again.
  const again = await runStc(["assume"], {
    env: withBase(w, base, { AWS_ROLE_ALIAS: "dev-ro" }),
  });
  assert.equal(again.code, 0, again.stderr);
  const ro = await evalInBash(again.stdout, VARIABLES);
  assert.equal(ro.AWS_ACCOUNT_ROLE, "ReadOnly");
  assert.equal(ro.AWS_ROLE_ALIAS, "dev-ro");
});

Deno.test("assume: the session name defaults to the IAM user; a local alias wins", async () => {
  await using w = await world();
  // The local file overrides the organisation's dev-admin, and gives no session name.
  await w.home.write(
    ".aws/awsops_roles.cfg",
    "dev-admin arn:aws:iam::222222222222:role/ReadOnly\n",
  );
  const base = await baseSession(w);
  const result = await runStc(["assume", "dev-admin"], { env: withBase(w, base) });
  assert.equal(result.code, 0, result.stderr);
  const vars = await evalInBash(result.stdout, VARIABLES);
  assert.equal(await assumedArn(w, vars), "arn:aws:sts::222222222222:assumed-role/ReadOnly/alice");
});

Deno.test("assume passes the external id of the roles file", async () => {
  await using w = await world();
  await w.home.write(
    ".aws/awsops_roles.cfg",
    "vendor-no-ext arn:aws:iam::222222222222:role/Vendor vendor-session\n",
  );
  const base = await baseSession(w);
  const ok = await runStc(["assume", "dev-vendor"], { env: withBase(w, base) });
  assert.equal(ok.code, 0, ok.stderr);
  const vars = await evalInBash(ok.stdout, VARIABLES);
  assert.equal(vars.AWS_ACCOUNT_ROLE, "Vendor");
  assert.equal(await assumedArn(w, vars), "arn:aws:sts::222222222222:assumed-role/Vendor/alice");

  // Without the external id the trust policy refuses: nothing on stdout, exit 1, a hint.
  const denied = await runStc(["assume", "vendor-no-ext"], { env: withBase(w, base) });
  assert.equal(denied.code, 1);
  assert.equal(denied.stdout, "");
  assert.match(denied.stderr, /stc: error: AssumeRole: .*AccessDenied/);
  assert.match(denied.stderr, /hint: .*may not assume arn:aws:iam::222222222222:role\/Vendor/);
});

Deno.test("assume: access denied changes nothing and exits 1", async () => {
  await using w = await world();
  // prod's Deployer trusts only dev's Admin role, not alice.
  await w.home.write(
    ".aws/awsops_roles.cfg",
    "prod-deployer arn:aws:iam::333333333333:role/Deployer\n",
  );
  const base = await baseSession(w);
  const result = await runStc(["assume", "prod-deployer"], { env: withBase(w, base) });
  assert.equal(result.code, 1);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /AccessDenied/);
  assert.ok(!result.stderr.includes(base.secretAccessKey.slice(0, 12)), "no part of the secret");
});

Deno.test("assume: an unknown alias suggests close matches", async () => {
  await using w = await world();
  const base = await baseSession(w);
  const result = await runStc(["assume", "dev-admn"], { env: withBase(w, base) });
  assert.equal(result.code, 1);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /stc: error: unknown role alias 'dev-admn'/);
  assert.match(result.stderr, /hint: did you mean 'dev-admin'/);
  assert.equal(w.emulator.calls("AssumeRole"), 0);
});

Deno.test("assume: an expired base session exits 3 and says how to renew it", async () => {
  await using w = await world();
  // Issued two hours ago for one hour (the SDK corrects its clock skew on a retry).
  w.emulator.setClockOffset(-7200);
  const base = await baseSession(w, 3600);
  w.emulator.setClockOffset(0);
  const result = await runStc(["assume", "dev-admin"], { env: withBase(w, base) });
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /stc: error: the base session of profile 'awsops' expired/);
  assert.match(result.stderr, /hint: .*stc session.*stc session -r/);
  assert.equal(w.emulator.calls("AssumeRole"), 0);
});

Deno.test("assume --duration over an hour uses the access key and a new MFA code", async () => {
  await using w = await world();
  const base = await baseSession(w);
  // The base session cannot do it: AWS caps roles assumed with session credentials at 1 hour.
  const result = await runStc(["assume", "--duration", "7200", "dev-admin"], {
    env: withBase(w, base),
    stdin: `${w.emulator.totp("alice", 1)}\n`,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /longer than the 1 hour/);
  assert.match(result.stderr, /MFA code for arn:aws:iam::111111111111:mfa\/alice/);
  const vars = await evalInBash(result.stdout, VARIABLES);
  const left = Number(vars.AWS_EXPIRATION_S) - Date.now() / 1000;
  assert.ok(left > 7100 && left <= 7201, `expires in ${left} s`);
  assert.equal(vars.AWS_ACCOUNT_ROLE, "Admin");
  // The shell keeps its profile and user from the base session.
  assert.equal(vars.AWS_PROFILE, "awsops");

  // More than the role allows (ReadOnly: 1 hour) is refused with a hint.
  w.emulator.advanceClock(90);
  const tooLong = await runStc(
    ["assume", "--duration", "2h", "--mfa", w.emulator.totp("alice"), "dev-ro"],
    {
      env: withBase(w, base),
    },
  );
  assert.equal(tooLong.code, 1);
  assert.equal(tooLong.stdout, "");
  assert.match(tooLong.stderr, /MaxSessionDuration/);
  assert.match(tooLong.stderr, /hint: the role allows less than 2h 00m/);
});

Deno.test("assume without a base session gets one with the MFA code, keeps it, and assumes from it", async () => {
  await using w = await world();
  const result = await runStc(["assume", "prod-ro"], {
    env: w.env,
    stdin: `${w.emulator.totp("alice")}\n`,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /no MFA session: getting one for profile 'awsops' \(12 hours\)/);
  const names = [...VARIABLES, "AWS_USER", "STC_BASE_SESSION"];
  const vars = await evalInBash(result.stdout, names);
  assert.equal(vars.AWS_ACCOUNT_ID, "333333333333");
  assert.equal(vars.AWS_ACCOUNT_ROLE, "ReadOnly");
  assert.equal(await assumedArn(w, vars), "arn:aws:sts::333333333333:assumed-role/ReadOnly/alice");
  // The shell keeps the base session (unexported), and knows its profile and user (prompt, status).
  assert.doesNotMatch(result.stdout, /export STC_BASE_SESSION/);
  const base = JSON.parse(vars.STC_BASE_SESSION!);
  assert.equal(base.profile, "awsops");
  assert.equal(base.userName, "alice");
  const left = (Date.parse(base.expiration) - Date.now()) / 1000;
  assert.ok(left > 43000 && left <= 43201, `base session expires in ${left} s`);
  assert.equal(vars.AWS_PROFILE, "awsops");
  assert.equal(vars.AWS_USERNAME, "alice");
  assert.equal(vars.AWS_USER, "arn:aws:iam::111111111111:user/alice");
  assert.equal(w.emulator.calls("GetSessionToken"), 1);

  // One code, many roles: the next assume in that shell needs none.
  const next = await runStc(["assume", "dev-admin"], {
    env: { ...w.env, STC_BASE_SESSION: vars.STC_BASE_SESSION! },
  });
  assert.equal(next.code, 0, next.stderr);
  assert.doesNotMatch(next.stderr, /MFA code/);
  assert.equal(w.emulator.calls("GetSessionToken"), 1);

  // stc status in that shell names the user and profile.
  const shell: Record<string, string> = { ...w.env };
  for (const [name, value] of Object.entries(vars)) if (value !== undefined) shell[name] = value;
  const status = await runStc(["status"], { env: shell });
  assert.match(
    status.stdout,
    /identity: +arn:aws:iam::111111111111:user\/alice \(profile awsops\)/,
  );

  // Without stdin there is no code: a clear failure, nothing printed.
  const none = await runStc(["assume", "prod-ro"], { env: w.env });
  assert.notEqual(none.code, 0);
  assert.equal(none.stdout, "");
});

Deno.test("assume with the access key for more than an hour, without a base session, still names the profile and user", async () => {
  await using w = await world();
  const { AWS_PROFILE: _, ...noProfile } = w.env;
  // The profile comes from session_tool_default_profile, so the shell had no AWS_PROFILE before.
  await w.home.write(
    ".aws/config",
    (await w.home.read(".aws/config"))! + "[default]\nsession_tool_default_profile = awsops\n",
  );
  const result = await runStc(["assume", "--duration", "2h", "dev-admin"], {
    env: noProfile,
    stdin: `${w.emulator.totp("alice")}\n`,
  });
  assert.equal(result.code, 0, result.stderr);
  const vars = await evalInBash(result.stdout, [...VARIABLES, "AWS_USER", "STC_BASE_SESSION"]);
  assert.equal(vars.AWS_PROFILE, "awsops");
  assert.equal(vars.AWS_USERNAME, "alice");
  assert.equal(vars.AWS_USER, "arn:aws:iam::111111111111:user/alice");
  // The direct route (AssumeRole with the MFA code) makes no base session.
  assert.equal(vars.STC_BASE_SESSION, undefined);
  assert.equal(w.emulator.calls("GetSessionToken"), 0);
});

Deno.test("assume: Coinbase's account form with ~/.aws/accounts and an MFA argument", async () => {
  await using w = await world();
  await w.home.write(".aws/accounts", '{\n  "prod": "333333333333",\n  "dev": 222222222222\n}\n');
  const result = await runStc(["assume", "prod", "Admin", w.emulator.totp("alice")], {
    env: w.env,
  });
  assert.equal(result.code, 0, result.stderr);
  // The number is still usable, but reported.
  assert.match(result.stderr, /accounts:3: account 'dev': write the account id as a string/);
  const vars = await evalInBash(result.stdout, VARIABLES);
  assert.equal(vars.AWS_ROLE_ALIAS, "prod/Admin");
  assert.equal(vars.AWS_ACCOUNT_NAME, "prod");
  assert.equal(vars.AWS_ACCOUNT_ID, "333333333333");
  assert.equal(vars.AWS_ACCOUNT_ROLE, "Admin");

  // The account id is sent as the external id, which Vendor's trust policy refuses.
  w.emulator.advanceClock(90);
  const base = await baseSession(w);
  const vendor = await runStc(["assume", "dev", "Vendor"], { env: withBase(w, base) });
  assert.equal(vendor.code, 1);
  assert.match(vendor.stderr, /AccessDenied/);
  // Re-assume of the recorded account form, and an account without a role name.
  const again = await runStc(["assume"], {
    env: withBase(w, base, { AWS_ROLE_ALIAS: "dev/ReadOnly" }),
  });
  assert.equal(again.code, 0, again.stderr);
  assert.equal((await evalInBash(again.stdout, VARIABLES)).AWS_ACCOUNT_ROLE, "ReadOnly");
  const noRole = await runStc(["assume", "prod"], { env: withBase(w, base) });
  assert.equal(noRole.code, 2);
  assert.match(noRole.stderr, /is an account, not a role alias/);
});

Deno.test("assume: config profiles with role_arn and source_profile chains", async () => {
  await using w = await world(
    "[profile dev-admin-cli]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = awsops\n" +
      "[profile deployer-cli]\nrole_arn = arn:aws:iam::333333333333:role/Deployer\n" +
      "source_profile = dev-admin-cli\nrole_session_name = deploy-bot\n",
  );
  const base = await baseSession(w);
  const result = await runStc(["assume", "deployer-cli"], { env: withBase(w, base) });
  assert.equal(result.code, 0, result.stderr);
  const vars = await evalInBash(result.stdout, VARIABLES);
  assert.equal(vars.AWS_ROLE_ALIAS, "deployer-cli");
  assert.equal(vars.AWS_ACCOUNT_ROLE, "Deployer");
  assert.equal(
    await assumedArn(w, vars),
    "arn:aws:sts::333333333333:assumed-role/Deployer/deploy-bot",
  );
  assert.equal(w.emulator.calls("AssumeRole"), 2);

  // A chain cannot last longer than an hour.
  const long = await runStc(["assume", "--duration", "2h", "deployer-cli"], {
    env: withBase(w, base),
  });
  assert.equal(long.code, 1);
  assert.match(long.stderr, /reached through 2 roles/);
});

Deno.test("assume validates its arguments before anything else", async () => {
  await using w = await world();
  const badCode = await runStc(["assume", "prod", "Admin", "12x"], { env: w.env });
  assert.equal(badCode.code, 2);
  assert.match(badCode.stderr, /MFA code must be six digits/);
  assert.doesNotMatch(badCode.stderr, /12x/);
  const badDuration = await runStc(["assume", "--duration", "forever", "dev-admin"], {
    env: w.env,
  });
  assert.equal(badDuration.code, 2);
  const twice = await runStc(["assume", "--mfa", "123456", "dev-admin", "654321"], { env: w.env });
  assert.equal(twice.code, 2);
  const none = await runStc(["assume"], { env: w.env });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no role given/);
  assert.equal(w.emulator.calls("AssumeRole"), 0);
});

Deno.test("assume: AWS_ROLE_SESSION_TIMEOUT over an hour takes the key + MFA route", async () => {
  await using w = await world();
  const base = await baseSession(w);
  const result = await runStc(["assume", "dev-admin"], {
    env: withBase(w, base, { AWS_ROLE_SESSION_TIMEOUT: "14400" }),
    stdin: `${w.emulator.totp("alice", 1)}\n`,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /4h 00m is longer than the 1 hour/);
  const request = w.emulator.requests().filter((r) => r.action === "AssumeRole").at(-1)!;
  assert.equal(request.params.DurationSeconds, "14400");
  assert.equal(request.params.SerialNumber, "arn:aws:iam::111111111111:mfa/alice");
  assert.match(request.caller ?? "", /user\/alice/);
  const vars = await evalInBash(result.stdout, VARIABLES);
  const left = Number(vars.AWS_EXPIRATION_S) - Date.now() / 1000;
  assert.ok(left > 14300 && left <= 14401, `expires in ${left} s`);

  // An invalid value is a usage error naming the variable, before any call.
  const calls = w.emulator.calls("AssumeRole");
  const bad = await runStc(["assume", "dev-admin"], {
    env: withBase(w, base, { AWS_ROLE_SESSION_TIMEOUT: "a-while" }),
  });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /AWS_ROLE_SESSION_TIMEOUT/);
  assert.equal(w.emulator.calls("AssumeRole"), calls);
});

Deno.test("assume: AWS_PROFILE_ASSUME_ROLE selects the source profile", async () => {
  await using w = await world();
  // Profile 'other' has no key and no roles; AWS_PROFILE points there, AWS_PROFILE_ASSUME_ROLE wins.
  await w.home.write(
    ".aws/config",
    (await w.home.read(".aws/config"))! + "[profile other]\nregion = us-east-1\n",
  );
  const result = await runStc(["assume", "prod-ro"], {
    env: { ...w.env, AWS_PROFILE: "other", AWS_PROFILE_ASSUME_ROLE: "awsops" },
    stdin: `${w.emulator.totp("alice")}\n`,
  });
  assert.equal(result.code, 0, result.stderr);
  const vars = await evalInBash(result.stdout, VARIABLES);
  assert.equal(await assumedArn(w, vars), "arn:aws:sts::333333333333:assumed-role/ReadOnly/alice");
  const without = await runStc(["assume", "prod-ro"], {
    env: { ...w.env, AWS_PROFILE: "other" },
  });
  assert.notEqual(without.code, 0);
  assert.equal(without.stdout, "");
  assert.match(without.stderr, /unknown role alias 'prod-ro'/);
});

Deno.test("assume with the access key saves a discovered MFA device only when the assume works", async () => {
  await using w = await world();
  const config = (await w.home.read(".aws/config"))!.replace(/^mfa_serial = .*\n/m, "");
  await w.home.write(".aws/config", config);
  const wrong = await runStc(["assume", "prod-ro"], { env: w.env, stdin: "000000\n" });
  assert.equal(wrong.code, 1, wrong.stderr);
  assert.equal(wrong.stdout, "");
  assert.equal(await w.home.read(".aws/config"), config, "a failed assume changes no file");
  const right = await runStc(["assume", "prod-ro"], {
    env: w.env,
    stdin: `${w.emulator.totp("alice")}\n`,
  });
  assert.equal(right.code, 0, right.stderr);
  assert.match(right.stderr, /saved mfa_serial = arn:aws:iam::111111111111:mfa\/alice/);
  assert.match(
    (await w.home.read(".aws/config"))!,
    /\[profile awsops\][^[]*mfa_serial = arn:aws:iam::111111111111:mfa\/alice/,
  );
});

Deno.test("assume: the account form builds the role ARN in the partition of the profile's region", async () => {
  await using w = await world();
  for (const [region, partition] of [["cn-north-1", "aws-cn"], ["us-gov-west-1", "aws-us-gov"]]) {
    await runStc(["assume", "333333333333", "Admin", w.emulator.totp("alice")], {
      env: { ...w.env, AWS_REGION: region },
    });
    const request = w.emulator.requests().filter((r) => r.action === "AssumeRole").at(-1);
    assert.equal(request?.params.RoleArn, `arn:${partition}:iam::333333333333:role/Admin`, region);
    w.emulator.advanceClock(30);
  }
});

Deno.test("assume: the account form takes the partition of the base session's user", async () => {
  await using w = await world();
  const base = {
    ...(await baseSession(w)),
    userArn: "arn:aws-us-gov:iam::111111111111:user/alice",
  };
  await runStc(["assume", "333333333333", "ReadOnly"], { env: withBase(w, base) });
  const request = w.emulator.requests().filter((r) => r.action === "AssumeRole").at(-1);
  assert.equal(request?.params.RoleArn, "arn:aws-us-gov:iam::333333333333:role/ReadOnly");
});

Deno.test("assume in a shell with an unexported base session and no functions says how to hand it over", async () => {
  await using w = await world();
  const stc = stcCommandLine().map(shellWord).join(" ");
  // As a user would type it without `stc init`: the session's shell code evaluated, then assume.
  const script = `set -eu
eval "$(${stc} session --shell bash ${w.emulator.totp("alice")})"
test -n "$STC_BASE_SESSION"
${stc} assume --shell bash prod-ro </dev/null >/dev/null 2>"$STC_TEST_ERR" && exit 9
STC_BASE_SESSION="$STC_BASE_SESSION" ${stc} assume --shell bash prod-ro </dev/null
`;
  const err = await Deno.makeTempFile();
  try {
    const out = await new Deno.Command("bash", {
      args: ["-c", script],
      env: { ...w.env, STC_TEST_ERR: err },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = await Deno.readTextFile(err);
    assert.doesNotMatch(stderr, /has no base session/);
    assert.match(stderr, /this shell's base session was not handed to stc/);
    assert.match(stderr, /stc init bash/);
    assert.match(stderr, /STC_BASE_SESSION="\$STC_BASE_SESSION"/);
    // The hint is true: with the prefix, assume takes the base session and needs no MFA code.
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const vars = await evalInBash(new TextDecoder().decode(out.stdout), VARIABLES);
    assert.equal(vars.AWS_ACCOUNT_ROLE, "ReadOnly");
    assert.equal(vars.AWS_USERNAME, "alice");
  } finally {
    await Deno.remove(err);
  }
});

Deno.test("assume: Coinbase's region argument and --region export AWS_REGION; ACCOUNTS_FILE names the accounts file", async () => {
  await using w = await world();
  const accounts = await w.home.write("work/accounts.json", '{"prod": "333333333333"}');
  const base = await baseSession(w);
  const env = withBase(w, base, { ACCOUNTS_FILE: accounts });
  const names = [...VARIABLES, "AWS_REGION", "AWS_DEFAULT_REGION"];
  // assume-role ACCOUNT ROLE MFA REGION, with no MFA code ('').
  const coinbase = await runStc(["assume", "prod", "ReadOnly", "", "eu-west-1"], { env });
  assert.equal(coinbase.code, 0, coinbase.stderr);
  const vars = await evalInBash(coinbase.stdout, names);
  assert.equal(vars.AWS_ACCOUNT_NAME, "prod");
  assert.equal(vars.AWS_REGION, "eu-west-1");
  assert.equal(vars.AWS_DEFAULT_REGION, "eu-west-1");

  const option = await runStc(["assume", "--region", "ap-south-1", "dev-ro"], { env });
  assert.equal(option.code, 0, option.stderr);
  const optionVars = await evalInBash(option.stdout, names);
  assert.equal(optionVars.AWS_REGION, "ap-south-1");
  // Without a region the shell's region variables are left alone.
  const plain = await runStc(["assume", "dev-ro"], { env });
  assert.doesNotMatch(plain.stdout, /AWS_REGION|AWS_DEFAULT_REGION/);

  for (
    const args of [
      ["assume", "prod", "ReadOnly", "", "Europe"],
      ["assume", "--region", "eu-west-1", "prod", "ReadOnly", "", "eu-west-2"],
    ]
  ) {
    const bad = await runStc(args, { env });
    assert.equal(bad.code, 2, bad.stderr);
    assert.equal(bad.stdout, "");
  }
  assert.equal(w.emulator.calls("AssumeRole"), 3);
});

await testWith(
  ["script"],
  "assume without an alias at a terminal offers a picker: filter, arrows, Enter; Esc cancels with 130",
  async () => {
    await using w = await world();
    const base = await baseSession(w);
    // Under the shell function: stdout is captured (shell code), the picker is on the terminal.
    const env = withBase(w, base, { STC_EVAL_SHELL: "bash" });
    {
      await using session = startOnTerminal(["assume"], env);
      await session.waitFor(/Role: /);
      await session.waitFor(/5 of 5/);
      await session.type("prod");
      await session.waitFor(/2 of 5/);
      await session.type("\x1b[B");
      await session.waitFor(/> prod-ro/);
      await session.type("\r");
      const { code, output } = await session.close();
      assert.equal(code, 0, output);
      assert.match(output, /Role: prod-ro/);
      assert.match(output, /export AWS_ACCOUNT_ROLE='?ReadOnly'?/);
      assert.match(output, /export AWS_ACCOUNT_ID='?333333333333'?/);
    }
    for (const cancel of ["\x1b", "\x03"]) {
      await using session = startOnTerminal(["assume"], env);
      await session.waitFor(/5 of 5/);
      await session.type(cancel);
      const { code, output } = await session.close();
      assert.equal(code, 130, output);
      assert.doesNotMatch(output, /export /);
    }
    // A console sign-in is picked the same way; '-' (the user) is offered first.
    {
      await using session = startOnTerminal(["console"], env);
      await session.waitFor(/> - +your IAM user/);
      await session.type("dev-ro\r");
      const { code, output } = await session.close();
      assert.equal(code, 0, output);
      assert.match(output, /sign-in URL for dev-ro/);
    }
    assert.equal(w.emulator.calls("AssumeRole"), 2);
    // Without a terminal the error stays.
    const piped = await runStc(["assume"], { env: withBase(w, base) });
    assert.equal(piped.code, 2, piped.stderr);
    assert.match(piped.stderr, /no role given/);
  },
);
