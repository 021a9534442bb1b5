/**
 * `stc init SHELL`: the shell code that makes stc part of the shell (the stc function, session-tool.sh's and
 * Coinbase's commands, completions, a prompt helper), `--install` to load it from the start-up file, and
 * `--usage NAME`, the help of those commands.
 *
 * @module
 */

import { type Command, type Context, defineCommand } from "../cli/command.ts";
import { usageError } from "../core/errors.ts";
import { INIT_SHELLS, initScript, type InitShell } from "../shell/init_script.ts";
import { INIT_SPEC } from "./specs/init.ts";
import { msg } from "../core/message.ts";

function parseInitShell(text: string): InitShell {
  const name = text.split("/").pop()?.replace(/^-/, "") ?? "";
  if ((INIT_SHELLS as readonly string[]).includes(name)) return name as InitShell;
  throw usageError(
    msg`unsupported shell '${text}' for 'stc init'`,
    `use one of: ${INIT_SHELLS.join(", ")}`,
  );
}

/** The usage of the seed function `name`; the seed functions are loaded only for it. */
async function seedUsageOf(name: string): Promise<string> {
  const { findSeedCommand, SEED_COMMANDS, seedUsage } = await import("./seed.ts");
  const seed = findSeedCommand(name);
  if (seed) return seedUsage(seed);
  // Only something shaped like a function name is echoed.
  const shown = /^[A-Za-z][\w-]{0,24}$/.test(name) ? `'${name}'` : "(not shown)";
  throw usageError(
    msg`unknown function ${shown} for 'stc init --usage'`,
    `use one of: ${SEED_COMMANDS.map((s) => s.name).join(", ")}`,
  );
}

/**
 * Compiles zsh's cached init code (`zcompile`), so that a new zsh reads it without parsing it: into a file of its
 * own, moved into place whole, so that a shell starting meanwhile never reads half of it. Without zsh (or when it
 * fails) there is no compiled form, and zsh sources the code itself.
 */
async function zshCompile(context: Context, cache: string, compiled: string): Promise<void> {
  const temporary = `${compiled}.${crypto.randomUUID()}.zwc`;
  try {
    await new Deno.Command("zsh", {
      args: [
        "-fc",
        'zcompile -- "$2" "$1" && command mv -f -- "$2" "$3" || command rm -f -- "$2"',
        "zsh",
        cache,
        temporary,
        compiled,
      ],
      env: { PATH: context.env.PATH ?? "/usr/bin:/bin" },
      clearEnv: true,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
  } catch {
    // No zsh here: the code is sourced as it is.
  }
}

/** `stc init`. */
export const initCommand: Command = defineCommand(
  INIT_SPEC,
  async (context, input) => {
    if (input.options.usage !== undefined) {
      if (input.positionals.length > 0 || input.options.install || input.options["auto-renew"]) {
        throw usageError(
          "--usage takes no shell, --install or --auto-renew",
          "usage: stc init --usage NAME",
        );
      }
      context.term.text(await seedUsageOf(input.options.usage));
      return [];
    }
    if (input.positionals.length === 0) {
      throw usageError("missing argument <shell> for 'stc init'", "usage: stc init <shell>");
    }
    const shell = parseInitShell(input.positionals[0]);
    const options = { autoRenew: input.options["auto-renew"] === true };
    if (input.options.install) {
      const { installInit, zshCompiledFile } = await import("../shell/init_install.ts");
      const { file, cache, outcome } = await installInit(
        shell,
        context.self,
        context.env,
        options,
        (cache) => zshCompile(context, cache, zshCompiledFile(cache)),
      );
      const what = {
        added: `added the line that loads stc to ${file}`,
        updated: `updated the line that loads stc in ${file}`,
        present: `${file} already loads stc`,
      }[outcome];
      context.term.info(
        msg`wrote the init code to ${cache}; ${what}${
          outcome === "present" ? "" : "; it takes effect in new shells"
        }`,
      );
      return [];
    }
    return [{ kind: "print", text: await initScript(shell, context.self, options) }];
  },
);
