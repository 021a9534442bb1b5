/**
 * `stc roles`: list the role aliases `stc assume` knows (for people, scripts and tab completion), and download or
 * upload the organisation's list in S3.
 *
 * @module
 */

import { type Command, type Context, type ParsedArgs, profileOption } from "../cli/command.ts";
import type { Credentials } from "../aws/client.ts";
import { ExitCode, StcError, usageError } from "../core/errors.ts";
import { printLine } from "../cli/output.ts";
import { selectProfile } from "../config/profile.ts";
import {
  accountName,
  assumableNames,
  formatProblem,
  printable,
  type RoleCatalog,
  type RoleSource,
} from "../roles/catalog.ts";
import { downloadRoles, uploadRoles } from "../roles/download.ts";
import {
  type LoadedProfiles,
  loadProfiles,
  loadRoleCatalog,
  reportProblems,
} from "../roles/load.ts";
import type { ShellAction } from "../shell/emitter.ts";
import { info, warn } from "../term/ui.ts";

const SOURCE_LABEL: Record<RoleSource, string> = {
  local: "local",
  organisation: "organisation",
  accounts: "accounts",
  config: "config",
};

/** The profile whose roles files apply; undefined when none is selected (only config roles then). */
function profileFor(
  context: Context,
  args: ParsedArgs,
  loaded: LoadedProfiles,
): string | undefined {
  const requested = typeof args.values.profile === "string" ? args.values.profile : undefined;
  try {
    return selectProfile(requested, context.env, loaded.files).name;
  } catch (error) {
    if (requested === undefined && error instanceof StcError) return undefined;
    throw error;
  }
}

/** The catalog as JSON for scripts. */
export function catalogJson(catalog: RoleCatalog, profile: string | undefined): string {
  return JSON.stringify(
    {
      profile: profile ?? null,
      roles: catalog.roles.map((r) => ({
        alias: r.alias,
        accountId: r.accountId,
        accountName: accountName(catalog, r.accountId) ?? null,
        roleName: r.roleName,
        roleArn: r.roleArn,
        sessionName: r.sessionName ?? null,
        externalId: r.externalId ?? null,
        source: r.source,
        file: r.file,
        line: r.line,
      })),
      accounts: catalog.accounts.map((a) => ({
        name: a.name,
        accountId: a.accountId,
        file: a.file,
        line: a.line,
      })),
      problems: catalog.problems.map((p) => ({ file: p.file, line: p.line, message: p.message })),
    },
    null,
    2,
  );
}

/** The catalog as an aligned table. */
export function catalogTable(catalog: RoleCatalog): string {
  const rows: string[][] = [["ALIAS", "ACCOUNT", "ROLE", "SOURCE"]];
  for (const role of catalog.roles) {
    const name = accountName(catalog, role.accountId);
    rows.push([
      role.alias,
      name ? `${role.accountId} (${name})` : role.accountId,
      role.roleName,
      SOURCE_LABEL[role.source],
    ]);
  }
  for (const account of catalog.accounts) {
    rows.push([account.name, account.accountId, "<role-name>", SOURCE_LABEL.accounts]);
  }
  // The cells are validated when parsed; printable() keeps the table harmless to a terminal all the same.
  const cells = rows.map((row) => row.map(printable));
  const widths = cells[0].map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  return cells.map((row) =>
    row.map((cell, column) => column === row.length - 1 ? cell : cell.padEnd(widths[column]))
      .join("  ")
  ).join("\n") + "\n";
}

function environmentCredentials(context: Context): Credentials {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = context.env;
  if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) {
    throw new StcError("no AWS credentials in this shell to upload with", {
      hint: "assume a role that may write the bucket first: stc assume ALIAS",
      exitCode: ExitCode.SessionExpired,
    });
  }
  return {
    accessKeyId: AWS_ACCESS_KEY_ID,
    secretAccessKey: AWS_SECRET_ACCESS_KEY,
    ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
  };
}

async function transfer(
  context: Context,
  args: ParsedArgs,
  loaded: LoadedProfiles,
  direction: "download" | "upload",
): Promise<ShellAction[]> {
  const profile = profileFor(context, args, loaded);
  if (profile === undefined) {
    // Re-run the selection without the fallback to get its error and hint.
    selectProfile(undefined, context.env, loaded.files);
    throw new StcError("no profile selected");
  }
  if (direction === "download") {
    const result = await downloadRoles(context.env, profile, loaded.files);
    for (const problem of result.problems) warn(`${formatProblem(problem)} (line skipped)`);
    const where = `s3://${result.location.bucket}/${result.location.key}`;
    info(
      result.changed
        ? `downloaded ${result.roles} roles from ${where} to ${result.path}`
        : `${result.path} is up to date with ${where} (${result.roles} roles)`,
    );
  } else {
    const result = await uploadRoles(
      context.env,
      profile,
      loaded.files,
      environmentCredentials(context),
    );
    info(
      `uploaded ${result.roles} roles from ${result.path} to s3://${result.location.bucket}/${result.location.key}`,
    );
  }
  return [];
}

/** The `roles` command. */
export const rolesCommand: Command = {
  name: "roles",
  summary: "List the role aliases, or download/upload the organisation's list",
  description: `
Lists every alias 'stc assume' accepts, first match winning in this order:
  1. ~/.aws/<profile>_roles.cfg (your own) and ~/.aws/<profile>_session-tool_roles.cfg (the
     organisation's), one 'alias role_arn [session_name [external_id]]' per line, as session-tool.sh;
  2. ~/.aws/accounts, Coinbase assume-role's {"name": "123456789012"} (use: stc assume NAME ROLE);
  3. profiles in ~/.aws/config with role_arn (and source_profile, external_id, role_session_name,
     duration_seconds, mfa_serial), so plain AWS CLI role profiles work as they are.
Bad lines are reported with file:line on stderr and skipped.

--download fetches the organisation's list from S3 (session-tool_bucketname, session-tool_rolesfile,
default session-tool_roles.cfg, set in the profile) with the profile's access key. The download must be
a valid list before it replaces the current file, atomically: a broken or empty object never destroys
a good list. --upload publishes your local copy with the shell's current credentials (usually an
assumed role allowed to write the bucket).`,
  args: [],
  options: [
    profileOption("Profile whose roles files to use"),
    { name: "json", type: "boolean", description: "Print the roles as JSON (for scripts)" },
    { name: "names", type: "boolean", description: "Print only the names, one per line" },
    { name: "download", type: "boolean", description: "Download the organisation's list from S3" },
    { name: "upload", type: "boolean", description: "Upload the organisation's list to S3" },
  ],
  examples: [
    { command: "stc roles", description: "List the aliases with account, role and source" },
    { command: "stc roles --download", description: "Refresh the organisation's list from S3" },
    { command: "stc roles --json | jq -r '.roles[].alias'", description: "Aliases for a script" },
  ],
  async run(context, args) {
    const modes = ["json", "names", "download", "upload"].filter((m) => args.values[m]);
    if (modes.length > 1) {
      throw usageError(
        `--${modes[0]} and --${modes[1]} cannot be combined`,
        "see 'stc help roles'",
      );
    }
    const loaded = await loadProfiles(context.env);
    if (args.values.download) return await transfer(context, args, loaded, "download");
    if (args.values.upload) return await transfer(context, args, loaded, "upload");
    const profile = profileFor(context, args, loaded);
    const catalog = await loadRoleCatalog(context.env, profile ?? "", loaded);
    if (args.values.names) {
      const names = assumableNames(catalog);
      return names.length === 0 ? [] : [{ kind: "print", text: `${names.join("\n")}\n` }];
    }
    reportProblems(catalog.problems, Infinity);
    if (args.values.json) return [printLine(catalogJson(catalog, profile))];
    if (catalog.roles.length === 0 && catalog.accounts.length === 0) {
      info(
        "no roles defined" + (profile ? ` for profile '${profile}'` : "") +
          ": 'stc roles --download' fetches the organisation's list",
      );
      return [];
    }
    return [{ kind: "print", text: catalogTable(catalog) }];
  },
};
