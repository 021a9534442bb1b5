/**
 * The command line of every stc command: names, summaries, options, arguments and examples, in the order
 * `stc --help` lists them. Help, completion, argument parsing and the shell functions are built from these specs
 * alone, so they never load a command's implementation (and what it imports) to show it.
 *
 * @module
 */

import { type CommandSpec, profileOption } from "../cli/spec.ts";
import { BROWSER_KEY, IMPORT_PROFILE } from "../config/keys.ts";
import { SERVICE_NAMES } from "../console/services.ts";
import { wrapWords } from "../core/text.ts";
import { validateBucketName } from "../core/bucket.ts";
import {
  DEFAULT_PROPAGATION_TIMEOUT_S,
  PROPAGATION_TIMEOUT_VARIABLE,
  RECORD_SUFFIX,
} from "../keys/rotation.ts";

/** Every command's spec, by name. */
export const SPECS = {
  session: {
    name: "session",
    summary:
      "Get an MFA session from the profile's access key, or store, restore, clear or verify one",
    description: `
Calls GetSessionToken with the profile's long-term access key and an MFA code, and sets AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, AWS_USER, AWS_EXPIRATION and related variables in the
shell. The MFA device is the profile's mfa_serial, else the user's device (saved as mfa_serial). The session stays
available to later stc commands in the same shell (assume, console) without a new MFA code.

-s stores the session encrypted (age format, passphrase) in ~/.aws/PROFILE.session.age; -r restores it in another
shell (also session-tool.sh's ~/.aws/PROFILE.aes). Exit codes of -v: 3 expired or no session, 4 invalid
credentials, 5 AWS unreachable.`,
    args: [{
      name: "MFA",
      description: "Current code of your MFA device (asked when missing)",
      optional: true,
    }],
    options: [
      profileOption("Profile with the long-term key; remembered as the default"),
      {
        name: "duration",
        type: "string",
        valueName: "TIME",
        description: "Session length: 12h (default), 90m or seconds (900-129600)",
      },
      { name: "save", short: "s", type: "boolean", description: "Store the session encrypted" },
      { name: "restore", short: "r", type: "boolean", description: "Restore a stored session" },
      { name: "list", short: "l", type: "boolean", description: "List stored sessions" },
      { name: "clear", short: "c", type: "boolean", description: "Remove every variable stc set" },
      {
        name: "all",
        type: "boolean",
        description: "With -c: also make the session agent forget everything and exit",
      },
      {
        name: "verify",
        short: "v",
        type: "boolean",
        description:
          "Check the shell's credentials with AWS (exit 3 expired, 4 invalid, 5 unreachable)",
      },
    ],
    examples: [
      {
        command: "stc session 123456",
        description: "Get a 12-hour session with the default profile",
      },
      {
        command: "stc session -p awsops -s",
        description: "Get a session (asks the code) and store it",
      },
      { command: "stc session -r", description: "Restore the stored session in another shell" },
      { command: "stc session -v", description: "Check that the shell's session still works" },
    ],
  },
  status: {
    name: "status",
    summary: "Show the shell's AWS identity, profile, role and time left",
    description: `
Reads the variables stc set; no network unless --verify, which asks AWS (GetCallerIdentity) and fails with exit
code 3 (expired), 4 (invalid) or 5 (unreachable).`,
    args: [],
    options: [
      { name: "json", type: "boolean", description: "Print JSON for scripts" },
      { name: "verify", type: "boolean", description: "Check the credentials with AWS" },
    ],
    examples: [
      { command: "stc status", description: "Who am I and for how long" },
      { command: "stc status --json | jq .secondsLeft", description: "Time left, for a prompt" },
    ],
  },
  import: {
    name: "import",
    summary: "Store an access key (console CSV file, KEYID,SECRET or stdin) in a profile",
    description: `
Stores the key in ~/.aws/credentials (profile 'awsops' unless -p is given). The source is the .csv file the AWS
console offers when a key is created (both layouts), KEYID,SECRET, or - to read either from stdin, which keeps the
secret out of the shell history and ps. stdin also takes the line 'stc export' prints on another host, whose -p, -b
and -d apply unless given here. The first imported profile becomes the default profile.`,
    args: [{
      name: "source",
      description: "The console's .csv file, KEYID,SECRET, or - for stdin",
      complete: "csv",
    }],
    options: [
      profileOption(`Profile to store the key in (default: ${IMPORT_PROFILE})`),
      {
        name: "bucket",
        short: "b",
        type: "string",
        valueName: "BUCKET",
        description: "S3 bucket with the organisation's roles file",
        check: validateBucketName,
      },
      {
        name: "download",
        short: "d",
        type: "boolean",
        description: "Download the roles file from the bucket after the import",
      },
      { name: "default", type: "boolean", description: "Make the profile the default profile" },
      {
        name: "key-id",
        type: "string",
        valueName: "KEYID",
        description: "Which key to import when the CSV file holds several",
      },
    ],
    examples: [
      {
        command: "stc import ~/Downloads/alice_accessKeys.csv",
        description: "Import the console's file",
      },
      {
        command: "stc import -p work -",
        description: "Paste KEYID,SECRET (or an export line) on stdin",
      },
      {
        command: "stc import -b my-roles-bucket -d alice_accessKeys.csv",
        description: "Import, set the roles bucket and download the roles file",
      },
    ],
  },
  export: {
    name: "export",
    summary: "Print the command that imports this profile's access key on another host",
    description: `
Prints 'get_session -p PROFILE -i KEYID,SECRET -b BUCKET -d' (without -b/-d when the profile has no roles bucket).
Paste it into a shell with stc's functions or session-tool.sh, or feed it to 'stc import -'. The line holds the
secret key: do not leave it in a terminal scrollback or a shared file.`,
    args: [],
    options: [
      profileOption("Profile whose key to export (default: the selected profile)"),
    ],
    examples: [
      {
        command: "stc export -p awsops",
        description: "Print the import command for profile awsops",
      },
      {
        command: "stc export | ssh bastion2 stc import -",
        description: "Copy the key to another host without it touching a command line",
      },
    ],
  },
  roles: {
    name: "roles",
    summary: "List the role aliases, or download/upload the organisation's list",
    description: `
Lists every alias 'stc assume' accepts, in this order (for an alias defined twice, the first wins):
  1. ~/.aws/<profile>_roles.cfg (your own) and ~/.aws/<profile>_session-tool_roles.cfg (the
     organisation's), one 'alias role_arn [session_name [external_id]]' per line, as session-tool.sh;
  2. profiles in ~/.aws/config with role_arn (and source_profile, external_id, role_session_name,
     duration_seconds, mfa_serial), so plain AWS CLI role profiles work as they are;
  3. ~/.aws/accounts, Coinbase assume-role's {"name": "123456789012"}: account names, used with a
     role name (stc assume NAME ROLE).
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
      {
        name: "download",
        type: "boolean",
        description: "Download the organisation's list from S3",
      },
      { name: "upload", type: "boolean", description: "Upload the organisation's list to S3" },
      {
        name: "write-config",
        type: "boolean",
        description: "Write a credential_process profile per alias into ~/.aws/config",
      },
    ],
    examples: [
      { command: "stc roles", description: "List the aliases with account, role and source" },
      { command: "stc roles --download", description: "Refresh the organisation's list from S3" },
      { command: "stc roles --json | jq -r '.roles[].alias'", description: "Aliases for a script" },
    ],
  },
  assume: {
    name: "assume",
    summary: "Assume a role: switch the shell to its credentials",
    description: `
Assumes the role of an alias ('stc roles' lists them) and exports its credentials with AWS_ROLE_ALIAS,
AWS_ACCOUNT_ID, AWS_ACCOUNT_NAME, AWS_ACCOUNT_ROLE and the expiry variables. Without an alias it
assumes the shell's current role (AWS_ROLE_ALIAS) again, e.g. to renew it; with none, at a terminal,
it lets you pick one (type to filter, arrows, Enter; Esc cancels).

The role is assumed from the shell's MFA session ('stc session'), so one MFA code serves many
assumes. When the shell has none, stc asks for an MFA code, gets the MFA session (12 hours) with it,
keeps it in the shell and assumes from it. AWS limits a role assumed with session credentials to 1
hour. For longer (--duration, or AWS_ROLE_SESSION_TIMEOUT as in Coinbase's assume-role), stc assumes
the role directly with the profile's access key and a fresh MFA code (asked for unless given), which
allows up to the role's maximum session duration.

Coinbase form: 'stc assume ACCOUNT ROLE [MFA [REGION]]' with ACCOUNT a name from ~/.aws/accounts
($ACCOUNTS_FILE) or a 12-digit id; as assume-role does, the account id is passed as the external id,
and a region is exported as AWS_REGION and AWS_DEFAULT_REGION. The profile is -p, else
AWS_PROFILE_ASSUME_ROLE, else the shell's session profile, AWS_PROFILE, then
session_tool_default_profile. The session name CloudTrail shows is your IAM user name, as with
session-tool.sh, unless the role's config profile sets role_session_name (a roles file's session_name
column is not used). A failed assume changes nothing.`,
    args: [
      {
        name: "alias",
        description: "Role alias, or account name/id with a role name (default: AWS_ROLE_ALIAS)",
        optional: true,
        complete: "role",
      },
      {
        name: "role",
        description: "Role name in the account (Coinbase form), or the MFA code",
        optional: true,
      },
      { name: "mfa", description: "MFA code (Coinbase form; '' for none)", optional: true },
      { name: "region", description: "Region, as --region (Coinbase form)", optional: true },
    ],
    options: [
      {
        name: "duration",
        type: "string",
        valueName: "DURATION",
        description: "Session length (e.g. 2h, 7200); over 1h uses the access key + a new MFA code",
      },
      {
        name: "mfa",
        type: "string",
        valueName: "CODE",
        description: "MFA code, when one is needed (else asked for)",
      },
      {
        name: "region",
        type: "string",
        valueName: "REGION",
        description: "Region: of the AWS calls, and exported as AWS_REGION and AWS_DEFAULT_REGION",
      },
      profileOption("Profile whose roles and key to use"),
      {
        name: "renew",
        type: "boolean",
        description:
          "Renew the current role from the MFA session only, quietly (what 'stc init --auto-renew' runs)",
      },
    ],
    examples: [
      { command: "stc assume dev-admin", description: "Assume the role of alias dev-admin" },
      { command: "stc assume", description: "Renew the current role" },
      {
        command: "stc assume --duration 8h prod-admin",
        description: "Eight hours: uses the access key and asks for an MFA code",
      },
      { command: "stc assume prod Admin 123456", description: "Coinbase assume-role form" },
    ],
  },
  console: {
    name: "console",
    summary: "Sign in to the AWS web console as a role: print a one-click URL, or open it",
    description: `
Assumes the role (from the shell's MFA session; with the long-term key and an MFA code when --duration is
over 1 hour), asks the federation endpoint for a sign-in token, and prints a login URL that works once within
15 minutes. The shell's environment is not changed. Without an alias (or with '-') the shell's current role
credentials are used; with only an IAM user's long-term key, GetFederationToken signs in as a federated user
with the user's own permissions. With no alias and no role credentials, at a terminal, you pick the role (or
'-', your user) from a list.

The console session lasts as long as AWS allows for the credentials, or --duration: up to 1 hour for a
role assumed from the MFA session (role chaining; AWS then ties the console session to the role's
credentials), up to 12 hours for a role assumed with the access key, up to 36 hours for a federated user. The partition (aws, aws-cn, aws-us-gov) follows the
role's ARN, -u or --region.

-o opens the URL in a browser profile of the role's own (Chrome/Chromium --profile-directory), so several
accounts can be open side by side; -d uses the default profile. The browser is ${BROWSER_KEY} in the
profile's section of ~/.aws/config (a line '${BROWSER_KEY} = /usr/bin/chromium'), else the
system's default browser. STC_FEDERATION_ENDPOINT overrides the federation endpoint URL.

Service shortcuts:
${wrapWords(SERVICE_NAMES.join(", "), 100, "  ")}`,
    args: [
      {
        name: "alias",
        description:
          "Role alias to sign in as (see 'stc roles'); '-' or none: the current credentials",
        optional: true,
        complete: "role",
      },
      {
        name: "service",
        description: "Service page to open, e.g. s3, ec2, iam (default: the console home)",
        optional: true,
        complete: "service",
      },
    ],
    options: [
      {
        name: "open",
        short: "o",
        type: "boolean",
        description: "Open the URL in the browser, in a browser profile of the role's own",
      },
      {
        name: "default-profile",
        short: "d",
        type: "boolean",
        description: "Open the URL in the browser's default profile",
      },
      {
        name: "url",
        short: "u",
        type: "string",
        valueName: "URL",
        description: "Console page to open after sign-in (any https console URL)",
      },
      {
        name: "list",
        short: "l",
        type: "boolean",
        description: "List the role aliases",
      },
      {
        name: "region",
        type: "string",
        valueName: "REGION",
        description: "Region of the page (also decides the partition)",
      },
      {
        name: "duration",
        type: "string",
        valueName: "DURATION",
        description:
          "Console session length: 15m to 12h for a role (over 1h needs an MFA code), 36h federated",
      },
      {
        name: "mfa",
        type: "string",
        valueName: "CODE",
        description: "MFA code, when one is needed (else asked for)",
      },
      profileOption("Profile with the long-term key (default: the session's, $AWS_PROFILE, …)"),
    ],
    examples: [
      {
        command: "stc console prod-admin",
        description: "Print a sign-in URL for the role prod-admin",
      },
      {
        command: "stc console -o prod-admin s3 --region eu-west-1",
        description: "Open S3 in eu-west-1 in prod-admin's own browser profile",
      },
      {
        command: "stc console --duration 8h prod-admin",
        description:
          "An 8-hour console session (assumes with the long-term key; asks for an MFA code)",
      },
      {
        command: "stc console -d -u https://console.aws.amazon.com/iam/home",
        description:
          "Open IAM with the shell's current role credentials in the default browser profile",
      },
    ],
  },
  exec: {
    name: "exec",
    summary: "Run a command with a role's (or the MFA session's) credentials in its environment",
    description: `
Runs COMMAND (without one, $SHELL) with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
AWS_CREDENTIAL_EXPIRATION, AWS_REGION and stc's informational variables of the role ALIAS, or of the MFA
session of -p PROFILE when no alias is given. AWS_PROFILE is unset so that the program's SDK uses them; the
long-term key and the base session never reach the program. The session comes from the shell (stc function)
or the session agent; without one, an MFA code is asked for. COMMAND's stdin, stdout and stderr are its own,
INT, TERM and HUP are passed on to it, and its exit status is stc's (128+N when a signal N ended it). Nesting
is refused: STC_EXEC is set inside. With --server, the command gets no credentials but
AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN instead (see 'stc help serve'): its SDK
fetches the role's credentials from stc, which assumes the role again before they expire, for as long as the
MFA session lasts; the server stops when the command ends.`,
    args: [
      {
        name: "alias",
        description: "Role alias (default: the MFA session itself)",
        optional: true,
        complete: "role",
      },
      {
        name: "command",
        description: "The command and its arguments",
        afterDashDash: true,
        complete: "command",
      },
    ],
    options: [
      profileOption("Profile whose session, roles and key to use"),
      {
        name: "duration",
        short: "d",
        type: "string",
        valueName: "DURATION",
        description: "Role session length (e.g. 2h); over 1h uses the access key + a new MFA code",
      },
      {
        name: "server",
        type: "boolean",
        description:
          "Serve the role's credentials on 127.0.0.1, renewed before they expire, instead of setting them",
      },
    ],
    examples: [
      {
        command: "stc exec dev-admin -- terraform plan",
        description: "Run terraform as dev-admin",
      },
      {
        command: "stc exec --server dev-admin -- terraform apply",
        description: "Run terraform for longer than the role's hour: credentials renew themselves",
      },
      { command: "stc exec prod-ro", description: "A shell with prod-ro's credentials" },
      { command: "stc exec -p awsops -- aws s3 ls", description: "The MFA session's credentials" },
    ],
  },
  "credential-process": {
    name: "credential-process",
    summary: "Print a role's credentials as AWS credential_process JSON (for SDKs and the AWS CLI)",
    description: `
Prints {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"} for the role ALIAS (or
the MFA session of -p PROFILE), for 'credential_process' in ~/.aws/config ('stc roles --write-config' writes
those profiles). The role's credentials are cached by the session agent and renewed when fewer than 5 minutes
are left, so many SDK clients make one AssumeRole. When no MFA session is held, the MFA code is asked for on the
terminal (/dev/tty), never on stdin or stdout; without a terminal it fails with exit code 3: run 'stc session'
first.`,
    args: [
      {
        name: "alias",
        description: "Role alias (default: the MFA session itself)",
        optional: true,
        complete: "role",
      },
    ],
    options: [
      profileOption("Profile whose session, roles and key to use"),
    ],
    examples: [
      { command: "stc credential-process dev-admin", description: "JSON for dev-admin" },
    ],
  },
  serve: {
    name: "serve",
    summary: "Serve a role's credentials to programs on 127.0.0.1, renewed before they expire",
    description: `
Runs a credential server for the role ALIAS in the foreground until INT or TERM. It speaks the container
credentials protocol every AWS SDK and the AWS CLI read: a program with AWS_CONTAINER_CREDENTIALS_FULL_URI and
AWS_CONTAINER_AUTHORIZATION_TOKEN set (and no AWS_PROFILE or keys) fetches the role's credentials from it, and
stc assumes the role again from the MFA session before they expire, so programs run past the role's one hour
for as long as the MFA session lasts. It listens on 127.0.0.1 on a random port and answers only requests
carrying its random token with a loopback Host. The token is a secret: it is never shown on a terminal. The
variables to set are written as shell code to --env-file (mode 0600, removed when the server stops), or to
stdout when stdout is not a terminal.`,
    args: [
      { name: "alias", description: "Role alias", complete: "role" },
    ],
    options: [
      profileOption("Profile whose session, roles and key to use"),
      {
        name: "env-file",
        type: "string",
        valueName: "PATH",
        description: "Write the variables to set here (mode 0600) as shell code to source",
      },
    ],
    examples: [
      {
        command: "stc serve dev-admin --env-file ~/.stc-dev-admin.env",
        description: "Serve dev-admin; in another shell: . ~/.stc-dev-admin.env",
      },
    ],
  },
  agent: {
    name: "agent",
    summary: "The session agent: hold MFA sessions in memory for every shell and program",
    description: `
Runs the session agent in the foreground ('stc session' starts it in the background when needed). It keeps
base MFA sessions and cached role credentials in memory only, on a Unix socket in a directory only you can
enter: $STC_AGENT_SOCKET, else $XDG_RUNTIME_DIR/stc/agent.sock, else TMPDIR/stc-UID/agent.sock. Programs of
your user can reach it, other users cannot. It exits when the last session has expired, and on
'stc session -c --all'. STC_AGENT=off, or stc_agent = off in [default] of ~/.aws/config, turns it off.`,
    args: [],
    options: [
      {
        name: "status",
        type: "boolean",
        description: "List what the running agent holds (profiles, expiry; never secrets)",
      },
    ],
    examples: [
      { command: "stc agent --status", description: "Which sessions the agent holds" },
    ],
  },
  rotate: {
    name: "rotate",
    summary:
      "Replace the profile's access key with a new one (and optionally the console password)",
    description: `
Creates a new access key for the IAM user of the profile, saves it, checks that AWS accepts it
(new keys take a few seconds to propagate; the wait is bounded by ${PROPAGATION_TIMEOUT_VARIABLE}
seconds, default ${DEFAULT_PROPAGATION_TIMEOUT_S}) and only then deletes the old key. It prints the commands that
import the new key on another host (stc's, and session-tool.sh's get_session). Progress and the new password go to stderr; only the import
command goes to stdout.

The profile keeps a working key at every step. The rotation is recorded in the credentials file, in
the profile PROFILE${RECORD_SUFFIX} (the old key's id, the new one's, the step; the new key's secret
only until it is proven). If a step fails or stc is killed, stc says what state the keys are in, and
the next 'stc rotate' of the profile first finishes exactly that rotation: it deletes a key it
created but could not save (if IAM shows it never used), or proves the new key, moves it into the
profile and deletes the old one.

IAM allows two keys per user. If the user has another key, stc stops and names it, unless -t is
given: then it deletes that key, rotates the profile's key and creates a second key for another host.

With -y the console password is changed too: the current one is asked for without echo, the new one
is generated to fit the account's password policy and shown once on stderr. With -n it is not
changed; without either, stc asks.`,
    args: [],
    options: [
      profileOption("The profile whose key to rotate"),
      {
        name: "password",
        short: "y",
        type: "boolean",
        description: "Also change the console password",
      },
      {
        name: "keep-password",
        short: "n",
        type: "boolean",
        description: "Do not change the console password (do not ask)",
      },
      {
        name: "two-keys",
        short: "t",
        type: "boolean",
        description:
          "Delete the user's other key, rotate, and create a second key for another host",
      },
    ],
    examples: [
      { command: "stc rotate -n", description: "Rotate the key of the default profile" },
      {
        command: "stc rotate -p awsops -y",
        description: "Rotate the key of 'awsops' and change the console password",
      },
      {
        command: "stc rotate -t -n",
        description: "Use two keys: one for this host, one printed for the other host",
      },
    ],
  },
  init: {
    name: "init",
    summary: "Print the shell code that sets up stc in bash, zsh, fish or nu (or --install it)",
    description: `
Load it from your shell's start-up file:
  bash (~/.bashrc):                  eval "$(stc init bash)"
  zsh (~/.zshrc):                    eval "$(stc init zsh)"
  fish (~/.config/fish/config.fish): stc init fish | source
or let --install write the code to ~/.cache/stc/init.SHELL ($XDG_CACHE_HOME) and add the line that
sources it, once: new shells then start no stc process. The line writes the cache again when stc is
newer than it (a new version) or it is missing.
nushell has no eval: 'stc init nu --install' writes the code to ~/.cache/stc/init.nu and adds
'source' of it to config.nu; run it again after moving or upgrading stc.

It defines:
  stc                 runs stc and applies the environment changes it prints, so 'stc session',
                      'stc assume' and friends change the shell. The MFA session is kept in the
                      unexported shell variable STC_BASE_SESSION, handed only to stc, never to other
                      programs.
  get_session, assume_role, get_console_url, rotate_credentials, aws-assume-role
                      session-tool.sh's commands with their options, run by stc (-h shows which stc
                      command each option runs: the text of 'stc init --usage NAME')
  assume-role         Coinbase's 'assume-role [account] [role] [mfa] [region]'
  stc_prompt          prints (profile[role]) coloured by the time left: green, yellow under 10
                      minutes, red when expired. bash: PS1='$(stc_prompt)'"$PS1"; zsh: setopt
                      PROMPT_SUBST; PROMPT='$(stc_prompt)'"$PROMPT"; fish: call stc_prompt in
                      fish_prompt; nu: $env.PROMPT_COMMAND = {|| $"(stc_prompt)(pwd)" }.
and completion of commands, options, profiles, role aliases and .csv files, for stc and all of the above.
In zsh, completion needs compinit (it is registered at the first prompt after compinit has run).
In nushell, which hands programs only string values, STC_BASE_SESSION is kept as a record, which no
program sees; '-h' of the functions is their usage as in the other shells.`,
    // Optional only for --usage, which the functions' -h runs; without it the shell is required.
    args: [
      { name: "shell", description: "bash, zsh, fish or nu", complete: "shell", optional: true },
    ],
    options: [
      {
        name: "install",
        type: "boolean",
        description:
          "Cache it in ~/.cache/stc and add the line that sources it to the start-up file (once)",
      },
      {
        name: "auto-renew",
        type: "boolean",
        description:
          "Renew an assumed role before a prompt when under 5 minutes are left (from the MFA session)",
      },
      {
        name: "usage",
        type: "string",
        valueName: "NAME",
        description:
          "Print the help of a function it defines, e.g. get_session (what its -h shows)",
      },
    ],
    examples: [
      { command: `eval "$(stc init bash)"`, description: "Set up stc in the running bash" },
      {
        command: "stc init zsh --install",
        description: "Load it from ~/.zshrc (ZDOTDIR honoured)",
      },
      {
        command: `eval "$(stc init bash --auto-renew)"`,
        description: "Also renew an assumed role before a prompt when it is about to expire",
      },
      { command: "stc init --usage get_session", description: "What get_session -h shows" },
    ],
  },
  complete: {
    name: "complete",
    summary: "Print completion candidates (used by the shell completions of 'stc init')",
    description: `
'stc complete KIND [PREFIX]' prints the names of a kind that start with PREFIX, one a line: commands,
profiles, roles (every alias 'stc assume' accepts), accounts, shells or services.

'stc complete words' reads a command line from stdin, one word a line, the last being the word under the
cursor, and prints what fits there: a mode line ('values', 'files' or 'files:EXT'), then the candidates, each
optionally followed by a tab and a description. The words come on stdin rather than as arguments because a
half-typed line may hold a secret.`,
    args: [
      {
        name: "kind",
        description: "words, commands, profiles, roles, accounts, shells or services",
      },
      { name: "prefix", description: "Only names starting with it", optional: true },
    ],
    options: [],
    examples: [
      { command: "stc complete roles dev", description: "Role aliases starting with 'dev'" },
      {
        command: "printf '%s\\n' stc session -p '' | stc complete words",
        description: "What to offer after 'stc session -p '",
      },
    ],
  },
  doctor: {
    name: "doctor",
    summary: "Check the set-up: files, profile, endpoints, proxy, CA, reachability and clock",
    description: `
One line per check: ✓ works, ✗ broken (with the fix below it), ! worth knowing, - skipped. Checks the binary, the
shell integration, ~/.aws (0700), the credentials file and stored sessions (0600), the selected profile and where
the choice came from, its access key (masked) and mfa_serial, the endpoint of STS, IAM, S3 and the console sign-in
and the setting that chose it, the proxy and CA bundle in effect, then (unless --offline) each endpoint's TCP
connection, TLS handshake and HTTP answer with times, the clock offset from the answer's Date, and the session
agent when one runs. Exit 0 when everything the profile needs works, 1 otherwise (the shell integration and
IAM/sign-in are needed only by some commands: shown with !).`,
    args: [],
    options: [
      profileOption("Profile to check (default: the one stc would use)"),
      { name: "offline", type: "boolean", description: "Skip the network checks" },
      { name: "json", type: "boolean", description: "Print JSON for scripts" },
    ],
    examples: [
      { command: "stc doctor", description: "Check everything for the default profile" },
      { command: "stc doctor -p prod --offline", description: "Files and settings of 'prod' only" },
    ],
  },
  version: {
    name: "version",
    summary: "Print the version of stc",
    args: [],
    options: [],
  },
} as const satisfies Record<string, CommandSpec>;

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

/** The name of a command. */
export type CommandName = keyof typeof SPECS;

/** Every spec, in help order. */
export const COMMAND_SPECS: readonly CommandSpec[] = Object.values(SPECS);
