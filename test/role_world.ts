/**
 * Shared setup of the role tests: an emulator, a temporary HOME with alice's profile `awsops` and the
 * organisation's roles file, and base sessions made the way `stc session` makes them.
 *
 * @module
 */

import { getCallerIdentity, getSessionToken } from "../lib/aws/client.ts";
import type { SessionRecord } from "../lib/session/variables.ts";
import { type Emulator, startEmulator } from "./emulator/server.ts";
import { makeHome, type TempHome } from "./helpers.ts";

/** alice's long-term key in the emulator fixture. */
export const ALICE_KEY = "AKIAALICEEXAMPLEKEY1";
/** Its secret. */
export const ALICE_SECRET = "aliceEmulatorSecretKey0123456789abcdefgh";
/** alice's MFA device. */
export const ALICE_SERIAL = "arn:aws:iam::111111111111:mfa/alice";
/** alice's user ARN. */
export const ALICE_ARN = "arn:aws:iam::111111111111:user/alice";

/** The organisation's roles file, as in the emulator's bucket. */
export const ORG_ROLES = `# session-tool roles: alias role_arn session_name [external_id]
dev-admin arn:aws:iam::222222222222:role/Admin alice-dev-admin
dev-ro arn:aws:iam::222222222222:role/ReadOnly alice-dev-ro
dev-vendor arn:aws:iam::222222222222:role/Vendor alice-vendor stc-vendor-external-id
prod-admin arn:aws:iam::333333333333:role/Admin alice-prod-admin
prod-ro arn:aws:iam::333333333333:role/ReadOnly alice-prod-ro
`;

/** Variables the tests read back from bash. */
export const VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_ROLE_ALIAS",
  "AWS_ACCOUNT_ID",
  "AWS_ACCOUNT_NAME",
  "AWS_ACCOUNT_ROLE",
  "AWS_EXPIRATION",
  "AWS_EXPIRATION_S",
  "AWS_PROFILE",
  "AWS_USERNAME",
];

/** A running emulator and a temporary HOME. */
export interface World {
  emulator: Emulator;
  home: TempHome;
  /** Environment of a shell with profile awsops selected and no session. */
  env: Record<string, string>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts an emulator and a HOME with profile awsops (plus `extraConfig`). */
export async function world(extraConfig = ""): Promise<World> {
  const emulator = await startEmulator({ quiet: true });
  const home = await makeHome();
  await home.write(
    ".aws/config",
    `[profile awsops]\nregion = us-east-1\nmfa_serial = ${ALICE_SERIAL}\n` +
      `session-tool_bucketname = stc-roles\n${extraConfig}`,
  );
  await home.write(
    ".aws/credentials",
    `[awsops]\naws_access_key_id = ${ALICE_KEY}\naws_secret_access_key = ${ALICE_SECRET}\n`,
    0o600,
  );
  await home.write(".aws/awsops_session-tool_roles.cfg", ORG_ROLES);
  return {
    emulator,
    home,
    env: { ...home.env, ...emulator.env(), AWS_PROFILE: "awsops" },
    async [Symbol.asyncDispose]() {
      await emulator.close();
      await home[Symbol.asyncDispose]();
    },
  };
}

/** A base MFA session, made as `stc session` makes it, for STC_BASE_SESSION. */
export async function baseSession(w: World, durationSeconds = 43200): Promise<SessionRecord> {
  const credentials = await getSessionToken(
    {
      env: w.emulator.env(),
      region: "us-east-1",
      credentials: { accessKeyId: ALICE_KEY, secretAccessKey: ALICE_SECRET },
    },
    { durationSeconds, serialNumber: ALICE_SERIAL, tokenCode: w.emulator.totp("alice") },
  );
  return {
    profile: "awsops",
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken!,
    expiration: credentials.expiration!.toISOString(),
    userArn: ALICE_ARN,
    userName: "alice",
    serial: ALICE_SERIAL,
    region: "us-east-1",
  };
}

/** The world's environment with a base session handed over, as the shell function does. */
export function withBase(
  w: World,
  base: SessionRecord,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { ...w.env, STC_BASE_SESSION: JSON.stringify(base), ...extra };
}

/** The ARN behind the credentials in `vars`. */
export async function assumedArn(
  w: World,
  vars: Record<string, string | undefined>,
): Promise<string> {
  const identity = await getCallerIdentity({
    env: w.emulator.env(),
    region: "us-east-1",
    credentials: {
      accessKeyId: vars.AWS_ACCESS_KEY_ID!,
      secretAccessKey: vars.AWS_SECRET_ACCESS_KEY!,
      sessionToken: vars.AWS_SESSION_TOKEN,
    },
  });
  return identity.arn;
}
