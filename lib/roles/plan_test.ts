import assert from "node:assert/strict";
import { parseProfileFiles } from "../config/ini.ts";
import type { SessionRecord } from "../session/variables.ts";
import { mergeRoles, parseAccountsJson, parseRolesFile, rolesFromProfiles } from "./catalog.ts";
import {
  chooseProfile,
  chooseRoute,
  isChained,
  type PlanSources,
  requestedDuration,
  resolvePlan,
} from "./plan.ts";
import { StcError } from "../core/errors.ts";

const CONFIG = `[profile ops]
region = eu-west-1
[profile cn]
region = cn-north-1
[profile chained]
role_arn = arn:aws:iam::444444444444:role/Deploy
source_profile = hop
role_session_name = deployer
duration_seconds = 7200
[profile hop]
role_arn = arn:aws:iam::555555555555:role/Hop
source_profile = ops
[profile temporary]
role_arn = arn:aws:iam::666666666666:role/Temp
source_profile = temp-keys
`;

const CREDENTIALS = `[ops]
aws_access_key_id = AKIAOPSEXAMPLE
aws_secret_access_key = ops-secret
[temp-keys]
aws_access_key_id = ASIATEMPEXAMPLE
aws_secret_access_key = temp-secret
aws_session_token = temp-token
`;

const ROLES = `dev-admin arn:aws:iam::222222222222:role/Admin alice-dev-admin
vendor arn:aws:iam::222222222222:role/Vendor vendor-session ext-123
`;

function sources(overrides: Partial<PlanSources> = {}): PlanSources {
  const files = parseProfileFiles({ config: CONFIG, credentials: CREDENTIALS });
  const catalog = mergeRoles(
    [parseRolesFile(ROLES, "roles", "organisation"), rolesFromProfiles(files, "config")],
    parseAccountsJson('{"prod": "333333333333", "dev": "222222222222"}', "accounts"),
  );
  return { env: {}, catalog, files, profile: "ops", ...overrides };
}

function base(profile: string, userArn = "arn:aws:iam::111111111111:user/alice"): SessionRecord {
  return {
    profile,
    accessKeyId: "ASIABASE",
    secretAccessKey: "base-secret",
    sessionToken: "base-token",
    expiration: "2026-01-01T12:00:00Z",
    userArn,
    userName: "alice",
  };
}

Deno.test("resolvePlan: a roles-file alias is one step with its external id; its session_name is not used", () => {
  const plan = resolvePlan({ role: "vendor" }, sources());
  assert.deepEqual(plan.steps, [{
    roleArn: "arn:aws:iam::222222222222:role/Vendor",
    externalId: "ext-123",
  }]);
  assert.equal(plan.sourceProfile, "ops");
  assert.equal(plan.role.accountName, "dev");
  assert.equal(plan.role.roleName, "Vendor");
});

Deno.test("resolvePlan: the account form by name or id, with the account id as external id", () => {
  const byName = resolvePlan({ role: "prod", roleName: "Admin" }, sources());
  assert.deepEqual(byName.steps, [{
    roleArn: "arn:aws:iam::333333333333:role/Admin",
    externalId: "333333333333",
  }]);
  assert.deepEqual(byName.role, {
    alias: "prod/Admin",
    roleArn: "arn:aws:iam::333333333333:role/Admin",
    accountId: "333333333333",
    accountName: "prod",
    roleName: "Admin",
  });
  const byId = resolvePlan({ role: "999999999999", roleName: "Admin" }, sources());
  assert.equal(byId.role.accountName, "999999999999");
  assert.equal(byId.steps[0].roleArn, "arn:aws:iam::999999999999:role/Admin");
});

Deno.test("resolvePlan: the account form's partition comes from the base session's user, else the region", () => {
  const arn = (s: PlanSources) => resolvePlan({ role: "prod", roleName: "Admin" }, s).role.roleArn;
  assert.equal(arn(sources({ profile: "cn" })), "arn:aws-cn:iam::333333333333:role/Admin");
  assert.equal(
    arn(sources({ env: { AWS_REGION: "us-gov-east-1" } })),
    "arn:aws-us-gov:iam::333333333333:role/Admin",
  );
  const govUser = "arn:aws-us-gov:iam::111111111111:user/alice";
  assert.equal(
    arn(sources({ base: base("ops", govUser) })),
    "arn:aws-us-gov:iam::333333333333:role/Admin",
  );
  // A base session of another profile says nothing about this one.
  assert.equal(
    arn(sources({ profile: "cn", base: base("ops", govUser) })),
    "arn:aws-cn:iam::333333333333:role/Admin",
  );
});

Deno.test("resolvePlan: without a role, the shell's AWS_ROLE_ALIAS, also in its account/Role form", () => {
  const alias = resolvePlan({}, sources({ env: { AWS_ROLE_ALIAS: "dev-admin" } }));
  assert.equal(alias.role.alias, "dev-admin");
  const account = resolvePlan({}, sources({ env: { AWS_ROLE_ALIAS: "prod/ReadOnly" } }));
  assert.equal(account.steps[0].roleArn, "arn:aws:iam::333333333333:role/ReadOnly");
  assert.throws(() => resolvePlan({}, sources()), /no role given/);
});

Deno.test("resolvePlan: an account without a role name, an unknown alias or account, a bad role name", () => {
  const error = (request: Parameters<typeof resolvePlan>[0]) => {
    try {
      resolvePlan(request, sources());
    } catch (e) {
      assert.ok(e instanceof StcError);
      return e;
    }
    assert.fail("no error");
  };
  const account = error({ role: "prod" });
  assert.match(account.message, /'prod' is an account, not a role alias/);
  assert.equal(account.exitCode, 2);
  assert.equal(account.hint, "stc assume prod ROLE-NAME");
  assert.match(error({ role: "dev-admn" }).hint ?? "", /dev-admin/);
  assert.match(error({ role: "nosuch", roleName: "Admin" }).message, /unknown account 'nosuch'/);
  assert.equal(error({ role: "prod", roleName: "bad name" }).exitCode, 2);
});

Deno.test("resolvePlan: a config profile is its source_profile chain, from the profile with the key", () => {
  const plan = resolvePlan({ role: "chained" }, sources());
  assert.deepEqual(plan.steps, [
    { roleArn: "arn:aws:iam::555555555555:role/Hop" },
    { roleArn: "arn:aws:iam::444444444444:role/Deploy", sessionName: "deployer" },
  ]);
  assert.equal(plan.sourceProfile, "ops");
  assert.equal(plan.durationSeconds, 7200);
  assert.equal(plan.profileCredentials, undefined);
  const temporary = resolvePlan({ role: "temporary" }, sources());
  assert.equal(temporary.sourceProfile, "temp-keys");
  assert.deepEqual(temporary.profileCredentials, {
    accessKeyId: "ASIATEMPEXAMPLE",
    secretAccessKey: "temp-secret",
    sessionToken: "temp-token",
  });
});

Deno.test("requestedDuration: --duration, then the profile's duration_seconds, then AWS_ROLE_SESSION_TIMEOUT", () => {
  const s = sources({ env: { AWS_ROLE_SESSION_TIMEOUT: "2h" } });
  const alias = resolvePlan({ role: "dev-admin" }, s);
  const chained = resolvePlan({ role: "chained" }, s);
  assert.equal(requestedDuration({ durationSeconds: 900 }, chained, s.env), 900);
  assert.equal(requestedDuration({}, chained, s.env), 7200);
  assert.equal(requestedDuration({}, alias, s.env), 7200);
  assert.equal(requestedDuration({}, alias, {}), undefined);
  assert.throws(
    () => requestedDuration({}, alias, { AWS_ROLE_SESSION_TIMEOUT: "soon" }),
    /AWS_ROLE_SESSION_TIMEOUT/,
  );
});

Deno.test("chooseRoute: the base session up to an hour, the long-term key beyond it or without one", () => {
  const plan = resolvePlan({ role: "dev-admin" }, sources());
  const session = base("ops");
  assert.equal(chooseRoute(plan, session, undefined), "base-session");
  assert.equal(chooseRoute(plan, session, 3600), "base-session");
  assert.equal(chooseRoute(plan, session, 3601), "long-term-key");
  assert.equal(chooseRoute(plan, undefined, undefined), "long-term-key");
  assert.equal(isChained("base-session", plan), true);
  assert.equal(isChained("long-term-key", plan), false);
});

Deno.test("chooseRoute: a profile's own credentials start its chain; chains over an hour are refused", () => {
  const temporary = resolvePlan({ role: "temporary" }, sources());
  assert.equal(chooseRoute(temporary, base("temp-keys"), undefined), "profile-credentials");
  const chained = resolvePlan({ role: "chained" }, sources());
  assert.equal(chooseRoute(chained, undefined, 3600), "long-term-key");
  assert.equal(isChained("long-term-key", chained), true);
  assert.throws(() => chooseRoute(chained, base("ops"), 7200), /through 2 roles; AWS caps/);
});

Deno.test("chooseRoute: a new base session only for a caller that keeps it, with no base session, up to an hour", () => {
  const plan = resolvePlan({ role: "dev-admin" }, sources());
  const keep = { startBaseSession: true };
  assert.equal(chooseRoute(plan, undefined, undefined, keep), "new-base-session");
  assert.equal(chooseRoute(plan, undefined, 3600, keep), "new-base-session");
  assert.equal(chooseRoute(plan, undefined, 3601, keep), "long-term-key");
  // The shell's base session belongs to another profile: it stays, and the long-term key is used.
  assert.equal(
    chooseRoute(plan, undefined, undefined, { ...keep, shellBase: base("other") }),
    "long-term-key",
  );
  assert.equal(chooseRoute(plan, base("ops"), undefined, keep), "base-session");
  assert.equal(isChained("new-base-session", plan), true);
});

Deno.test("chooseProfile: -p, AWS_PROFILE_ASSUME_ROLE, the base session's profile, then AWS_PROFILE", () => {
  const files = sources().files;
  const env = { AWS_PROFILE: "cn", AWS_PROFILE_ASSUME_ROLE: "hop" };
  assert.equal(chooseProfile({ profile: "ops" }, env, files, base("temp-keys")), "ops");
  assert.equal(chooseProfile({}, env, files, base("temp-keys")), "hop");
  assert.equal(chooseProfile({}, { AWS_PROFILE: "cn" }, files, base("temp-keys")), "temp-keys");
  assert.equal(chooseProfile({}, { AWS_PROFILE: "cn" }, files, undefined), "cn");
});
