/**
 * The shells stc writes code for, and their names as `$SHELL`, `--shell` or `ps` give them. A module of its own:
 * every run works out its shell, few write shell code.
 *
 * @module
 */

/** A shell stc can render code for. */
export type ShellName = "bash" | "zsh" | "fish" | "sh" | "nu";

/** Every shell stc can render code for. */
export const SHELL_NAMES: readonly ShellName[] = ["bash", "zsh", "fish", "sh", "nu"];

/** Login-shell and path spellings that name one of the shells above. */
const SHELL_ALIASES: Readonly<Record<string, ShellName>> = {
  bash: "bash",
  zsh: "zsh",
  fish: "fish",
  sh: "sh",
  // dash is what /bin/sh is on Debian; it is tested as `sh`.
  dash: "sh",
  nu: "nu",
  nushell: "nu",
};

/**
 * Parse a shell name as found in `$SHELL`, `ps` output or a `--shell` option.
 *
 * Accepts `bash`, `zsh`, `fish`, `sh` (and `dash`, rendered as `sh`), `nu` (and `nushell`), also as a path
 * (`/usr/bin/zsh`) or a login-shell name (`-zsh`). Returns `undefined` for anything else.
 */
export function parseShellName(text: string): ShellName | undefined {
  const base = text.trim().split("/").pop() ?? "";
  const name = base.startsWith("-") ? base.slice(1) : base;
  return Object.hasOwn(SHELL_ALIASES, name) ? SHELL_ALIASES[name] : undefined;
}
