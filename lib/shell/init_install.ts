/**
 * `stc init SHELL --install`: the init code cached in a file, the line that loads it from the shell's start-up
 * file, and adding that line once.
 *
 * The start-up file sources the cached code, so a new shell starts no process for stc. The line first checks,
 * with the shell's own `-nt` test (no process either), that the cache is newer than the stc that wrote it; when
 * stc was replaced (a new version) or the cache is missing, it runs `stc init SHELL --install` once, which writes
 * the cache again for the stc now installed.
 *
 * nushell has no eval, and its `source` reads a file named when config.nu is parsed, before any code runs: its
 * line only sources the cache, which `stc init nu --install` writes (run it again after upgrading stc).
 *
 * zsh reads a compiled form of a sourced file, `FILE.zwc` (made by `zcompile`), in its place when it is at least
 * as new, to the second: most of the cost of loading the code is parsing it, and the compiled form skips that.
 *
 * @module
 */

import { ensureDir, fileMode, removeFile, writeFileAtomic } from "../fs/atomic.ts";
import { dirname, join } from "../fs/path.ts";
import { readOptionalText } from "../fs/read.ts";
import type { Env } from "../core/env.ts";
import { type InitOptions, initScript, type InitShell, quoteCommand } from "./init_script.ts";
import { quoteShell } from "./emitter.ts";

/** The comment written above the line, by which a later `--install` finds it. */
export const INSTALL_MARKER = "# stc shell integration (added by 'stc init --install')";

/**
 * The start-up file of an interactive `shell`: ~/.bashrc, $ZDOTDIR/.zshrc (else ~/.zshrc),
 * $XDG_CONFIG_HOME/fish/config.fish (else ~/.config/fish/config.fish), or nushell's `$nu.config-path`:
 * $XDG_CONFIG_HOME/nushell/config.nu, else ~/.config/nushell/config.nu (~/Library/Application Support/nushell on
 * macOS).
 */
export function rcFile(shell: InitShell, env: Env, os: string = Deno.build.os): string {
  const home = env.HOME || ".";
  switch (shell) {
    case "bash":
      return join(home, ".bashrc");
    case "zsh":
      return join(env.ZDOTDIR || home, ".zshrc");
    case "fish":
      return join(env.XDG_CONFIG_HOME || join(home, ".config"), "fish", "config.fish");
    case "nu": {
      const config = env.XDG_CONFIG_HOME ||
        (os === "darwin" ? join(home, "Library", "Application Support") : join(home, ".config"));
      return join(config, "nushell", "config.nu");
    }
  }
}

/** Where `--install` caches the init code of `shell`: `$XDG_CACHE_HOME/stc/init.SHELL` (else ~/.cache/stc). */
export function initCacheFile(shell: InitShell, env: Env): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || ".", ".cache"), "stc", `init.${shell}`);
}

/**
 * The line that loads stc's cached init code in `shell`, running stc as `self` with the options of `stc init`:
 * the cache is sourced as it is while it is newer than the file `self` runs (the binary, or main.ts from
 * source), and written again first when it is not (or is missing). nushell's only sources the cache.
 */
export function installLine(
  shell: InitShell,
  self: readonly string[],
  cache: string,
  options: InitOptions = {},
): string {
  if (shell === "nu") return `source ${quoteShell("nu", cache)}`;
  const command = quoteCommand(shell, self);
  const file = quoteShell(shell, cache);
  const program = quoteShell(shell, self[self.length - 1]);
  const refresh = `${command} init ${shell} --install${
    options.autoRenew ? " --auto-renew" : ""
  } >/dev/null 2>&1`;
  return shell === "fish"
    ? `test ${file} -nt ${program}; or ${refresh}; source ${file}`
    : `[ ${file} -nt ${program} ] || ${refresh}; . ${file}`;
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
    if (marker + 1 < next.length && /\binit\s+\w+|^source\s.*\binit\.nu\b/.test(next[marker + 1])) {
      next[marker + 1] = line;
    } else next.splice(marker + 1, 0, line);
    return { text: next.join("\n"), outcome: "updated" };
  }
  const own = shell === "nu"
    ? /^\s*source\s.*\bstc\b.*\binit\.nu\b/
    : new RegExp(`^\\s*[^#]*\\bstc\\b.*\\binit\\s+${shell}\\b`);
  if (lines.some((l) => own.test(l))) return { text, outcome: "present" };
  const separator = text === "" ? "" : text.endsWith("\n") ? "\n" : "\n\n";
  return { text: `${text}${separator}${INSTALL_MARKER}\n${line}\n`, outcome: "added" };
}

/** The compiled form of zsh's cached init code, read by `source` in place of the code when at least as new. */
export function zshCompiledFile(cache: string): string {
  return `${cache}.zwc`;
}

/**
 * Writes the init code to its cache file, then installs the line in the start-up file (created when missing,
 * with its directory), atomically and keeping the file's mode; a start-up file that is a symbolic link
 * (dotfiles managers) stays one, its target is written. For zsh, `compile` (when given) then writes the compiled
 * form ({@linkcode zshCompiledFile}). Returns the files and what was done to the start-up file.
 */
export async function installInit(
  shell: InitShell,
  self: readonly string[],
  env: Env,
  options: InitOptions = {},
  compile?: (cache: string) => Promise<void>,
): Promise<{ file: string; cache: string; outcome: InstallOutcome }> {
  const file = rcFile(shell, env);
  const cache = initCacheFile(shell, env);
  let text = "";
  let mode = 0o644;
  const current = await readOptionalText(file);
  const existingMode = await fileMode(file);
  if (existingMode === undefined) await ensureDir(dirname(file));
  else {
    text = current;
    mode = existingMode;
  }
  const plan = planInstall(text, shell, installLine(shell, self, cache, options));
  // Always written: a cache older than stc is what makes the start-up line write it again.
  await ensureDir(dirname(cache));
  // The compiled form of the old code goes first: written in the same second as the new code, it would be read
  // in its place.
  if (shell === "zsh") await removeFile(zshCompiledFile(cache));
  await writeFileAtomic(cache, await initScript(shell, self, options), { mode: 0o644 });
  if (shell === "zsh" && compile) await compile(cache);
  if (plan.outcome !== "present") await writeFileAtomic(file, plan.text, { mode });
  return { file, cache, outcome: plan.outcome };
}
