/**
 * The commands of session-tool.sh and Coinbase's assume-role that `stc init` defines as shell functions, with
 * their options: what the completions offer for them. The shell functions themselves are in completions/.
 *
 * @module
 */

import type { ArgSpec, OptionSpec } from "./command.ts";

/** A shell function that maps a seed command onto stc. */
export interface SeedCommand {
  /** The function name. */
  name: string;
  /** The stc command it runs (its help is the function's `-h`). */
  command: string;
  /** Options: one-letter, as `getopts` (bash, zsh) and `argparse` (fish) parse them. */
  options: readonly OptionSpec[];
  /** Positional arguments. */
  args: readonly ArgSpec[];
}

const help: OptionSpec = { name: "help", short: "h", type: "boolean", description: "Show help" };
const list: OptionSpec = {
  name: "list",
  short: "l",
  type: "boolean",
  description: "List role aliases",
};
const profile: OptionSpec = {
  name: "profile",
  short: "p",
  type: "string",
  valueName: "PROFILE",
  description: "Profile with the long-term key",
  complete: "profile",
};

/** Every seed command, in the order `stc init` defines them. */
export const SEED_COMMANDS: readonly SeedCommand[] = [
  {
    name: "get_session",
    command: "session",
    options: [
      help,
      { name: "clear", short: "c", type: "boolean", description: "Remove the session variables" },
      { name: "download", short: "d", type: "boolean", description: "Download the roles file" },
      { name: "list", short: "l", type: "boolean", description: "List stored sessions" },
      profile,
      { name: "restore", short: "r", type: "boolean", description: "Restore a stored session" },
      { name: "store", short: "s", type: "boolean", description: "Store the session encrypted" },
      { name: "upload", short: "u", type: "boolean", description: "Upload the roles file" },
      { name: "verify", short: "v", type: "boolean", description: "Verify the session" },
      {
        name: "import",
        short: "i",
        type: "string",
        valueName: "FILE",
        description: "Import an access key (CSV file or KEYID,SECRET)",
        complete: "csv",
      },
      {
        name: "bucket",
        short: "b",
        type: "string",
        valueName: "BUCKET",
        description: "Roles bucket (with -i)",
      },
      {
        name: "export",
        short: "e",
        type: "boolean",
        description: "Print a line to import the key",
      },
    ],
    args: [{ name: "mfa", description: "MFA code", optional: true }],
  },
  {
    name: "assume_role",
    command: "assume",
    options: [help, list],
    args: [{ name: "alias", description: "Role alias", optional: true, complete: "role" }],
  },
  {
    name: "get_console_url",
    command: "console",
    options: [
      help,
      list,
      { name: "open", short: "o", type: "boolean", description: "Open in the browser" },
      {
        name: "default",
        short: "d",
        type: "boolean",
        description: "Open in the browser's default profile",
      },
      {
        name: "url",
        short: "u",
        type: "string",
        valueName: "URL",
        description: "Console page to open",
      },
    ],
    args: [{ name: "alias", description: "Role alias", optional: true, complete: "role" }],
  },
  {
    name: "rotate_credentials",
    command: "rotate",
    options: [
      help,
      profile,
      { name: "yes", short: "y", type: "boolean", description: "Answer yes" },
      { name: "no", short: "n", type: "boolean", description: "Answer no" },
      { name: "test", short: "t", type: "boolean", description: "Test only" },
    ],
    args: [],
  },
  {
    name: "aws-assume-role",
    command: "assume",
    options: [],
    args: [
      { name: "profile", description: "Profile", complete: "profile" },
      { name: "alias", description: "Role alias", complete: "role" },
      { name: "mfa", description: "MFA code", optional: true },
    ],
  },
  {
    name: "assume-role",
    command: "assume",
    options: [help],
    args: [
      {
        name: "account",
        description: "Account name or role alias",
        optional: true,
        complete: "role",
      },
      { name: "role", description: "Role name", optional: true },
      { name: "mfa", description: "MFA code", optional: true },
    ],
  },
];

/** The `getopts` option string of a seed command, e.g. `:hl` (leading `:`: errors are reported by the function). */
export function getoptsString(seed: SeedCommand): string {
  return ":" + seed.options.map((o) => `${o.short}${o.type === "string" ? ":" : ""}`).join("");
}
