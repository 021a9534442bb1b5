import assert from "node:assert/strict";
import { parseProfileFiles } from "./ini.ts";
import { ProfileChainError, resolveProfileChain } from "./profile_chain.ts";

Deno.test("a role chain from real config text carries mfa_serial and duration_seconds", () => {
  const files = parseProfileFiles({
    config: "[profile admin]\nrole_arn = arn:aws:iam::1:role/Admin\nsource_profile = jump\n" +
      "mfa_serial = arn:aws:iam::0:mfa/me\nduration_seconds = 3600\nexternal_id = ext\n" +
      "[profile jump]\nrole_arn = arn:aws:iam::0:role/Jump\nsource_profile = base\n",
    credentials:
      "[base]\naws_access_key_id = AKIA\naws_secret_access_key = s\naws_session_token = t\n",
  });
  assert.deepEqual(resolveProfileChain(files, "admin"), {
    base: {
      type: "AccessKey",
      profile: "base",
      accessKeyId: "AKIA",
      secretAccessKey: "s",
      sessionToken: "t",
    },
    roles: [
      { profile: "jump", roleArn: "arn:aws:iam::0:role/Jump" },
      {
        profile: "admin",
        roleArn: "arn:aws:iam::1:role/Admin",
        externalId: "ext",
        mfaSerial: "arn:aws:iam::0:mfa/me",
        durationSeconds: "3600",
      },
    ],
  });
});

Deno.test("credential_process is a base source", () => {
  const files = parseProfileFiles({ config: "[profile p]\ncredential_process = /bin/get-creds\n" });
  assert.deepEqual(resolveProfileChain(files, "p"), {
    base: { type: "CredentialProcess", profile: "p", command: "/bin/get-creds" },
    roles: [],
  });
});

Deno.test("errors name profiles but never credential values", () => {
  const secret = "SECRETVALUE123";
  const files = parseProfileFiles({
    credentials: `[a]\naws_secret_access_key = ${secret}\n[b]\nregion = x\n`,
  });
  for (const name of ["a", "b", "missing"]) {
    assert.throws(
      () => resolveProfileChain(files, name),
      (e: unknown) => e instanceof ProfileChainError && !e.message.includes(secret),
    );
  }
  assert.throws(() => resolveProfileChain(files, "missing"), /from the root profile/);
});

Deno.test("a loop error lists the profiles in the loop", () => {
  const files = parseProfileFiles({
    config: "[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nrole_arn = r\n" +
      "source_profile = c\n[profile c]\nrole_arn = r\nsource_profile = b\n",
  });
  assert.throws(() => resolveProfileChain(files, "a"), /infinite loop: a -> b -> c -> b/);
});

Deno.test("SSO settings without a region or start URL are an error, not a silent fallback", () => {
  const files = parseProfileFiles({
    config: "[profile s]\nsso_session = corp\n[sso-session corp]\nsso_start_url = https://x\n",
  });
  assert.throws(() => resolveProfileChain(files, "s"), /`sso_region` is missing/);
});
