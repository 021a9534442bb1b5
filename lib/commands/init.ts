/**
 * `stc init SHELL`: the shell code that makes stc part of the shell (the stc function, session-tool.sh's and
 * Coinbase's commands, completions, a prompt helper), `--install` to load it from the start-up file, and
 * `--usage NAME`, the help of those commands.
 *
 * @module
 */

import type { Command } from "../cli/command.ts";
import { usageError } from "../core/errors.ts";
import { installInit } from "../shell/init_install.ts";
import { INIT_SHELLS, initScript, type InitShell } from "../shell/init_script.ts";
import { findSeedCommand, SEED_COMMANDS, type SeedCommand, seedUsage } from "./seed.ts";
import { info, writeStderr } from "../term/ui.ts";

function parseInitShell(text: string): InitShell {
  const name = text.split("/").pop()?.replace(/^-/, "") ?? "";
  if ((INIT_SHELLS as readonly string[]).includes(name)) return name as InitShell;
  throw usageError(
    `unsupported shell '${text}' for 'stc init'`,
    `use one of: ${INIT_SHELLS.join(", ")}`,
  );
}

function requireSeed(name: string): SeedCommand {
  const seed = findSeedCommand(name);
  if (seed) return seed;
  // Only something shaped like a function name is echoed.
  const shown = /^[A-Za-z][\w-]{0,24}$/.test(name) ? `'${name}'` : "(not shown)";
  throw usageError(
    `unknown function ${shown} for 'stc init --usage'`,
    `use one of: ${SEED_COMMANDS.map((s) => s.name).join(", ")}`,
  );
}

/** The `init` command. */
export const initCommand: Command = {
  name: "init",
  summary: "Print the shell code that sets up stc in bash, zsh or fish (or --install it)",
  description: `
Load it from your shell's start-up file (or let --install add the line, once):
  bash (~/.bashrc):                  eval "$(stc init bash)"
  zsh (~/.zshrc):                    eval "$(stc init zsh)"
  fish (~/.config/fish/config.fish): stc init fish | source

It defines:
  stc                 runs stc and applies the environment changes it prints, so 'stc session', 'stc assume'
                      and friends change the shell. The MFA session is kept in the unexported shell variable
                      STC_BASE_SESSION, handed only to stc, never to other programs.
  get_session, assume_role, get_console_url, rotate_credentials, aws-assume-role
                      session-tool.sh's commands with their options, run by stc (-h shows which stc
                      command each option runs: the text of 'stc init --usage NAME')
  assume-role         Coinbase's 'assume-role [account] [role] [mfa]'
  stc_prompt          prints (profile[role]) coloured by the time left: green, yellow under 10 minutes, red
                      when expired. bash: PS1='$(stc_prompt)'"$PS1"; zsh: setopt PROMPT_SUBST;
                      PROMPT='$(stc_prompt)'"$PROMPT"; fish: call stc_prompt in fish_prompt.
and completion of commands, options, profiles, role aliases and .csv files, for stc and all of the above.
In zsh, completion needs compinit (it is registered at the first prompt after compinit has run).`,
  // Optional only for --usage, which the functions' -h runs; without it the shell is required.
  args: [{ name: "shell", description: "bash, zsh or fish", complete: "shell", optional: true }],
  options: [
    {
      name: "install",
      type: "boolean",
      description: "Add the line that loads it to the shell's start-up file (once)",
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
    { command: "stc init zsh --install", description: "Load it from ~/.zshrc (ZDOTDIR honoured)" },
    { command: "stc init --usage get_session", description: "What get_session -h shows" },
  ],
  async run(context, args) {
    if (typeof args.values.usage === "string") {
      if (args.positionals.length > 0 || args.values.install) {
        throw usageError("--usage takes no shell and no --install", "usage: stc init --usage NAME");
      }
      writeStderr(seedUsage(requireSeed(args.values.usage)));
      return [];
    }
    if (args.positionals.length === 0) {
      throw usageError("missing argument <shell> for 'stc init'", "usage: stc init <shell>");
    }
    const shell = parseInitShell(args.positionals[0]);
    if (args.values.install) {
      const { file, outcome } = await installInit(shell, context.self, context.env);
      const what = {
        added: `added the line that loads stc to ${file}`,
        updated: `updated the line that loads stc in ${file}`,
        present: `${file} already loads stc; nothing changed`,
      }[outcome];
      info(`${what}${outcome === "present" ? "" : "; it takes effect in new shells"}`);
      return [];
    }
    return [{ kind: "print", text: await initScript(shell, context.self) }];
  },
};
