import type { ArgSpec, CompletionKind, OptionSpec } from "../cli/spec.ts";
/**
 * Shell completion, decided in one place for bash, zsh and fish: given the words of a command line up to the
 * cursor, what to offer. The shells only collect the words and show the answer (completions/stc.*), so stc's
 * own options come straight from the command specs and never drift.
 *
 * @module
 */

/** The options and arguments of something completed: an stc subcommand or a seed command. */
export interface CompletionSpec {
  /** Options. */
  options: readonly OptionSpec[];
  /** Positional arguments. */
  args: readonly ArgSpec[];
  /** Whether `--long` names are offered (seed commands parse only `-x` letters). */
  longOptions: boolean;
}

/** What to complete at the cursor. */
export type CompletionTarget =
  /** Option names of the spec. */
  | { type: "options"; spec: CompletionSpec; prefix: string }
  /** A value of some kind; `insertPrefix` is text before the value in the same word (`--profile=`). */
  | { type: "value"; kind: CompletionKind; prefix: string; insertPrefix: string }
  /** Nothing to offer. */
  | { type: "none" };

function findLong(spec: CompletionSpec, name: string): OptionSpec | undefined {
  return spec.longOptions ? spec.options.find((o) => o.name === name) : undefined;
}

function findShort(spec: CompletionSpec, letter: string): OptionSpec | undefined {
  return spec.options.find((o) => o.short === letter);
}

function valueTarget(option: OptionSpec, prefix: string, insertPrefix = ""): CompletionTarget {
  return option.complete
    ? { type: "value", kind: option.complete, prefix, insertPrefix }
    : { type: "none" };
}

/**
 * Works out what to complete from the words after the command (`before`, complete words) and the word being
 * typed (`current`), parsing options like node:util parseArgs and getopts do: `--name value`, `--name=value`,
 * `-x value`, `-xvalue`, clustered flags `-abc`, and `--` ending the options.
 */
export function completionTarget(
  spec: CompletionSpec,
  before: readonly string[],
  current: string,
): CompletionTarget {
  let positional = 0;
  let pendingValue: OptionSpec | undefined;
  let optionsEnded = false;
  for (const word of before) {
    if (pendingValue) {
      pendingValue = undefined;
      continue;
    }
    if (optionsEnded || word === "-" || !word.startsWith("-")) {
      positional++;
      continue;
    }
    if (word === "--") {
      optionsEnded = true;
      continue;
    }
    if (word.startsWith("--")) {
      const option = findLong(spec, word.slice(2));
      if (option?.type === "string" && !word.includes("=")) pendingValue = option;
      continue;
    }
    // A cluster of letters: the first one taking a value takes the rest of the word, or the next word.
    for (let i = 1; i < word.length; i++) {
      const option = findShort(spec, word[i]);
      if (option?.type === "string") {
        if (i === word.length - 1) pendingValue = option;
        break;
      }
    }
  }
  if (pendingValue) return valueTarget(pendingValue, current);
  if (!optionsEnded && current.startsWith("-")) {
    if (current.startsWith("--") && current.includes("=")) {
      const equals = current.indexOf("=");
      const option = findLong(spec, current.slice(2, equals));
      return option?.type === "string"
        ? valueTarget(option, current.slice(equals + 1), current.slice(0, equals + 1))
        : { type: "none" };
    }
    return { type: "options", spec, prefix: current };
  }
  const arg = spec.args[positional];
  return arg?.complete
    ? { type: "value", kind: arg.complete, prefix: current, insertPrefix: "" }
    : {
      type: "none",
    };
}

/** One thing offered: the text to insert and an optional description. */
export interface Candidate {
  /** The text. */
  value: string;
  /** Shown beside it by zsh and fish. */
  description?: string;
}

/** The option names of a spec that start with `prefix`: `--name` (when offered) and `-x`. */
export function optionCandidates(spec: CompletionSpec, prefix: string): Candidate[] {
  const out: Candidate[] = [];
  for (const option of spec.options) {
    const names = [
      ...(spec.longOptions ? [`--${option.name}`] : []),
      ...(option.short ? [`-${option.short}`] : []),
    ];
    // A long prefix (--x) offers long names; `-` alone offers both.
    for (const name of names) {
      if (name.startsWith(prefix)) out.push({ value: name, description: option.description });
    }
  }
  return out;
}

/** Keeps the candidates starting with `prefix`, without duplicates, in order. */
export function filterCandidates(candidates: readonly Candidate[], prefix: string): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    if (!c.value.startsWith(prefix) || seen.has(c.value)) return false;
    seen.add(c.value);
    return true;
  });
}

const LINE_BREAKING = /[\t\r\n]/;
const BLANK = /\s/;

/**
 * Formats the answer of `stc complete words`: a mode line (`values`, `files` or `files:EXT`), then one
 * candidate a line, with a tab and the description when there is one. Tabs and line breaks inside a value
 * would break the format, so such candidates are dropped (and descriptions flattened).
 */
export function formatCompletion(
  mode: "values" | "files" | `files:${string}`,
  candidates: readonly Candidate[] = [],
): string {
  const lines: string[] = [mode];
  for (const { value, description } of candidates) {
    if (value === "" || LINE_BREAKING.test(value)) continue;
    // Most descriptions (ARNs, account ids) have no blank at all: only the others are rewritten.
    const text = description !== undefined && BLANK.test(description)
      ? description.replace(/\s+/g, " ").trim()
      : description;
    lines.push(text ? `${value}\t${text}` : value);
  }
  return lines.join("\n") + "\n";
}

/**
 * The value of an option in the words typed so far (for example `-p` to know whose roles to offer): the last
 * one wins, as when parsing. Recognises `--name value`, `--name=value`, `-x value` and `-xvalue`.
 */
export function optionValue(
  spec: CompletionSpec,
  words: readonly string[],
  name: string,
): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === "--") break;
    const option = spec.options.find((o) => o.name === name);
    if (!option) return undefined;
    if (spec.longOptions && word === `--${name}`) value = words[++i];
    else if (spec.longOptions && word.startsWith(`--${name}=`)) {
      value = word.slice(name.length + 3);
    } else if (option.short && word === `-${option.short}`) value = words[++i];
    else if (option.short && word.startsWith(`-${option.short}`) && !word.startsWith("--")) {
      value = word.slice(2);
    }
  }
  return value;
}
