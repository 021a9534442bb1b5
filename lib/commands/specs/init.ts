/**
 * The command line of `stc init`: its options, arguments, help and examples.
 *
 * @module
 */

import type { CommandSpec } from "../../cli/spec.ts";
import { COMMAND_SUMMARIES } from "../overview.ts";

/** The spec of `stc init`. */
export const INIT_SPEC = {
  name: "init",
  summary: COMMAND_SUMMARIES.init,
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
      description: "Print the help of a function it defines, e.g. get_session (what its -h shows)",
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
} as const satisfies CommandSpec;
