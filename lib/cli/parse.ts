/**
 * Parsing a command's arguments against its spec, strictly: unknown options, missing and empty values, and the
 * wrong number of arguments are usage errors (exit 2) with a hint. Values are never echoed in errors: a secret
 * may have been typed in the wrong place.
 *
 * The syntax is the usual one: `--name value`, `--name=value`, `-x value`, `-xvalue`, `-x=value`, clustered flags
 * `-abc`, options and arguments in any order, and `--` ending the options.
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./parse.ts";
 * import assert from "node:assert/strict";
 *
 * const spec = {
 *   name: "demo",
 *   summary: "An example",
 *   args: [{ name: "alias", description: "", optional: true }],
 *   options: [
 *     { name: "profile", short: "p", type: "string", description: "" },
 *     { name: "json", type: "boolean", description: "" },
 *   ],
 * } as const;
 * const input = parseCommandLine(spec, ["-p=dev", "admin", "--json"]);
 * assert.equal(input.options.profile, "dev");
 * assert.equal(input.options.json, true);
 * assert.equal(input.args.alias, "admin");
 * ```
 *
 * @module
 */

import { usageError } from "../core/errors.ts";
import { didYouMean } from "../core/suggest.ts";
import { shownName } from "../core/profile_name.ts";
import {
  type ArgValues,
  type CommandInput,
  type CommandSpec,
  GLOBAL_OPTIONS,
  type OptionSpec,
  type OptionValues,
} from "./spec.ts";
import { msg } from "../core/message.ts";

/** Option values by long name and the positional arguments, before they are matched to the spec's arguments. */
export interface ParsedArgs {
  /** Option values by long name: booleans `true`/`false`, valued options a string or undefined. */
  values: Readonly<Record<string, string | boolean | undefined>>;
  /** Positional arguments in order. */
  positionals: readonly string[];
  /** The words after `--`, when the spec's last argument takes them (`afterDashDash`); else in `positionals`. */
  rest?: readonly string[];
}

/** The synopsis line of a command, e.g. `stc assume [options] [alias]`. */
export function synopsis(spec: CommandSpec): string {
  const args = spec.args.map((a) => {
    if (a.afterDashDash) return `[-- ${a.name}...]`;
    const name = a.variadic ? `${a.name}...` : a.name;
    return a.optional ? `[${name}]` : `<${name}>`;
  });
  return ["stc", spec.name, "[options]", ...args].join(" ");
}

function optionName(option: OptionSpec, usedShort: boolean): string {
  return usedShort && option.short ? `-${option.short}` : `--${option.name}`;
}

/** Parses `argv` (the words after the command name) against the options of `spec` and the global options. */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options: readonly OptionSpec[] = [...spec.options, ...GLOBAL_OPTIONS];
  const where = `for 'stc ${spec.name}'`;
  const hint = `see 'stc help ${spec.name}'`;
  const byLong = new Map(options.map((o) => [o.name, o]));
  const byShort = new Map(options.filter((o) => o.short).map((o) => [o.short!, o]));
  const values: Record<string, string | boolean | undefined> = {};
  for (const option of options) values[option.name] = option.type === "boolean" ? false : undefined;
  const positionals: string[] = [];
  const takesRest = spec.args.at(-1)?.afterDashDash === true;

  const unknown = (name: string) => {
    const known = options.flatMap((o) => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])]);
    // Only something shaped like an option name is echoed.
    const shown = /^--?[A-Za-z][\w-]{0,30}$/.test(name) ? `'${name}'` : "(not shown)";
    return usageError(msg`unknown option ${shown} ${where}`, didYouMean(name, known) ?? hint);
  };
  const setValue = (option: OptionSpec, value: string) => {
    // No option means anything with an empty value; `--profile=` is a mistake, not a choice of profile "".
    if (value === "") {
      throw usageError(msg`option '--${option.name}' needs a non-empty value ${where}`, hint);
    }
    const problem = option.check?.(value);
    if (problem) {
      throw usageError(
        msg`invalid --${option.name} ${shownName(value)} ${where}: ${problem}`,
        hint,
      );
    }
    values[option.name] = value;
  };
  const missingValue = (option: OptionSpec, usedShort: boolean) =>
    usageError(
      msg`option '${optionName(option, usedShort)}' needs a value ${where}`,
      `give it as ${
        optionName(option, usedShort)
      } VALUE; a value starting with '-' as --${option.name}=VALUE`,
    );

  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === "--") {
      if (takesRest) return { values, positionals, rest: argv.slice(i + 1) };
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (word.startsWith("--")) {
      const equals = word.indexOf("=");
      const name = equals < 0 ? word.slice(2) : word.slice(2, equals);
      const option = byLong.get(name);
      if (!option) throw unknown(`--${name}`);
      if (option.type === "boolean") {
        if (equals >= 0) {
          throw usageError(msg`option '--${name}' takes no value ${where}`, hint);
        }
        values[name] = true;
      } else if (equals >= 0) {
        setValue(option, word.slice(equals + 1));
      } else {
        const next = argv[i + 1];
        if (next === undefined || (next.length > 1 && next.startsWith("-"))) {
          throw missingValue(option, false);
        }
        setValue(option, next);
        i++;
      }
      continue;
    }
    if (word.startsWith("-") && word.length > 1) {
      for (let j = 1; j < word.length; j++) {
        const option = byShort.get(word[j]);
        if (!option) throw unknown(`-${word[j]}`);
        if (option.type === "boolean") {
          values[option.name] = true;
          continue;
        }
        // A valued letter takes the rest of the word (`-pdev`, `-p=dev`) or the next word.
        let value = word.slice(j + 1);
        if (value.startsWith("=")) value = value.slice(1);
        else if (value === "") {
          const next = argv[i + 1];
          if (next === undefined || (next.length > 1 && next.startsWith("-"))) {
            throw missingValue(option, true);
          }
          value = next;
          i++;
        }
        setValue(option, value);
        break;
      }
      continue;
    }
    positionals.push(word);
  }
  return { values, positionals };
}

/** Checks the number of positional arguments against the spec. */
export function checkArity(spec: CommandSpec, positionals: readonly string[]): void {
  const before = spec.args.filter((a) => !a.afterDashDash);
  const variadic = before.at(-1)?.variadic === true;
  const required = before.filter((a) => !a.optional).length;
  if (!variadic && positionals.length > before.length) {
    // The extra argument is not echoed: it may be a secret typed in the wrong place.
    throw usageError(
      msg`too many arguments for 'stc ${spec.name}' (${positionals.length} given, at most ${before.length})`,
      `usage: ${synopsis(spec)}`,
    );
  }
  if (positionals.length < required) {
    const missing = before[positionals.length];
    throw usageError(
      msg`missing argument <${missing.name}> for 'stc ${spec.name}'`,
      `usage: ${synopsis(spec)}`,
    );
  }
}

/** The typed input of a command: options by name, positional arguments by name (a variadic one gets the rest). */
export function commandInput<S extends CommandSpec>(spec: S, parsed: ParsedArgs): CommandInput<S> {
  const args: Record<string, string | readonly string[] | undefined> = {};
  for (const [index, arg] of spec.args.entries()) {
    args[arg.name] = arg.afterDashDash
      ? parsed.rest ?? []
      : arg.variadic
      ? parsed.positionals.slice(index)
      : parsed.positionals[index];
  }
  return {
    options: parsed.values as OptionValues<S>,
    args: args as ArgValues<S>,
    positionals: parsed.positionals,
  };
}

/** Parses and checks a command line in one step: what a command's `run` receives. */
export function parseCommandLine<S extends CommandSpec>(
  spec: S,
  argv: readonly string[],
): CommandInput<S> {
  const parsed = parseArgs(spec, argv);
  checkArity(spec, parsed.positionals);
  return commandInput(spec, parsed);
}
