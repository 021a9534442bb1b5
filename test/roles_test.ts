/**
 * `stc roles`: listing every role source, problems with file:line, and the organisation's list in S3.
 *
 * @module
 */

import assert from "node:assert/strict";
import { evalInBash, makeHome, runStc } from "./helpers.ts";
import { ALICE_KEY, ALICE_SECRET, baseSession, ORG_ROLES, withBase, world } from "./role_world.ts";

const ORG_FILE = ".aws/awsops_session-tool_roles.cfg";

interface ListedRole {
  alias: string;
  accountId: string;
  accountName: string | null;
  roleName: string;
  source: string;
  line: number;
  externalId: string | null;
}

Deno.test("roles lists every source, first definition winning, with problems at file:line", async () => {
  await using w = await world(
    "[profile cli-admin]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = awsops\n" +
      "[profile dev-ro]\nrole_arn = arn:aws:iam::333333333333:role/Shadowed\nsource_profile = awsops\n",
  );
  await w.home.write(
    ".aws/awsops_roles.cfg",
    "# mine\nmine arn:aws:iam::333333333333:role/Admin me\nbroken\ndev-admin\tarn:aws:iam::222222222222:role/ReadOnly\n",
  );
  await w.home.write(".aws/accounts", '{\n  "dev": 22222222222,\n  "prod": "333333333333"\n}\n');
  const result = await runStc(["roles", "--json"], { env: w.env });
  assert.equal(result.code, 0, result.stderr);
  const listing = JSON.parse(result.stdout);
  assert.equal(listing.profile, "awsops");
  const roles = listing.roles as ListedRole[];
  assert.deepEqual(roles.map((r) => [r.alias, r.roleName, r.source]), [
    ["mine", "Admin", "local"],
    ["dev-admin", "ReadOnly", "local"],
    ["dev-ro", "ReadOnly", "organisation"],
    ["dev-vendor", "Vendor", "organisation"],
    ["prod-admin", "Admin", "organisation"],
    ["prod-ro", "ReadOnly", "organisation"],
    ["cli-admin", "Admin", "config"],
  ]);
  assert.equal(roles.find((r) => r.alias === "dev-vendor")?.externalId, "stc-vendor-external-id");
  assert.equal(roles.find((r) => r.alias === "mine")?.accountName, "prod");
  assert.equal(roles.find((r) => r.alias === "cli-admin")?.line, 5);
  assert.deepEqual(listing.accounts.map((a: { name: string; accountId: string }) => a), [
    { name: "dev", accountId: "022222222222", file: `${w.home.aws}/accounts`, line: 2 },
    { name: "prod", accountId: "333333333333", file: `${w.home.aws}/accounts`, line: 3 },
  ]);
  // Problems go to stderr with file:line, and into the JSON.
  assert.match(
    result.stderr,
    new RegExp(`${w.home.aws}/awsops_roles\\.cfg:3: expected 'alias role_arn`),
  );
  assert.match(
    result.stderr,
    new RegExp(`${w.home.aws}/accounts:2: account 'dev': .*lost its leading zero`),
  );
  assert.equal(listing.problems.length, 2);

  const table = await runStc(["roles"], { env: w.env });
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.trimEnd().split("\n");
  assert.match(lines[0], /^ALIAS\s+ACCOUNT\s+ROLE\s+SOURCE$/);
  assert.match(lines[1], /^mine\s+333333333333 \(prod\)\s+Admin\s+local$/);
  assert.match(lines.at(-1)!, /^prod\s+333333333333\s+<role-name>\s+accounts$/);
  assert.match(table.stderr, /awsops_roles\.cfg:3:/);

  const names = await runStc(["roles", "--names"], { env: w.env });
  assert.equal(names.code, 0);
  assert.equal(names.stderr, "");
  assert.deepEqual(names.stdout.trimEnd().split("\n"), [
    ...roles.map((r) => r.alias),
    "dev",
    "prod",
  ]);
});

Deno.test("roles -p selects whose roles files are listed; no profile lists config roles", async () => {
  await using w = await world();
  await w.home.write(".aws/other_roles.cfg", "o arn:aws:iam::333333333333:role/Other\n");
  const other = await runStc(["roles", "--names", "-p", "other"], { env: w.env });
  assert.equal(other.stdout, "o\n");
  const { AWS_PROFILE: _, ...noProfile } = w.env;
  const none = await runStc(["roles", "--names"], { env: noProfile });
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.stdout, "");
  assert.equal(
    (await runStc(["roles", "--json", "--names"], { env: w.env })).code,
    2,
  );
});

Deno.test("roles lists 10,000 roles correctly", async () => {
  await using w = await world();
  const lines = ["# generated"];
  for (let i = 0; i < 10_000; i++) {
    const account = String(100_000_000_000 + i * 7);
    lines.push(`alias-${i}\tarn:aws:iam::${account}:role/Role${i % 13} session-${i}`);
  }
  await w.home.write(ORG_FILE, lines.join("\n") + "\n");
  const names = await runStc(["roles", "--names"], { env: w.env });
  assert.equal(names.code, 0, names.stderr);
  const got = names.stdout.split("\n");
  assert.equal(got.pop(), "");
  assert.equal(got.length, 10_000);
  for (let i = 0; i < 10_000; i += 997) assert.equal(got[i], `alias-${i}`);
  assert.equal(new Set(got).size, 10_000);

  const json = await runStc(["roles", "--json"], { env: w.env });
  assert.equal(json.code, 0, json.stderr);
  const roles = JSON.parse(json.stdout).roles as ListedRole[];
  assert.equal(roles.length, 10_000);
  assert.deepEqual([
    roles[9999].alias,
    roles[9999].accountId,
    roles[9999].roleName,
    roles[9999].line,
  ], [
    "alias-9999",
    String(100_000_000_000 + 9999 * 7),
    `Role${9999 % 13}`,
    10_001,
  ]);
});

Deno.test("roles --names and complete roles/accounts list what the full parse of roles --json does", async () => {
  await using w = await world(
    "[profile cli-admin]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = awsops\n" +
      "[profile shared]\nrole_arn = arn:aws:iam::333333333333:role/FromConfig\nsource_profile = awsops\n",
  );
  // Valid, invalid, repeated and shadowed lines across both roles files, the config and the accounts file.
  const local = [
    "shared arn:aws:iam::444444444444:role/Local",
    "dup arn:aws:iam::444444444444:role/A",
  ];
  const organisation = ["# organisation"];
  for (let i = 0; i < 3000; i++) {
    const arn = `arn:aws:iam::${100_000_000_000 + i}:role/R${i % 7}`;
    const shapes = [
      `r-${i} ${arn}`,
      `\tr-${i}\t${arn}\tsess-${i}  ext:${i}\r`,
      `r-${i} ${arn} s`,
      `r-${i} not-an-arn`,
      `dup ${arn}`,
      `r-${i} ${arn} a b c`,
      `r ${i} ${arn}`,
    ];
    organisation.push(shapes[i % shapes.length]);
  }
  await w.home.write(".aws/awsops_roles.cfg", local.join("\n") + "\n");
  await w.home.write(ORG_FILE, organisation.join("\n") + "\n");
  await w.home.write(
    ".aws/accounts",
    '{ "dev": "222222222222", "dup": "333333333333", "x y": "1" }\n',
  );

  const json = await runStc(["roles", "--json"], { env: w.env });
  assert.equal(json.code, 0, json.stderr);
  const full = JSON.parse(json.stdout) as {
    roles: (ListedRole & { roleArn: string })[];
    accounts: { name: string; accountId: string }[];
  };
  assert.ok(full.roles.length > 800);
  const aliases = full.roles.map((r) => r.alias);
  const accounts = full.accounts.map((a) => a.name);

  const names = await runStc(["roles", "--names"], { env: w.env });
  assert.equal(names.code, 0, names.stderr);
  assert.equal(names.stdout, [...new Set([...aliases, ...accounts])].map((n) => `${n}\n`).join(""));
  const roles = await runStc(["complete", "roles"], { env: w.env });
  assert.equal(roles.stdout, names.stdout);
  const prefixed = await runStc(["complete", "roles", "r-1"], { env: w.env });
  assert.equal(
    prefixed.stdout,
    aliases.filter((a) => a.startsWith("r-1")).map((n) => `${n}\n`).join(""),
  );
  const accountNames = await runStc(["complete", "accounts"], { env: w.env });
  assert.equal(accountNames.stdout, accounts.map((n) => `${n}\n`).join(""));
  // What the shells show on Tab: each name with its ARN (or account id) beside it.
  const words = await runStc(["complete", "words"], { env: w.env, stdin: "stc\nassume\nd\n" });
  assert.equal(
    words.stdout,
    "values\n" + [
      ...full.roles.filter((r) => r.alias.startsWith("d")).map((r) => `${r.alias}\t${r.roleArn}`),
      ...full.accounts.filter((a) => a.name.startsWith("d") && !aliases.includes(a.name))
        .map((a) => `${a.name}\taccount ${a.accountId}`),
    ].map((line) => `${line}\n`).join(""),
  );
});

Deno.test("roles --download replaces the list only with a valid download", async () => {
  await using w = await world();
  const path = `${w.home.aws}/awsops_session-tool_roles.cfg`;
  await Deno.remove(path);

  const first = await runStc(["roles", "--download"], { env: w.env });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /downloaded 5 roles from s3:\/\/stc-roles\/session-tool_roles\.cfg/);
  assert.equal(await Deno.readTextFile(path), ORG_ROLES);
  assert.equal(first.stdout, "");

  const good = await Deno.readFile(path);
  const refused = [
    ["empty", new Uint8Array(0)],
    ["blank", new TextEncoder().encode("\n\n  \n")],
    ["html", new TextEncoder().encode("<html>\n<body>Access Denied</body>\n</html>\n")],
    ["binary", Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x41])],
    ["mostly bad", new TextEncoder().encode("a arn:aws:iam::111111111111:role/A\nb\nc\n")],
  ] as const;
  for (const [what, body] of refused) {
    w.emulator.putObject("stc-roles", "session-tool_roles.cfg", body);
    const result = await runStc(["roles", "--download"], { env: w.env });
    assert.equal(result.code, 1, `${what}: ${result.stderr}`);
    assert.match(result.stderr, /stc: error: s3:\/\/stc-roles\/session-tool_roles\.cfg /, what);
    assert.deepEqual(await Deno.readFile(path), good, `${what} must leave the list as it was`);
  }

  // A custom key, and a valid list with one bad line: installed, the line reported.
  await w.home.write(
    ".aws/config",
    (await w.home.read(".aws/config"))! + "session-tool_rolesfile = team/roles.cfg\n",
  );
  const next = "x arn:aws:iam::222222222222:role/Admin sx\nbad line here too many fields x\n" +
    "y arn:aws:iam::222222222222:role/ReadOnly\n";
  w.emulator.putObject("stc-roles", "team/roles.cfg", next);
  const second = await runStc(["roles", "--download"], { env: w.env });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /s3:\/\/stc-roles\/team\/roles\.cfg:2: too many fields/);
  assert.equal(await Deno.readTextFile(path), next);
  // Written atomically: no temp file is left next to it.
  const leftovers = [...Deno.readDirSync(w.home.aws)].map((e) => e.name).filter((n) =>
    n.includes(".stc-tmp-")
  );
  assert.deepEqual(leftovers, []);
});

Deno.test("roles --download counts one role as one role", async () => {
  await using w = await world();
  w.emulator.putObject(
    "stc-roles",
    "session-tool_roles.cfg",
    new TextEncoder().encode("x arn:aws:iam::222222222222:role/Admin\n"),
  );
  const result = await runStc(["roles", "--download"], { env: w.env });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /downloaded 1 role from s3:/);
  const again = await runStc(["roles", "--download"], { env: w.env });
  assert.match(again.stderr, /is up to date with s3:\S+ \(1 role\)/);
});

Deno.test("roles --download reports AWS failures and a missing bucket setting", async () => {
  await using w = await world();
  const path = `${w.home.aws}/awsops_session-tool_roles.cfg`;
  const before = await Deno.readFile(path);
  await w.home.write(
    ".aws/config",
    (await w.home.read(".aws/config"))!.replace("bucketname = stc-roles", "bucketname = nope"),
  );
  const missing = await runStc(["roles", "--download"], { env: w.env });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /GetObject s3:\/\/nope\/session-tool_roles\.cfg/);
  assert.deepEqual(await Deno.readFile(path), before);

  await w.home.write(".aws/config", "[profile awsops]\nregion = us-east-1\n");
  const unset = await runStc(["roles", "--download"], { env: w.env });
  assert.equal(unset.code, 1);
  assert.match(unset.stderr, /has no session-tool_bucketname/);
});

Deno.test("roles --upload works with the assumed Admin role and not with alice's key", async () => {
  await using w = await world();
  const path = `${w.home.aws}/awsops_session-tool_roles.cfg`;
  const edited = ORG_ROLES + "new-role arn:aws:iam::333333333333:role/Deployer\n";
  await Deno.writeTextFile(path, edited);

  const plain = await runStc(["roles", "--upload"], {
    env: { ...w.env, AWS_ACCESS_KEY_ID: ALICE_KEY, AWS_SECRET_ACCESS_KEY: ALICE_SECRET },
  });
  assert.equal(plain.code, 1);
  assert.match(plain.stderr, /PutObject s3:\/\/stc-roles\/session-tool_roles\.cfg: .*AccessDenied/);
  assert.equal(
    new TextDecoder().decode(w.emulator.object("stc-roles", "session-tool_roles.cfg")),
    ORG_ROLES,
  );

  const base = await baseSession(w);
  const assumed = await runStc(["assume", "dev-admin"], { env: withBase(w, base) });
  assert.equal(assumed.code, 0, assumed.stderr);
  const vars = await evalInBash(assumed.stdout, [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
  ]);
  const upload = await runStc(["roles", "--upload"], {
    env: { ...w.env, ...vars as Record<string, string> },
  });
  assert.equal(upload.code, 0, upload.stderr);
  assert.match(upload.stderr, /uploaded 6 roles/);
  assert.equal(
    new TextDecoder().decode(w.emulator.object("stc-roles", "session-tool_roles.cfg")),
    edited,
  );

  // A broken local list is not published; no credentials at all is exit 3.
  await Deno.writeTextFile(path, edited + "broken\n");
  const broken = await runStc(["roles", "--upload"], {
    env: { ...w.env, ...vars as Record<string, string> },
  });
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /awsops_session-tool_roles\.cfg:8: expected/);
  const noCreds = await runStc(["roles", "--upload"], { env: w.env });
  assert.equal(noCreds.code, 3);
});

Deno.test("roles: hostile names and numbers that lost digits are reported, never printed raw", async () => {
  // (The profile parser drops a section whose name holds control characters, as the AWS SDKs do.)
  await using w = await world(
    "[profile evil\x1b[2Jx\x07]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = awsops\n",
  );
  await w.home.write(
    ".aws/accounts",
    '{\n  "ok": "222222222222",\n  "red\\u001b[31m": "333333333333",\n  "big": 12345678901234567890\n}\n',
  );
  await w.home.write(
    ".aws/awsops_roles.cfg",
    "x\x1b[2J arn:aws:iam::222222222222:role/Admin\ny arn:aws:iam::2222\x1b[31m:role/A\n",
  );
  for (const args of [["roles"], ["roles", "--names"], ["roles", "--json"]]) {
    const result = await runStc(args, { env: w.env });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stdout.includes("\x1b"), `${args.join(" ")}: escape on stdout`);
    assert.ok(!result.stderr.includes("\x1b"), `${args.join(" ")}: escape on stderr`);
    assert.doesNotMatch(result.stdout, /^(evil|red|x\\)/m);
  }
  const result = await runStc(["roles"], { env: w.env });
  assert.match(result.stderr, /accounts:3: account name 'red\\x1b\[31m' may only hold/);
  assert.match(
    result.stderr,
    /accounts:4: account 'big': the number 12345678901234567890 is too large/,
  );
  assert.match(result.stderr, /awsops_roles\.cfg:1: the alias may only hold/);
  assert.match(
    result.stderr,
    /awsops_roles\.cfg:2: 'arn:aws:iam::2222\\x1b\[31m:role\/A' is not a role/,
  );
  assert.match(result.stdout, /^ok\s+222222222222\s+<role-name>\s+accounts$/m);
});

Deno.test("roles --download: an S3 failure part-way leaves the list byte-identical", async () => {
  await using w = await world();
  const path = `${w.home.aws}/awsops_session-tool_roles.cfg`;
  // A list with CRLF and no final newline: any rewrite would show.
  await Deno.writeFile(
    path,
    new TextEncoder().encode("a arn:aws:iam::222222222222:role/Admin\r\nb"),
  );
  const before = await Deno.readFile(path);
  const mtime = (await Deno.stat(path)).mtime;
  for (const kind of ["drop", "500"] as const) {
    w.emulator.injectFault({ action: "GetObject", kind, count: 10 });
    const result = await runStc(["roles", "--download"], { env: w.env });
    w.emulator.clearFaults();
    assert.equal(result.code === 1 || result.code === 5, true, `${kind}: ${result.stderr}`);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /stc: error: .*GetObject/);
    assert.deepEqual(await Deno.readFile(path), before, kind);
    assert.deepEqual((await Deno.stat(path)).mtime, mtime, kind);
  }
  const names = [...Deno.readDirSync(w.home.aws)].map((e) => e.name);
  assert.deepEqual(names.filter((n) => n.includes("tmp")), []);
});

Deno.test("roles and assume -p with a profile that is not defined say so (not 'no roles', not 'unknown alias')", async () => {
  await using home = await makeHome();
  await home.write(".aws/config", "[profile awsops]\nregion = us-east-1\n");
  await home.write(".aws/awsops_roles.cfg", "dev arn:aws:iam::222222222222:role/Admin\n");
  for (const args of [["roles", "-p", "nosuch"], ["assume", "-p", "nosuch", "dev"]]) {
    const result = await runStc(args, { env: home.env });
    assert.equal(result.code, 1, `${args.join(" ")}: ${result.stderr}`);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /stc: error: profile 'nosuch' is not defined/);
  }
});
