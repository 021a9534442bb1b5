/**
 * `stc roles`: list the role aliases `stc assume` knows (for people, scripts and tab completion), and download or
 * upload the organisation's list in S3.
 *
 * @module
 */

import { type Command, type Context, defineCommand } from "../cli/command.ts";
import { ExitCode, StcError, usageError } from "../core/errors.ts";
import { printLine } from "../cli/output.ts";
import { requireProfile, selectProfile } from "../config/profile.ts";
import { loadRoleNames } from "../roles/sources.ts";
import type { ShellAction } from "../shell/emitter.ts";
import { type Credentials, credentialsFromEnv } from "../core/credentials.ts";
import { type LoadedProfiles, loadProfiles } from "../config/aws_files.ts";
import { getProfile } from "../config/ini.ts";
import { ROLES_SPEC } from "./specs/roles.ts";
import { counted } from "../core/plural.ts";
import { msg } from "../core/message.ts";

/** The profile whose roles files apply; undefined when none is selected (only config roles then). */
function profileFor(
  context: Context,
  requested: string | undefined,
  loaded: LoadedProfiles,
): string | undefined {
  try {
    return selectProfile(requested, context.env, loaded.files).name;
  } catch (error) {
    // No profile selected lists what needs none; an invalid AWS_PROFILE is still an error.
    if (requested === undefined && error instanceof StcError && !context.env.AWS_PROFILE) {
      return undefined;
    }
    throw error;
  }
}

function environmentCredentials(context: Context): Credentials {
  const credentials = credentialsFromEnv(context.env);
  if (!credentials) {
    throw new StcError("no AWS credentials in this shell to upload with", {
      hint: "assume a role that may write the bucket first: stc assume ALIAS",
      exitCode: ExitCode.SessionExpired,
    });
  }
  return credentials;
}

async function transfer(
  context: Context,
  requested: string | undefined,
  loaded: LoadedProfiles,
  direction: "download" | "upload",
): Promise<ShellAction[]> {
  const profile = profileFor(context, requested, loaded);
  if (profile === undefined) {
    // Re-run the selection without the fallback to get its error and hint.
    selectProfile(undefined, context.env, loaded.files);
    throw new StcError("no profile selected");
  }
  // S3 and the AWS SDK, loaded only to transfer: listing roles (tab completion) needs neither.
  const [{ downloadRoles, uploadRoles }, { formatProblem }] = await Promise.all([
    import("../roles/download.ts"),
    import("../roles/catalog.ts"),
  ]);
  if (direction === "download") {
    const result = await downloadRoles(context, profile, loaded.files);
    for (const problem of result.problems) {
      context.term.warn(msg`${formatProblem(problem)} (line skipped)`);
    }
    const where = `s3://${result.location.bucket}/${result.location.key}`;
    context.term.info(
      result.changed
        ? `downloaded ${counted(result.roles, "role")} from ${where} to ${result.path}`
        : `${result.path} is up to date with ${where} (${counted(result.roles, "role")})`,
    );
  } else {
    const result = await uploadRoles(
      context,
      profile,
      loaded.files,
      environmentCredentials(context),
    );
    context.term.info(
      msg`uploaded ${
        counted(result.roles, "role")
      } from ${result.path} to s3://${result.location.bucket}/${result.location.key}`,
    );
  }
  return [];
}

/** A profile named with -p that is defined nowhere is a typo, not a profile without roles files. */
function checkRequestedProfile(
  loaded: LoadedProfiles,
  requested: string | undefined,
  hasRolesFiles: boolean,
): void {
  if (requested !== undefined && !hasRolesFiles) requireProfile(loaded.files, requested);
}

/** How `stc roles` lists: a table for people, JSON for scripts, the names alone for completion. */
export type RolesFormat = "table" | "json" | "names";

/**
 * The listing of `stc roles` (also `stc console -l`), after warnings about problems in the role sources (the names
 * alone go to completion, which must stay quiet).
 */
export async function listRoles(
  context: Context,
  requestedProfile: string | undefined,
  format: RolesFormat = "table",
  loaded?: LoadedProfiles,
): Promise<ShellAction[]> {
  loaded ??= await loadProfiles(context.env);
  const profile = profileFor(context, requestedProfile, loaded);
  if (format === "names") {
    // Completion runs this on every Tab: the names alone, without parsing the catalog.
    const { names, fromFiles } = await loadRoleNames(context.env, profile ?? "", loaded);
    checkRequestedProfile(loaded, requestedProfile, fromFiles);
    return names.length === 0 ? [] : [{ kind: "print", text: `${names.join("\n")}\n` }];
  }
  // The catalog and its formats, loaded past the names: completion, on every Tab, needs neither.
  const [{ loadRoleCatalog, reportProblems }, { catalogJson, catalogTable }] = await Promise.all([
    import("../roles/load.ts"),
    import("../roles/report.ts"),
  ]);
  const catalog = await loadRoleCatalog(context.env, profile ?? "", loaded);
  checkRequestedProfile(loaded, requestedProfile, catalog.roles.some((r) => r.source !== "config"));
  reportProblems(context.term, catalog.problems, Infinity);
  if (format === "json") return [printLine(catalogJson(catalog, profile))];
  if (catalog.roles.length === 0 && catalog.accounts.length === 0) {
    context.term.info(
      "no roles defined" + (profile ? ` for profile '${profile}'` : "") +
        ": 'stc roles --download' fetches the organisation's list",
    );
    return [];
  }
  return [{ kind: "print", text: catalogTable(catalog) }];
}

/** A word of a `credential_process` line: botocore splits it like a POSIX shell, the JavaScript SDK runs a shell. */
export function commandWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

/**
 * `--write-config`: a `[profile ALIAS]` with `credential_process = <this stc> credential-process -p PROFILE ALIAS`
 * for every alias of the roles files, so `aws --profile ALIAS` and every SDK get the role's credentials from stc.
 */
async function writeConfig(
  context: Context,
  requested: string | undefined,
  loaded: LoadedProfiles,
): Promise<ShellAction[]> {
  const profile = selectProfile(requested, context.env, loaded.files).name;
  const { loadRoleCatalog, reportProblems } = await import("../roles/load.ts");
  const catalog = await loadRoleCatalog(context.env, profile, loaded);
  reportProblems(context.term, catalog.problems, 3);
  const region = getProfile(loaded.files, profile)?.region;
  const wanted: Record<string, Record<string, string>> = {};
  // Config profiles are already profiles; account names need a role name.
  for (const role of catalog.roles.filter((r) => r.source !== "config")) {
    const words = [...context.self, "credential-process", "-p", profile, role.alias];
    wanted[role.alias] = {
      credential_process: words.map(commandWord).join(" "),
      ...(region ? { region } : {}),
    };
  }
  const { writeManagedProfiles } = await import("../config/managed_profiles.ts");
  const result = await writeManagedProfiles(wanted, context.env);
  for (const name of result.skipped) {
    context.term.warn(msg`profile '${name}' exists and was not written by stc: left as it is`);
  }
  if (result.removed.length > 0) {
    context.term.info(msg`removed ${result.removed.length} profiles of aliases that are gone`);
  }
  context.term.info(
    msg`wrote ${result.written.length} credential_process profiles to ~/.aws/config (marked stc_managed; e.g. aws --profile ALIAS …)`,
  );
  return [];
}

/** `stc roles`. */
export const rolesCommand: Command = defineCommand(
  ROLES_SPEC,
  async (context, input) => {
    const modes = (["json", "names", "download", "upload", "write-config"] as const).filter((m) =>
      input.options[m]
    );
    if (modes.length > 1) {
      throw usageError(
        msg`--${modes[0]} and --${modes[1]} cannot be combined`,
        "see 'stc help roles'",
      );
    }
    const loaded = await loadProfiles(context.env);
    if (input.options.download) {
      return await transfer(context, input.options.profile, loaded, "download");
    }
    if (input.options.upload) {
      return await transfer(context, input.options.profile, loaded, "upload");
    }
    if (input.options["write-config"]) {
      return await writeConfig(context, input.options.profile, loaded);
    }
    const format = input.options.names ? "names" : input.options.json ? "json" : "table";
    return await listRoles(context, input.options.profile, format, loaded);
  },
);
