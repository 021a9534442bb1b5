// The AWS SDKs' shared conformance vectors (test/fixtures/README.md): every case must pass.
import assert from "node:assert/strict";
import { parseProfileFiles, ProfileParseError } from "../lib/config/ini.ts";
import {
  type ChainBase,
  ProfileChainError,
  resolveProfileChain,
} from "../lib/config/profile_chain.ts";

const fixtures = new URL("./fixtures/", import.meta.url);

interface ParserCase {
  name: string;
  input: { configFile?: string; credentialsFile?: string };
  output: {
    errorContaining?: string;
    config?: {
      profiles: Record<string, Record<string, string>>;
      sso_sessions?: Record<string, Record<string, string>>;
    };
  };
}

interface ChainCase {
  docs: string;
  input: {
    profiles: Record<string, Record<string, string>>;
    sso_sessions?: Record<string, Record<string, string>>;
    selected_profile: string;
  };
  output: { Error?: string; ProfileChain?: unknown[] };
}

/** Plain objects (with Object.prototype) so deepStrictEqual compares against JSON values. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

const parserCases: ParserCase[] =
  JSON.parse(await Deno.readTextFile(new URL("profile-parser-tests.json", fixtures))).tests;
const chainCases: ChainCase[] = JSON.parse(
  await Deno.readTextFile(new URL("assume-role-tests.json", fixtures)),
);

Deno.test("profile-parser-tests.json has the 65 expected cases", () => {
  assert.equal(parserCases.length, 65);
  assert.equal(chainCases.length, 28);
});

for (const [i, c] of parserCases.entries()) {
  Deno.test(`profile parser conformance #${i}: ${c.name}`, () => {
    const texts = { config: c.input.configFile, credentials: c.input.credentialsFile };
    if (c.output.errorContaining !== undefined) {
      assert.throws(
        () => parseProfileFiles(texts),
        (e: unknown) =>
          e instanceof ProfileParseError && e.message.includes(c.output.errorContaining!),
      );
      return;
    }
    const got = parseProfileFiles(texts);
    assert.deepEqual(plain(got.profiles), c.output.config!.profiles);
    if (c.output.config!.sso_sessions) {
      assert.deepEqual(plain(got.ssoSessions), c.output.config!.sso_sessions);
    }
  });
}

/** The vectors' spelling of one chain element. */
function vectorForm(
  step: ChainBase | { roleArn: string; externalId?: string; roleSessionName?: string },
) {
  const drop = (o: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  if (!("type" in step)) {
    return {
      AssumeRole: drop({
        role_arn: step.roleArn,
        external_id: step.externalId,
        role_session_name: step.roleSessionName,
      }),
    };
  }
  switch (step.type) {
    case "AccessKey":
      return {
        AccessKey: drop({
          access_key_id: step.accessKeyId,
          secret_access_key: step.secretAccessKey,
          session_token: step.sessionToken,
          account_id: step.accountId,
        }),
      };
    case "NamedSource":
      return { NamedSource: step.name };
    case "WebIdentityToken":
      return {
        WebIdentityToken: drop({
          role_arn: step.roleArn,
          web_identity_token_file: step.webIdentityTokenFile,
          role_session_name: step.roleSessionName,
        }),
      };
    case "Sso":
      return {
        Sso: drop({
          sso_session: step.ssoSession,
          sso_region: step.ssoRegion,
          sso_start_url: step.ssoStartUrl,
          sso_account_id: step.ssoAccountId,
          sso_role_name: step.ssoRoleName,
        }),
      };
    case "CredentialProcess":
      return { CredentialProcess: step.command };
  }
}

for (const [i, c] of chainCases.entries()) {
  Deno.test(`assume-role conformance #${i}: ${c.docs}`, () => {
    const files = {
      profiles: c.input.profiles,
      ssoSessions: c.input.sso_sessions ?? {},
      services: {},
    };
    if (c.output.Error !== undefined) {
      assert.throws(
        () => resolveProfileChain(files, c.input.selected_profile),
        (e: unknown) => e instanceof ProfileChainError && e.message.includes(c.output.Error!),
      );
      return;
    }
    const chain = resolveProfileChain(files, c.input.selected_profile);
    assert.deepEqual([chain.base, ...chain.roles].map(vectorForm), c.output.ProfileChain);
  });
}
