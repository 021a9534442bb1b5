/**
 * Where role aliases come from, parsed and merged: session-tool.sh's roles files, Coinbase assume-role's
 * accounts file and AWS CLI profiles with `role_arn`. Pure: the texts are read elsewhere (lib/roles/load.ts).
 *
 * A bad line or entry is reported as a {@linkcode RoleProblem} (file and line) and skipped; the rest still
 * work. Messages quote aliases and ARNs (not secret) but never a whole line verbatim beyond that, and the files are
 * untrusted text (downloaded, or shared): names that could not be typed are refused, and quoted text is shown only
 * through the Term's sanitiser (or escaped in JSON), so no control character or escape sequence reaches the terminal.
 *
 * @module
 */

import type { Profile, ProfileFiles } from "../config/ini.ts";
import { ROLE_LIMITS } from "../core/duration.ts";
import { type JsonMember, JsonMembersError, objectMembers } from "./json_members.ts";
import type { RoleInfo } from "../session/variables.ts";

/** Where a role alias was defined, in the order lookups try them (first match wins). */
export type RoleSource = "local" | "organisation" | "accounts" | "config";

/** A role that can be assumed under an alias. */
export interface RoleEntry {
  /** The name the user types. */
  alias: string;
  /** The role's ARN. */
  roleArn: string;
  /** Account id (from the ARN). */
  accountId: string;
  /** Role name (last part of the ARN). */
  roleName: string;
  /** Role session name to use instead of the IAM user name. */
  sessionName?: string;
  /** External id the role's trust policy requires. */
  externalId?: string;
  /** `duration_seconds` of a config profile. */
  durationSeconds?: number;
  /** Which source defined it. */
  source: RoleSource;
  /** File that defined it. */
  file: string;
  /** 1-based line in `file` (0 when unknown). */
  line: number;
}

/** An account name from Coinbase assume-role's accounts file. */
export interface AccountEntry {
  /** The name, e.g. `prod`. */
  name: string;
  /** The 12-digit account id. */
  accountId: string;
  /** File that defined it. */
  file: string;
  /** 1-based line. */
  line: number;
}

/** Something wrong in a role source: reported, and the entry skipped (or repaired, see the message). */
export interface RoleProblem {
  /** The file. */
  file: string;
  /** 1-based line (0 for the whole file). */
  line: number;
  /** What is wrong and what to do. */
  message: string;
}

/** Roles parsed from one source. */
export interface ParsedRoles {
  /** The entries, in file order. */
  roles: RoleEntry[];
  /** Lines that were skipped or repaired. */
  problems: RoleProblem[];
}

/** Accounts parsed from an accounts file. */
export interface ParsedAccounts {
  /** The entries, in file order. */
  accounts: AccountEntry[];
  /** Entries that were skipped or repaired. */
  problems: RoleProblem[];
}

/** Every alias known, merged. */
export interface RoleCatalog {
  /** The winning entry of every role alias, in source order. */
  roles: RoleEntry[];
  /** Account names of the accounts file, in file order. */
  accounts: AccountEntry[];
  /** Problems of every source. */
  problems: RoleProblem[];
  /** Entries hidden by an earlier one of the same alias. */
  shadowed: RoleEntry[];
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const ALIAS = /^[\w+=,.@:/-]{1,128}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const ACCOUNT_ID = /^\d{12}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** Whether `name` can be a role alias or account name (what the roles files allow, and tab completion can offer). */
export function isValidAlias(name: string): boolean {
  return ALIAS.test(name);
}

/** The account id and role name of a role ARN, or undefined when it is not one. */
export function parseRoleArn(arn: string): { accountId: string; roleName: string } | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { accountId: match[1], roleName: match[2] } : undefined;
}

/** Whether `name` is a valid role session name (2–64 of `[\w+=,.@-]`). */
export function isValidSessionName(name: string): boolean {
  return SESSION_NAME.test(name);
}

/** Whether `id` is a 12-digit account id. */
export function isAccountId(id: string): boolean {
  return ACCOUNT_ID.test(id);
}

/** Whether `name` is a valid IAM role name. */
export function isValidRoleName(name: string): boolean {
  return ROLE_NAME.test(name);
}

/**
 * Parses a roles file in session-tool.sh's format: `alias role_arn [session_name [external_id]]` per line,
 * separated by spaces or tabs; `#` starts a comment line. A bad line is reported with its line number and
 * skipped; a repeated alias keeps the first definition.
 */
export function parseRolesFile(text: string, file: string, source: RoleSource): ParsedRoles {
  const roles: RoleEntry[] = [];
  const problems: RoleProblem[] = [];
  const seen = new Map<string, number>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const line = i + 1;
    const problem = (message: string) => problems.push({ file, line, message });
    const fields = trimmed.split(/[ \t]+/);
    if (fields.length < 2) {
      problem("expected 'alias role_arn [session_name [external_id]]'");
      continue;
    }
    if (fields.length > 4) {
      problem(
        `too many fields (${fields.length}); expected 'alias role_arn [session_name [external_id]]'`,
      );
      continue;
    }
    const [alias, roleArn, sessionName, externalId] = fields;
    if (!ALIAS.test(alias)) {
      problem("the alias may only hold letters, digits and + = , . @ : / - _");
      continue;
    }
    const arn = parseRoleArn(roleArn);
    if (!arn) {
      problem(
        `'${roleArn.slice(0, 100)}' is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)`,
      );
      continue;
    }
    if (sessionName !== undefined && !isValidSessionName(sessionName)) {
      problem("the session name must be 2-64 of letters, digits and + = , . @ - _");
      continue;
    }
    if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
      problem("the external id must be 2-1224 of letters, digits and + = , . @ : / - _");
      continue;
    }
    const first = seen.get(alias);
    if (first !== undefined) {
      problem(`alias '${alias}' is already defined on line ${first}; this line is ignored`);
      continue;
    }
    seen.set(alias, line);
    roles.push({
      alias,
      roleArn,
      ...arn,
      ...(sessionName !== undefined ? { sessionName } : {}),
      ...(externalId !== undefined ? { externalId } : {}),
      source,
      file,
      line,
    });
  }
  return { roles, problems };
}

/**
 * Parses Coinbase assume-role's accounts file: a JSON object of account name → account id. An id written as
 * a JSON number is reported: a number cannot keep leading zeros (an 11-digit number is read as the 12-digit
 * id with its zero restored) and above 2^53 loses precision (skipped). Other bad entries are skipped.
 */
export function parseAccountsJson(text: string, file: string): ParsedAccounts {
  const accounts: AccountEntry[] = [];
  const problems: RoleProblem[] = [];
  if (text.trim() === "") return { accounts, problems };
  let members: JsonMember[];
  try {
    members = objectMembers(text);
  } catch (error) {
    if (!(error instanceof JsonMembersError)) throw error;
    problems.push({ file, line: error.line, message: `not valid JSON: ${error.message}` });
    return { accounts, problems };
  }
  const seen = new Map<string, number>();
  for (const member of members) {
    const problem = (message: string) => problems.push({ file, line: member.line, message });
    const name = member.key.slice(0, 128);
    if (!isValidAlias(member.key)) {
      problem(
        `account name '${name}' may only hold letters, digits and + = , . @ : / - _ (1-128); entry ignored`,
      );
      continue;
    }
    let id: string;
    if (member.type === "string") {
      id = member.value.trim();
      if (!isAccountId(id)) {
        problem(`account '${name}': '${id.slice(0, 40)}' is not a 12-digit account id`);
        continue;
      }
    } else if (member.type === "number") {
      const raw = member.value;
      if (!/^\d+$/.test(raw)) {
        problem(`account '${name}': ${raw.slice(0, 40)} is not a 12-digit account id`);
        continue;
      }
      if (BigInt(raw) > BigInt(Number.MAX_SAFE_INTEGER)) {
        problem(
          `account '${name}': the number ${raw} is too large for JSON readers to keep exactly (it is not an account id); write ids as strings`,
        );
        continue;
      }
      if (raw.length > 12) {
        problem(`account '${name}': ${raw} has more than 12 digits; it is not an account id`);
        continue;
      }
      id = raw.padStart(12, "0");
      if (raw.length < 12) {
        problem(
          `account '${name}': the number ${raw} lost its leading zero${
            raw.length < 11 ? "s" : ""
          }; read as "${id}" — write the id as a string: "${id}"`,
        );
      } else {
        problem(`account '${name}': write the account id as a string ("${id}"), not a number`);
      }
    } else {
      problem(`account '${name}': the value must be a 12-digit account id in quotes`);
      continue;
    }
    const first = seen.get(name);
    if (first !== undefined) {
      problem(`account '${name}' is already defined on line ${first}; this entry is ignored`);
      continue;
    }
    seen.set(name, member.line);
    accounts.push({ name: member.key, accountId: id, file, line: member.line });
  }
  return { accounts, problems };
}

/**
 * The roles of the AWS CLI profiles that have `role_arn` (web-identity profiles excepted: they are a credential
 * source of their own). The profile name is the alias; `source_profile` chains are resolved when assuming.
 * `lines` maps a profile name to the line of its section header, when known.
 */
export function rolesFromProfiles(
  files: ProfileFiles,
  file: string,
  lines: ReadonlyMap<string, number> = new Map(),
): ParsedRoles {
  const roles: RoleEntry[] = [];
  const problems: RoleProblem[] = [];
  for (const [name, profile] of Object.entries(files.profiles)) {
    if (profile.role_arn === undefined || profile.web_identity_token_file !== undefined) continue;
    const line = lines.get(name) ?? 0;
    const problem = (message: string) => problems.push({ file, line, message });
    if (!isValidAlias(name)) {
      problem(
        `profile '${
          name.slice(0, 128)
        }' has role_arn but its name cannot be an alias (letters, digits and + = , . @ : / - _)`,
      );
      continue;
    }
    const arn = parseRoleArn(profile.role_arn);
    if (!arn) {
      problem(`profile '${name}': role_arn is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)`);
      continue;
    }
    const duration = profileDuration(profile);
    if (duration === null) {
      problem(
        `profile '${name}': duration_seconds must be a number of seconds (${ROLE_LIMITS.min}-${ROLE_LIMITS.max})`,
      );
    }
    roles.push({
      alias: name,
      roleArn: profile.role_arn,
      ...arn,
      ...(profile.role_session_name ? { sessionName: profile.role_session_name } : {}),
      ...(profile.external_id ? { externalId: profile.external_id } : {}),
      ...(typeof duration === "number" ? { durationSeconds: duration } : {}),
      source: "config",
      file,
      line,
    });
  }
  return { roles, problems };
}

/** `duration_seconds` of a profile: undefined when absent, null when invalid. */
function profileDuration(profile: Profile): number | undefined | null {
  const text = profile.duration_seconds;
  if (text === undefined || text === "") return undefined;
  if (!/^\d+$/.test(text)) return null;
  const seconds = Number(text);
  return seconds >= ROLE_LIMITS.min && seconds <= ROLE_LIMITS.max ? seconds : null;
}

/**
 * Merges role sources given in priority order: the first definition of an alias wins, later ones are kept in
 * `shadowed`.
 */
export function mergeRoles(
  sources: readonly ParsedRoles[],
  accounts: ParsedAccounts = { accounts: [], problems: [] },
): RoleCatalog {
  const byAlias = new Set<string>();
  const roles: RoleEntry[] = [];
  const shadowed: RoleEntry[] = [];
  const problems: RoleProblem[] = [];
  for (const source of sources) {
    for (const problem of source.problems) problems.push(problem);
    for (const role of source.roles) {
      if (byAlias.has(role.alias)) {
        shadowed.push(role);
        continue;
      }
      byAlias.add(role.alias);
      roles.push(role);
    }
  }
  for (const problem of accounts.problems) problems.push(problem);
  return { roles, accounts: accounts.accounts, problems, shadowed };
}

/** The role entry of an alias, or undefined. */
export function findRole(catalog: RoleCatalog, alias: string): RoleEntry | undefined {
  return catalog.roles.find((r) => r.alias === alias);
}

/** The account of an accounts-file name, or undefined. */
export function findAccount(catalog: RoleCatalog, name: string): AccountEntry | undefined {
  return catalog.accounts.find((a) => a.name === name);
}

/** The name of an account id in the accounts file, or undefined. */
export function accountName(catalog: RoleCatalog, accountId: string): string | undefined {
  return catalog.accounts.find((a) => a.accountId === accountId)?.name;
}

/** Every name `stc assume` accepts first: role aliases, then account names. Deduplicated, in order. */
export function assumableNames(catalog: RoleCatalog): string[] {
  return [
    ...new Set([...catalog.roles.map((r) => r.alias), ...catalog.accounts.map((a) => a.name)]),
  ];
}

/** Resolves an account name or id; undefined when it is neither. */
export function resolveAccount(
  catalog: RoleCatalog,
  account: string,
): { accountId: string; accountName?: string } | undefined {
  if (isAccountId(account)) {
    const name = accountName(catalog, account);
    return name ? { accountId: account, accountName: name } : { accountId: account };
  }
  const entry = findAccount(catalog, account);
  return entry ? { accountId: entry.accountId, accountName: entry.name } : undefined;
}

/** The shell's description of an assumed role entry. */
export function roleInfo(entry: RoleEntry, catalog: RoleCatalog): RoleInfo {
  return {
    alias: entry.alias,
    roleArn: entry.roleArn,
    accountId: entry.accountId,
    accountName: accountName(catalog, entry.accountId) ?? entry.alias,
    roleName: entry.roleName,
  };
}

/** Formats a problem as `file:line: message`. */
export function formatProblem(problem: RoleProblem): string {
  return `${problem.file}${problem.line > 0 ? `:${problem.line}` : ""}: ${problem.message}`;
}
