// Drives every emulated action through the real AWS SDK v3 clients (and AWS CLI v2 when
// installed), so a passing stc test against the emulator says something about real AWS.

import assert from "node:assert/strict";
import { awsCliV2, testWith } from "../tools.ts";
import { Readable } from "node:stream";
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from "@aws-sdk/client-sts";
import {
  ChangePasswordCommand,
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountPasswordPolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  UpdateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { type Emulator, overlapping, startEmulator } from "./server.ts";

/** alice's fixed long-term key (fixture.json). */
const ALICE = {
  accessKeyId: "AKIAALICEEXAMPLEKEY1",
  secretAccessKey: "aliceEmulatorSecretKey0123456789abcdefgh",
};
const BOB = {
  accessKeyId: "AKIABOBEXAMPLEKEY001",
  secretAccessKey: "bobEmulatorSecretKey+0123456789abcdefghi",
};
const BOB_INACTIVE = {
  accessKeyId: "AKIABOBINACTIVEKEY01",
  secretAccessKey: "bobInactiveSecretKey0123456789abcdefghij",
};
const DEV_ADMIN = "arn:aws:iam::222222222222:role/Admin";
const DEV_RO = "arn:aws:iam::222222222222:role/ReadOnly";
const DEV_VENDOR = "arn:aws:iam::222222222222:role/Vendor";
const PROD_DEPLOYER = "arn:aws:iam::333333333333:role/Deployer";
const ALICE_SERIAL = "arn:aws:iam::111111111111:mfa/alice";

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function sts(emu: Emulator, credentials: Creds, maxAttempts = 1): STSClient {
  return new STSClient({ endpoint: emu.endpoint, region: "eu-west-1", credentials, maxAttempts });
}
function iam(emu: Emulator, credentials: Creds, maxAttempts = 1): IAMClient {
  return new IAMClient({ endpoint: emu.endpoint, region: "us-east-1", credentials, maxAttempts });
}
function s3(emu: Emulator, credentials: Creds, maxAttempts = 1): S3Client {
  return new S3Client({
    endpoint: emu.endpoint,
    region: "eu-north-1",
    credentials,
    forcePathStyle: true,
    maxAttempts,
  });
}

function creds(
  c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string },
): Creds {
  return {
    accessKeyId: c.AccessKeyId!,
    secretAccessKey: c.SecretAccessKey!,
    sessionToken: c.SessionToken,
  };
}

interface AwsErr {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** Asserts that a call fails with an AWS error code, HTTP status and (optionally) exact message. */
async function rejects(
  p: Promise<unknown>,
  code: string,
  status: number,
  message?: string | RegExp,
): Promise<AwsErr> {
  try {
    await p;
  } catch (e) {
    const err = e as AwsErr;
    assert.equal(err.name, code, `expected ${code}, got ${err.name}: ${err.message}`);
    assert.equal(err.$metadata?.httpStatusCode, status);
    if (typeof message === "string") assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

async function withEmulator(fn: (emu: Emulator) => Promise<void>): Promise<void> {
  const emu = await startEmulator({ quiet: true });
  try {
    await fn(emu);
  } finally {
    await emu.close();
  }
}

/** alice's MFA session; `window` picks another TOTP step so codes are not replayed. */
async function mfaSession(emu: Emulator, window = 0): Promise<Creds> {
  const out = await sts(emu, ALICE).send(
    new GetSessionTokenCommand({
      SerialNumber: ALICE_SERIAL,
      TokenCode: emu.totp("alice", window),
    }),
  );
  return creds(out.Credentials!);
}

async function assume(emu: Emulator, from: Creds, roleArn: string, extra = {}): Promise<Creds> {
  const out = await sts(emu, from).send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "stc-test", ...extra }),
  );
  return creds(out.Credentials!);
}

Deno.test("sts: identity and authentication failures", () =>
  withEmulator(async (emu) => {
    const id = await sts(emu, ALICE).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, "arn:aws:iam::111111111111:user/alice");
    assert.equal(id.Account, "111111111111");
    assert.match(id.UserId!, /^AIDA[A-Z0-9]{17}$/);

    const invalid = "The security token included in the request is invalid.";
    await rejects(
      sts(emu, { ...ALICE, accessKeyId: "AKIAUNKNOWNKEY000000" }).send(
        new GetCallerIdentityCommand({}),
      ),
      "InvalidClientTokenId",
      403,
      invalid,
    );
    await rejects(
      sts(emu, { ...ALICE, secretAccessKey: "x".repeat(40) }).send(
        new GetCallerIdentityCommand({}),
      ),
      "SignatureDoesNotMatch",
      403,
      /^The request signature we calculated does not match/,
    );
    await rejects(
      sts(emu, BOB_INACTIVE).send(new GetCallerIdentityCommand({})),
      "InvalidClientTokenId",
      403,
      invalid,
    );
    // A long-term key with a session token attached is rejected too.
    await rejects(
      sts(emu, { ...ALICE, sessionToken: "bogus" }).send(new GetCallerIdentityCommand({})),
      "InvalidClientTokenId",
      403,
    );
    const session = await mfaSession(emu);
    assert.match(session.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
    assert.equal(session.secretAccessKey.length, 40);
    assert.ok(session.sessionToken!.length > 300);
    await rejects(
      sts(emu, { ...session, sessionToken: undefined }).send(new GetCallerIdentityCommand({})),
      "InvalidClientTokenId",
      403,
      invalid,
    );
    await rejects(
      sts(emu, { ...session, sessionToken: session.sessionToken + "x" }).send(
        new GetCallerIdentityCommand({}),
      ),
      "InvalidClientTokenId",
      403,
      invalid,
    );
    // Request time more than 15 minutes off the emulator clock.
    emu.advanceClock(3600);
    await rejects(
      sts(emu, ALICE).send(new GetCallerIdentityCommand({})),
      "SignatureDoesNotMatch",
      403,
      /^Signature expired: \d{8}T\d{6}Z is now earlier than/,
    );
    // With retries the SDK corrects its clock from the Date header, as against real AWS.
    const fixed = await sts(emu, ALICE, 3).send(new GetCallerIdentityCommand({}));
    assert.equal(fixed.$metadata.attempts, 2);
  }));

Deno.test("sts: GetSessionToken with MFA, replay, durations and expiry", () =>
  withEmulator(async (emu) => {
    const client = sts(emu, ALICE);
    await rejects(
      client.send(new GetSessionTokenCommand({})),
      "AccessDenied",
      403,
      "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:GetSessionToken on resource: arn:aws:iam::111111111111:user/alice with an explicit deny in an identity-based policy",
    );
    const wrong = String((Number(emu.totp("alice")) + 500_000) % 1_000_000).padStart(6, "0");
    await rejects(
      client.send(new GetSessionTokenCommand({ SerialNumber: ALICE_SERIAL, TokenCode: wrong })),
      "AccessDenied",
      403,
      "MultiFactorAuthentication failed with invalid MFA one time pass code.",
    );
    const unable = "MultiFactorAuthentication failed, unable to validate MFA code.  " +
      "Please verify your MFA serial number is valid and associated with this user.";
    await rejects(
      client.send(
        new GetSessionTokenCommand({
          SerialNumber: "arn:aws:iam::111111111111:mfa/mallory",
          TokenCode: emu.totp("alice"),
        }),
      ),
      "AccessDenied",
      403,
      unable,
    );
    await rejects(
      client.send(
        new GetSessionTokenCommand({
          SerialNumber: ALICE_SERIAL,
          TokenCode: emu.totp("alice"),
          DurationSeconds: 899,
        }),
      ),
      "ValidationError",
      400,
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
    const before = emu.now().getTime();
    const out = await client.send(
      new GetSessionTokenCommand({ SerialNumber: ALICE_SERIAL, TokenCode: emu.totp("alice", 1) }),
    );
    const lifetime = out.Credentials!.Expiration!.getTime() - before;
    assert.ok(Math.abs(lifetime - 43200_000) < 5000, `default duration 12h, got ${lifetime}`);
    // The same code again is a replay.
    await rejects(
      client.send(
        new GetSessionTokenCommand({ SerialNumber: ALICE_SERIAL, TokenCode: emu.totp("alice", 1) }),
      ),
      "AccessDenied",
      403,
      unable,
    );
    const session = creds(out.Credentials!);
    assert.equal(
      (await sts(emu, session).send(new GetCallerIdentityCommand({}))).Arn,
      "arn:aws:iam::111111111111:user/alice",
    );
    await rejects(
      sts(emu, session).send(new GetSessionTokenCommand({})),
      "AccessDenied",
      403,
      "Cannot call GetSessionToken with session credentials",
    );
    // bob needs no MFA.
    const bob = await sts(emu, BOB).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    emu.advanceClock(901);
    await rejects(
      sts(emu, creds(bob.Credentials!)).send(new GetCallerIdentityCommand({})),
      "ExpiredToken",
      400,
      "The security token included in the request is expired",
    );
  }));

Deno.test("sts: credentials issued under a negative clock offset are already expired", () =>
  withEmulator(async (emu) => {
    emu.setClockOffset(-2 * 3600);
    // The SDK fixes its clock skew from the Date header on retry, so issuing works.
    const out = await sts(emu, BOB, 3).send(new GetSessionTokenCommand({ DurationSeconds: 3600 }));
    emu.setClockOffset(0);
    assert.ok(out.Credentials!.Expiration!.getTime() < Date.now());
    await rejects(
      sts(emu, creds(out.Credentials!)).send(new GetCallerIdentityCommand({})),
      "ExpiredToken",
      400,
    );
  }));

Deno.test("sts: AssumeRole trust, MFA, ExternalId, durations and chaining", () =>
  withEmulator(async (emu) => {
    await rejects(
      sts(emu, ALICE).send(new AssumeRoleCommand({ RoleArn: DEV_ADMIN, RoleSessionName: "alice" })),
      "AccessDenied",
      403,
      "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/Admin",
    );
    // MFA passed straight to AssumeRole with long-term keys.
    const direct = await sts(emu, ALICE).send(
      new AssumeRoleCommand({
        RoleArn: DEV_ADMIN,
        RoleSessionName: "alice@example.com",
        SerialNumber: ALICE_SERIAL,
        TokenCode: emu.totp("alice", 1),
        DurationSeconds: 43200,
      }),
    );
    assert.equal(
      direct.AssumedRoleUser!.Arn,
      "arn:aws:sts::222222222222:assumed-role/Admin/alice@example.com",
    );
    assert.match(direct.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z0-9]{17}:alice@example\.com$/);
    const who = await sts(emu, creds(direct.Credentials!)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, "arn:aws:sts::222222222222:assumed-role/Admin/alice@example.com");
    assert.equal(who.Account, "222222222222");

    const session = await mfaSession(emu);
    await rejects(
      sts(emu, session).send(
        new AssumeRoleCommand({ RoleArn: DEV_ADMIN, RoleSessionName: "s", DurationSeconds: 3600 }),
      ),
      "ValidationError",
      400,
      "1 validation error detected: Value 's' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
    await rejects(
      sts(emu, session).send(new AssumeRoleCommand({ RoleArn: DEV_ADMIN, RoleSessionName: "a b" })),
      "ValidationError",
      400,
      /regular expression pattern: \[\\w\+=,\.@-\]\*/,
    );
    // GetSessionToken credentials count as role chaining for the 1-hour cap.
    const chainMsg =
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.";
    await rejects(
      sts(emu, session).send(
        new AssumeRoleCommand({
          RoleArn: DEV_ADMIN,
          RoleSessionName: "alice",
          DurationSeconds: 7200,
        }),
      ),
      "ValidationError",
      400,
      chainMsg,
    );
    const admin = await assume(emu, session, DEV_ADMIN);
    // Both codes around "now" are used up; move to the next TOTP step (never to a past one,
    // which a step boundary could push out of the accepted window).
    emu.advanceClock(30);
    await rejects(
      sts(emu, ALICE).send(
        new AssumeRoleCommand({
          RoleArn: DEV_RO,
          RoleSessionName: "alice",
          DurationSeconds: 7200,
          SerialNumber: ALICE_SERIAL,
          TokenCode: emu.totp("alice", 1),
        }),
      ),
      "ValidationError",
      400,
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
    // Chaining from a role session: prod Deployer trusts dev Admin.
    await rejects(
      sts(emu, admin).send(
        new AssumeRoleCommand({
          RoleArn: PROD_DEPLOYER,
          RoleSessionName: "chain",
          DurationSeconds: 3601,
        }),
      ),
      "ValidationError",
      400,
      chainMsg,
    );
    const deployer = await assume(emu, admin, PROD_DEPLOYER);
    assert.equal(
      (await sts(emu, deployer).send(new GetCallerIdentityCommand({}))).Arn,
      "arn:aws:sts::333333333333:assumed-role/Deployer/stc-test",
    );
    // Deployer does not trust alice directly.
    await rejects(assume(emu, session, PROD_DEPLOYER), "AccessDenied", 403);

    // ExternalId.
    await rejects(assume(emu, ALICE, DEV_VENDOR), "AccessDenied", 403);
    await rejects(assume(emu, ALICE, DEV_VENDOR, { ExternalId: "wrong-id" }), "AccessDenied", 403);
    await assume(emu, ALICE, DEV_VENDOR, { ExternalId: "stc-vendor-external-id" });

    // bob: no MFA device, so Admin (MFA required) is denied, ReadOnly allowed; Vendor trusts alice only.
    await rejects(assume(emu, BOB, DEV_ADMIN), "AccessDenied", 403);
    await assume(emu, BOB, DEV_RO);
    await rejects(
      assume(emu, BOB, DEV_VENDOR, { ExternalId: "stc-vendor-external-id" }),
      "AccessDenied",
      403,
      "User: arn:aws:iam::111111111111:user/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/Vendor",
    );
    await rejects(assume(emu, ALICE, "arn:aws:iam::222222222222:role/Nope"), "AccessDenied", 403);
  }));

Deno.test("sts: GetFederationToken", () =>
  withEmulator(async (emu) => {
    const out = await sts(emu, ALICE).send(
      new GetFederationTokenCommand({ Name: "alice-console" }),
    );
    assert.equal(out.FederatedUser!.Arn, "arn:aws:sts::111111111111:federated-user/alice-console");
    assert.equal(out.FederatedUser!.FederatedUserId, "111111111111:alice-console");
    await rejects(
      sts(emu, ALICE).send(new GetFederationTokenCommand({ Name: "a" })),
      "ValidationError",
      400,
      "1 validation error detected: Value 'a' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
    await rejects(
      sts(emu, ALICE).send(
        new GetFederationTokenCommand({ Name: "alice", DurationSeconds: 129601 }),
      ),
      "ValidationError",
      400,
      /less than or equal to 129600$/,
    );
    const session = await mfaSession(emu);
    await rejects(
      sts(emu, session).send(new GetFederationTokenCommand({ Name: "alice" })),
      "AccessDenied",
      403,
      "Cannot call GetFederationToken with session credentials",
    );
  }));

Deno.test("iam: self-service keys, MFA devices, password", () =>
  withEmulator(async (emu) => {
    const noMfa = await sts(emu, BOB).send(new GetSessionTokenCommand({}));
    await rejects(
      iam(emu, creds(noMfa.Credentials!)).send(new GetUserCommand({})),
      "InvalidClientTokenId",
      403,
      "The security token included in the request is invalid",
    );
    const client = iam(emu, await mfaSession(emu));
    const user = await client.send(new GetUserCommand({}));
    assert.equal(user.User!.Arn, "arn:aws:iam::111111111111:user/alice");
    const devices = await client.send(new ListMFADevicesCommand({}));
    assert.deepEqual(devices.MFADevices!.map((d) => d.SerialNumber), [ALICE_SERIAL]);
    const keys = await client.send(new ListAccessKeysCommand({ UserName: "alice" }));
    assert.deepEqual(keys.AccessKeyMetadata!.map((k) => [k.AccessKeyId, k.Status]), [[
      ALICE.accessKeyId,
      "Active",
    ]]);

    const created = await client.send(new CreateAccessKeyCommand({}));
    const newKey = created.AccessKey!;
    assert.match(newKey.AccessKeyId!, /^AKIA[A-Z0-9]{16}$/);
    assert.equal(newKey.SecretAccessKey!.length, 40);
    assert.deepEqual(emu.accessKeys("alice").map((k) => k.accessKeyId), [
      ALICE.accessKeyId,
      newKey.AccessKeyId,
    ]);
    await rejects(
      client.send(new CreateAccessKeyCommand({})),
      "LimitExceededException",
      409,
      "Cannot exceed quota for AccessKeysPerUser: 2",
    );
    const fresh = { accessKeyId: newKey.AccessKeyId!, secretAccessKey: newKey.SecretAccessKey! };
    assert.equal(
      (await sts(emu, fresh).send(new GetCallerIdentityCommand({}))).Arn,
      user.User!.Arn,
    );
    await client.send(
      new UpdateAccessKeyCommand({ AccessKeyId: ALICE.accessKeyId, Status: "Inactive" }),
    );
    await rejects(
      sts(emu, ALICE).send(new GetCallerIdentityCommand({})),
      "InvalidClientTokenId",
      403,
    );
    await client.send(new DeleteAccessKeyCommand({ AccessKeyId: ALICE.accessKeyId }));
    await rejects(
      client.send(new DeleteAccessKeyCommand({ AccessKeyId: ALICE.accessKeyId })),
      "NoSuchEntityException",
      404,
      `The Access Key with id ${ALICE.accessKeyId} cannot be found.`,
    );
    assert.deepEqual(emu.accessKeys("alice").map((k) => k.accessKeyId), [newKey.AccessKeyId]);

    // Users act on themselves only.
    await rejects(
      iam(emu, BOB).send(new ListAccessKeysCommand({ UserName: "alice" })),
      "AccessDenied",
      403,
      "User: arn:aws:iam::111111111111:user/bob is not authorized to perform: iam:ListAccessKeys on resource: user alice because no identity-based policy allows the iam:ListAccessKeys action",
    );

    // Password changes.
    const bobIam = iam(emu, BOB);
    await rejects(
      bobIam.send(
        new ChangePasswordCommand({ OldPassword: "not-it", NewPassword: "Bob-New-Passw0rd!!" }),
      ),
      "InvalidUserTypeException",
      400,
      "The old password is incorrect.",
    );
    await rejects(
      bobIam.send(
        new ChangePasswordCommand({ OldPassword: "Bob-Emulator-Passw0rd!", NewPassword: "short" }),
      ),
      "PasswordPolicyViolationException",
      400,
      "Password does not conform to the account password policy.",
    );
    await rejects(
      bobIam.send(
        new ChangePasswordCommand({
          OldPassword: "Bob-Emulator-Passw0rd!",
          NewPassword: "Bob-Emulator-Passw0rd!",
        }),
      ),
      "PasswordPolicyViolationException",
      400,
    );
    await bobIam.send(
      new ChangePasswordCommand({
        OldPassword: "Bob-Emulator-Passw0rd!",
        NewPassword: "Bob-New-Passw0rd!!",
      }),
    );
    assert.equal(emu.userPassword("bob"), "Bob-New-Passw0rd!!");

    const policy = await bobIam.send(new GetAccountPasswordPolicyCommand({}));
    assert.equal(policy.PasswordPolicy!.MinimumPasswordLength, 14);
    assert.equal(policy.PasswordPolicy!.PasswordReusePrevention, 3);
    const role = await assume(emu, BOB, DEV_RO);
    await rejects(
      iam(emu, role).send(new GetAccountPasswordPolicyCommand({})),
      "NoSuchEntityException",
      404,
      "The Password Policy with domain name 222222222222 cannot be found.",
    );
    await rejects(
      iam(emu, role).send(new GetUserCommand({})),
      "ValidationError",
      400,
      "Must specify userName when calling with non-User credentials",
    );
    // IAM is global: scope must be us-east-1.
    const wrongRegion = new IAMClient({
      endpoint: emu.endpoint,
      region: "eu-west-1",
      credentials: BOB,
      maxAttempts: 1,
    });
    await rejects(wrongRegion.send(new GetUserCommand({})), "SignatureDoesNotMatch", 403);
  }));

Deno.test("iam: ListMFADevices can require UserName, as moto does", () =>
  withEmulator(async (emu) => {
    const serials = (out: { MFADevices?: { SerialNumber?: string }[] }) =>
      out.MFADevices!.map((d) => d.SerialNumber);
    assert.deepEqual(serials(await iam(emu, ALICE).send(new ListMFADevicesCommand({}))), [
      ALICE_SERIAL,
    ]);
    emu.setListMfaDevicesRequiresUserName(true);
    await rejects(
      iam(emu, ALICE).send(new ListMFADevicesCommand({})),
      "NoSuchEntityException", // the SDK's class for <Code>NoSuchEntity</Code>
      404,
      "The user with name None cannot be found.",
    );
    const named = await iam(emu, ALICE).send(new ListMFADevicesCommand({ UserName: "alice" }));
    assert.deepEqual(serials(named), [ALICE_SERIAL]);
    // Who may list whose devices is unchanged.
    await rejects(
      iam(emu, BOB).send(new ListMFADevicesCommand({ UserName: "alice" })),
      "AccessDenied",
      403,
    );
    const admin = await fetch(`${emu.endpoint}/__admin/list-mfa-devices-requires-user-name`, {
      method: "POST",
      body: JSON.stringify({ required: false }),
    });
    assert.deepEqual(await admin.json(), { required: false });
    assert.deepEqual(serials(await iam(emu, ALICE).send(new ListMFADevicesCommand({}))), [
      ALICE_SERIAL,
    ]);
  }));

Deno.test("iam: new access keys propagate after the configured delay", () =>
  withEmulator(async (emu) => {
    emu.setKeyPropagationDelay(8);
    const client = iam(emu, await mfaSession(emu));
    const key = (await client.send(new CreateAccessKeyCommand({}))).AccessKey!;
    const fresh = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    await rejects(
      sts(emu, fresh).send(new GetCallerIdentityCommand({})),
      "InvalidClientTokenId",
      403,
    );
    const info = emu.accessKeys("alice")[1];
    assert.equal(info.usableFrom.getTime() - info.createDate.getTime(), 8000);
    emu.advanceClock(9);
    const id = await sts(emu, fresh).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, "arn:aws:iam::111111111111:user/alice");
  }));

Deno.test("iam: GetAccessKeyLastUsed says when, where and for what a key last authenticated", () =>
  withEmulator(async (emu) => {
    const client = iam(emu, ALICE);
    const key = (await client.send(new CreateAccessKeyCommand({}))).AccessKey!;
    const fresh = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    const never = await client.send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: fresh.accessKeyId }),
    );
    assert.equal(never.UserName, "alice");
    assert.deepEqual(never.AccessKeyLastUsed, { ServiceName: "N/A", Region: "N/A" });
    assert.equal(emu.accessKeys("alice")[1].lastUsed, undefined);

    // A request that fails authentication is no use of the key.
    await rejects(
      sts(emu, { ...fresh, secretAccessKey: "x".repeat(40) }).send(
        new GetCallerIdentityCommand({}),
      ),
      "SignatureDoesNotMatch",
      403,
    );
    assert.equal(emu.accessKeys("alice")[1].lastUsed, undefined);

    await sts(emu, fresh).send(new GetCallerIdentityCommand({}));
    const used = await client.send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: fresh.accessKeyId }),
    );
    assert.equal(used.AccessKeyLastUsed!.ServiceName, "sts");
    assert.equal(used.AccessKeyLastUsed!.Region, "eu-west-1");
    // AWS gives whole seconds.
    const lastUsed = emu.accessKeys("alice")[1].lastUsed!.getTime();
    assert.equal(
      used.AccessKeyLastUsed!.LastUsedDate!.getTime(),
      Math.floor(lastUsed / 1000) * 1000,
    );
    assert.ok(lastUsed <= emu.now().getTime());

    await rejects(
      client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: "AKIANOSUCHKEY0000000" })),
      "NoSuchEntityException",
      404,
    );
    await rejects(
      iam(emu, BOB).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: fresh.accessKeyId })),
      "NoSuchEntityException",
      404,
    );
  }));

Deno.test("s3: permissions, objects, listing, streaming uploads, checksums", () =>
  withEmulator(async (emu) => {
    const alice = s3(emu, ALICE);
    const got = await alice.send(
      new GetObjectCommand({ Bucket: "stc-roles", Key: "session-tool_roles.cfg" }),
    );
    const text = await got.Body!.transformToString();
    assert.match(text, /^dev-admin arn:aws:iam::222222222222:role\/Admin alice-dev-admin$/m);
    await rejects(
      alice.send(new PutObjectCommand({ Bucket: "stc-roles", Key: "x", Body: "x" })),
      "AccessDenied",
      403,
      "Access Denied",
    );
    await rejects(
      alice.send(new GetObjectCommand({ Bucket: "stc-roles", Key: "missing" })),
      "NoSuchKey",
      404,
      "The specified key does not exist.",
    );
    await rejects(
      alice.send(new HeadObjectCommand({ Bucket: "stc-roles", Key: "missing" })),
      "NotFound",
      404,
    );
    await rejects(
      alice.send(new GetObjectCommand({ Bucket: "no-such-bucket", Key: "k" })),
      "NoSuchBucket",
      404,
      "The specified bucket does not exist",
    );
    await rejects(
      s3(emu, BOB).send(
        new GetObjectCommand({ Bucket: "stc-roles", Key: "session-tool_roles.cfg" }),
      ),
      "AccessDenied",
      403,
    );

    const admin = s3(emu, await assume(emu, await mfaSession(emu), DEV_ADMIN));
    for (const key of ["dir/a", "dir/b", "dir/c d", "dir/sub/e", "other"]) {
      await admin.send(
        new PutObjectCommand({ Bucket: "stc-roles", Key: key, Body: `body of ${key}` }),
      );
    }
    const head = await admin.send(new HeadObjectCommand({ Bucket: "stc-roles", Key: "dir/c d" }));
    assert.equal(head.ContentLength, "body of dir/c d".length);
    const page1 = await alice.send(
      new ListObjectsV2Command({ Bucket: "stc-roles", Prefix: "dir/", MaxKeys: 2 }),
    );
    assert.deepEqual(page1.Contents!.map((o) => o.Key), ["dir/a", "dir/b"]);
    assert.equal(page1.IsTruncated, true);
    const page2 = await alice.send(
      new ListObjectsV2Command({
        Bucket: "stc-roles",
        Prefix: "dir/",
        MaxKeys: 2,
        ContinuationToken: page1.NextContinuationToken,
      }),
    );
    assert.deepEqual(page2.Contents!.map((o) => o.Key), ["dir/c d", "dir/sub/e"]);
    assert.equal(page2.IsTruncated, false);
    const delimited = await alice.send(
      new ListObjectsV2Command({ Bucket: "stc-roles", Delimiter: "/" }),
    );
    assert.deepEqual(delimited.CommonPrefixes!.map((p) => p.Prefix), ["dir/"]);
    assert.deepEqual(delimited.Contents!.map((o) => o.Key), ["other", "session-tool_roles.cfg"]);

    // A stream body makes the SDK send aws-chunked with a trailing checksum.
    const parts = ["first chunk, ", "second chunk"];
    await admin.send(
      new PutObjectCommand({
        Bucket: "stc-roles",
        Key: "streamed",
        Body: Readable.from(parts.map((p) => new TextEncoder().encode(p))),
        ContentLength: parts.join("").length,
        ChecksumAlgorithm: "CRC64NVME",
      }),
    );
    const put = emu.requests().filter((r) => r.action === "PutObject").at(-1)!;
    assert.equal(put.headers["x-amz-content-sha256"], "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    assert.equal(put.headers["x-amz-trailer"], "x-amz-checksum-crc64nvme");
    assert.equal(new TextDecoder().decode(emu.object("stc-roles", "streamed")), parts.join(""));
    const back = await alice.send(
      new GetObjectCommand({ Bucket: "stc-roles", Key: "streamed", ChecksumMode: "ENABLED" }),
    );
    assert.equal(await back.Body!.transformToString(), parts.join(""));
    assert.ok(back.ChecksumCRC64NVME);
    await rejects(
      admin.send(
        new PutObjectCommand({
          Bucket: "stc-roles",
          Key: "bad",
          Body: "data",
          ChecksumCRC32: "AAAAAA==",
        }),
      ),
      "BadDigest",
      400,
      "The CRC32 you specified did not match the calculated checksum.",
    );
    assert.equal(emu.object("stc-roles", "bad"), undefined);
  }));

Deno.test("s3: expired and foreign credentials", () =>
  withEmulator(async (emu) => {
    const role = await assume(emu, await mfaSession(emu), DEV_ADMIN);
    emu.advanceClock(3601);
    await rejects(
      s3(emu, role).send(
        new GetObjectCommand({ Bucket: "stc-roles", Key: "session-tool_roles.cfg" }),
      ),
      "ExpiredToken",
      400,
      "The provided token has expired.",
    );
    emu.setClockOffset(0);
    await rejects(
      s3(emu, { ...ALICE, accessKeyId: "AKIAUNKNOWNKEY000000" }).send(
        new GetObjectCommand({ Bucket: "stc-roles", Key: "session-tool_roles.cfg" }),
      ),
      "InvalidAccessKeyId",
      403,
    );
  }));

Deno.test("faults: throttle, 500 and dropped connections", () =>
  withEmulator(async (emu) => {
    emu.injectFault({ action: "GetCallerIdentity", kind: "throttle", count: 1 });
    await rejects(
      sts(emu, ALICE).send(new GetCallerIdentityCommand({})),
      "Throttling",
      400,
      "Rate exceeded",
    );
    await sts(emu, ALICE).send(new GetCallerIdentityCommand({}));

    emu.injectFault({ action: "GetSessionToken", kind: "500", count: 1 });
    await rejects(
      sts(emu, BOB).send(new GetSessionTokenCommand({})),
      "InternalFailure",
      500,
    );
    // The SDK's standard retries get through a fault of two calls.
    emu.injectFault({ action: "GetCallerIdentity", kind: "throttle", count: 2 });
    const retried = await sts(emu, ALICE, 3).send(new GetCallerIdentityCommand({}));
    assert.equal(retried.$metadata.attempts, 3);

    emu.injectFault({ action: "GetObject", kind: "throttle", count: 1 });
    await rejects(
      s3(emu, ALICE).send(
        new GetObjectCommand({ Bucket: "stc-roles", Key: "session-tool_roles.cfg" }),
      ),
      "SlowDown",
      503,
    );

    emu.injectFault({ action: "CreateAccessKey", kind: "drop", count: 1 });
    const before = emu.accessKeys("bob").length;
    try {
      await iam(emu, BOB).send(new ListAccessKeysCommand({}));
      await iam(emu, BOB).send(new CreateAccessKeyCommand({}));
      assert.fail("expected a dropped connection");
    } catch (e) {
      const err = e as AwsErr & { code?: string };
      assert.equal(err.$metadata?.httpStatusCode, undefined, `not an HTTP response: ${err.name}`);
    }
    assert.equal(emu.accessKeys("bob").length, before, "a dropped call has no effect");
    assert.equal(emu.calls("CreateAccessKey"), 1);
    emu.injectFault({ action: "GetCallerIdentity", kind: "drop", count: 1 });
    const afterDrop = await sts(emu, ALICE, 2).send(new GetCallerIdentityCommand({}));
    assert.equal(afterDrop.$metadata.attempts, 2);
  }));

/** Text no terminal should print raw: escapes, BEL, bidi overrides, markup, CR, NUL, a lone surrogate. */
const HOSTILE =
  "\x1b[31mred\x1b[0m \x1b]0;title\x07 bell\x07 \u202Eevil\u202C <Tag a='1'>&amp; \"q\" " +
  "line\r\nnext\rcr\ttab \0nul \x7f\x9b csi \u{1F9E8} \uD800 lone ";

Deno.test("faults: error answers with hostile code and message come back exactly", () =>
  withEmulator(async (emu) => {
    const code = "Evil\x1b[2J\u202ECode<&>";
    const message = HOSTILE + "x".repeat(20_000);
    emu.injectFault({
      action: "GetCallerIdentity",
      kind: "error",
      count: 1,
      status: 400,
      code,
      message,
    });
    const stsErr = await rejects(sts(emu, ALICE).send(new GetCallerIdentityCommand({})), code, 400);
    assert.equal(stsErr.message, message);

    emu.injectFault({
      action: "ListMFADevices",
      kind: "error",
      count: 1,
      status: 403,
      code: "AccessDenied",
      message: HOSTILE,
    });
    const iamErr = await rejects(
      iam(emu, ALICE).send(new ListMFADevicesCommand({})),
      "AccessDenied",
      403,
    );
    assert.equal(iamErr.message, HOSTILE);

    emu.injectFault({
      action: "GetObject",
      kind: "error",
      count: 1,
      status: 503,
      code,
      message: HOSTILE,
    });
    const s3Err = await rejects(
      s3(emu, ALICE).send(
        new GetObjectCommand({ Bucket: "stc-roles", Key: "session-tool_roles.cfg" }),
      ),
      code,
      503,
    );
    assert.equal(s3Err.message, HOSTILE);
    assert.deepEqual(emu.faults(), []);
    const [first] = emu.requests();
    assert.equal(first.errorCode, code);

    assert.throws(
      () =>
        emu.injectFault({ action: "GetUser", kind: "error", count: 1, status: 200, code, message }),
      /status must be 300-599/,
    );
  }));

Deno.test("faults: STS answers with chosen credential fields", () =>
  withEmulator(async (emu) => {
    const hugeToken = "IQoJ" + "A".repeat(100 * 1024);
    emu.injectFault({
      action: "GetSessionToken",
      kind: "credentials",
      count: 1,
      credentials: { sessionToken: hugeToken },
    });
    const huge = await sts(emu, BOB).send(new GetSessionTokenCommand({}));
    assert.equal(huge.Credentials!.SessionToken, hugeToken);

    // Deno.serve refuses request heads much over 64 KB, so send back a smaller big token.
    const newlineSecret = "secret\nwith a newline and \r CR";
    const bigToken = "IQoJ" + "B".repeat(30 * 1024);
    emu.injectFault({
      action: "GetSessionToken",
      kind: "credentials",
      count: 1,
      credentials: { sessionToken: bigToken, secretAccessKey: newlineSecret },
    });
    const session = await sts(emu, BOB).send(new GetSessionTokenCommand({}));
    assert.equal(session.Credentials!.SessionToken, bigToken);
    assert.equal(session.Credentials!.SecretAccessKey, newlineSecret);
    assert.match(session.Credentials!.AccessKeyId!, /^ASIA[A-Z0-9]{16}$/);
    // The session is registered under the chosen values: a client sending them back gets in.
    const id = await sts(emu, creds(session.Credentials!)).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, "arn:aws:iam::111111111111:user/bob");

    const badId = "ASIA<&>\x1b[0m\u202E";
    emu.injectFault({
      action: "AssumeRole",
      kind: "credentials",
      count: 2,
      credentials: { accessKeyId: badId, expiration: "2031-02-03T04:05:06Z" },
    });
    // A call that fails before issuing credentials leaves the fault pending.
    await rejects(
      sts(emu, BOB).send(
        new AssumeRoleCommand({ RoleArn: DEV_ADMIN, RoleSessionName: "stc-test" }),
      ),
      "AccessDenied",
      403,
    );
    assert.equal(emu.faults()[0].count, 2);
    const role = await sts(emu, BOB).send(
      new AssumeRoleCommand({ RoleArn: DEV_RO, RoleSessionName: "stc-test" }),
    );
    assert.equal(role.Credentials!.AccessKeyId, badId);
    assert.equal(role.Credentials!.Expiration!.toISOString(), "2031-02-03T04:05:06.000Z");
    assert.equal(emu.faults()[0].count, 1);
    emu.clearFaults();

    emu.injectFault({
      action: "GetFederationToken",
      kind: "credentials",
      count: 1,
      credentials: { sessionToken: HOSTILE },
    });
    const fed = await sts(emu, BOB).send(new GetFederationTokenCommand({ Name: "stc-test" }));
    assert.equal(fed.Credentials!.SessionToken, HOSTILE);

    // An Expiration that is no date reaches the client as such (the SDK refuses it).
    emu.injectFault({
      action: "GetSessionToken",
      kind: "credentials",
      count: 1,
      credentials: { expiration: "\x1b[31mtomorrow" },
    });
    await assert.rejects(sts(emu, BOB).send(new GetSessionTokenCommand({})));
    assert.equal(emu.requests().at(-1)!.status, 200);

    assert.throws(
      () =>
        emu.injectFault({
          action: "GetCallerIdentity",
          kind: "credentials",
          count: 1,
          credentials: { sessionToken: "x" },
        }),
      /applies to GetSessionToken, AssumeRole, GetFederationToken only/,
    );
    assert.throws(
      () =>
        emu.injectFault({ action: "AssumeRole", kind: "credentials", count: 1, credentials: {} }),
      /needs credentials/,
    );
  }));

Deno.test("faults: hostile answers through the admin API", () =>
  withEmulator(async (emu) => {
    const post = async (body: unknown) => {
      const r = await fetch(`${emu.endpoint}/__admin/faults`, {
        method: "POST",
        body: JSON.stringify(body),
      });
      return [r.status, await r.json()];
    };
    const [status, pending] = await post({
      action: "GetCallerIdentity",
      kind: "error",
      status: 403,
      code: "AccessDenied",
      message: HOSTILE,
    });
    assert.equal(status, 200);
    assert.deepEqual(pending, [{
      action: "GetCallerIdentity",
      kind: "error",
      count: 1,
      status: 403,
      code: "AccessDenied",
      message: HOSTILE, // JSON.stringify writes a lone surrogate as \ud800
    }]);
    const err = await rejects(
      sts(emu, ALICE).send(new GetCallerIdentityCommand({})),
      "AccessDenied",
      403,
    );
    assert.equal(err.message, HOSTILE);

    assert.equal(
      (await post({
        action: "GetSessionToken",
        kind: "credentials",
        credentials: { sessionToken: "T\u202E" },
      }))[0],
      200,
    );
    const out = await sts(emu, BOB).send(new GetSessionTokenCommand({}));
    assert.equal(out.Credentials!.SessionToken, "T\u202E");
    assert.deepEqual(await post({ action: "GetUser", kind: "error", status: 404 }), [
      400,
      { error: "emulator: an error fault needs a code and a message (strings)" },
    ]);
    assert.deepEqual(await post({ action: "GetUser", kind: "nope" }), [
      400,
      { error: "emulator: fault kind must be one of throttle, 500, drop, error, credentials" },
    ]);
  }));

Deno.test("timeline: concurrent calls overlap under latency, sequential ones do not", () =>
  withEmulator(async (emu) => {
    const LATENCY = 200;
    emu.setLatency("GetCallerIdentity", LATENCY);
    emu.setLatency("GetSessionToken", LATENCY);
    assert.deepEqual(emu.latencies(), { GetCallerIdentity: LATENCY, GetSessionToken: LATENCY });
    const pair = () => emu.requests().slice(-2);

    await Promise.all([
      sts(emu, BOB).send(new GetCallerIdentityCommand({})),
      sts(emu, BOB).send(new GetSessionTokenCommand({})),
    ]);
    const concurrent = pair();
    assert.deepEqual(concurrent.map((r) => r.action).toSorted(), [
      "GetCallerIdentity",
      "GetSessionToken",
    ]);
    assert.ok(overlapping(concurrent), JSON.stringify(concurrent));
    for (const r of concurrent) {
      assert.equal(r.status, 200);
      assert.equal(r.authenticated, true);
      // Timers may fire a millisecond early against performance.now(); never much earlier.
      assert.ok(r.endedAt! - r.startedAt >= LATENCY - 2, `${r.action} held back`);
    }

    await sts(emu, BOB).send(new GetCallerIdentityCommand({}));
    await sts(emu, BOB).send(new GetSessionTokenCommand({}));
    const sequential = pair();
    assert.equal(overlapping(sequential), false, JSON.stringify(sequential));
    assert.ok(sequential[1].startedAt >= sequential[0].endedAt!);

    // "*" covers other actions, errors included; an action's own 0 overrides it.
    emu.clearLatencies();
    emu.setLatency("*", LATENCY);
    emu.setLatency("GetCallerIdentity", 0);
    await rejects(
      sts(emu, BOB).send(new AssumeRoleCommand({ RoleArn: DEV_ADMIN, RoleSessionName: "x" })),
      "ValidationError",
      400,
    );
    await sts(emu, BOB).send(new GetCallerIdentityCommand({}));
    const [denied, quick] = pair();
    assert.equal(denied.errorCode, "ValidationError");
    assert.equal(denied.status, 400);
    assert.ok(denied.endedAt! - denied.startedAt >= LATENCY - 2);
    assert.ok(quick.endedAt! - quick.startedAt < LATENCY);

    // A dropped connection is held back too, then has no status.
    emu.injectFault({ action: "GetUser", kind: "drop", count: 1 });
    await assert.rejects(iam(emu, BOB).send(new GetUserCommand({})));
    const dropped = emu.requests().at(-1)!;
    assert.equal(dropped.action, "GetUser");
    assert.equal(dropped.status, undefined);
    assert.ok(dropped.endedAt! - dropped.startedAt >= LATENCY - 2);
  }));

Deno.test("timeline: requests that fail authentication are recorded on request", () =>
  withEmulator(async (emu) => {
    await rejects(
      sts(emu, { ...ALICE, secretAccessKey: "wrong".padEnd(40, "x") }).send(
        new GetSessionTokenCommand({ DurationSeconds: 900 }),
      ),
      "SignatureDoesNotMatch",
      403,
    );
    const unsigned = await fetch(emu.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    await unsigned.body?.cancel();
    await rejects(
      iam(emu, { ...BOB, accessKeyId: "AKIAUNKNOWNKEY000000" }).send(new ListMFADevicesCommand({})),
      "InvalidClientTokenId",
      403,
    );
    assert.deepEqual(emu.requests(), [], "requests() lists authenticated requests only");
    assert.equal(emu.calls("GetSessionToken"), 0);
    const all = emu.requests({ includeUnauthenticated: true });
    assert.deepEqual(
      all.map((r) => [r.service, r.action, r.authenticated, r.caller, r.status, r.errorCode]),
      [
        ["sts", "GetSessionToken", false, undefined, 403, "SignatureDoesNotMatch"],
        ["sts", "GetCallerIdentity", false, undefined, 403, "MissingAuthenticationToken"],
        ["iam", "ListMFADevices", false, undefined, 403, "InvalidClientTokenId"],
      ],
    );
    assert.equal(all[0].params.DurationSeconds, "900");
    for (const [i, r] of all.entries()) {
      assert.ok(r.startedAt >= 0 && r.endedAt! >= r.startedAt);
      if (i > 0) assert.ok(r.startedAt >= all[i - 1].endedAt!, "one after the other");
    }
    const viaAdmin = await (await fetch(
      `${emu.endpoint}/__admin/requests?includeUnauthenticated=true`,
    )).json();
    assert.deepEqual(viaAdmin, all);
  }));

Deno.test("timeline: waitForRequest sees a held request in flight; close() does not wait for it", async () => {
  const emu = await startEmulator({ quiet: true });
  let settled = false;
  try {
    emu.setLatency("GetCallerIdentity", 600_000);
    const call = sts(emu, ALICE).send(new GetCallerIdentityCommand({})).then(
      () => "answered",
      () => "failed",
    ).finally(() => settled = true);
    const inFlight = await emu.waitForRequest((r) => r.action === "GetCallerIdentity");
    assert.equal(inFlight.endedAt, undefined);
    assert.equal(overlapping([inFlight, { startedAt: inFlight.startedAt + 1 }]), true);
    const again = await emu.waitForRequest((r) => r.action === "GetCallerIdentity");
    assert.equal(again.startedAt, inFlight.startedAt, "already received: resolves at once");
    assert.equal(settled, false);
    const pending = assert.rejects(emu.waitForRequest((r) => r.action === "AssumeRole"), /closed/);
    await emu.close();
    await pending;
    await call;
  } finally {
    await emu.close();
  }
});

Deno.test("timeline: lowering a latency releases the answers held longer", () =>
  withEmulator(async (emu) => {
    emu.setLatency("CreateAccessKey", 600_000);
    const call = iam(emu, ALICE).send(new CreateAccessKeyCommand({}));
    await emu.waitForRequest((r) => r.action === "CreateAccessKey");
    // The action is carried out at once; only its answer is held.
    assert.equal(emu.accessKeys("alice").length, 2);
    emu.setLatency("GetUser", 0);
    assert.equal(emu.requests()[0].endedAt, undefined, "another action's latency released it");
    emu.setLatency("CreateAccessKey", 0);
    const created = await call;
    assert.equal(created.AccessKey!.AccessKeyId, emu.accessKeys("alice")[1].accessKeyId);
    assert.equal(emu.calls("CreateAccessKey"), 1);

    emu.setLatency("*", 600_000);
    const held = iam(emu, ALICE).send(new ListAccessKeysCommand({}));
    await emu.waitForRequest((r) => r.action === "ListAccessKeys");
    emu.clearLatencies();
    assert.equal((await held).AccessKeyMetadata!.length, 2);
  }));

Deno.test("timeline: latency through the admin API", () =>
  withEmulator(async (emu) => {
    const admin = async (method: string, body?: unknown) => {
      const r = await fetch(`${emu.endpoint}/__admin/latency`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return [r.status, await r.json()];
    };
    assert.deepEqual(await admin("POST", { action: "*", ms: 25 }), [200, { "*": 25 }]);
    assert.deepEqual(await admin("GET"), [200, { "*": 25 }]);
    assert.deepEqual(await admin("POST", { action: "AssumeRole", ms: -1 }), [
      400,
      { error: "emulator: latency must be >= 0 ms" },
    ]);
    assert.deepEqual(await admin("DELETE"), [200, {}]);
    assert.deepEqual(emu.latencies(), {});
  }));

async function federation(emu: Emulator, params: Record<string, string>): Promise<Response> {
  const url = `${emu.federationEndpoint}?${new URLSearchParams(params)}`;
  return await fetch(url, { redirect: "manual" });
}

function sessionJson(c: Creds): string {
  return JSON.stringify({
    sessionId: c.accessKeyId,
    sessionKey: c.secretAccessKey,
    sessionToken: c.sessionToken,
  });
}

Deno.test("federation: sign-in token and one-time login", () =>
  withEmulator(async (emu) => {
    const session = await mfaSession(emu);
    // Assumed with long-term keys + MFA: not role chaining, so a 12-hour console session is fine.
    const role = await assume(emu, ALICE, DEV_ADMIN, {
      SerialNumber: ALICE_SERIAL,
      TokenCode: emu.totp("alice", 1),
    });
    const res = await federation(emu, {
      Action: "getSigninToken",
      Session: sessionJson(role),
      SessionDuration: "43200",
    });
    assert.equal(res.status, 200);
    const { SigninToken } = await res.json();
    assert.ok(SigninToken.length > 100);

    const destination = "https://console.aws.amazon.com/";
    const bad = await federation(emu, {
      Action: "login",
      Issuer: "",
      Destination: destination,
      SigninToken,
    });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
    const insecure = await federation(emu, {
      Action: "login",
      Issuer: "stc",
      Destination: "http://console.aws.amazon.com/",
      SigninToken,
    });
    assert.equal(insecure.status, 400);
    await insecure.body?.cancel();
    const ok = await federation(emu, {
      Action: "login",
      Issuer: "stc",
      Destination: destination,
      SigninToken,
    });
    assert.equal(ok.status, 302);
    assert.equal(ok.headers.get("location"), destination);
    await ok.body?.cancel();
    const again = await federation(emu, {
      Action: "login",
      Issuer: "stc",
      Destination: destination,
      SigninToken,
    });
    assert.equal(again.status, 400);
    await again.body?.cancel();
    assert.deepEqual(
      emu.logins().map((l) => [l.arn, l.sessionDuration]),
      [["arn:aws:sts::222222222222:assumed-role/Admin/stc-test", 43200]],
    );

    for (
      const [c, extra] of [
        [session, {}], // GetSessionToken credentials
        [ALICE, {}], // long-term keys
        [{ ...role, sessionToken: "forged" }, {}],
        [role, { SessionDuration: "43201" }],
        [role, { SessionDuration: "899" }],
        [await assume(emu, session, DEV_ADMIN), { SessionDuration: "7200" }], // chained
        [await assume(emu, session, DEV_ADMIN), { SessionDuration: "900" }], // chained: never allowed
      ] as [Creds, Record<string, string>][]
    ) {
      const r = await federation(emu, {
        Action: "getSigninToken",
        Session: sessionJson(c),
        ...extra,
      });
      assert.equal(r.status, 400, `${c.accessKeyId} ${JSON.stringify(extra)}`);
      assert.ok((await r.text()).length > 0);
    }

    // Federated-user credentials work; tokens expire after 15 minutes.
    const fed = await sts(emu, ALICE).send(
      new GetFederationTokenCommand({ Name: "alice-console" }),
    );
    const fedWithDuration = await federation(emu, {
      Action: "getSigninToken",
      Session: sessionJson(creds(fed.Credentials!)),
      SessionDuration: "3600",
    });
    assert.equal(fedWithDuration.status, 400, "AWS refuses SessionDuration for federated users");
    await fedWithDuration.body?.cancel();
    const t = await federation(emu, {
      Action: "getSigninToken",
      Session: sessionJson(creds(fed.Credentials!)),
    });
    const token = (await t.json()).SigninToken;
    emu.advanceClock(901);
    const late = await federation(emu, {
      Action: "login",
      Issuer: "stc",
      Destination: destination,
      SigninToken: token,
    });
    assert.equal(late.status, 400);
    await late.body?.cancel();
    // Expired role credentials cannot get a token either.
    emu.advanceClock(3600);
    const expired = await federation(emu, { Action: "getSigninToken", Session: sessionJson(role) });
    assert.equal(expired.status, 400);
    await expired.body?.cancel();
  }));

Deno.test("admin HTTP API mirrors the in-process controls", () =>
  withEmulator(async (emu) => {
    const get = async (path: string) => {
      const r = await fetch(`${emu.endpoint}/__admin/${path}`);
      assert.equal(r.status, 200, path);
      return r;
    };
    const post = async (path: string, body: unknown) => {
      const r = await fetch(`${emu.endpoint}/__admin/${path}`, {
        method: "POST",
        body: JSON.stringify(body),
      });
      assert.equal(r.status, 200, path);
      return await r.json();
    };
    assert.equal(
      (await (await get("totp?user=alice&format=text")).text()).trim(),
      emu.totp("alice"),
    );
    assert.equal((await (await get("totp?user=alice")).json()).serialNumber, ALICE_SERIAL);
    await post("clock", { offsetSeconds: 120 });
    assert.ok(Math.abs(emu.now().getTime() - Date.now() - 120_000) < 1000);
    await post("faults", { action: "GetCallerIdentity", kind: "500", count: 1 });
    await rejects(sts(emu, ALICE).send(new GetCallerIdentityCommand({})), "InternalFailure", 500);
    const keys = await (await get("access-keys?user=alice")).json();
    assert.equal(keys[0].accessKeyId, ALICE.accessKeyId);
    assert.equal(
      await (await get("object?bucket=stc-roles&key=session-tool_roles.cfg")).text(),
      new TextDecoder().decode(emu.object("stc-roles", "session-tool_roles.cfg")),
    );
    assert.deepEqual(await (await get("calls?action=GetCallerIdentity")).json(), {
      action: "GetCallerIdentity",
      calls: 1,
    });
    const missing = await fetch(`${emu.endpoint}/__admin/nope`);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  }));

await testWith(
  ["aws-cli-v2"],
  "aws cli v2: every sts, iam and s3 action against the emulator",
  async () => {
    const aws = (await awsCliV2())!;
    await withEmulator(async (emu) => {
      const home = await Deno.makeTempDir();
      try {
        const run = async (c: Creds, args: string[], stdin?: string) => {
          const env: Record<string, string> = {
            HOME: home,
            PATH: "/usr/bin:/bin",
            AWS_ACCESS_KEY_ID: c.accessKeyId,
            AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
            AWS_DEFAULT_REGION: "eu-west-1",
            AWS_EC2_METADATA_DISABLED: "true",
            AWS_PAGER: "",
          };
          if (c.sessionToken) env.AWS_SESSION_TOKEN = c.sessionToken;
          const child = new Deno.Command(aws, {
            args: [...args, "--endpoint-url", emu.endpoint, "--output", "json"],
            env,
            clearEnv: true,
            stdin: stdin === undefined ? "null" : "piped",
            stdout: "piped",
            stderr: "piped",
          }).spawn();
          if (stdin !== undefined) {
            const w = child.stdin.getWriter();
            await w.write(new TextEncoder().encode(stdin));
            await w.close();
          }
          const out = await child.output();
          return {
            code: out.code,
            stdout: new TextDecoder().decode(out.stdout),
            stderr: new TextDecoder().decode(out.stderr),
          };
        };
        const id = await run(ALICE, ["sts", "get-caller-identity"]);
        assert.equal(id.code, 0, id.stderr);
        assert.equal(JSON.parse(id.stdout).Arn, "arn:aws:iam::111111111111:user/alice");

        const denied = await run(ALICE, ["sts", "get-session-token"]);
        assert.notEqual(denied.code, 0);
        assert.match(denied.stderr, /AccessDenied/);
        const gst = await run(ALICE, [
          "sts",
          "get-session-token",
          "--serial-number",
          ALICE_SERIAL,
          "--token-code",
          emu.totp("alice"),
        ]);
        assert.equal(gst.code, 0, gst.stderr);
        const session = creds(JSON.parse(gst.stdout).Credentials);
        const sid = await run(session, ["sts", "get-caller-identity"]);
        assert.equal(JSON.parse(sid.stdout).Arn, "arn:aws:iam::111111111111:user/alice");

        const cat = await run(ALICE, ["s3", "cp", "s3://stc-roles/session-tool_roles.cfg", "-"]);
        assert.equal(cat.code, 0, cat.stderr);
        assert.equal(
          cat.stdout,
          new TextDecoder().decode(emu.object("stc-roles", "session-tool_roles.cfg")),
        );
        const admin = await assume(emu, session, DEV_ADMIN);
        const up = await run(
          admin,
          ["s3", "cp", "-", "s3://stc-roles/from-cli.txt"],
          "uploaded by aws cli\n",
        );
        assert.equal(up.code, 0, up.stderr);
        assert.equal(
          new TextDecoder().decode(emu.object("stc-roles", "from-cli.txt")),
          "uploaded by aws cli\n",
        );

        const json = (r: { code: number; stdout: string; stderr: string }) => {
          assert.equal(r.code, 0, r.stderr);
          return JSON.parse(r.stdout || "{}");
        };
        const iamArgs = (...args: string[]) => ["iam", ...args, "--region", "us-east-1"];
        // Independent calls run side by side: each CLI start costs about half a second.
        const [role, badMfa, fed, user, mfa, policy, head, list] = await Promise.all([
          run(session, [
            "sts",
            "assume-role",
            "--role-arn",
            DEV_RO,
            "--role-session-name",
            "cli-test",
          ]),
          run(ALICE, [
            "sts",
            "get-session-token",
            "--serial-number",
            ALICE_SERIAL,
            "--token-code",
            "000000",
          ]),
          run(ALICE, ["sts", "get-federation-token", "--name", "cli-fed"]),
          run(ALICE, iamArgs("get-user")),
          run(ALICE, iamArgs("list-mfa-devices")),
          run(ALICE, iamArgs("get-account-password-policy")),
          run(ALICE, [
            "s3api",
            "head-object",
            "--bucket",
            "stc-roles",
            "--key",
            "session-tool_roles.cfg",
          ]),
          run(ALICE, ["s3api", "list-objects-v2", "--bucket", "stc-roles"]),
        ]);
        assert.equal(
          json(role).AssumedRoleUser.Arn,
          "arn:aws:sts::222222222222:assumed-role/ReadOnly/cli-test",
        );
        assert.notEqual(badMfa.code, 0);
        assert.match(
          badMfa.stderr,
          /AccessDenied.*MultiFactorAuthentication failed with invalid MFA one time pass code\./,
        );
        assert.match(json(fed).FederatedUser.Arn, /:federated-user\/cli-fed$/);
        assert.equal(json(user).User.UserName, "alice");
        assert.equal(json(mfa).MFADevices[0].SerialNumber, ALICE_SERIAL);
        assert.equal(json(policy).PasswordPolicy.MinimumPasswordLength, 14);
        assert.equal(
          json(head).ContentLength,
          emu.object("stc-roles", "session-tool_roles.cfg")?.length,
        );
        assert.ok(json(list).Contents.some((o: { Key: string }) => o.Key === "from-cli.txt"));

        // bob's keys: he has 2 (one inactive): a third is refused; delete, create, deactivate, delete.
        const full = await run(BOB, iamArgs("create-access-key"));
        assert.notEqual(full.code, 0);
        assert.match(full.stderr, /LimitExceeded/);
        json(
          await run(BOB, iamArgs("delete-access-key", "--access-key-id", BOB_INACTIVE.accessKeyId)),
        );
        const created = json(await run(BOB, iamArgs("create-access-key"))).AccessKey;
        json(
          await run(
            BOB,
            iamArgs(
              "update-access-key",
              "--access-key-id",
              created.AccessKeyId,
              "--status",
              "Inactive",
            ),
          ),
        );
        const listed = json(await run(BOB, iamArgs("list-access-keys"))).AccessKeyMetadata;
        assert.equal(
          listed.find((k: { AccessKeyId: string }) => k.AccessKeyId === created.AccessKeyId).Status,
          "Inactive",
        );
        json(await run(BOB, iamArgs("delete-access-key", "--access-key-id", created.AccessKeyId)));
        assert.ok(!emu.accessKeys("bob").some((k) => k.accessKeyId === created.AccessKeyId));
        const wrongOld = await run(
          BOB,
          iamArgs(
            "change-password",
            "--old-password",
            "not-it",
            "--new-password",
            "Bob-Cli-Passw0rd!!",
          ),
        );
        assert.notEqual(wrongOld.code, 0);
        json(
          await run(
            BOB,
            iamArgs(
              "change-password",
              "--old-password",
              "Bob-Emulator-Passw0rd!",
              "--new-password",
              "Bob-Cli-Passw0rd!!",
            ),
          ),
        );
        assert.equal(emu.userPassword("bob"), "Bob-Cli-Passw0rd!!");
      } finally {
        await Deno.remove(home, { recursive: true });
      }
    });
  },
);

Deno.test("unsigned requests are refused in each service's format", () =>
  withEmulator(async (emu) => {
    const query = await fetch(emu.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    assert.equal(query.status, 403);
    assert.match(await query.text(), /<Code>MissingAuthenticationToken<\/Code>/);
    const object = await fetch(`${emu.endpoint}/stc-roles/session-tool_roles.cfg`);
    assert.equal(object.status, 403);
    assert.match(await object.text(), /^<\?xml[^]*<Error><Code>AccessDenied<\/Code>/);
    assert.equal(emu.requests().length, 0);
  }));

Deno.test("deno task emulator: prints endpoint, CSV, TOTP secret and code command; Ctrl-C stops it", async () => {
  const root = new URL("../../", import.meta.url);
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  const [deno, ...args] = (config.tasks.emulator as string).split(" ");
  assert.equal(deno, "deno");
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: root.pathname,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  try {
    while (!output.includes("Ctrl-C to stop")) {
      const { value, done } = await reader.read();
      if (done) break;
      output += value;
    }
    const endpoint = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output)?.[1];
    assert.ok(endpoint, output);
    assert.match(output, new RegExp(`export AWS_ENDPOINT_URL=${endpoint}\n`));
    assert.match(output, new RegExp(`export STC_FEDERATION_ENDPOINT=${endpoint}/federation\n`));
    assert.match(output, /TOTP secret \(base32\): ALICEMFASECRETBASE32EMULATORKEYS\n/);
    const csvPath = /access key CSV \(console format\): (\S+)\n/.exec(output)?.[1];
    assert.ok(csvPath, output);
    assert.equal((await Deno.stat(csvPath)).mode! & 0o777, 0o600);
    assert.equal(
      await Deno.readTextFile(csvPath),
      `Access key ID,Secret access key\n${ALICE.accessKeyId},${ALICE.secretAccessKey}\n`,
    );
    const codeUrl = /Current MFA code: +curl -s '([^']+)'\n/.exec(output)?.[1];
    assert.equal(codeUrl, `${endpoint}/__admin/totp?user=alice&format=text`);
    const code = (await (await fetch(codeUrl!)).text()).trim();
    assert.match(code, /^\d{6}$/);
    const id = await sts({ endpoint } as Emulator, ALICE).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, "arn:aws:iam::111111111111:user/alice");

    child.kill("SIGINT");
    const status = await child.status;
    assert.equal(status.code, 0);
    await assert.rejects(Deno.stat(csvPath), Deno.errors.NotFound, "the CSV is removed on exit");
  } finally {
    reader.releaseLock();
    await child.stdout.cancel().catch(() => {});
    await child.stderr.cancel();
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
    await child.status;
  }
});
