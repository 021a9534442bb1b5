/**
 * The role aliases of session-tool.sh's roles files found without parsing them: what `stc roles --names` and tab
 * completion need from a list of thousands of roles, on every Tab. They find exactly the roles `parseRolesFile`
 * (catalog.ts) accepts, and nothing of its problems. Pure.
 *
 * @module
 */

/**
 * The largest roles list stc reads, from a file or from S3 (one limit for both): about 30,000 roles, far more
 * than an organisation defines, and small enough that listing roles for tab completion stays fast.
 */
export const MAX_ROLES_FILE_BYTES = 2 * 1024 * 1024;

/** A role alias, as `parseRolesFile` (catalog.ts) accepts it: for the line patterns below. */
const ALIAS_FIELD = String.raw`[\w+=,.@:/-]{1,128}`;
/** A role ARN (`ROLE_ARN` without its anchors and groups). */
const ARN_FIELD = String.raw`arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}`;
/**
 * What may follow the ARN on a valid line: a session name and an external id, then the end of the line. Blanks
 * are what `String.prototype.trim` removes (`\s`), but a line ends only at `\n`, as where `split("\n")` cuts.
 */
const LINE_TAIL = String
  .raw`(?:[ \t]+[\w+=,.@-]{2,64}(?:[ \t]+[\w+=,.@:/-]{2,1224})?)?[^\S\n]*(?![^\n])`;
/**
 * The start of a line as `split("\n")` sees it (after `\n`, not after the other line terminators `^` knows),
 * then the blanks `trim` removes.
 */
const LINE_START = String.raw`^(?<![\r\u2028\u2029])[^\S\n]*`;

/**
 * The alias of every valid line of a roles file (with the blanks before it), one match a line: one pass of the
 * regular expression engine over the whole text, without splitting it into lines.
 */
const VALID_LINE_ALIAS = new RegExp(
  `${LINE_START}${ALIAS_FIELD}(?=[ \\t]+${ARN_FIELD}${LINE_TAIL})`,
  "gm",
);

/**
 * The ARN of every valid line of a roles file, one match a line: the same lines as {@linkcode VALID_LINE_ALIAS},
 * as the lookbehind takes the line's first word as its alias exactly as that pattern does.
 */
const VALID_LINE_ARN = new RegExp(
  `(?<=${LINE_START}${ALIAS_FIELD}[ \\t]+)${ARN_FIELD}(?=${LINE_TAIL})`,
  "gm",
);

/** A role alias and its ARN: what completion shows of a role. */
export interface RoleName {
  /** The alias. */
  alias: string;
  /** The role's ARN. */
  roleArn: string;
}

/**
 * The aliases of the lines `parseRolesFile` (catalog.ts) accepts, in file order, a repeated alias as often as it
 * is defined (the first definition wins; callers that merge sources drop the rest): what `stc roles --names`
 * and tab completion need from a list of thousands of roles, on every Tab.
 *
 * @example
 * ```ts
 * import { scanRoleAliases } from "./scan.ts";
 * import assert from "node:assert/strict";
 *
 * const text = "dev arn:aws:iam::123456789012:role/Dev\nbad not-an-arn\n  ops\tarn:aws:iam::123456789012:role/Ops me\n";
 * assert.deepEqual(scanRoleAliases(text), ["dev", "ops"]);
 * ```
 */
export function scanRoleAliases(text: string): string[] {
  const aliases = text.match(VALID_LINE_ALIAS);
  if (aliases === null) return [];
  for (let i = 0; i < aliases.length; i++) {
    // Alias characters are printable ASCII; anything else first is the line's leading blanks.
    const first = aliases[i].charCodeAt(0);
    if (first <= 32 || first > 126) aliases[i] = aliases[i].trimStart();
  }
  return aliases;
}

/**
 * The roles `parseRolesFile` (catalog.ts) finds in a roles file, in the same order, as alias and ARN alone, without
 * building its entries and problems: what tab completion shows of a list of thousands of roles.
 *
 * @example
 * ```ts
 * import { scanRolesFile } from "./scan.ts";
 * import assert from "node:assert/strict";
 *
 * const text = "dev arn:aws:iam::123456789012:role/Dev\nbad not-an-arn\ndev arn:aws:iam::210987654321:role/X\n";
 * assert.deepEqual(scanRolesFile(text), [{ alias: "dev", roleArn: "arn:aws:iam::123456789012:role/Dev" }]);
 * ```
 */
export function scanRolesFile(text: string): RoleName[] {
  // Two passes of the regular expression engine, each giving a list of strings, rather than one giving a match
  // object per line: with thousands of lines, per-line work is what costs.
  const aliases = scanRoleAliases(text);
  const arns = text.match(VALID_LINE_ARN) ?? [];
  if (arns.length !== aliases.length) {
    throw new Error("roles file scan: aliases and ARNs differ in number");
  }
  const unique = new Set(aliases).size === aliases.length;
  const seen = unique ? undefined : new Set<string>();
  const roles: RoleName[] = [];
  for (let i = 0; i < aliases.length; i++) {
    if (seen) {
      if (seen.has(aliases[i])) continue;
      seen.add(aliases[i]);
    }
    roles.push({ alias: aliases[i], roleArn: arns[i] });
  }
  return roles;
}
