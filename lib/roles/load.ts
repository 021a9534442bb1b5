/**
 * Every role source of a profile (read by roles/sources.ts) parsed and merged into the catalog (roles/catalog.ts)
 * that `stc roles`, `stc assume` and the console use, and the listing of names with ARNs for tab completion.
 * Loads no AWS code; `stc roles --names` and `stc complete roles` need only roles/sources.ts.
 *
 * @module
 */

import type { LoadedProfiles } from "../config/aws_files.ts";
import {
  formatProblem,
  mergeRoles,
  parseAccountsJson,
  parseRolesFile,
  type RoleCatalog,
  type RoleProblem,
  rolesFromProfiles,
} from "./catalog.ts";
import { type RoleName, scanRolesFile } from "./scan.ts";
import { readRoleSources } from "./sources.ts";
import type { Notices } from "../term/term.ts";
import type { Env } from "../core/env.ts";
import { counted } from "../core/plural.ts";
import { msg } from "../core/message.ts";

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
  const fromLocal = scanRolesFile(local);
  const fromOrganisation = scanRolesFile(organisation);
  const fromConfig = rolesFromProfiles(profiles.files, paths.config, profiles.configLines).roles
    .map(({ alias, roleArn }) => ({ alias, roleArn }));
  const lists = [fromLocal, fromOrganisation, fromConfig].filter((list) => list.length > 0);
  let roles: RoleName[];
  if (lists.length <= 1) {
    // One source (usually the organisation's list): its scan has no repeats already.
    roles = lists[0] ?? [];
  } else {
    const seen = new Set<string>();
    roles = [];
    for (const list of lists) {
      for (const role of list) {
        if (seen.has(role.alias)) continue;
        seen.add(role.alias);
        roles.push(role);
      }
    }
  }
  return {
    roles,
    fromFiles: fromLocal.length + fromOrganisation.length > 0,
    accounts: parseAccountsJson(accounts, paths.accounts).accounts.map(({ name, accountId }) => ({
      name,
      accountId,
    })),
  };
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
