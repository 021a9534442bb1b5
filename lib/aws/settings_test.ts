import assert from "node:assert/strict";
import {
  caBundle,
  checkRegion,
  endpointSettings,
  type ProfileConfig,
  resolveEndpoint,
} from "./settings.ts";
import { parseProfileFiles } from "../config/ini.ts";
import { profileConfig } from "../config/profile.ts";
import { ExitCode, StcError } from "../core/errors.ts";

/**
 * The profiles of the precedence table, as an AWS CLI user writes them: a global `endpoint_url`, a `[services]`
 * section with nested per-service URLs, both, and `ignore_configured_endpoint_urls`.
 */
const CONFIG = `
[profile global_only]
endpoint_url = https://global.profile.example

[profile services_only]
services = vpc

[profile global_and_services]
endpoint_url = https://global.profile.example
services = vpc

[profile ignoring]
endpoint_url = https://global.profile.example
services = vpc
ignore_configured_endpoint_urls = true

[profile missing_section]
services = nosuch

[services vpc]
sts =
  endpoint_url = https://sts.services.example
s3 =
  endpoint_url = https://s3.services.example
  addressing_style = path
`;

const files = parseProfileFiles({ config: CONFIG });
const profile = (name: string): ProfileConfig => profileConfig(files, name)!;

const ENVIRONMENTS: Record<string, Record<string, string>> = {
  none: {},
  global: { AWS_ENDPOINT_URL: "https://global.env.example" },
  sts: { AWS_ENDPOINT_URL_STS: "https://sts.env.example" },
  both: {
    AWS_ENDPOINT_URL: "https://global.env.example",
    AWS_ENDPOINT_URL_STS: "https://sts.env.example",
  },
};

/**
 * [profile, environment, service, expected URL, expected source]: the SDK reference's order, service-specific
 * environment > global environment > service in [services] > global in the profile > the SDK's endpoint.
 */
const TABLE: [string, string, "sts" | "iam" | "s3", string | undefined, string][] = [
  [
    "global_only",
    "none",
    "sts",
    "https://global.profile.example",
    "endpoint_url in profile 'global_only'",
  ],
  [
    "services_only",
    "none",
    "sts",
    "https://sts.services.example",
    "endpoint_url of sts in [services vpc]",
  ],
  ["services_only", "none", "iam", undefined, "default"],
  [
    "services_only",
    "none",
    "s3",
    "https://s3.services.example",
    "endpoint_url of s3 in [services vpc]",
  ],
  [
    "global_and_services",
    "none",
    "sts",
    "https://sts.services.example",
    "endpoint_url of sts in [services vpc]",
  ],
  [
    "global_and_services",
    "none",
    "iam",
    "https://global.profile.example",
    "endpoint_url in profile 'global_and_services'",
  ],
  ["global_only", "global", "sts", "https://global.env.example", "AWS_ENDPOINT_URL"],
  ["services_only", "global", "sts", "https://global.env.example", "AWS_ENDPOINT_URL"],
  ["global_and_services", "global", "sts", "https://global.env.example", "AWS_ENDPOINT_URL"],
  ["global_only", "sts", "sts", "https://sts.env.example", "AWS_ENDPOINT_URL_STS"],
  ["services_only", "sts", "sts", "https://sts.env.example", "AWS_ENDPOINT_URL_STS"],
  [
    "global_and_services",
    "sts",
    "iam",
    "https://global.profile.example",
    "endpoint_url in profile 'global_and_services'",
  ],
  ["global_and_services", "both", "sts", "https://sts.env.example", "AWS_ENDPOINT_URL_STS"],
  ["global_and_services", "both", "iam", "https://global.env.example", "AWS_ENDPOINT_URL"],
  ["ignoring", "both", "sts", undefined, "default"],
  ["ignoring", "none", "s3", undefined, "default"],
  ["missing_section", "none", "sts", undefined, "default"],
];

Deno.test("resolveEndpoint: the AWS SDK reference's precedence of endpoint settings", () => {
  for (const [name, environment, service, url, source] of TABLE) {
    const choice = resolveEndpoint(service, ENVIRONMENTS[environment], profile(name));
    const label = `${name} / ${environment} / ${service}`;
    assert.equal(choice.url, url, label);
    assert.equal(choice.source, source, label);
  }
});

Deno.test("resolveEndpoint: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS over the profile's ignore key, both ways", () => {
  const ignoring = profile("ignoring");
  assert.equal(
    resolveEndpoint("sts", {}, ignoring).ignoredBy,
    "ignore_configured_endpoint_urls in profile 'ignoring'",
  );
  // The environment's false wins over the profile's true, as every environment setting does.
  assert.equal(
    resolveEndpoint("sts", { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "false" }, ignoring).url,
    "https://sts.services.example",
  );
  const env = { ...ENVIRONMENTS.both, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "TRUE" };
  assert.deepEqual(
    resolveEndpoint("sts", env, profile("global_and_services")).ignoredBy,
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
  );
});

Deno.test("FIPS, dual-stack and sts_regional_endpoints: environment over profile; a URL turns them off", () => {
  const files = parseProfileFiles({
    config: "[profile fips]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = TRUE\n" +
      "sts_regional_endpoints = legacy\n[profile fips_url]\nuse_fips_endpoint = true\n" +
      "endpoint_url = http://127.0.0.1:9\n",
  });
  const fips = profileConfig(files, "fips")!;
  assert.deepEqual(endpointSettings("sts", {}, fips), {
    useFipsEndpoint: true,
    useDualstackEndpoint: true,
    useGlobalEndpoint: true,
  });
  assert.deepEqual(endpointSettings("iam", {}, fips), {
    useFipsEndpoint: true,
    useDualstackEndpoint: true,
  });
  const env = {
    AWS_USE_FIPS_ENDPOINT: "false",
    AWS_USE_DUALSTACK_ENDPOINT: "false",
    AWS_STS_REGIONAL_ENDPOINTS: "regional",
  };
  assert.deepEqual(endpointSettings("sts", env, fips), {
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
  });
  const choice = resolveEndpoint("sts", {}, fips);
  assert.deepEqual(choice.fips, { value: true, source: "use_fips_endpoint in profile 'fips'" });
  assert.deepEqual(choice.stsRegional, {
    value: "legacy",
    source: "sts_regional_endpoints in profile 'fips'",
  });
  assert.deepEqual(resolveEndpoint("sts", {}).stsRegional, {
    value: "regional",
    source: "default",
  });
  assert.deepEqual(endpointSettings("sts", {}, profileConfig(files, "fips_url")), {
    endpoint: "http://127.0.0.1:9",
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
  });
});

Deno.test("malformed settings are usage errors naming the setting, never its value", () => {
  const files = parseProfileFiles({
    config:
      "[profile bad]\nuse_fips_endpoint = yes\n[profile badurl]\nendpoint_url = sts.internal\n" +
      "[profile badsts]\nsts_regional_endpoints = global\n",
  });
  const cases: [() => unknown, string][] = [
    [
      () => resolveEndpoint("sts", {}, profileConfig(files, "bad")),
      "use_fips_endpoint in profile 'bad' must be true or false",
    ],
    [
      () => resolveEndpoint("sts", {}, profileConfig(files, "badurl")),
      "endpoint_url in profile 'badurl' is not an http(s) URL",
    ],
    [
      () => resolveEndpoint("sts", { AWS_ENDPOINT_URL_STS: "ftp://x" }),
      "AWS_ENDPOINT_URL_STS is not an http(s) URL",
    ],
    [
      () => resolveEndpoint("sts", {}, profileConfig(files, "badsts")),
      "sts_regional_endpoints in profile 'badsts' must be regional or legacy",
    ],
    [() => resolveEndpoint("iam", { AWS_STS_REGIONAL_ENDPOINTS: "x" }), ""],
  ];
  for (const [run, message] of cases) {
    if (message === "") {
      // Only STS reads sts_regional_endpoints.
      run();
      continue;
    }
    assert.throws(
      run,
      (e: unknown) =>
        e instanceof StcError && e.exitCode === ExitCode.Usage && e.message === message,
    );
  }
});

Deno.test("caBundle: AWS_CA_BUNDLE over the profile's ca_bundle; empty is unset", () => {
  const files = parseProfileFiles({ config: "[profile corp]\nca_bundle = /etc/corp.pem\n" });
  const corp = profileConfig(files, "corp");
  assert.deepEqual(caBundle({}, corp), {
    value: "/etc/corp.pem",
    source: "ca_bundle in profile 'corp'",
  });
  assert.deepEqual(caBundle({ AWS_CA_BUNDLE: "/x.pem" }, corp), {
    value: "/x.pem",
    source: "AWS_CA_BUNDLE",
  });
  assert.deepEqual(caBundle({ AWS_CA_BUNDLE: "" }, corp)?.source, "ca_bundle in profile 'corp'");
  assert.equal(caBundle({}), undefined);
});

Deno.test("checkRegion: host labels pass; anything else is a usage error that does not quote it", () => {
  for (const region of ["eu-west-1", "us-gov-west-1", "cn-north-1", "fake-region-10"]) {
    assert.equal(checkRegion(region), region);
  }
  for (const region of ["", "eu-west-1\x1b]0;x\x07", "a.b", "-eu", "eu west"]) {
    assert.throws(
      () => checkRegion(region),
      (e: unknown) =>
        e instanceof StcError && e.exitCode === ExitCode.Usage &&
        !e.message.includes(region || "\0"),
    );
  }
});
