/**
 * Reads every role source of a profile from disk and merges them (parsing is roles/catalog.ts): the local roles
 * file, the organisation's list, Coinbase's accounts file and the AWS CLI profiles. Loads no AWS code, so
 * `stc roles --names` stays cheap enough for tab completion.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { awsDir, profileFile } from "../fs/paths.ts";
import { awsPaths, type LoadedProfiles, loadProfiles } from "../config/aws_files.ts";
import { readOptionalText } from "../fs/read.ts";
import {
  formatProblem,
  MAX_ROLES_FILE_BYTES,
  mergeRoles,
  parseAccountsJson,
  parseRolesFile,
  type RoleCatalog,
  type RoleName,
  type RoleProblem,
  rolesFromProfiles,
  scanRoleAliases,
  scanRolesFile,
} from "./catalog.ts";
import type { Notices } from "../term/term.ts";
import type { Env } from "../core/env.ts";
import { counted } from "../core/plural.ts";
import { msg } from "../core/message.ts";

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

/** The texts of the role sources of `profile` (undefined where a file is missing), read at once. */
async function readRoleSources(env: Env, profile: string, loaded: LoadedProfiles | undefined) {
  const paths = rolePaths(env, profile);
  const [local, organisation, accounts, profiles] = await Promise.all([
    readOptionalText(paths.local, { maxBytes: MAX_ROLES_FILE_BYTES }),
    readOptionalText(paths.organisation, { maxBytes: MAX_ROLES_FILE_BYTES }),
    readOptionalText(paths.accounts),
    loaded ?? loadProfiles(env),
  ]);
  return { paths, local, organisation, accounts, profiles };
}

/** Loads and merges every role source of `profile`, in priority order. */
export async function loadRoleCatalog(
  env: Env,
  profile: string,
  loaded?: LoadedProfiles,
): Promise<RoleCatalog> {
  const { paths, local, organisation, accounts, profiles } = await readRoleSources(
    env,
    profile,
    loaded,
  );
  return mergeRoles(
    [
      parseRolesFile(local, paths.local, "local"),
      parseRolesFile(organisation, paths.organisation, "organisation"),
      rolesFromProfiles(profiles.files, paths.config, profiles.configLines),
    ],
    parseAccountsJson(accounts, paths.accounts),
  );
}

/** The names {@linkcode loadRoleCatalog} would give, for completion and `stc roles --names`. */
export interface RoleListing {
  /** Every role alias with its ARN, the winning definition of each, in priority order. */
  roles: RoleName[];
  /** Whether a roles file (rather than only the AWS config) defines any. */
  fromFiles: boolean;
  /** Account names and ids of the accounts file, in file order. */
  accounts: { name: string; accountId: string }[];
}

/**
 * The role aliases and account names of `profile`, the same and in the same order as
 * {@linkcode loadRoleCatalog}'s, read without building the catalog: the roles files are scanned, not parsed
 * (their problems are for `stc roles`, not completion).
 */
export async function loadRoleListing(
  env: Env,
  profile: string,
  loaded?: LoadedProfiles,
): Promise<RoleListing> {
  const { paths, local, organisation, accounts, profiles } = await readRoleSources(
    env,
    profile,
    loaded,
  );
  const files = [...scanRolesFile(local), ...scanRolesFile(organisation)];
  const config = rolesFromProfiles(profiles.files, paths.config, profiles.configLines).roles;
  const seen = new Set<string>();
  const roles: RoleName[] = [];
  for (const list of [files, config]) {
    for (const { alias, roleArn } of list) {
      if (seen.has(alias)) continue;
      seen.add(alias);
      roles.push({ alias, roleArn });
    }
  }
  return {
    roles,
    fromFiles: files.length > 0,
    accounts: parseAccountsJson(accounts, paths.accounts).accounts.map(({ name, accountId }) => ({
      name,
      accountId,
    })),
  };
}

/** The names {@linkcode loadRoleNames} gives. */
export interface RoleNames {
  /** Every name `stc assume` accepts first, as {@linkcode assumableNames} lists them: aliases, then accounts. */
  names: string[];
  /** Whether a roles file (rather than only the AWS config or the accounts file) defines any. */
  fromFiles: boolean;
}

/**
 * The names of {@linkcode loadRoleListing} alone (`stc roles --names`, `stc complete roles`): one scan of each
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
  const names = joined([
    aliases,
    rolesFromProfiles(profiles.files, paths.config).roles.map((role) => role.alias),
    parseAccountsJson(accounts, paths.accounts).accounts.map((account) => account.name),
  ]);
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

/** Warns about problems in the role sources: the first `limit`, then how many more. */
export function reportProblems(
  notices: Notices,
  problems: readonly RoleProblem[],
  limit = 10,
): void {
  for (const problem of problems.slice(0, limit)) notices.warn(formatProblem(problem));
  if (problems.length > limit) {
    notices.warn(
      msg`${
        counted(problems.length - limit, "more problem")
      } in the role files ('stc roles' lists them all)`,
    );
  }
}
