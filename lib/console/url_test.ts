import assert from "node:assert/strict";
import { signinTokenUrl } from "../aws/federation.ts";
import {
  checkConsoleUrl,
  consoleDestination,
  consoleSessionDuration,
  federationEndpoint,
  isRegionName,
  ISSUER,
  loginUrl,
  maxConsoleSession,
  partitionOfArn,
  partitionOfConsoleHost,
  partitionOfRegion,
  resolvePartition,
  SERVICE_ALIASES,
  SERVICE_NAMES,
  SERVICE_PAGES,
  servicePage,
  signinSessionDuration,
} from "./url.ts";
import { ExitCode, StcError } from "../core/errors.ts";

function usageFailure(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof StcError, String(e));
    assert.equal(e.exitCode, ExitCode.Usage);
    assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("partition of a region", () => {
  assert.equal(partitionOfRegion("eu-west-1"), "aws");
  assert.equal(partitionOfRegion("us-east-1"), "aws");
  assert.equal(partitionOfRegion("cn-north-1"), "aws-cn");
  assert.equal(partitionOfRegion("cn-northwest-1"), "aws-cn");
  assert.equal(partitionOfRegion("us-gov-west-1"), "aws-us-gov");
  assert.equal(partitionOfRegion("us-gov-east-1"), "aws-us-gov");
});

Deno.test("partition of an ARN and of a console host", () => {
  assert.equal(partitionOfArn("arn:aws:iam::333333333333:role/Admin"), "aws");
  assert.equal(partitionOfArn("arn:aws-cn:iam::333333333333:role/Admin"), "aws-cn");
  assert.equal(partitionOfArn("arn:aws-us-gov:iam::333333333333:role/Admin"), "aws-us-gov");
  assert.equal(partitionOfArn("arn:aws-iso:iam::333333333333:role/Admin"), undefined);
  assert.equal(partitionOfConsoleHost("console.aws.amazon.com"), "aws");
  assert.equal(partitionOfConsoleHost("eu-west-1.console.aws.amazon.com"), "aws");
  assert.equal(partitionOfConsoleHost("console.amazonaws.cn"), "aws-cn");
  assert.equal(partitionOfConsoleHost("console.amazonaws-us-gov.com"), "aws-us-gov");
  assert.equal(partitionOfConsoleHost("evilconsole.aws.amazon.com"), undefined);
  assert.equal(partitionOfConsoleHost("console.aws.amazon.com.evil.example"), undefined);
});

Deno.test("region names", () => {
  for (const r of ["eu-west-1", "us-gov-west-1", "cn-north-1", "ap-southeast-2", "il-central-1"]) {
    assert.ok(isRegionName(r), r);
  }
  for (const r of ["", "eu-west", "EU-WEST-1", "eu_west_1", "eu-west-1;", "x"]) {
    assert.ok(!isRegionName(r), r);
  }
});

Deno.test("resolvePartition: ARN first, conflicts are usage errors, fallback region last", () => {
  assert.equal(resolvePartition({}), "aws");
  assert.equal(resolvePartition({ fallbackRegion: "cn-north-1" }), "aws-cn");
  assert.equal(
    resolvePartition({ arn: "arn:aws-us-gov:iam::1:role/A", fallbackRegion: "eu-west-1" }),
    "aws-us-gov",
  );
  assert.equal(resolvePartition({ region: "cn-north-1", fallbackRegion: "eu-west-1" }), "aws-cn");
  assert.equal(resolvePartition({ url: "https://console.amazonaws.cn/s3/" }), "aws-cn");
  usageFailure(
    () => resolvePartition({ arn: "arn:aws:iam::1:role/A", region: "cn-north-1" }),
    /partition aws-cn/,
  );
  usageFailure(
    () => resolvePartition({ url: "https://console.aws.amazon.com/", region: "us-gov-west-1" }),
    /partition/,
  );
});

Deno.test("console home per partition, with and without region", () => {
  assert.equal(consoleDestination({ partition: "aws" }), "https://console.aws.amazon.com/");
  assert.equal(consoleDestination({ partition: "aws-cn" }), "https://console.amazonaws.cn/");
  assert.equal(
    consoleDestination({ partition: "aws-us-gov" }),
    "https://console.amazonaws-us-gov.com/",
  );
  assert.equal(
    consoleDestination({ partition: "aws", region: "eu-west-1" }),
    "https://console.aws.amazon.com/console/home?region=eu-west-1",
  );
});

Deno.test("service shortcuts: regional, global, fragments and aliases", () => {
  assert.equal(
    consoleDestination({ partition: "aws", service: "s3", region: "eu-north-1" }),
    "https://console.aws.amazon.com/s3/home?region=eu-north-1",
  );
  assert.equal(
    consoleDestination({ partition: "aws", service: "ec2" }),
    "https://console.aws.amazon.com/ec2/home",
  );
  assert.equal(
    consoleDestination({ partition: "aws", service: "iam", region: "eu-west-1" }),
    "https://console.aws.amazon.com/iam/home",
  );
  assert.equal(
    consoleDestination({ partition: "aws-cn", service: "logs", region: "cn-north-1" }),
    "https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1#logsV2:log-groups",
  );
  assert.equal(
    consoleDestination({ partition: "aws", service: "CFN" }),
    "https://console.aws.amazon.com/cloudformation/home",
  );
  for (const [alias, target] of Object.entries(SERVICE_ALIASES)) {
    assert.ok(SERVICE_PAGES[target], `${alias} → ${target}`);
  }
  assert.deepEqual([...SERVICE_NAMES], [...SERVICE_NAMES].sort());
});

Deno.test("unknown service shortcut: usage error with a suggestion", () => {
  assert.throws(() => servicePage("lamda"), (e: unknown) => {
    assert.ok(e instanceof StcError);
    assert.equal(e.exitCode, ExitCode.Usage);
    assert.match(e.hint ?? "", /lambda/);
    return true;
  });
});

Deno.test("-u URL: console hosts only, kept as given", () => {
  const url = "https://eu-west-1.console.aws.amazon.com/s3/buckets/x?region=eu-west-1&tab=objects";
  assert.equal(checkConsoleUrl(url), url);
  assert.equal(consoleDestination({ partition: "aws", url, service: "ec2" }), url);
  usageFailure(() => checkConsoleUrl("http://console.aws.amazon.com/"), /https URL/);
  usageFailure(() => checkConsoleUrl("https://example.com/"), /https URL/);
  usageFailure(() => checkConsoleUrl("https://user:pw@console.aws.amazon.com/"), /https URL/);
  usageFailure(() => checkConsoleUrl("not a url"), /not a URL/);
});

Deno.test("federation endpoint: STC_FEDERATION_ENDPOINT, else the partition's", () => {
  assert.equal(federationEndpoint("aws", {}), "https://signin.aws.amazon.com/federation");
  assert.equal(federationEndpoint("aws-cn", {}), "https://signin.amazonaws.cn/federation");
  assert.equal(
    federationEndpoint("aws-us-gov", {}),
    "https://signin.amazonaws-us-gov.com/federation",
  );
  assert.equal(
    federationEndpoint("aws", { STC_FEDERATION_ENDPOINT: "http://127.0.0.1:9/federation" }),
    "http://127.0.0.1:9/federation",
  );
  assert.equal(
    federationEndpoint("aws", { STC_FEDERATION_ENDPOINT: "" }),
    "https://signin.aws.amazon.com/federation",
  );
});

Deno.test("federation endpoint: the region's sign-in endpoint in its partition (Console Private Access)", () => {
  const cases: [Parameters<typeof federationEndpoint>[0], string, string][] = [
    ["aws", "eu-west-1", "https://eu-west-1.signin.aws.amazon.com/federation"],
    ["aws", "us-east-1", "https://us-east-1.signin.aws.amazon.com/federation"],
    ["aws-cn", "cn-northwest-1", "https://cn-northwest-1.signin.amazonaws.cn/federation"],
    ["aws-us-gov", "us-gov-east-1", "https://us-gov-east-1.signin.amazonaws-us-gov.com/federation"],
    // A region of another partition (the role's ARN decided) or not a region: the partition's global endpoint.
    ["aws-cn", "eu-west-1", "https://signin.amazonaws.cn/federation"],
    ["aws", "not a region", "https://signin.aws.amazon.com/federation"],
  ];
  for (const [partition, region, expected] of cases) {
    assert.equal(federationEndpoint(partition, {}, region), expected, `${partition} ${region}`);
  }
  assert.equal(
    federationEndpoint("aws", { STC_FEDERATION_ENDPOINT: "http://127.0.0.1:9/f" }, "eu-west-1"),
    "http://127.0.0.1:9/f",
  );
});

Deno.test("getSigninToken URL carries the session JSON and SessionDuration", () => {
  const session = { accessKeyId: "ASIAX", secretAccessKey: "s+/=&x", sessionToken: "t&o k=n" };
  const url = new URL(signinTokenUrl("https://signin.aws.amazon.com/federation", session, 3600));
  assert.equal(url.searchParams.get("Action"), "getSigninToken");
  assert.equal(url.searchParams.get("SessionDuration"), "3600");
  assert.deepEqual(JSON.parse(url.searchParams.get("Session")!), {
    sessionId: "ASIAX",
    sessionKey: "s+/=&x",
    sessionToken: "t&o k=n",
  });
});

Deno.test("login URL: non-empty Issuer, destination and token survive encoding", () => {
  const destination = "https://console.aws.amazon.com/s3/home?region=eu-west-1#a&b=c";
  const token = "tok+en/with=chars&more";
  const text = loginUrl("https://signin.aws.amazon.com/federation", destination, token);
  assert.ok(!/\s/.test(text));
  const url = new URL(text);
  assert.equal(url.origin + url.pathname, "https://signin.aws.amazon.com/federation");
  assert.equal(url.hash, "");
  assert.equal(url.searchParams.get("Action"), "login");
  assert.equal(url.searchParams.get("Issuer"), ISSUER);
  assert.ok(ISSUER.length > 0);
  assert.equal(url.searchParams.get("Destination"), destination);
  assert.equal(url.searchParams.get("SigninToken"), token);
});

Deno.test("SessionDuration: defaults to the longest the credentials allow", () => {
  assert.equal(maxConsoleSession("chained-role"), 3600);
  assert.equal(maxConsoleSession("role"), 43200);
  assert.equal(maxConsoleSession("federated"), 129600);
  assert.equal(consoleSessionDuration("chained-role"), 3600);
  assert.equal(consoleSessionDuration("role"), 43200);
  assert.equal(consoleSessionDuration("federated"), 129600);
});

Deno.test("SessionDuration: requested values within 900..max pass, others are usage errors", () => {
  assert.equal(consoleSessionDuration("chained-role", 900), 900);
  assert.equal(consoleSessionDuration("chained-role", 3600), 3600);
  assert.equal(consoleSessionDuration("role", 28800), 28800);
  assert.equal(consoleSessionDuration("federated", 129600), 129600);
  usageFailure(() => consoleSessionDuration("chained-role", 3601), /role chaining/);
  usageFailure(() => consoleSessionDuration("role", 899), /between/);
  usageFailure(() => consoleSessionDuration("role", 43201), /between/);
  usageFailure(() => consoleSessionDuration("federated", 129601), /federated user/);
});

Deno.test("SessionDuration is sent only for a role assumed with a long-term key", () => {
  // AWS fails getSigninToken with SessionDuration for GetFederationToken and role-chained credentials.
  assert.equal(signinSessionDuration("role", 28800), 28800);
  assert.equal(signinSessionDuration("chained-role", 3600), undefined);
  assert.equal(signinSessionDuration("federated", 7200), undefined);
  const session = { accessKeyId: "ASIAX", secretAccessKey: "s", sessionToken: "t" };
  const url = new URL(signinTokenUrl("https://signin.aws.amazon.com/federation", session));
  assert.equal(url.searchParams.has("SessionDuration"), false);
  assert.equal(url.searchParams.get("Action"), "getSigninToken");
});
