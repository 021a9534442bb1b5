/**
 * Resolution of a selected profile into the chain of credential sources the AWS SDKs would use:
 * a base source (static keys, a named `credential_source`, web identity, SSO, credential_process)
 * followed by zero or more roles to assume, innermost first. Follows
 * test/fixtures/assume-role-tests.json. Pure: no I/O.
 *
 * @module
 */

import { getProfile, type Profile, type ProfileFiles } from "./ini.ts";

/** Where the first credentials of a chain come from. */
export type ChainBase =
  | {
    type: "AccessKey";
    /** Profile holding the keys. */
    profile: string;
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
    accountId?: string;
  }
  | {
    type: "NamedSource";
    profile: string;
    /** `credential_source` value: `Environment`, `Ec2InstanceMetadata` or `EcsContainer`. */
    name: string;
  }
  | {
    type: "WebIdentityToken";
    profile: string;
    roleArn: string;
    webIdentityTokenFile: string;
    roleSessionName?: string;
  }
  | {
    type: "Sso";
    profile: string;
    ssoSession?: string;
    ssoRegion: string;
    ssoStartUrl: string;
    ssoAccountId?: string;
    ssoRoleName?: string;
  }
  | {
    type: "CredentialProcess";
    profile: string;
    /** The `credential_process` command line. */
    command: string;
  };

/** One role to assume with the credentials of the previous step. */
export interface AssumeRoleStep {
  /** Profile defining the role. */
  profile: string;
  /** `role_arn` of the profile. */
  roleArn: string;
  /** `external_id` of the profile, if any. */
  externalId?: string;
  /** `role_session_name` of the profile, if any. */
  roleSessionName?: string;
  /** `mfa_serial` of the profile, if any. */
  mfaSerial?: string;
  /** `duration_seconds` of the profile, unparsed. */
  durationSeconds?: string;
}

/** A resolved chain: get credentials from `base`, then assume each of `roles` in order. */
export interface ProfileChain {
  /** The first source of credentials. */
  base: ChainBase;
  /** Roles to assume in order, each with the credentials of the previous step. */
  roles: AssumeRoleStep[];
}

/** A profile cannot be resolved into credentials. The message names profiles, never values. */
export class ProfileChainError extends Error {
  /** Profile the problem was found in. */
  readonly profile: string;
  /** Creates the error for `profile`. */
  constructor(profile: string, message: string) {
    super(message);
    this.name = "ProfileChainError";
    this.profile = profile;
  }
}

function staticCredentials(name: string, p: Profile): ChainBase | undefined {
  const id = p.aws_access_key_id;
  const secret = p.aws_secret_access_key;
  const token = p.aws_session_token;
  if (id === undefined && secret === undefined && token === undefined) return undefined;
  if (id === undefined) throw new ProfileChainError(name, "profile missing aws_access_key_id");
  if (secret === undefined) {
    throw new ProfileChainError(name, "profile missing aws_secret_access_key");
  }
  return {
    type: "AccessKey",
    profile: name,
    accessKeyId: id,
    secretAccessKey: secret,
    ...(token !== undefined ? { sessionToken: token } : {}),
    ...(p.aws_account_id !== undefined ? { accountId: p.aws_account_id } : {}),
  };
}

function webIdentity(name: string, p: Profile): ChainBase | undefined {
  const file = p.web_identity_token_file;
  if (file === undefined) return undefined;
  if (p.role_arn === undefined) {
    throw new ProfileChainError(
      name,
      `profile \`${name}\`: \`web_identity_token_file\` was specified but \`role_arn\` was missing`,
    );
  }
  return {
    type: "WebIdentityToken",
    profile: name,
    roleArn: p.role_arn,
    webIdentityTokenFile: file,
    ...(p.role_session_name !== undefined ? { roleSessionName: p.role_session_name } : {}),
  };
}

function sso(files: ProfileFiles, name: string, p: Profile): ChainBase | undefined {
  const { sso_account_id: account, sso_role_name: role, sso_session: session } = p;
  let region = p.sso_region;
  let startUrl = p.sso_start_url;
  if ([account, role, region, startUrl, session].every((v) => v === undefined)) return undefined;
  const fail = (message: string) => new ProfileChainError(name, `profile \`${name}\`: ${message}`);
  if (session !== undefined) {
    for (const [key, value] of [["sso_start_url", startUrl], ["sso_region", region]]) {
      if (value !== undefined) {
        throw fail(
          `\`${key}\` can only be specified in the [sso-session] config when a session name is given`,
        );
      }
    }
    if (!Object.hasOwn(files.ssoSessions, session)) {
      throw new ProfileChainError(
        name,
        `sso-session named \`${session}\` (referenced by profile \`${name}\`) was not found`,
      );
    }
    ({ sso_region: region, sso_start_url: startUrl } = files.ssoSessions[session]);
  }
  if (account !== undefined && role === undefined) {
    throw fail("if `sso_account_id` is set, then `sso_role_name` must also be set");
  }
  if (role !== undefined && account === undefined) {
    throw fail("if `sso_role_name` is set, then `sso_account_id` must also be set");
  }
  if (region === undefined) throw fail("`sso_region` is missing");
  if (startUrl === undefined) throw fail("`sso_start_url` is missing");
  const optional = { ssoSession: session, ssoAccountId: account, ssoRoleName: role };
  return {
    type: "Sso",
    profile: name,
    ssoRegion: region,
    ssoStartUrl: startUrl,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/** A profile's own source of credentials, when it is the end of the chain. */
function baseProvider(files: ProfileFiles, name: string, p: Profile): ChainBase {
  if (p.credential_source !== undefined) {
    return { type: "NamedSource", profile: name, name: p.credential_source };
  }
  const base = webIdentity(name, p) ?? sso(files, name, p) ??
    (p.credential_process !== undefined
      ? { type: "CredentialProcess", profile: name, command: p.credential_process }
      : undefined) ??
    staticCredentials(name, p);
  if (!base) {
    throw new ProfileChainError(name, `profile \`${name}\` did not contain credential information`);
  }
  return base;
}

/** The role a profile assumes, unless it is a web-identity profile (whose role is its base). */
function roleOf(name: string, p: Profile): AssumeRoleStep | undefined {
  if (p.web_identity_token_file !== undefined || p.role_arn === undefined) return undefined;
  const optional = {
    externalId: p.external_id,
    roleSessionName: p.role_session_name,
    mfaSerial: p.mfa_serial,
    durationSeconds: p.duration_seconds,
  };
  return {
    profile: name,
    roleArn: p.role_arn,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/**
 * Resolves `selected` into its chain of credential sources, the way the AWS SDKs do: follow
 * `source_profile` links (a linked profile with static keys ends the chain even if it also has a
 * role), stop at `credential_source`, web identity, SSO, `credential_process` or static keys, and
 * reject loops. Throws {@linkcode ProfileChainError}.
 */
export function resolveProfileChain(files: ProfileFiles, selected: string): ProfileChain {
  if (Object.keys(files.profiles).length === 0) {
    throw new ProfileChainError(selected, "No profiles were defined");
  }
  const visited: string[] = [];
  const roles: AssumeRoleStep[] = [];
  let name = selected;
  for (;;) {
    const profile = getProfile(files, name);
    if (!profile) {
      throw new ProfileChainError(
        name,
        `could not find source profile ${name} referenced from ${
          visited.at(-1) ?? "the root profile"
        }`,
      );
    }
    if (visited.includes(name)) {
      throw new ProfileChainError(
        name,
        `profile formed an infinite loop: ${[...visited, name].join(" -> ")}`,
      );
    }
    visited.push(name);
    if (visited.length > 1) {
      // A source profile's static keys win over its own role: the SDKs stop here.
      try {
        const keys = staticCredentials(name, profile);
        if (keys) return { base: keys, roles: roles.reverse() };
      } catch (e) {
        if (!(e instanceof ProfileChainError)) throw e;
      }
    }
    const role = roleOf(name, profile);
    if (!role) return { base: baseProvider(files, name, profile), roles: roles.reverse() };
    const source = profile.source_profile;
    const credentialSource = profile.credential_source;
    if (source !== undefined && credentialSource !== undefined) {
      throw new ProfileChainError(
        name,
        `profile contained both source_profile and credential_source (profile \`${name}\`); only one can be set`,
      );
    }
    if (source === undefined && credentialSource === undefined) {
      throw new ProfileChainError(
        name,
        `profile \`${name}\` has role_arn, so the profile must contain \`source_profile\` or \`credential_source\``,
      );
    }
    roles.push(role);
    if (source === undefined || source === name) {
      // credential_source, or a profile that is its own source: its own keys are the base.
      return { base: baseProvider(files, name, profile), roles: roles.reverse() };
    }
    name = source;
  }
}
