/**
 * `stc init SHELL --install`: the line that loads stc in the shell's start-up file, and adding it once.
 *
 * @module
 */

import { ensureDir, fileMode, writeFileAtomic } from "../fs/atomic.ts";
import { dirname, join } from "../fs/path.ts";
import { readOptionalText } from "../fs/read.ts";
import type { Env } from "../core/env.ts";
import { type InitOptions, type InitShell, quoteCommand } from "./init_script.ts";

/** The comment written above the line, by which a later `--install` finds it. */
export const INSTALL_MARKER = "# stc shell integration (added by 'stc init --install')";

/**
 * The start-up file of an interactive `shell`: ~/.bashrc, $ZDOTDIR/.zshrc (else ~/.zshrc), or
 * $XDG_CONFIG_HOME/fish/config.fish (else ~/.config/fish/config.fish).
 */
export function rcFile(shell: InitShell, env: Env): string {
  const home = env.HOME || ".";
  switch (shell) {
    case "bash":
      return join(home, ".bashrc");
    case "zsh":
      return join(env.ZDOTDIR || home, ".zshrc");
    case "fish":
      return join(env.XDG_CONFIG_HOME || join(home, ".config"), "fish", "config.fish");
  }
}

/** The line that loads stc's init code in `shell`, running stc as `self`, with the options of `stc init`. */
export function installLine(
  shell: InitShell,
  self: readonly string[],
  options: InitOptions = {},
): string {
  const command = quoteCommand(shell, self);
  const init = `init ${shell}${options.autoRenew ? " --auto-renew" : ""}`;
  return shell === "fish" ? `${command} ${init} | source` : `eval "$(${command} ${init})"`;
}

/** What `--install` did. */
export type InstallOutcome = "added" | "updated" | "present";

/**
 * The new text of a start-up file with the line installed: appended with the marker when absent, replaced
 * when the line under the marker differs (stc moved), unchanged when already there. A line loading
 * `stc init SHELL` that the user wrote without the marker also counts as installed.
 */
export function planInstall(
  text: string,
  shell: InitShell,
  line: string,
): { text: string; outcome: InstallOutcome } {
  const lines = text.split("\n");
  const marker = lines.indexOf(INSTALL_MARKER);
  if (marker >= 0) {
    if (lines[marker + 1] === line) return { text, outcome: "present" };
    const next = [...lines];
    if (marker + 1 < next.length && /\binit\s+\w+/.test(next[marker + 1])) next[marker + 1] = line;
    else next.splice(marker + 1, 0, line);
    return { text: next.join("\n"), outcome: "updated" };
  }
  const own = new RegExp(`^\\s*[^#]*\\bstc\\b.*\\binit\\s+${shell}\\b`);
  if (lines.some((l) => own.test(l))) return { text, outcome: "present" };
  const separator = text === "" ? "" : text.endsWith("\n") ? "\n" : "\n\n";
  return { text: `${text}${separator}${INSTALL_MARKER}\n${line}\n`, outcome: "added" };
}

/**
 * Installs the line in the start-up file (created when missing, with its directory), atomically and keeping
 * the file's mode; a start-up file that is a symbolic link (dotfiles managers) stays one, its target is
 * written. Returns the file and what was done.
 */
export async function installInit(
  shell: InitShell,
  self: readonly string[],
  env: Env,
  options: InitOptions = {},
): Promise<{ file: string; outcome: InstallOutcome }> {
  const file = rcFile(shell, env);
  let text = "";
  let mode = 0o644;
  const current = await readOptionalText(file);
  const existingMode = await fileMode(file);
  if (existingMode === undefined) await ensureDir(dirname(file));
  else {
    text = current;
    mode = existingMode;
  }
  const plan = planInstall(text, shell, installLine(shell, self, options));
  if (plan.outcome !== "present") await writeFileAtomic(file, plan.text, { mode });
  return { file, outcome: plan.outcome };
}
