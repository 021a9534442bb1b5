/**
 * The shell code `stc init` prints, put together from the files in completions/: the shell's init template,
 * the seed commands (bash and zsh share them) and the completion script, with the command that runs this stc
 * filled in.
 *
 * The files are read with `Deno.readTextFile` at a path relative to this module. Run from source that is the
 * repository; in the compiled binary (`deno compile --include completions`) the same relative path is inside
 * the binary's embedded file system, so no code path depends on how stc runs.
 *
 * @module
 */

import { quoteShell } from "./shell.ts";

/** The shells `stc init` supports. */
export type InitShell = "bash" | "zsh" | "fish";

/** The shells `stc init` supports, in the order help shows them. */
export const INIT_SHELLS: readonly InitShell[] = ["bash", "zsh", "fish"];

/** Where `stc init` finds the command that runs stc in a template. */
export const SELF_PLACEHOLDER = "@STC@";

/** The files that make up the init code of `shell`, in order. */
export function initAssets(shell: InitShell): string[] {
  return shell === "fish"
    ? ["init.fish", "stc.fish"]
    : [`init.${shell}`, "seed.sh", `stc.${shell}`];
}

/**
 * The URL of an asset in completions/, resolved against `base` (this module's URL: a `file:` URL both from
 * source and in a compiled binary, where it points into the embedded file system).
 */
export function assetUrl(name: string, base: string | URL = import.meta.url): URL {
  if (!/^[\w.-]+$/.test(name) || name.startsWith(".")) {
    throw new Error(`invalid asset name: ${JSON.stringify(name)}`);
  }
  return new URL(`../completions/${name}`, base);
}

/** Reads an asset from completions/. */
export async function readAsset(name: string, base?: string | URL): Promise<string> {
  return await Deno.readTextFile(assetUrl(name, base));
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

/** The init code of `shell` for the stc run by `self`. */
export async function initScript(shell: InitShell, self: readonly string[]): Promise<string> {
  const texts = await Promise.all(initAssets(shell).map((name) => readAsset(name)));
  return renderInit(shell, self, texts);
}
