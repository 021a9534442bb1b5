import assert from "node:assert/strict";
import { parseProfileFiles } from "../config/ini.ts";
import {
  assumableNames,
  findRole,
  formatProblem,
  mergeRoles,
  parseAccountsJson,
  parseRoleArn,
  parseRolesFile,
  resolveAccount,
  roleInfo,
  rolesFromProfiles,
} from "./catalog.ts";
import { scanRoleAliases, scanRolesFile } from "./scan.ts";
import { printable } from "../core/text.ts";
import { sanitise } from "../term/sanitise.ts";

Deno.test("parseRoleArn splits account and role name, paths included", () => {
  assert.deepEqual(parseRoleArn("arn:aws:iam::222222222222:role/Admin"), {
    accountId: "222222222222",
    roleName: "Admin",
  });
  assert.deepEqual(parseRoleArn("arn:aws-cn:iam::123456789012:role/team/x/Deploy"), {
    accountId: "123456789012",
    roleName: "Deploy",
  });
  assert.equal(parseRoleArn("arn:aws:iam::22222222222:role/Admin"), undefined);
  assert.equal(parseRoleArn("arn:aws:iam::222222222222:user/alice"), undefined);
  assert.equal(parseRoleArn("Admin"), undefined);
});

Deno.test("parseRolesFile reads session-tool.sh's format with spaces, tabs and comments", () => {
  const text = [
    "# organisation roles",
    "",
    "dev-admin arn:aws:iam::222222222222:role/Admin alice-dev",
    "dev-vendor\tarn:aws:iam::222222222222:role/Vendor \t vendor-session  ext-id-1",
    "  # indented comment",
    "bare arn:aws:iam::333333333333:role/ReadOnly",
    "",
  ].join("\n");
  const { roles, problems } = parseRolesFile(text, "/h/.aws/p_roles.cfg", "local");
  assert.deepEqual(problems, []);
  assert.deepEqual(roles.map((r) => [r.alias, r.accountId, r.roleName, r.line]), [
    ["dev-admin", "222222222222", "Admin", 3],
    ["dev-vendor", "222222222222", "Vendor", 4],
    ["bare", "333333333333", "ReadOnly", 6],
  ]);
  assert.equal(roles[0].sessionName, "alice-dev");
  assert.equal(roles[0].externalId, undefined);
  assert.equal(roles[1].sessionName, "vendor-session");
  assert.equal(roles[1].externalId, "ext-id-1");
  assert.equal(roles[2].sessionName, undefined);
  assert.equal(roles[2].source, "local");
});

Deno.test("parseRolesFile reports bad lines with their line numbers and keeps the rest", () => {
  const text = [
    "good arn:aws:iam::222222222222:role/Admin s1",
    "lonely",
    "badarn arn:aws:iam::2222:role/Admin s2",
    "toomany arn:aws:iam::222222222222:role/Admin s3 ext a b",
    "badsession arn:aws:iam::222222222222:role/Admin x",
    "good arn:aws:iam::333333333333:role/Admin s4",
    "last arn:aws:iam::333333333333:role/ReadOnly",
  ].join("\r\n");
  const { roles, problems } = parseRolesFile(text, "f.cfg", "organisation");
  assert.deepEqual(roles.map((r) => r.alias), ["good", "last"]);
  assert.equal(roles[0].roleArn, "arn:aws:iam::222222222222:role/Admin");
  assert.deepEqual(problems.map((p) => p.line), [2, 3, 4, 5, 6]);
  assert.match(formatProblem(problems[1]), /^f\.cfg:3: .*not a role ARN/);
  assert.match(problems[4].message, /already defined on line 1/);
});

Deno.test("parseAccountsJson reads names and reports ids written as numbers", () => {
  const text = `{
  "prod": "333333333333",
  "dev": 222222222222,
  "zero": 12345678901,
  "zeros": 1234567890,
  "huge": 12345678901234567890,
  "frac": 1.5,
  "nested": {"a": [1, 2]},
  "short": "1234"
}`;
  const { accounts, problems } = parseAccountsJson(text, "accounts");
  assert.deepEqual(accounts.map((a) => [a.name, a.accountId, a.line]), [
    ["prod", "333333333333", 2],
    ["dev", "222222222222", 3],
    ["zero", "012345678901", 4],
    ["zeros", "001234567890", 5],
  ]);
  const byLine = new Map(problems.map((p) => [p.line, p.message]));
  assert.match(byLine.get(3)!, /as a string/);
  assert.match(byLine.get(4)!, /lost its leading zero; read as "012345678901"/);
  assert.match(byLine.get(5)!, /lost its leading zeros/);
  assert.match(byLine.get(6)!, /too large .* precision|too large/);
  assert.match(byLine.get(7)!, /not a 12-digit/);
  assert.match(byLine.get(8)!, /must be a 12-digit account id in quotes/);
  assert.match(byLine.get(9)!, /not a 12-digit account id/);
  assert.equal(problems.length, 7);
});

Deno.test("parseAccountsJson reports invalid JSON with a line and never throws", () => {
  const { accounts, problems } = parseAccountsJson(
    '{\n  "a": "111111111111",\n  "b" "x"\n}',
    "acc",
  );
  assert.deepEqual(accounts, []);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].line, 3);
  assert.match(problems[0].message, /not valid JSON/);
  assert.deepEqual(parseAccountsJson("", "acc"), { accounts: [], problems: [] });
  assert.equal(parseAccountsJson("[1]", "acc").problems.length, 1);
  assert.equal(parseAccountsJson('{"a": "111111111111"} x', "acc").problems.length, 1);
  assert.equal(parseAccountsJson('{"a": "\\u0031"}', "acc").accounts.length, 0);
});

Deno.test("rolesFromProfiles takes profiles with role_arn, not web identity ones", () => {
  const files = parseProfileFiles({
    config: [
      "[profile base]",
      "region = eu-west-1",
      "[profile dev-admin]",
      "role_arn = arn:aws:iam::222222222222:role/Admin",
      "source_profile = base",
      "external_id = ext",
      "role_session_name = me",
      "duration_seconds = 7200",
      "[profile web]",
      "role_arn = arn:aws:iam::222222222222:role/Web",
      "web_identity_token_file = /tmp/token",
      "[profile broken]",
      "role_arn = nonsense",
      "source_profile = base",
    ].join("\n"),
  });
  const lines = new Map([["dev-admin", 3], ["broken", 12]]);
  const { roles, problems } = rolesFromProfiles(files, "config", lines);
  assert.equal(roles.length, 1);
  assert.deepEqual(
    { ...roles[0] },
    {
      alias: "dev-admin",
      roleArn: "arn:aws:iam::222222222222:role/Admin",
      accountId: "222222222222",
      roleName: "Admin",
      sessionName: "me",
      externalId: "ext",
      durationSeconds: 7200,
      source: "config",
      file: "config",
      line: 3,
    },
  );
  assert.equal(problems.length, 1);
  assert.equal(formatProblem(problems[0]).startsWith("config:12: profile 'broken'"), true);
});

Deno.test("mergeRoles: the first definition of an alias wins, in source order", () => {
  const local = parseRolesFile("x arn:aws:iam::111111111111:role/Local\n", "l", "local");
  const org = parseRolesFile(
    "x arn:aws:iam::222222222222:role/Org\ny arn:aws:iam::222222222222:role/Y\n",
    "o",
    "organisation",
  );
  const accounts = parseAccountsJson('{"dev": "222222222222", "y": "333333333333"}', "a");
  const catalog = mergeRoles([local, org], accounts);
  assert.equal(findRole(catalog, "x")?.roleName, "Local");
  assert.equal(findRole(catalog, "y")?.source, "organisation");
  assert.deepEqual(catalog.shadowed.map((r) => [r.alias, r.roleName]), [["x", "Org"]]);
  assert.deepEqual(assumableNames(catalog), ["x", "y", "dev"]);
  assert.deepEqual(resolveAccount(catalog, "dev"), {
    accountId: "222222222222",
    accountName: "dev",
  });
  assert.deepEqual(resolveAccount(catalog, "222222222222"), {
    accountId: "222222222222",
    accountName: "dev",
  });
  assert.deepEqual(resolveAccount(catalog, "444444444444"), { accountId: "444444444444" });
  assert.equal(resolveAccount(catalog, "nope"), undefined);
  assert.equal(roleInfo(findRole(catalog, "y")!, catalog).accountName, "dev");
  assert.equal(roleInfo(findRole(catalog, "x")!, catalog).accountName, "x");
});

Deno.test("parseRolesFile handles 10,000 lines", () => {
  const lines: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    lines.push(`role-${i} arn:aws:iam::${String(100000000000 + i)}:role/R${i % 7} s-${i}`);
  }
  const { roles, problems } = parseRolesFile(lines.join("\n"), "big", "organisation");
  assert.equal(problems.length, 0);
  assert.equal(roles.length, 10_000);
  assert.equal(roles[9999].alias, "role-9999");
  assert.equal(roles[9999].accountId, "100000009999");
  assert.equal(roles[9999].roleName, "R3");
});

Deno.test("names that cannot be typed are refused; problems quote them as they are, for the Term to escape", () => {
  assert.equal(printable("a\x1b[31mb\x07\u009bc\td"), "a\\x1b[31mb\\x07\\x9bc\\x09d");
  assert.equal(printable("plain-name_1"), "plain-name_1");
  const parsed = parseAccountsJson('{"ok": "111111111111", "bad\\u001b": "222222222222"}', "f");
  assert.deepEqual(parsed.accounts.map((a) => a.name), ["ok"]);
  assert.ok(parsed.problems[0].message.includes("account name 'bad\x1b' may only hold"));
});

Deno.test("role and account problems quote untrusted text once, for the one sanitiser to escape", () => {
  const roles = parseRolesFile("x arn:aws:iam::1:role/\u202eevil\n", "roles", "local");
  assert.match(
    sanitise(roles.problems[0].message),
    /^'arn:aws:iam::1:role\/\\u\{202e\}evil' is not a role ARN/,
  );
  const accounts = parseAccountsJson('{"ok": "12\u200b3"}', "accounts");
  assert.match(
    sanitise(accounts.problems[0].message),
    /^account 'ok': '12\\u\{200b\}3' is not a 12-digit account id$/,
  );
});

Deno.test("duration_seconds of a profile role is checked against the role limits (15 minutes to 12 hours)", () => {
  const files = parseProfileFiles({
    config: [900, 899, 43200, 43201].map((d) =>
      `[profile r${d}]\nrole_arn = arn:aws:iam::222222222222:role/R\nsource_profile = s\nduration_seconds = ${d}\n`
    ).join(""),
  });
  const parsed = rolesFromProfiles(files, "config");
  assert.deepEqual(parsed.roles.map((r) => [r.alias, r.durationSeconds]), [
    ["r900", 900],
    ["r899", undefined],
    ["r43200", 43200],
    ["r43201", undefined],
  ]);
  assert.deepEqual(parsed.problems.map((p) => p.message), [
    "profile 'r899': duration_seconds must be a number of seconds (900-43200)",
    "profile 'r43201': duration_seconds must be a number of seconds (900-43200)",
  ]);
});

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lines of a roles file, valid and invalid in every way parseRolesFile tells apart. */
function generatedRolesFile(seed: number, lines: number): string {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const aliases = [
    "dev",
    "prod",
    "a:b",
    "x/y",
    "a.b@c",
    "d-e_f",
    "+=,",
    "",
    "bad alias",
    "é",
    "a".repeat(129),
    "a".repeat(128),
    "#c",
    // An alias may look like an ARN: the ARN is still the second word.
    "arn:aws:iam::210987654321:role/Alias",
    "a:b/c",
  ];
  const arns = [
    "arn:aws:iam::123456789012:role/Dev",
    "arn:aws-cn:iam::123456789012:role/path/to/Role",
    "arn:aws:iam::12345678901:role/Short",
    "arn:aws:iam::123456789012:user/NotRole",
    "arn:aws:iam::123456789012:role/" + "r".repeat(65),
    "arn:aws:iam::123456789012:role/",
    "not-an-arn",
  ];
  const sessions = ["alice", "a".repeat(64), "a", "a".repeat(65), "bad:name"];
  const externalIds = ["ext-1", "a:b/c", "x", "bad id"];
  const spaces = [" ", "\t", "  \t ", "\u00a0", "\r", "\u2028"];
  const ends = ["", " ", "\t", "\r", " \r", "\u00a0", "\u2028", "\ufeff", "\r\u2029", "x\r"];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    // Half the lines use only the good values (the first two of each list), so that many are valid.
    const good = next() < 0.5;
    const from = <T>(items: readonly T[]): T => good ? items[Math.floor(next() * 2)] : pick(items);
    // Numbered aliases are mostly new; the fixed ones repeat (a repeated alias keeps its first line).
    const fields = [next() < 0.5 ? `role-${i}` : from(aliases), from(arns)];
    if (next() < 0.4) fields.push(from(sessions));
    if (next() < 0.2) fields.push(from(externalIds));
    if (!good && next() < 0.05) fields.push("extra");
    if (!good && next() < 0.1) fields.splice(1);
    let line = fields.map((field, n) => n === 0 ? field : from(spaces) + field).join("");
    if (next() < 0.05) line = "# " + line;
    out.push(from(ends) + line + from(ends));
    if (next() < 0.05) out.push("");
  }
  return out.join("\n");
}

Deno.test("scanRolesFile finds exactly the aliases and ARNs parseRolesFile does, in order", () => {
  for (let seed = 1; seed <= 200; seed++) {
    const text = generatedRolesFile(seed, 60);
    const parsed = parseRolesFile(text, "f", "local").roles.map(({ alias, roleArn }) => ({
      alias,
      roleArn,
    }));
    assert.deepEqual(scanRolesFile(text), parsed, `seed ${seed}`);
    assert.deepEqual(
      [...new Set(scanRoleAliases(text))],
      parsed.map((r) => r.alias),
      `seed ${seed}`,
    );
  }
  // The generator reaches both outcomes.
  const sample = parseRolesFile(generatedRolesFile(7, 200), "f", "local");
  assert.ok(sample.roles.length > 10 && sample.problems.length > 10);
});
