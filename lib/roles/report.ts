/**
 * How `stc roles` shows the role catalog: an aligned table for people, JSON for scripts. Untrusted text reaches
 * neither raw: table cells and problem messages go through the sanitiser (JSON escapes the rest).
 *
 * @module
 */

import { accountName, type RoleCatalog, type RoleSource } from "./catalog.ts";
import { printable } from "../core/text.ts";

const SOURCE_LABEL: Record<RoleSource, string> = {
  local: "local",
  organisation: "organisation",
  accounts: "accounts",
  config: "config",
};

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
      problems: catalog.problems.map((p) => ({
        file: p.file,
        line: p.line,
        message: printable(p.message),
      })),
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
  const cells = rows.map((row) => row.map((cell) => printable(cell)));
  // A loop, not Math.max(...): a spread of every row overflows the stack on a long list.
  const widths = cells[0].map((_, column) =>
    cells.reduce((width, row) => Math.max(width, row[column].length), 0)
  );
  return cells.map((row) =>
    row.map((cell, column) => column === row.length - 1 ? cell : cell.padEnd(widths[column]))
      .join("  ")
  ).join("\n") + "\n";
}
