/**
 * An interactive list to choose from at a terminal (`stc assume` and `stc console` without an alias): type to
 * filter, arrows (or Ctrl-P/Ctrl-N) to move, Enter to choose, Esc or Ctrl-C to cancel (exit 130).
 *
 * The state and its keys are pure ({@linkcode filterChoices}, {@linkcode decodeKeys}, {@linkcode pressKey},
 * {@linkcode renderPicker}); {@linkcode runPicker} drives them on a terminal already in raw mode. The choices are
 * untrusted (role names from files anyone may have written): every line drawn passes through the caller's
 * sanitiser first.
 *
 * @example
 * ```ts
 * import { filterChoices, pressKey, startPicker } from "./picker.ts";
 * import assert from "node:assert/strict";
 *
 * const choices = [{ value: "dev-admin" }, { value: "prod-ro", detail: "333333333333 ReadOnly" }];
 * assert.deepEqual(filterChoices(choices, "ro").map((c) => c.value), ["prod-ro"]);
 * let state = startPicker(choices);
 * state = pressKey(state, { kind: "down" }).state;
 * assert.equal(pressKey(state, { kind: "enter" }).chosen, "prod-ro");
 * ```
 *
 * @module
 */

import { ExitCode, StcError } from "../core/errors.ts";
import type { RawTerminal } from "./input.ts";

/** One entry of the list. */
export interface Choice {
  /** What choosing it returns, and what is shown first. */
  readonly value: string;
  /** Shown after the value, dimmed, and matched by the filter too. */
  readonly detail?: string;
}

/** The picker's state: the choices, the filter typed so far, and the highlighted entry of the filtered list. */
export interface PickerState {
  /** Every choice, in order. */
  readonly choices: readonly Choice[];
  /** The filter typed. */
  readonly query: string;
  /** Index of the highlighted entry in the filtered list. */
  readonly selected: number;
}

/** A key the picker understands. */
export type PickerKey =
  | { kind: "text"; text: string }
  | { kind: "up" | "down" | "enter" | "cancel" | "backspace" | "clear" };

/** The picker's state for `choices`: no filter, the first entry highlighted. */
export function startPicker(choices: readonly Choice[]): PickerState {
  return { choices, query: "", selected: 0 };
}

/** The choices whose value or detail contains every word of `query`, ignoring case, in their order. */
export function filterChoices(choices: readonly Choice[], query: string): Choice[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== "");
  return choices.filter((choice) => {
    const text = `${choice.value} ${choice.detail ?? ""}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** The state after `key`, and the value chosen (Enter on an entry) or whether the user cancelled. */
export function pressKey(
  state: PickerState,
  key: PickerKey,
): { state: PickerState; chosen?: string; cancelled?: boolean } {
  const visible = filterChoices(state.choices, state.query);
  const withQuery = (query: string) => ({ state: { ...state, query, selected: 0 } });
  switch (key.kind) {
    case "text":
      return withQuery(state.query + key.text);
    case "backspace":
      return withQuery([...state.query].slice(0, -1).join(""));
    case "clear":
      return withQuery("");
    case "up":
      return { state: { ...state, selected: Math.max(0, state.selected - 1) } };
    case "down":
      return {
        state: {
          ...state,
          selected: Math.max(0, Math.min(visible.length - 1, state.selected + 1)),
        },
      };
    case "enter": {
      const choice = visible[state.selected];
      return choice ? { state, chosen: choice.value } : { state };
    }
    case "cancel":
      return { state, cancelled: true };
  }
}

/**
 * The keys in a chunk of bytes read from a raw terminal: printable text, arrows (`ESC [ A`, `ESC O A`, …),
 * Enter, Backspace, Ctrl-U (clear), Ctrl-P/Ctrl-N, and Esc alone, Ctrl-C or Ctrl-D as cancel. Other control
 * bytes and escape sequences are ignored.
 */
export function decodeKeys(bytes: Uint8Array): PickerKey[] {
  const keys: PickerKey[] = [];
  let text: number[] = [];
  const flush = () => {
    if (text.length > 0) {
      keys.push({ kind: "text", text: new TextDecoder().decode(Uint8Array.from(text)) });
    }
    text = [];
  };
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte >= 32 && byte !== 127) {
      text.push(byte);
      continue;
    }
    flush();
    if (byte === 27) {
      const next = bytes[i + 1];
      if (next !== 91 && next !== 79) {
        keys.push({ kind: "cancel" }); // Esc on its own
        continue;
      }
      // CSI or SS3: parameters, then a final byte in 0x40–0x7e.
      let end = i + 2;
      while (end < bytes.length && (bytes[end] < 0x40 || bytes[end] > 0x7e)) end++;
      const final = bytes[end];
      if (final === 65) keys.push({ kind: "up" });
      else if (final === 66) keys.push({ kind: "down" });
      i = end;
      continue;
    }
    if (byte === 13 || byte === 10) keys.push({ kind: "enter" });
    else if (byte === 127 || byte === 8) keys.push({ kind: "backspace" });
    else if (byte === 21) keys.push({ kind: "clear" });
    else if (byte === 16) keys.push({ kind: "up" });
    else if (byte === 14) keys.push({ kind: "down" });
    else if (byte === 3 || byte === 4) keys.push({ kind: "cancel" });
  }
  flush();
  return keys;
}

/** How the picker is drawn. */
export interface PickerLook {
  /** The question, shown before the filter. */
  question: string;
  /** The sanitiser every drawn text passes through. */
  clean(text: string): string;
  /** Dims text (the details, the hint), or returns it unchanged without colour. */
  dim(text: string): string;
  /** Terminal width: longer lines are cut. */
  columns: number;
  /** How many entries are shown at once. */
  rows: number;
}

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join("")}…`;
}

/** The lines of the picker for `state`: the question with the filter, then a window of entries around the highlight. */
export function renderPicker(state: PickerState, look: PickerLook): string[] {
  const visible = filterChoices(state.choices, state.query);
  const width = Math.max(20, look.columns - 1);
  const lines = [
    cut(`${look.clean(look.question)} ${look.clean(state.query)}`, width),
  ];
  if (visible.length === 0) {
    lines.push(look.dim("  (no match: Backspace to widen, Esc to cancel)"));
    return lines;
  }
  const first = Math.min(
    Math.max(0, state.selected - Math.floor(look.rows / 2)),
    Math.max(0, visible.length - look.rows),
  );
  for (const [offset, choice] of visible.slice(first, first + look.rows).entries()) {
    const marker = first + offset === state.selected ? ">" : " ";
    const value = look.clean(choice.value);
    const detail = choice.detail ? look.clean(choice.detail) : "";
    const line = cut(`${marker} ${value}${detail ? `  ${detail}` : ""}`, width);
    // Dim only the detail part that survived the cut.
    const head = cut(`${marker} ${value}`, width);
    lines.push(line.length > head.length ? head + look.dim(line.slice(head.length)) : line);
  }
  lines.push(
    look.dim(
      `  ${visible.length} of ${state.choices.length}: type to filter, ↑↓ Enter, Esc cancels`,
    ),
  );
  return lines;
}

const encoder = new TextEncoder();

/**
 * Runs the picker on `terminal` (already raw): draws it on `write` (stderr), redrawing in place after each key,
 * and returns the chosen value. Esc, Ctrl-C and the end of input cancel with exit code 130; the picker's lines are
 * erased either way, and the choice is left on its question line.
 */
export async function runPicker(
  terminal: RawTerminal,
  write: (bytes: Uint8Array) => void,
  choices: readonly Choice[],
  look: PickerLook,
): Promise<string> {
  let state = startPicker(choices);
  // The cursor stays on the question line, after the filter: erasing is going to its start and clearing down.
  const erase = () => write(encoder.encode("\r\x1b[J"));
  const draw = () => {
    erase();
    const lines = renderPicker(state, look);
    const up = lines.length > 1 ? `\x1b[${lines.length - 1}A` : "";
    write(encoder.encode(`${lines.join("\r\n")}${up}\r\x1b[${[...lines[0]].length}C`));
  };
  draw();
  const buffer = new Uint8Array(256);
  while (true) {
    const n = await terminal.read(buffer);
    const keys = n === null ? [{ kind: "cancel" } as const] : decodeKeys(buffer.subarray(0, n));
    for (const key of keys) {
      const result = pressKey(state, key);
      state = result.state;
      if (result.cancelled) {
        erase();
        throw new StcError("cancelled", { exitCode: ExitCode.Interrupted });
      }
      if (result.chosen !== undefined) {
        erase();
        write(encoder.encode(`${look.clean(look.question)} ${look.clean(result.chosen)}`));
        return result.chosen;
      }
    }
    draw();
  }
}
