/**
 * The shell code `stc init` prints, put together from the files in completions/: the shell's init template,
 * the seed commands (bash and zsh share them) and the completion script, with the command that runs this stc
 * filled in.
 *
 * The files are text imports with literal specifiers, so they are part of the module graph: `deno compile`
 * embeds them like code, and `stc init` works from source and compiled alike, whether or not the binary was
 * built with `--include completions` and whatever the working directory. Dynamic, so that only `stc init`
 * loads them.
 *
 * @module
 */

import { msg } from "../core/message.ts";
import { quoteShell } from "./emitter.ts";
import { usageError } from "../core/errors.ts";

/** The shells `stc init` supports. */
export type InitShell = "bash" | "zsh" | "fish" | "nu";

/** The shells `stc init` supports, in the order help shows them. */
export const INIT_SHELLS: readonly InitShell[] = ["bash", "zsh", "fish", "nu"];

/** Where `stc init` finds the command that runs stc in a template. */
export const SELF_PLACEHOLDER = "@STC@";

/** The files in completions/ that make up the init code. */
export type InitAsset =
  | "init.bash"
  | "init.zsh"
  | "init.fish"
  | "init.nu"
  | "seed.sh"
  | "stc.bash"
  | "stc.zsh"
  | "stc.fish"
  | "stc.nu";

// One literal import per file: a computed specifier would not be found (and embedded) by `deno compile`.
const ASSETS: Readonly<Record<InitAsset, () => Promise<{ default: string }>>> = {
  "init.bash": () => import("../../completions/init.bash", { with: { type: "text" } }),
  "init.zsh": () => import("../../completions/init.zsh", { with: { type: "text" } }),
  "init.fish": () => import("../../completions/init.fish", { with: { type: "text" } }),
  "init.nu": () => import("../../completions/init.nu", { with: { type: "text" } }),
  "seed.sh": () => import("../../completions/seed.sh", { with: { type: "text" } }),
  "stc.bash": () => import("../../completions/stc.bash", { with: { type: "text" } }),
  "stc.zsh": () => import("../../completions/stc.zsh", { with: { type: "text" } }),
  "stc.fish": () => import("../../completions/stc.fish", { with: { type: "text" } }),
  "stc.nu": () => import("../../completions/stc.nu", { with: { type: "text" } }),
};

/** Every asset, for checks that each one is used and embedded. */
export const INIT_ASSETS: readonly InitAsset[] = Object.keys(ASSETS) as InitAsset[];

/** The files that make up the init code of `shell`, in order. */
export function initAssets(shell: InitShell): InitAsset[] {
  return shell === "fish" || shell === "nu"
    ? [`init.${shell}`, `stc.${shell}`]
    : [`init.${shell}`, "seed.sh", `stc.${shell}`];
}

/** The text of an asset from completions/. */
export async function readAsset(name: InitAsset): Promise<string> {
  return (await ASSETS[name]()).default;
}

/** The command that runs stc (`self`), as words quoted for `shell`. */
export function quoteCommand(shell: InitShell, self: readonly string[]): string {
  return self.map((word) => quoteShell(shell, word)).join(" ");
}

/** Joins the asset texts and fills in the command that runs stc. */
export function renderInit(
  shell: InitShell,
  self: readonly string[],
  texts: readonly string[],
): string {
  const command = quoteCommand(shell, self);
  // A function: `$` in a replacement string would be special.
  return texts.map((text) => text.endsWith("\n") ? text : `${text}\n`).join("\n")
    .replaceAll(SELF_PLACEHOLDER, () => command);
}

/** What `stc init` adds to the functions. */
export interface InitOptions {
  /** Renew an assumed role before each prompt when fewer than 5 minutes are left (`--auto-renew`). */
  readonly autoRenew?: boolean;
}

/** The command, defined by every init template, that registers the auto-renew prompt hook. */
export const AUTO_RENEW_ENABLE = "_stc_auto_renew_enable";

/**
 * The asset texts of `shell` with the call that registers the auto-renew hook after them, or a usage error when
 * its templates do not define that command (the shell has no auto-renew).
 *
 * @example
 * ```ts
 * import { withAutoRenew } from "./init_script.ts";
 * import assert from "node:assert/strict";
 *
 * const texts = withAutoRenew("bash", ["function _stc_auto_renew_enable { :; }"]);
 * assert.equal(texts.at(-1), "_stc_auto_renew_enable");
 * ```
 */
export function withAutoRenew(shell: string, texts: readonly string[]): string[] {
  if (!texts.some((text) => text.includes(`function ${AUTO_RENEW_ENABLE}`))) {
    throw usageError(msg`--auto-renew is not available in ${shell}`, "use it in bash, zsh or fish");
  }
  return [...texts, AUTO_RENEW_ENABLE];
}

/** The init code of `shell` for the stc run by `self`. */
export async function initScript(
  shell: InitShell,
  self: readonly string[],
  options: InitOptions = {},
): Promise<string> {
  const texts = await Promise.all(initAssets(shell).map(readAsset));
  return renderInit(shell, self, options.autoRenew ? withAutoRenew(shell, texts) : texts);
}
