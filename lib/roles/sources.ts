/**
 * Where the roles of a profile come from (the local roles file, the organisation's list, Coinbase's accounts file
 * and the AWS CLI profiles), read from disk; and the names they define, for completion and `stc roles --names`,
 * loading the catalog's parsers (roles/catalog.ts, for `stc roles` and `stc assume`) only for the sources that
 * need them.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { awsDir, profileFile } from "../fs/paths.ts";
import { awsPaths, type LoadedProfiles, loadProfiles } from "../config/aws_files.ts";
import { readOptionalText } from "../fs/read.ts";
import { MAX_ROLES_FILE_BYTES, scanRoleAliases } from "./scan.ts";
import type { Env } from "../core/env.ts";

/** The files roles come from for one profile. */
export interface RolePaths {
  /** `~/.aws/<profile>_roles.cfg`: the user's own aliases (win over the organisation's). */
  local: string;
  /** `~/.aws/<profile>_session-tool_roles.cfg`: the organisation's list (`stc roles --download`). */
  organisation: string;
  /** `$ACCOUNTS_FILE`, else `~/.aws/accounts`: Coinbase assume-role's account names. */
  accounts: string;
  /** The AWS config file (profiles with `role_arn`). */
  config: string;
  /** The AWS credentials file. */
  credentials: string;
}

/** The role files of `profile`. A profile name that is not a plain file name gets no roles files. */
export function rolePaths(env: Env, profile: string): RolePaths {
  const paths = awsPaths(env);
  return {
    local: profileFile(env, profile, "_roles.cfg") ?? "",
    organisation: profileFile(env, profile, "_session-tool_roles.cfg") ?? "",
    // Coinbase's assume-role reads ACCOUNTS_FILE too.
    accounts: env.ACCOUNTS_FILE || join(awsDir(env), "accounts"),
    config: paths.config,
    credentials: paths.credentials,
  };
}

/** The texts of the role sources of `profile` (empty where a file is missing) and the parsed AWS files. */
export interface RoleSources {
  /** Where they are. */
  paths: RolePaths;
  /** The local roles file. */
  local: string;
  /** The organisation's roles file. */
  organisation: string;
  /** The accounts file. */
  accounts: string;
  /** The AWS config and credentials files (`role_arn` profiles), as given or read. */
  profiles: LoadedProfiles;
}

/** Reads the role sources of `profile`; `loaded` are the AWS files when the caller has read them already. */
export async function readRoleSources(
  env: Env,
  profile: string,
  loaded?: LoadedProfiles,
): Promise<RoleSources> {
  const paths = rolePaths(env, profile);
  const [local, organisation, accounts, profiles] = await Promise.all([
    readOptionalText(paths.local, { maxBytes: MAX_ROLES_FILE_BYTES }),
    readOptionalText(paths.organisation, { maxBytes: MAX_ROLES_FILE_BYTES }),
    readOptionalText(paths.accounts),
    loaded ?? loadProfiles(env),
  ]);
  return { paths, local, organisation, accounts, profiles };
}

/** The names {@linkcode loadRoleNames} gives. */
export interface RoleNames {
  /** Every name `stc assume` accepts first, as `assumableNames` (catalog.ts) lists them: aliases, then accounts. */
  names: string[];
  /** Whether a roles file (rather than only the AWS config or the accounts file) defines any. */
  fromFiles: boolean;
}

/**
 * The names of `loadRoleListing` (load.ts) alone (`stc roles --names`, `stc complete roles`): one scan of each
 * roles file for its aliases, and one set to drop repeats, in priority order.
 */
export async function loadRoleNames(
  env: Env,
  profile: string,
  loaded?: LoadedProfiles,
): Promise<RoleNames> {
  const { paths, local, organisation, accounts, profiles } = await readRoleSources(
    env,
    profile,
    loaded,
  );
  const aliases = joined([scanRoleAliases(local), scanRoleAliases(organisation)]);
  let names = aliases;
  if (hasConfigRoles(profiles) || accounts !== "") {
    // The catalog's parsers, only for the sources that need them: most lists come from the roles files alone.
    const { parseAccountsJson, rolesFromProfiles } = await import("./catalog.ts");
    names = joined([
      aliases,
      rolesFromProfiles(profiles.files, paths.config).roles.map((role) => role.alias),
      parseAccountsJson(accounts, paths.accounts).accounts.map((account) => account.name),
    ]);
  }
  const unique = new Set(names);
  return {
    names: unique.size === names.length ? names : [...unique],
    fromFiles: aliases.length > 0,
  };
}

/** The lists one after the other; a single non-empty list is not copied (a roles list may be thousands long). */
function joined(lists: readonly string[][]): string[] {
  const full = lists.filter((list) => list.length > 0);
  return full.length === 1 ? full[0] : ([] as string[]).concat(...full);
}

/** Whether a profile of the AWS files has `role_arn` (then it may be a role alias). */
function hasConfigRoles(profiles: LoadedProfiles): boolean {
  for (const name in profiles.files.profiles) {
    if (profiles.files.profiles[name].role_arn !== undefined) return true;
  }
  return false;
}
