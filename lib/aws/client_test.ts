import assert from "node:assert/strict";
import { endpointFor, endpointSettings, signingRegion, toStcError } from "./client.ts";
import { resolveRegion } from "../config/profile.ts";
import { ExitCode, StcError } from "../core/errors.ts";
import { startEmulator } from "../../test/emulator/server.ts";
import { makeHome, runStc } from "../../test/helpers.ts";

Deno.test("endpointFor: the per-service variable wins over AWS_ENDPOINT_URL; empty means unset", () => {
  const env = {
    AWS_ENDPOINT_URL: "http://127.0.0.1:1",
    AWS_ENDPOINT_URL_IAM: "http://127.0.0.1:2",
  };
  assert.equal(endpointFor("iam", env), "http://127.0.0.1:2");
  assert.equal(endpointFor("sts", env), "http://127.0.0.1:1");
  assert.equal(endpointFor("s3", { AWS_ENDPOINT_URL_S3: "", AWS_ENDPOINT_URL: "" }), undefined);
});

Deno.test("resolveRegion: AWS_REGION, AWS_DEFAULT_REGION, the profile's, else us-east-1", () => {
  assert.equal(
    resolveRegion({ AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "x" }, "y"),
    "eu-west-1",
  );
  assert.equal(resolveRegion({ AWS_DEFAULT_REGION: "eu-north-1" }, "y"), "eu-north-1");
  assert.equal(resolveRegion({}, "ap-south-1"), "ap-south-1");
  assert.equal(resolveRegion({}), "us-east-1");
});

Deno.test("signingRegion: IAM signs for its partition's home region, STS and S3 for the region", () => {
  assert.equal(signingRegion("iam", "eu-west-1"), "us-east-1");
  assert.equal(signingRegion("iam", "cn-northwest-1"), "cn-north-1");
  assert.equal(signingRegion("iam", "us-gov-east-1"), "us-gov-west-1");
  assert.equal(signingRegion("sts", "cn-northwest-1"), "cn-northwest-1");
  assert.equal(signingRegion("s3", "eu-north-1"), "eu-north-1");
});

function awsError(name: string, message: string, status: number, attempts = 1): Error {
  return Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: status, attempts },
  });
}

Deno.test("toStcError: exit codes for expired (3), invalid (4), unreachable (5), the rest (1)", () => {
  const cases: [unknown, number, RegExp][] = [
    [
      awsError("ExpiredToken", "The security token included in the request is expired", 400),
      3,
      /expired/,
    ],
    [
      awsError("InvalidClientTokenId", "The security token is invalid.", 403),
      4,
      /rejected the credentials/,
    ],
    [awsError("SignatureDoesNotMatch", "bad signature", 403), 4, /rejected the credentials/],
    [
      awsError(
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code.",
        403,
      ),
      1,
      /rejected the MFA code/,
    ],
    // Throttling and 5xx that outlast the retries: AWS could not serve the call (5).
    [
      awsError("Throttling", "Rate exceeded", 400, 5),
      5,
      /Rate exceeded \(Throttling after 5 attempts\)/,
    ],
    [awsError("InternalFailure", "oops", 500, 3), 5, /oops \(InternalFailure after 3 attempts\)/],
    // Any other answer of AWS: a failure (1).
    [awsError("ValidationError", "bad input", 400), 1, /^Step: bad input \(ValidationError\)$/],
    // An answer the SDK could not read is not AWS's (5), whatever its status.
    [
      awsError("Error", "Deserialization error: to see the raw response, inspect …", 200),
      5,
      /^Step: the answer \(HTTP 200\) was not an AWS answer$/,
    ],
    [awsError("UnknownError", "UnknownError", 502), 5, /was not an AWS answer/],
    // Network errors carry $metadata too, but no HTTP status.
    [
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), {
        code: "ECONNREFUSED",
        $metadata: { attempts: 3 },
      }),
      5,
      /could not be reached \(ECONNREFUSED\)/,
    ],
    [
      Object.assign(new Error("request socket timed out"), { name: "TimeoutError" }),
      5,
      /could not be reached \(TimeoutError\)/,
    ],
    [new Error("fetch failed"), 5, /could not be reached/],
    [new TypeError("something else"), 1, /^Step: something else$/],
  ];
  for (const [error, code, message] of cases) {
    const stc = toStcError(error, "Step");
    assert.equal(stc.exitCode, code, stc.message);
    assert.match(stc.message, message);
    assert.equal(stc.cause, error);
  }
  assert.equal(ExitCode.SessionExpired, 3);
  const own = new StcError("already translated");
  assert.equal(toStcError(own, "Step"), own);
});

Deno.test("retries (throttling, 500, dropped connection) are visible on stderr and the call succeeds", async () => {
  const emulator = await startEmulator({ quiet: true });
  try {
    await using home = await makeHome();
    const env = {
      ...home.env,
      ...emulator.env(),
      AWS_ACCESS_KEY_ID: "AKIAALICEEXAMPLEKEY1",
      AWS_SECRET_ACCESS_KEY: "aliceEmulatorSecretKey0123456789abcdefgh",
    };
    for (const kind of ["throttle", "500", "drop"] as const) {
      emulator.injectFault({ action: "GetCallerIdentity", kind, count: 2 });
      const result = await runStc(["session", "-v"], { env });
      assert.equal(result.code, 0, result.stderr);
      const retries = result.stderr.split("\n").filter((l) => l.includes("retrying"));
      assert.deepEqual(
        retries.map((l) => /\(attempt (\d)\)/.exec(l)?.[1]),
        ["2", "3"],
        result.stderr,
      );
      if (kind === "throttle") {
        assert.match(retries[0], /^stc: GetCallerIdentity: Throttling; retrying/);
      }
      if (kind === "500") {
        assert.match(retries[0], /^stc: GetCallerIdentity: InternalFailure; retrying/);
      }
      assert.deepEqual(emulator.faults(), []);
    }
    // `session -v` allows 3 attempts: a fourth would be needed, so it fails, naming the attempts.
    emulator.injectFault({ action: "GetCallerIdentity", kind: "throttle", count: 3 });
    const gaveUp = await runStc(["session", "-v"], { env });
    assert.equal(gaveUp.code, 5, gaveUp.stderr);
    assert.equal(
      gaveUp.stderr,
      "stc: GetCallerIdentity: Throttling; retrying (attempt 2)…\n" +
        "stc: GetCallerIdentity: Throttling; retrying (attempt 3)…\n" +
        "stc: error: GetCallerIdentity: Rate exceeded (Throttling after 3 attempts)\n" +
        "hint: AWS is busy or failing just now: try again in a minute\n",
    );
    assert.deepEqual(emulator.faults(), []);
  } finally {
    await emulator.close();
  }
});

Deno.test("endpointSettings: configured URLs win over FIPS and dual-stack; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", () => {
  const url = "http://127.0.0.1:1";
  assert.deepEqual(endpointSettings("sts", {}), {
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
  });
  assert.deepEqual(
    endpointSettings("iam", { AWS_USE_FIPS_ENDPOINT: "TRUE", AWS_USE_DUALSTACK_ENDPOINT: "true" }),
    { useFipsEndpoint: true, useDualstackEndpoint: true },
  );
  assert.deepEqual(
    endpointSettings("sts", { AWS_ENDPOINT_URL_STS: url, AWS_USE_FIPS_ENDPOINT: "true" }),
    { endpoint: url, useFipsEndpoint: false, useDualstackEndpoint: false },
  );
  const ignored = {
    AWS_ENDPOINT_URL: url,
    AWS_ENDPOINT_URL_S3: url,
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true",
    AWS_USE_FIPS_ENDPOINT: "true",
  };
  assert.equal(endpointFor("s3", ignored), undefined);
  assert.deepEqual(endpointSettings("s3", ignored), {
    useFipsEndpoint: true,
    useDualstackEndpoint: false,
  });
  assert.equal(
    endpointFor("s3", { ...ignored, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "false" }),
    url,
  );
  assert.throws(
    () => endpointSettings("sts", { AWS_USE_FIPS_ENDPOINT: "yes" }),
    (e: unknown) =>
      e instanceof StcError && e.exitCode === ExitCode.Usage &&
      e.message === "AWS_USE_FIPS_ENDPOINT must be true or false",
  );
});

Deno.test("endpointSettings: the AWS SDK sends to the FIPS and dual-stack hosts they select (nothing sent)", async () => {
  const { GetCallerIdentityCommand, STSClient } = await import("@aws-sdk/client-sts");
  const hostFor = async (env: Record<string, string>, region: string) => {
    let host = "";
    const client = new STSClient({
      region,
      credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret" },
      maxAttempts: 1,
      ...endpointSettings("sts", env),
      requestHandler: {
        handle(request: { hostname: string }) {
          host = request.hostname;
          return Promise.reject(new Error("captured, not sent"));
        },
      },
    });
    await assert.rejects(client.send(new GetCallerIdentityCommand({})), /captured, not sent/);
    client.destroy();
    return host;
  };
  assert.equal(await hostFor({}, "eu-west-1"), "sts.eu-west-1.amazonaws.com");
  assert.equal(
    await hostFor({ AWS_USE_FIPS_ENDPOINT: "true" }, "us-east-1"),
    "sts-fips.us-east-1.amazonaws.com",
  );
  assert.equal(
    await hostFor({ AWS_USE_DUALSTACK_ENDPOINT: "true" }, "eu-west-1"),
    "sts.eu-west-1.api.aws",
  );
  // sts_regional_endpoints = legacy: the global endpoint for the regions that had it; regional is the default.
  assert.equal(
    await hostFor({ AWS_STS_REGIONAL_ENDPOINTS: "legacy" }, "eu-west-1"),
    "sts.amazonaws.com",
  );
  assert.equal(await hostFor({}, "us-east-1"), "sts.us-east-1.amazonaws.com");
  assert.equal(
    await hostFor(
      { AWS_USE_FIPS_ENDPOINT: "true", AWS_ENDPOINT_URL: "http://127.0.0.1:9" },
      "us-east-1",
    ),
    "127.0.0.1",
  );
});
