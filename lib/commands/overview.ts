/**
 * What `stc --help` lists: every command's name and summary, in help order, and the option letters that mean
 * different things in different commands. Each command's spec (lib/commands/specs/) takes its summary from here,
 * so that the overview, `stc complete commands` and an unknown command's suggestion load no spec.
 *
 * @module
 */

/** Every command's one-line summary, by name, in the order `stc --help` lists them. */
export const COMMAND_SUMMARIES = {
  session:
    "Get an MFA session from the profile's access key, or store, restore, clear or verify one",
  status: "Show the shell's AWS identity, profile, role and time left",
  import: "Store an access key (console CSV file, KEYID,SECRET or stdin) in a profile",
  export: "Print the command that imports this profile's access key on another host",
  roles: "List the role aliases, or download/upload the organisation's list",
  assume: "Assume a role: switch the shell to its credentials",
  console: "Sign in to the AWS web console as a role: print a one-click URL, or open it",
  exec: "Run a command with a role's (or the MFA session's) credentials in its environment",
  "credential-process":
    "Print a role's credentials as AWS credential_process JSON (for SDKs and the AWS CLI)",
  serve: "Serve a role's credentials to programs on 127.0.0.1, renewed before they expire",
  agent: "The session agent: hold MFA sessions in memory for every shell and program",
  rotate: "Replace the profile's access key with a new one (and optionally the console password)",
  init: "Print the shell code that sets up stc in bash, zsh, fish or nu (or --install it)",
  complete: "Print completion candidates (used by the shell completions of 'stc init')",
  doctor: "Check the set-up: files, profile, endpoints, proxy, CA, reachability and clock",
  version: "Print the version of stc",
} as const;

/** The name of a command. */
export type CommandName = keyof typeof COMMAND_SUMMARIES;

/** Every command's name, in help order. */
export const COMMAND_NAMES: readonly CommandName[] = Object.keys(
  COMMAND_SUMMARIES,
) as CommandName[];

/**
 * The commands that use the MFA session (the base session): when the shell has none, the front end asks the
 * session agent for it before running them.
 */
export const BASE_SESSION_COMMANDS: ReadonlySet<string> = new Set<CommandName>([
  "assume",
  "console",
  "exec",
  "credential-process",
  "serve",
  "status",
]);

/**
 * Option letters that mean different things in different commands: session-tool.sh's letters, kept for its
 * users. Every other option name and letter means the same in every command (a test checks it).
 */
export const OPTION_EXCEPTIONS: readonly { letter: string; meanings: string }[] = [
  {
    letter: "d",
    meanings: "import --download, console --default-profile (get_session -d, get_console_url -d)",
  },
  {
    letter: "l",
    meanings: "session --list: stored sessions, console --list: role aliases (as get_session -l, " +
      "get_console_url -l)",
  },
];
