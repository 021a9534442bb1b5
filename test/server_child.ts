/**
 * The long-running program of the credential server tests, run by `stc exec --server`: the AWS SDK with its
 * default credential chain (which finds AWS_CONTAINER_CREDENTIALS_FULL_URI and the token), calling
 * GetCallerIdentity once per step of simulated time and printing one JSON line per call.
 *
 * It moves the simulated clock itself, between its calls, so that nothing else runs while time jumps: the
 * emulator's (its admin API), the file stc reads (`STC_TEST_CLOCK_FILE`, replaced atomically), and its own
 * `Date.now`, which the SDK's expiry checks (refresh when under 5 minutes are left) and its request signing read.
 *
 * Arguments: the number of steps, the seconds per step, and optionally the AWS CLI to run at each step instead
 * of the SDK (`aws sts get-caller-identity`, a new process each time, its clock shifted the same way by
 * test/fixtures/simulated_clock/sitecustomize.py).
 *
 * @module
 */

import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

const [steps, stepSeconds] = Deno.args.slice(0, 2).map(Number);
const awsCli = Deno.args[2];
const endpoint = Deno.env.get("AWS_ENDPOINT_URL")!;
const clockFile = Deno.env.get("STC_TEST_CLOCK_FILE")!;
const realNow = Date.now;
// Where the test left the clocks (whole seconds).
let offset = Number(await Deno.readTextFile(clockFile));
Date.now = () => realNow() + offset * 1000;

async function advance(seconds: number): Promise<void> {
  offset += seconds;
  const response = await fetch(`${endpoint}/__admin/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ offsetSeconds: offset }),
  });
  await response.body?.cancel();
  await Deno.writeTextFile(`${clockFile}.tmp`, String(offset));
  await Deno.rename(`${clockFile}.tmp`, clockFile);
}

// No retries: every error counts, none is hidden by a second attempt.
const client = new STSClient({ region: "us-east-1", endpoint, maxAttempts: 1 });
for (let step = 0; step <= steps; step++) {
  if (step > 0) await advance(stepSeconds);
  const minute = Math.round(offset / 60);
  if (awsCli) {
    const out = await new Deno.Command(awsCli, {
      args: ["sts", "get-caller-identity", "--endpoint-url", endpoint, "--output", "json"],
      // No .pyc written into the repository.
      env: {
        PYTHONPATH: new URL("fixtures/simulated_clock", import.meta.url).pathname,
        PYTHONDONTWRITEBYTECODE: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.success ? out.stdout : out.stderr);
    console.log(JSON.stringify({
      minute,
      ok: out.success,
      ...(out.success ? { arn: JSON.parse(text).Arn } : { message: text.trim() }),
    }));
    continue;
  }
  try {
    const identity = await client.send(new GetCallerIdentityCommand({}));
    const credentials = await client.config.credentials();
    console.log(JSON.stringify({
      minute,
      ok: true,
      arn: identity.Arn,
      key: credentials.accessKeyId,
      minutesLeft: Math.round((credentials.expiration!.getTime() - Date.now()) / 60_000),
    }));
  } catch (error) {
    const e = error as Error;
    console.log(JSON.stringify({ minute, ok: false, error: e.name, message: e.message }));
  }
}
