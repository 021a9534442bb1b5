/**
 * `stc console` end to end: the real CLI against the emulator's STS and federation endpoint; the printed login
 * URL is followed against the emulator, and `-o`/`-d` run a stand-in browser that records its argv.
 *
 * @module
 */

import assert from "node:assert/strict";
import { assumeRole } from "../lib/aws/client.ts";
import { sessionCredentials, type SessionRecord } from "../lib/session/variables.ts";
import { evalInBash, runStc } from "./helpers.ts";
import { ALICE_KEY, ALICE_SECRET, baseSession, withBase, type World, world } from "./role_world.ts";

interface Login {
  url: URL;
  issuer: string;
  destination: string;
  token: string;
}

/** Checks that stdout is exactly one login URL on the federation endpoint (the emulator's), and parses it. */
function parseLogin(w: World, stdout: string, endpoint = w.emulator.federationEndpoint): Login {
  const lines = stdout.split("\n");
  assert.equal(lines.length, 2, `one line expected, got: ${stdout.slice(0, 200)}`);
  assert.equal(lines[1], "");
  const url = new URL(lines[0]);
  assert.equal(`${url.origin}${url.pathname}`, endpoint);
  assert.equal(url.searchParams.get("Action"), "login");
  return {
    url,
    issuer: url.searchParams.get("Issuer") ?? "",
    destination: url.searchParams.get("Destination") ?? "",
    token: url.searchParams.get("SigninToken") ?? "",
  };
}

/** Follows a login URL once: the status and redirect target. */
async function follow(url: string | URL): Promise<{ status: number; location: string | null }> {
  const response = await fetch(url, { redirect: "manual" });
  await response.body?.cancel();
  return { status: response.status, location: response.headers.get("location") };
}

/**
 * A federation endpoint in front of the emulator's that records the parameters of each `getSigninToken` request
 * (the Session JSON left out), to check what stc asks for. Login requests pass through too.
 */
function recordingFederation(
  w: World,
): { endpoint: string; asked: URLSearchParams[]; [Symbol.asyncDispose](): Promise<void> } {
  const asked: URLSearchParams[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const query = new URL(request.url).search;
    const params = new URLSearchParams(query);
    if (params.get("Action") === "getSigninToken") {
      params.delete("Session");
      asked.push(params);
    }
    const response = await fetch(`${w.emulator.federationEndpoint}${query}`, {
      redirect: "manual",
    });
    return new Response(await response.arrayBuffer(), {
      status: response.status,
      headers: response.headers,
    });
  });
  return {
    endpoint: `http://127.0.0.1:${server.addr.port}/federation`,
    asked,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

/** Asserts that no secret of the session or sign-in appears in `text`. */
function assertNoSecrets(text: string, secrets: (string | undefined)[]): void {
  for (const secret of secrets) {
    if (secret) assert.ok(!text.includes(secret), "a secret leaked");
  }
}

/** A stand-in browser: writes each argument on its own NUL-terminated record, then exits with `code`. */
async function fakeBrowser(
  w: World,
  code = 0,
): Promise<{ path: string; argv: () => Promise<string[]>; env: () => Promise<string> }> {
  const out = `${w.home.home}/browser-argv`;
  const path = await w.home.write(
    "bin/fake-browser",
    `#!/bin/sh\nenv > '${out}.env'\nfor a in "$@"; do printf '%s\\0' "$a"; done > '${out}'\nexit ${code}\n`,
    0o755,
  );
  return {
    path,
    argv: async () => (await Deno.readTextFile(out)).split("\0").slice(0, -1),
    env: () => Deno.readTextFile(`${out}.env`),
  };
}

Deno.test("console: login URL from the base session works once, with a 1-hour session", async () => {
  await using w = await world();
  const base = await baseSession(w);
  const result = await runStc(["console", "dev-admin"], { env: withBase(w, base) });
  assert.equal(result.code, 0, result.stderr);
  const login = parseLogin(w, result.stdout);
  assert.notEqual(login.issuer, "");
  assert.equal(login.destination, "https://console.aws.amazon.com/");
  assert.ok(login.token.length > 100);
  assertNoSecrets(result.stderr, [login.token, base.secretAccessKey, base.sessionToken]);

  const first = await follow(login.url);
  assert.equal(first.status, 302);
  assert.equal(first.location, "https://console.aws.amazon.com/");
  const second = await follow(login.url);
  assert.equal(second.status, 400);

  const logins = w.emulator.logins();
  assert.equal(logins.length, 1);
  assert.equal(logins[0].arn, "arn:aws:sts::222222222222:assumed-role/Admin/alice");
  assert.equal(logins[0].sessionDuration, 3600);
  assert.equal(logins[0].issuer, login.issuer);
  assert.equal(w.emulator.calls("AssumeRole"), 1);
});

Deno.test("console: the shell's environment is unchanged under the shell function", async () => {
  await using w = await world();
  const base = await baseSession(w);
  const result = await runStc(["console", "dev-ro"], {
    env: withBase(w, base, { STC_EVAL_SHELL: "bash" }),
  });
  assert.equal(result.code, 0, result.stderr);
  // Under the shell function stdout is evaluated: only a printf of the URL, no variable changes.
  assert.doesNotMatch(result.stdout, /\b(export|unset)\b/);
  const initial = {
    AWS_ACCESS_KEY_ID: base.accessKeyId,
    AWS_SECRET_ACCESS_KEY: base.secretAccessKey,
    AWS_SESSION_TOKEN: base.sessionToken,
    AWS_PROFILE: "awsops",
  };
  const vars = await evalInBash(
    `${result.stdout} >/dev/null`,
    [...Object.keys(initial), "AWS_ROLE_ALIAS"],
    { ...initial, PATH: "/usr/bin:/bin" },
  );
  assert.deepEqual(vars, { ...initial, AWS_ROLE_ALIAS: undefined });
});

Deno.test("console: service shortcut, region and -u set the destination", async () => {
  await using w = await world();
  const base = await baseSession(w);
  const s3 = await runStc(["console", "prod-admin", "s3", "--region", "eu-west-1"], {
    env: withBase(w, base),
  });
  assert.equal(s3.code, 0, s3.stderr);
  const s3Login = parseLogin(w, s3.stdout);
  assert.equal(s3Login.destination, "https://console.aws.amazon.com/s3/home?region=eu-west-1");
  assert.equal((await follow(s3Login.url)).location, s3Login.destination);

  const page = "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:";
  const custom = await runStc(["console", "-u", page, "dev-ro"], { env: withBase(w, base) });
  assert.equal(custom.code, 0, custom.stderr);
  const customLogin = parseLogin(w, custom.stdout);
  assert.equal(customLogin.destination, page);
  assert.equal((await follow(customLogin.url)).location, page);
});

Deno.test("console --duration over an hour assumes with the key and MFA", async () => {
  await using w = await world();
  const base = await baseSession(w);
  const result = await runStc(["console", "--duration", "8h", "dev-admin"], {
    env: withBase(w, base),
    stdin: `${w.emulator.totp("alice", 1)}\n`,
  });
  assert.equal(result.code, 0, result.stderr);
  const login = parseLogin(w, result.stdout);
  assert.equal((await follow(login.url)).status, 302);
  assert.equal(w.emulator.logins()[0].sessionDuration, 28800);

  // From the shell's current (chained) role credentials more than an hour is refused before any call.
  const role = await assumeRole(
    { env: w.emulator.env(), region: "us-east-1", credentials: sessionCredentials(base) },
    { roleArn: "arn:aws:iam::222222222222:role/ReadOnly", roleSessionName: "alice" },
  );
  const tooLong = await runStc(["console", "--duration", "2h"], {
    env: currentRoleEnv(w, base, role.credentials, "dev-ro"),
  });
  assert.equal(tooLong.code, 2);
  assert.equal(tooLong.stdout, "");
  assert.match(tooLong.stderr, /role chaining/);
});

function currentRoleEnv(
  w: World,
  base: SessionRecord,
  credentials: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
    expiration?: Date;
  },
  alias: string,
): Record<string, string> {
  return withBase(w, base, {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken!,
    AWS_EXPIRATION: credentials.expiration!.toISOString(),
    AWS_ROLE_ALIAS: alias,
  });
}

Deno.test("console without an alias uses the current role credentials", async () => {
  await using w = await world();
  const base = await baseSession(w);
  const role = await assumeRole(
    { env: w.emulator.env(), region: "us-east-1", credentials: sessionCredentials(base) },
    { roleArn: "arn:aws:iam::333333333333:role/ReadOnly", roleSessionName: "alice-prod-ro" },
  );
  const before = w.emulator.calls("AssumeRole");
  const result = await runStc(["console"], {
    env: currentRoleEnv(w, base, role.credentials, "prod-ro"),
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(w.emulator.calls("AssumeRole"), before, "no new AssumeRole");
  const login = parseLogin(w, result.stdout);
  assert.equal((await follow(login.url)).status, 302);
  const [record] = w.emulator.logins();
  assert.equal(record.arn, "arn:aws:sts::333333333333:assumed-role/ReadOnly/alice-prod-ro");

  // Chained credentials take no console session length (AWS refuses SessionDuration for them).
  const withDuration = await runStc(["console", "--duration", "30m"], {
    env: currentRoleEnv(w, base, role.credentials, "prod-ro"),
  });
  assert.equal(withDuration.code, 2, withDuration.stderr);
  assert.equal(withDuration.stdout, "");
  assert.match(withDuration.stderr, /role chaining/);
  assert.match(withDuration.stderr, /hint: give the role alias/);

  // The shell's MFA session itself is not a role: a clear error, nothing on stdout.
  const mfaOnly = await runStc(["console"], {
    env: withBase(w, base, {
      AWS_ACCESS_KEY_ID: base.accessKeyId,
      AWS_SECRET_ACCESS_KEY: base.secretAccessKey,
      AWS_SESSION_TOKEN: base.sessionToken,
    }),
  });
  assert.equal(mfaOnly.code, 1);
  assert.equal(mfaOnly.stdout, "");
  assert.match(mfaOnly.stderr, /MFA session, not a role/);
});

Deno.test("console with only a long-term key signs in as a federated user", async () => {
  await using w = await world();
  const result = await runStc(["console", "iam"], { env: w.env });
  // The positional is the alias: 'iam' is no role, so this is an assume error.
  assert.notEqual(result.code, 0);
  assert.equal(result.stdout, "");

  const federated = await runStc(["console", "-", "iam", "--duration", "2h"], { env: w.env });
  assert.equal(federated.code, 0, federated.stderr);
  const login = parseLogin(w, federated.stdout);
  assert.equal(login.destination, "https://console.aws.amazon.com/iam/home");
  assert.equal((await follow(login.url)).status, 302);
  const [record] = w.emulator.logins();
  assert.equal(record.arn, "arn:aws:sts::111111111111:federated-user/alice");
  // The console session of federated credentials is their lifetime: the length goes to GetFederationToken.
  const request = w.emulator.requests().find((r) => r.action === "GetFederationToken");
  assert.ok(request);
  assert.equal(request.params.DurationSeconds, "7200");
  assert.deepEqual(JSON.parse(request.params.Policy), {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
  });

  // The key in the environment (no session token) works the same, with no profile at all.
  const fromEnv = await runStc(["console"], {
    env: {
      ...w.home.env,
      ...w.emulator.env(),
      AWS_ACCESS_KEY_ID: ALICE_KEY,
      AWS_SECRET_ACCESS_KEY: ALICE_SECRET,
    },
  });
  assert.equal(fromEnv.code, 0, fromEnv.stderr);
  parseLogin(w, fromEnv.stdout);
  assert.equal(w.emulator.requests().filter((r) => r.action === "GetFederationToken").length, 2);
});

Deno.test("console -o runs session-tool_chrome with the role's profile directory", async () => {
  await using w = await world();
  const fake = await fakeBrowser(w);
  await w.home.write(
    ".aws/config",
    (await w.home.read(".aws/config"))! + `session-tool_chrome = ${fake.path}\n`,
  );
  const base = await baseSession(w);
  const result = await runStc(["console", "-o", "dev-admin"], { env: withBase(w, base) });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "");
  const argv = await fake.argv();
  assert.deepEqual(argv.slice(0, 3), [
    "--no-first-run",
    "--no-default-browser-check",
    "--profile-directory=dev-admin",
  ]);
  assert.equal(argv.length, 4, "the URL is one argument");
  const login = parseLogin(w, `${argv[3]}\n`);
  assertNoSecrets(result.stderr, [login.token]);
  // The browser gets the user's environment without the shell's credentials or base session.
  const browserEnv = await fake.env();
  assert.match(browserEnv, /^HOME=/m);
  assert.doesNotMatch(browserEnv, /STC_BASE_SESSION|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/);
  assertNoSecrets(browserEnv, [base.secretAccessKey, base.sessionToken]);
  assert.equal((await follow(login.url)).status, 302);
  assert.equal((await follow(login.url)).status, 400);

  const byDefault = await runStc(["console", "-d", "dev-ro", "ec2"], { env: withBase(w, base) });
  assert.equal(byDefault.code, 0, byDefault.stderr);
  assert.equal(byDefault.stdout, "");
  const defaultArgv = await fake.argv();
  assert.equal(defaultArgv[2], "--profile-directory=Default");
  assert.equal(
    parseLogin(w, `${defaultArgv[3]}\n`).destination,
    "https://console.aws.amazon.com/ec2/home",
  );
});

Deno.test("console: each failing step is named, stdout stays empty", async () => {
  await using w = await world();
  const base = await baseSession(w);

  // assume: unknown alias, and an AssumeRole refused by the trust policy.
  const unknown = await runStc(["console", "no-such-role"], { env: withBase(w, base) });
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stdout, "");
  assert.match(unknown.stderr, /stc: error: assume role 'no-such-role': unknown role alias/);
  await w.home.write(".aws/awsops_roles.cfg", "deployer arn:aws:iam::333333333333:role/Deployer\n");
  const denied = await runStc(["console", "deployer"], { env: withBase(w, base) });
  assert.equal(denied.code, 1);
  assert.equal(denied.stdout, "");
  assert.match(denied.stderr, /stc: error: assume role 'deployer': AssumeRole: .*AccessDenied/);

  // sign-in token: the endpoint is unreachable (exit 5), or refuses the credentials.
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close();
  const unreachable = await runStc(["console", "dev-ro"], {
    env: withBase(w, base, { STC_FEDERATION_ENDPOINT: `http://127.0.0.1:${port}/federation` }),
  });
  assert.equal(unreachable.code, 5, unreachable.stderr);
  assert.equal(unreachable.stdout, "");
  assert.match(unreachable.stderr, /stc: error: sign-in token: .*could not be reached/);
  assertNoSecrets(unreachable.stderr, [base.secretAccessKey, base.sessionToken]);

  const refused = await runStc(["console"], {
    env: withBase(w, base, {
      AWS_ACCESS_KEY_ID: "ASIAFORGEDFORGEDXXXX",
      AWS_SECRET_ACCESS_KEY: "forged-secret-value-1234567890",
      AWS_SESSION_TOKEN: "forged-session-token-value",
      AWS_ROLE_ALIAS: "dev-ro",
    }),
  });
  assert.equal(refused.code, 1);
  assert.equal(refused.stdout, "");
  assert.match(refused.stderr, /stc: error: sign-in token: .*refused .*HTTP 400/);
  assertNoSecrets(refused.stderr, ["forged-secret-value-1234567890", "forged-session-token-value"]);

  // browser: no browser can be found: refused before any AWS call or sign-in token.
  const calls = w.emulator.calls("AssumeRole");
  const none = await runStc(["console", "-d", "dev-ro"], {
    env: withBase(w, base, { PATH: "/nonexistent" }),
  });
  assert.equal(none.code, 1);
  assert.equal(none.stdout, "");
  assert.match(none.stderr, /stc: error: browser: '[^']+' not found/);
  // The hint names the real profile and file, and needs no AWS CLI.
  assert.match(
    none.stderr,
    /hint: name the browser in .*\.aws\/config: a line 'session-tool_chrome = \/path\/to\/chrome' under \[profile awsops\]/,
  );
  assert.doesNotMatch(none.stderr, /aws configure|PROFILE/);
  assert.equal(w.emulator.calls("AssumeRole"), calls);

  // browser: the configured browser fails.
  const failing = await fakeBrowser(w, 3);
  await w.home.write(
    ".aws/config",
    (await w.home.read(".aws/config"))! + `session-tool_chrome = ${failing.path}\n`,
  );
  const broken = await runStc(["console", "-o", "dev-ro"], { env: withBase(w, base) });
  assert.equal(broken.code, 1);
  assert.equal(broken.stdout, "");
  assert.match(broken.stderr, /stc: error: browser: .*exit code 3/);
  const argv = await failing.argv();
  assertNoSecrets(broken.stderr, [argv[3]]);
});

Deno.test("console sends SessionDuration only for a role assumed with the long-term key", async () => {
  await using w = await world();
  await using federation = recordingFederation(w);
  const base = await baseSession(w);
  const env = (extra: Record<string, string> = {}) =>
    withBase(w, base, { STC_FEDERATION_ENDPOINT: federation.endpoint, ...extra });
  const signin = async (
    args: string[],
    options: { env: Record<string, string>; stdin?: string },
  ) => {
    const result = await runStc(["console", ...args], options);
    assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
    const login = parseLogin(w, result.stdout, federation.endpoint);
    assert.equal((await follow(login.url)).status, 302);
    return federation.asked.at(-1)!;
  };

  // From the MFA session (role chaining): no SessionDuration; --duration goes to AssumeRole instead.
  const chained = await signin(["--duration", "30m", "dev-ro"], { env: env() });
  assert.equal(chained.has("SessionDuration"), false);
  const assume = w.emulator.requests().filter((r) => r.action === "AssumeRole").at(-1)!;
  assert.equal(assume.params.DurationSeconds, "1800");

  // One AssumeRole with the key (over an hour; or no base session): an explicit SessionDuration.
  const long = await signin(["--duration", "8h", "dev-admin"], {
    env: env(),
    stdin: `${w.emulator.totp("alice", 1)}\n`,
  });
  assert.equal(long.get("SessionDuration"), "28800");
  w.emulator.advanceClock(90);
  const noBase = await signin(["prod-ro"], {
    env: { ...w.env, STC_FEDERATION_ENDPOINT: federation.endpoint },
    stdin: `${w.emulator.totp("alice")}\n`,
  });
  assert.equal(noBase.get("SessionDuration"), "43200");

  // GetFederationToken credentials: no SessionDuration (AWS documents that it fails); 36 h is allowed.
  const federated = await signin(["-", "--duration", "36h"], {
    env: { ...w.env, STC_FEDERATION_ENDPOINT: federation.endpoint },
  });
  assert.equal(federated.has("SessionDuration"), false);
  const token = w.emulator.requests().filter((r) => r.action === "GetFederationToken").at(-1)!;
  assert.equal(token.params.DurationSeconds, "129600");
  assert.equal(federation.asked.length, 4);
});

Deno.test("console: the partition decides the console host", async () => {
  await using w = await world();
  const base = await baseSession(w);
  const role = await assumeRole(
    { env: w.emulator.env(), region: "us-east-1", credentials: sessionCredentials(base) },
    { roleArn: "arn:aws:iam::222222222222:role/ReadOnly", roleSessionName: "alice" },
  );
  const expected: [string, string][] = [
    ["cn-north-1", "https://console.amazonaws.cn/ec2/home?region=cn-north-1"],
    ["us-gov-west-1", "https://console.amazonaws-us-gov.com/ec2/home?region=us-gov-west-1"],
    ["eu-west-1", "https://console.aws.amazon.com/ec2/home?region=eu-west-1"],
  ];
  for (const [region, destination] of expected) {
    const result = await runStc(["console", "-", "ec2", "--region", region], {
      env: currentRoleEnv(w, base, role.credentials, "dev-ro"),
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(parseLogin(w, result.stdout).destination, destination);
  }
});

Deno.test("console: usage errors before any call", async () => {
  await using w = await world();
  const cases: [string[], RegExp][] = [
    [["console", "-o", "-d", "dev-ro"], /exclude each other/],
    [["console", "dev-ro", "s3", "-u", "https://console.aws.amazon.com/"], /not both/],
    [["console", "dev-ro", "lamda"], /unknown service shortcut/],
    [["console", "dev-ro", "--region", "mars-1"], /not a region/],
    [["console", "dev-ro", "-u", "https://example.com/"], /https URL of the AWS console/],
    [["console", "dev-ro", "--duration", "13h"], /between/],
    [
      ["console", "dev-ro", "--region", "cn-north-1", "-u", "https://console.aws.amazon.com/"],
      /partition/,
    ],
  ];
  for (const [args, pattern] of cases) {
    const result = await runStc(args, { env: w.env });
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, pattern);
  }
  assert.equal(w.emulator.requests().length, 0);
});

Deno.test("console -l lists the role aliases", async () => {
  await using w = await world();
  const result = await runStc(["console", "-l"], { env: w.env });
  assert.equal(result.code, 0, result.stderr);
  for (const alias of ["dev-admin", "dev-ro", "dev-vendor", "prod-admin", "prod-ro"]) {
    assert.match(result.stdout, new RegExp(`^${alias}\\s`, "m"));
  }
});

Deno.test("console: a federation endpoint that is not there is blamed, not the credentials", async () => {
  await using w = await world();
  const base = await baseSession(w);
  // A web server with no federation endpoint (a mistyped STC_FEDERATION_ENDPOINT).
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("Not Found", { status: 404 }),
  );
  const result = await runStc(["console", "dev-ro"], {
    env: withBase(w, base, {
      STC_FEDERATION_ENDPOINT: `http://127.0.0.1:${server.addr.port}/federaton`,
    }),
  });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /HTTP 404/);
  assert.match(result.stderr, /hint: no federation endpoint answers at this URL/);
  assert.doesNotMatch(result.stderr, /credentials must be/);
});

Deno.test("console --mfa gives the code as assume --mfa does (no prompt)", async () => {
  await using w = await world();
  const result = await runStc(
    ["console", "--duration", "2h", "--mfa", w.emulator.totp("alice"), "dev-admin"],
    { env: w.env },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /MFA code for/);
  parseLogin(w, result.stdout);
  const bad = await runStc(["console", "--mfa", "12", "dev-admin"], { env: w.env });
  assert.equal(bad.code, 2, bad.stderr);
  assert.equal(w.emulator.calls("AssumeRole"), 1);
});
