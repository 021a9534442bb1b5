/**
 * The sanitiser, fuzzed: whatever the input, the output holds no character a terminal acts on or hides, and the
 * input can be read back from it (so different values never look the same).
 *
 * Replay a failure with `STC_FUZZ_SEED=<seed> deno test lib/core/text_test.ts`.
 */
import assert from "node:assert/strict";
import { printable, quoted } from "./text.ts";

const SEED = Number(Deno.env.get("STC_FUZZ_SEED") ?? crypto.getRandomValues(new Uint32Array(1))[0]);
/** Random strings per fuzz run. */
export const FUZZ_STRINGS = 20_000;

/** mulberry32: small, seedable, good enough to pick test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What no sanitised output may hold: controls, format characters (bidi, zero-width, tags), separators. */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** Pieces that mean something to a terminal or to the escape syntax itself. */
const PIECES: readonly string[] = [
  "\\",
  "\\\\",
  "\\x",
  "\\x1b",
  "\\u",
  "\\u{202e}",
  "x1b",
  "u{",
  "}",
  "\x1b]0;PWNED\x07",
  "\x1b[31m",
  "\x1b[2J",
  "\x9b31m",
  "\u202e",
  "\u2066",
  "\u200b",
  "\u200d",
  "\ufeff",
  "\u2028",
  "\u{e0041}",
  "\u{1d173}",
  "\u0600",
  "\u{13430}",
  "\u{1f600}",
  "é",
  "\ud800",
  "\udc00",
  "\n",
  "\r",
];

/** Reads a {@linkcode printable} output back into the text it shows. */
function unescape(shown: string): string {
  let out = "";
  for (let i = 0; i < shown.length;) {
    if (shown[i] === "\\") {
      if (shown[i + 1] === "\\") {
        out += "\\";
        i += 2;
        continue;
      }
      const hex = /^x([0-9a-f]{2})/.exec(shown.slice(i + 1));
      if (hex) {
        out += String.fromCharCode(parseInt(hex[1], 16));
        i += 4;
        continue;
      }
      const unicode = /^u\{([0-9a-f]+)\}/.exec(shown.slice(i + 1));
      if (unicode) {
        out += String.fromCodePoint(parseInt(unicode[1], 16));
        i += 1 + unicode[0].length;
        continue;
      }
    }
    out += shown[i++];
  }
  return out;
}

function randomString(rand: () => number): string {
  let text = "";
  for (let n = Math.floor(rand() * 12); n >= 0; n--) {
    const r = rand();
    if (r < 0.45) text += PIECES[Math.floor(rand() * PIECES.length)];
    else if (r < 0.6) text += String.fromCharCode(Math.floor(rand() * 0xa0)); // C0, ASCII, DEL, C1
    else if (r < 0.8) text += String.fromCharCode(Math.floor(rand() * 0x10000)); // any BMP unit, lone surrogates
    else text += String.fromCodePoint(Math.floor(rand() * 0x110000));
  }
  return text;
}

Deno.test(`printable, fuzzed (${FUZZ_STRINGS} strings, seed ${SEED}): nothing unsafe out, the input readable back`, () => {
  const rand = prng(SEED);
  for (let i = 0; i < FUZZ_STRINGS; i++) {
    const text = randomString(rand);
    const shown = printable(text);
    assert.ok(!FORBIDDEN.test(shown), `seed ${SEED}, input ${JSON.stringify(text)}`);
    assert.equal(unescape(shown), text, `seed ${SEED}: not readable back`);
    const multiLine = printable(text, { keepNewlines: true });
    assert.ok(!FORBIDDEN.test(multiLine.replaceAll("\n", "")), `seed ${SEED}: keepNewlines`);
    assert.equal(unescape(multiLine), text, `seed ${SEED}: keepNewlines not readable back`);
  }
});

Deno.test("printable escapes every format character, and backslashes that would read as an escape", () => {
  // Every Cf code point, and every code point of the planes that hold them, one by one.
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0x20000 && cp < 0xe0000) continue; // CJK and unassigned planes: nothing to escape there
    const char = String.fromCodePoint(cp);
    assert.ok(!FORBIDDEN.test(printable(char)), `U+${cp.toString(16)}`);
  }
  // A literal backslash-x is not ESC, and looks different from it.
  assert.notEqual(printable("\\x1b"), printable("\x1b"));
  assert.notEqual(printable("\\u{202e}"), printable("\u202e"));
  assert.notEqual(printable("\\\x1b"), printable("\\x1b"));
  assert.equal(printable("C:\\Temp\\dir"), "C:\\Temp\\dir");
  assert.equal(printable("one \\x1b"), "one \\\\x1b");
  assert.equal(quoted("a\u2066b"), "'a\\u{2066}b'");
});
