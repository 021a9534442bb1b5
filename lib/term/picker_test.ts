import assert from "node:assert/strict";
import { printable } from "../core/text.ts";
import {
  type Choice,
  decodeKeys,
  filterChoices,
  type PickerLook,
  pressKey,
  renderPicker,
  runPicker,
  startPicker,
} from "./picker.ts";
import type { RawTerminal } from "./input.ts";

const CHOICES: Choice[] = [
  { value: "dev-admin", detail: "222222222222 Admin" },
  { value: "dev-ro", detail: "222222222222 ReadOnly" },
  { value: "prod-admin", detail: "333333333333 Admin" },
  { value: "prod-ro", detail: "333333333333 ReadOnly" },
];

const LOOK: PickerLook = {
  question: "Role:",
  clean: (text) => printable(text),
  dim: (text) => text,
  columns: 80,
  rows: 3,
};

Deno.test("filterChoices matches every word in the value or detail, ignoring case", () => {
  assert.deepEqual(filterChoices(CHOICES, "PROD").map((c) => c.value), ["prod-admin", "prod-ro"]);
  assert.deepEqual(filterChoices(CHOICES, "readonly 3333").map((c) => c.value), ["prod-ro"]);
  assert.deepEqual(filterChoices(CHOICES, "").length, 4);
  assert.deepEqual(filterChoices(CHOICES, "nothing"), []);
});

Deno.test("decodeKeys turns terminal bytes into keys: text, arrows, Enter, Esc, Ctrl-C", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  assert.deepEqual(decodeKeys(bytes("pr\x1b[B\x1bOA\r")), [
    { kind: "text", text: "pr" },
    { kind: "down" },
    { kind: "up" },
    { kind: "enter" },
  ]);
  assert.deepEqual(decodeKeys(bytes("\x1b")), [{ kind: "cancel" }]);
  assert.deepEqual(decodeKeys(bytes("\x03")), [{ kind: "cancel" }]);
  assert.deepEqual(decodeKeys(bytes("a\x7f\x15\x10\x0e")), [
    { kind: "text", text: "a" },
    { kind: "backspace" },
    { kind: "clear" },
    { kind: "up" },
    { kind: "down" },
  ]);
  // Other sequences (Home, F5) are ignored, not typed into the filter.
  assert.deepEqual(decodeKeys(bytes("\x1b[H\x1b[15~x")), [{ kind: "text", text: "x" }]);
});

Deno.test("pressKey filters, moves within the filtered list and chooses", () => {
  let state = startPicker(CHOICES);
  state = pressKey(state, { kind: "text", text: "prod" }).state;
  state = pressKey(state, { kind: "down" }).state;
  state = pressKey(state, { kind: "down" }).state; // stays on the last match
  assert.equal(pressKey(state, { kind: "enter" }).chosen, "prod-ro");
  state = pressKey(state, { kind: "up" }).state;
  assert.equal(pressKey(state, { kind: "enter" }).chosen, "prod-admin");
  // A new filter starts at the top; Enter with no match chooses nothing.
  state = pressKey(state, { kind: "text", text: "zzz" }).state;
  assert.equal(pressKey(state, { kind: "enter" }).chosen, undefined);
  state = pressKey(state, { kind: "clear" }).state;
  assert.equal(pressKey(state, { kind: "enter" }).chosen, "dev-admin");
  assert.equal(pressKey(state, { kind: "cancel" }).cancelled, true);
});

Deno.test("renderPicker shows a window around the highlight, and sanitises untrusted names", () => {
  let state = startPicker(CHOICES);
  for (let i = 0; i < 3; i++) state = pressKey(state, { kind: "down" }).state;
  const lines = renderPicker(state, LOOK);
  assert.equal(lines[0], "Role: ");
  assert.deepEqual(lines.slice(1, 4), [
    "  dev-ro  222222222222 ReadOnly",
    "  prod-admin  333333333333 Admin",
    "> prod-ro  333333333333 ReadOnly",
  ]);
  assert.match(lines[4], /4 of 4/);
  const hostile = renderPicker(
    startPicker([{ value: "x\x1b]0;owned\x07", detail: "\x1b[2J" }]),
    LOOK,
  );
  assert.ok(hostile.every((line) => !line.includes("\x1b")), JSON.stringify(hostile));
  assert.match(renderPicker(state, { ...LOOK, columns: 20 })[3], /^> prod-ro .{0,10}…$/);
});

/** A raw terminal that hands out the given chunks, one per read, then the end of input. */
function scripted(chunks: string[]): RawTerminal {
  return {
    setRaw() {},
    read(buffer) {
      const chunk = chunks.shift();
      if (chunk === undefined) return Promise.resolve(null);
      const bytes = new TextEncoder().encode(chunk);
      buffer.set(bytes);
      return Promise.resolve(bytes.length);
    },
  };
}

Deno.test("runPicker returns the value chosen with keys; Esc, Ctrl-C and the end of input cancel (exit 130)", async () => {
  const written: Uint8Array[] = [];
  const write = (bytes: Uint8Array) => void written.push(bytes);
  assert.equal(
    await runPicker(scripted(["prod", "\x1b[B", "\r"]), write, CHOICES, LOOK),
    "prod-ro",
  );
  const screen = new TextDecoder().decode(new Uint8Array(written.flatMap((c) => [...c])));
  assert.match(screen, /Role: prod-ro$/);
  for (const keys of [["pr", "\x1b"], ["\x03"], []]) {
    await assert.rejects(
      () => runPicker(scripted(keys), write, CHOICES, LOOK),
      (error: Error & { exitCode?: number }) => error.exitCode === 130,
    );
  }
});
