/**
 * Real-shell fuzz test of lib/shell.ts: renders many hostile values, has bash, zsh, fish and
 * sh `eval` the output under several option sets and locales, and reads every value back
 * byte for byte (from the shell and from a child's environment).
 *
 * Replay a failure with `STC_FUZZ_SEED=<seed> deno test --allow-all test/shell_fuzz_test.ts`.
 */
import assert from "node:assert/strict";
import { inCi, testWith, type Tool } from "./tools.ts";
import { quoteWord, renderShell, type ShellAction } from "../lib/shell/emitter.ts";
import type { ShellName } from "../lib/shell/shell_name.ts";

const SEED = Number(Deno.env.get("STC_FUZZ_SEED") ?? crypto.getRandomValues(new Uint32Array(1))[0]);
/** Exported values per shell start; every shell runs at least 3 variants (>= 1000 values). */
const VALUES_PER_RUN = 360;
const SETS_PER_RUN = 12;
const UNSETS_PER_RUN = 12;
const PRINTS_PER_RUN = 24;
/** Command words (as in the import lines of `stc export`) per run, half of them made of plain characters. */
const WORDS_PER_RUN = 240;
/** Stays below Linux's 128 KiB limit for one environment string, so `env` can still run. */
const LONG_BYTES = 100_000;

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

type Rand = () => number;
const int = (rand: Rand, n: number): number => Math.floor(rand() * n);
const pick = <T>(rand: Rand, list: readonly T[]): T => list[int(rand, list.length)];

/** Text that means something to some shell, or to printf, or to a terminal. */
const HOSTILE: readonly string[] = [
  "'",
  '"',
  "$",
  "`",
  "\\",
  "!",
  "%",
  "%s",
  "%%",
  "%n",
  "\\n",
  "\n",
  "\r",
  "\r\n",
  "\t",
  "''",
  "'\\''",
  "\\'",
  "\\\\'",
  "'; touch PWNED; '",
  "'; rm -f CANARY; '",
  '"; touch PWNED; "',
  "$(touch PWNED)",
  "`touch PWNED`",
  "; touch PWNED",
  "\ntouch PWNED\n",
  "'\ntouch PWNED\n'",
  "(touch PWNED)",
  "$(rm -f CANARY)",
  ">PWNED",
  "&& touch PWNED",
  "| touch PWNED",
  "${IFS}",
  "$((1+1))",
  "${PWNED:=x}",
  "$HOME",
  "{$HOME}",
  "$argv",
  "!!",
  "!-1",
  "!$",
  "^a^b",
  // bash history expansion reads a typed line starting with ^ as a quick substitution.
  "a\n^a^b",
  "*",
  "?",
  "[a]",
  "~",
  "~root",
  "=ls",
  "{a,b}",
  "#",
  " #",
  ";",
  ";;",
  "esac",
  "EOF",
  "<<EOF",
  "-e",
  "-n",
  "--",
  "$'\\x41'",
  "\\x41",
  "\\u0041",
  "\\c",
  "\\0",
  "\x1b[31m",
  "\x1b]0;title\x07",
  "a=b",
  " ",
  "  ",
  // Expanded at the start of a word, or after = and : (zsh MAGIC_EQUAL_SUBST), in some shell.
  "%self",
  "%",
  "%1",
  "=deno",
  "a==ls",
  "a=b:=ls",
  "a:~",
  "x=~",
  "~/x",
  "-",
  // nushell raw strings: a `#` right after the opening quote, and `'#` inside.
  "#'",
  "#9'#",
  "'#",
  "r#'x'#",
];

/** Characters plain words are made of, and some that only some shells expand in some places. */
const WORD_CHARS = "abcXYZ019_.,/+:@-%=~!^#*?[]{}";

function randomWord(rand: Rand): string {
  if (rand() < 0.5) return randomValue(rand);
  let word = "";
  for (let n = int(rand, 12); n >= 0; n--) {
    word += rand() < 0.2 ? pick(rand, HOSTILE) : WORD_CHARS[int(rand, WORD_CHARS.length)];
  }
  return word;
}

const UNICODE: readonly string[] = [
  "é",
  "e\u0301",
  "\u0301",
  "😀",
  "👩‍👩‍👧",
  "🏳️‍🌈",
  "\u202E",
  "\u200F",
  "\u2066",
  "مرحبا",
  "עברית",
  "日本語",
  "\uFEFF",
  "\uFFFD",
  "\uFFFE",
  "\uFFFF",
  "\u{10FFFF}",
  "\u2028",
  "\u00A0",
  "\u0085",
  "\u00C3", // UTF-8 C3 83: 0x83 is zsh's Meta byte
  "\u0101", // C4 81: 0x81 is dash's CTLESC
  "\uF600", // fish encodes undecodable bytes in U+F600..U+F6FF
  "\uF6FF",
  "\uF6FE",
  "\uE000",
  "\u{1F600}\u0301",
];

function randomCodePoint(rand: Rand): string {
  for (;;) {
    const cp = 1 + int(rand, 0x10FFFF);
    if (cp < 0xD800 || cp > 0xDFFF) return String.fromCodePoint(cp);
  }
}

function randomPiece(rand: Rand): string {
  const r = rand();
  if (r < 0.35) return pick(rand, HOSTILE);
  if (r < 0.5) {
    const controls = [...Array(31)].map((_, i) => String.fromCharCode(i + 1)).concat("\x7f");
    return pick(rand, controls);
  }
  if (r < 0.55) return String.fromCharCode(0x80 + int(rand, 32)); // C1 controls
  if (r < 0.7) return pick(rand, UNICODE);
  if (r < 0.8) return randomCodePoint(rand);
  let ascii = "";
  for (let i = int(rand, 12); i >= 0; i--) ascii += String.fromCharCode(0x20 + int(rand, 95));
  return ascii;
}

function randomValue(rand: Rand): string {
  if (rand() < 0.02) return "";
  let value = "";
  for (let n = 1 + int(rand, 16); n > 0; n--) value += randomPiece(rand);
  return value;
}

function longValue(rand: Rand): string {
  const encoder = new TextEncoder();
  let value = "";
  while (encoder.encode(value).length < LONG_BYTES) {
    let chunk = "";
    for (let i = 0; i < 200; i++) chunk += randomPiece(rand);
    value += chunk;
  }
  // Trim to at most LONG_BYTES + a few bytes without splitting a code point.
  const chars = [...value];
  while (encoder.encode(chars.join("")).length > LONG_BYTES + 4) chars.splice(-100, 100);
  return chars.join("");
}

/** How one shell is started and prepared before it evals stc's output. */
interface Variant {
  label: string;
  args: string[];
  locale: Record<string, string>;
  /** Shell code run before the eval (options). */
  prelude: string;
  /** Eval inside a function, as the `stc init` shell function does. */
  inFunction: boolean;
  /** fish only: how the script is read. */
  fishLoad?: "eval" | "source" | "pipe";
}

interface ShellSpec {
  shell: ShellName;
  exe: string;
  variants: Variant[];
}

/**
 * Attributes the user's shell may already have on a variable stc sets: integer (the value
 * would be evaluated as arithmetic), case conversion, nameref (bash: the assignment would go
 * to another variable).
 */
const ATTRIBUTES = {
  bash: "declare -i V_3 S_1; declare -u V_4; declare -n V_5=NAMEREF_TARGET S_2=NAMEREF_TARGET",
  zsh: "typeset -i V_3 S_1; typeset -u V_4",
};

const UTF8 = { LANG: "C.UTF-8" };
const C = { LC_ALL: "C" };

const SPECS: readonly ShellSpec[] = [
  {
    shell: "bash",
    exe: "bash",
    variants: [
      {
        label: "plain",
        args: ["--norc", "--noprofile"],
        locale: UTF8,
        prelude: "",
        inFunction: false,
      },
      {
        label: "set -euo pipefail, history -H, allexport, globs",
        args: ["--norc", "--noprofile"],
        locale: C,
        prelude:
          "set -euo pipefail; set -o history -H; set -a; shopt -s extglob nullglob failglob; " +
          ATTRIBUTES.bash,
        inFunction: true,
      },
      {
        label: "posix mode, set -eu",
        args: ["--norc", "--noprofile", "--posix"],
        locale: C,
        prelude: `set -eu; ${ATTRIBUTES.bash}`,
        inFunction: true,
      },
    ],
  },
  {
    shell: "zsh",
    exe: "zsh",
    variants: [
      { label: "plain", args: ["-f"], locale: UTF8, prelude: "", inFunction: false },
      {
        label: "hostile setopts",
        args: ["-f"],
        locale: C,
        prelude: "setopt NO_UNSET ERR_EXIT PIPE_FAIL RC_QUOTES CSH_JUNKIE_QUOTES SH_WORD_SPLIT " +
          "POSIX_BUILTINS KSH_ARRAYS ALL_EXPORT NO_MULTIBYTE WARN_CREATE_GLOBAL WARN_NESTED_VAR " +
          "GLOB_SUBST EXTENDED_GLOB NOMATCH BANG_HIST MAGIC_EQUAL_SUBST EQUALS; " + ATTRIBUTES.zsh,
        inFunction: true,
      },
      {
        label: "emulate sh, set -eu",
        args: ["-f"],
        locale: UTF8,
        prelude: `emulate sh; set -eu; ${ATTRIBUTES.zsh}`,
        inFunction: true,
      },
    ],
  },
  {
    shell: "fish",
    exe: "fish",
    variants: [
      {
        label: "eval",
        args: ["--no-config"],
        locale: UTF8,
        prelude: "",
        inFunction: false,
        fishLoad: "eval",
      },
      {
        label: "source, C locale",
        args: ["--no-config"],
        locale: C,
        prelude: "",
        inFunction: true,
        fishLoad: "source",
      },
      {
        label: "pipe to source",
        args: ["--no-config"],
        locale: UTF8,
        prelude: "",
        inFunction: true,
        fishLoad: "pipe",
      },
    ],
  },
  {
    shell: "sh",
    exe: "sh",
    variants: [
      { label: "plain", args: [], locale: UTF8, prelude: "", inFunction: false },
      { label: "set -eu", args: [], locale: C, prelude: "set -eu", inFunction: true },
      {
        label: "set -eua (allexport)",
        args: [],
        locale: UTF8,
        prelude: "set -eua",
        inFunction: true,
      },
    ],
  },
];

/** One run's actions and what each variable should read back as. */
interface Plan {
  actions: ShellAction[];
  exported: string[];
  setValues: string[];
  /** Words printed by a command line built with quoteWord. */
  words: string[];
  stdout: string;
  stderr: string;
  /** Exported by the parent process, so the shell starts with them in its environment. */
  parentEnv: Record<string, string>;
}

function makePlan(rand: Rand): Plan {
  const exported = [...Array(VALUES_PER_RUN)].map((_, i) =>
    i === 0 ? "" : i <= 2 ? longValue(rand) : randomValue(rand)
  );
  const setValues = [...Array(SETS_PER_RUN)].map(() => randomValue(rand));
  // Targets of ATTRIBUTES: arithmetic evaluation would run the command substitution.
  exported[3] = "x[$(touch PWNED)]";
  exported[4] = "Mixed Case Äö";
  setValues[1] = "y[$(touch PWNED)]";
  const parentEnv: Record<string, string> = {};
  const actions: ShellAction[] = [];
  let stdout = "";
  let stderr = "";
  const prints: ShellAction[] = [...Array(PRINTS_PER_RUN)].map(() => {
    const text = randomValue(rand);
    const stream = rand() < 0.5 ? "stdout" : "stderr";
    if (stream === "stdout") stdout += text;
    else stderr += text;
    return { kind: "print", text, stream };
  });
  // Earlier exported values and prints interleave; prints keep their relative order.
  let p = 0;
  exported.forEach((value, i) => {
    actions.push({ kind: "export", name: `V_${i}`, value });
    if (i % 15 === 0 && p < prints.length) actions.push(prints[p++]);
  });
  while (p < prints.length) actions.push(prints[p++]);
  setValues.forEach((value, j) => {
    // Half were exported by the parent, half by an earlier action: either way `set` must
    // leave them unexported.
    if (j % 2 === 0) parentEnv[`S_${j}`] = "from parent";
    else actions.push({ kind: "export", name: `S_${j}`, value: "exported earlier" });
    actions.push({ kind: "set", name: `S_${j}`, value });
  });
  for (let j = 0; j < UNSETS_PER_RUN; j++) {
    // Parent-exported, exported by an earlier action, or never set at all.
    if (j % 3 === 0) parentEnv[`U_${j}`] = "from parent";
    if (j % 3 === 1) actions.push({ kind: "export", name: `U_${j}`, value: "exported earlier" });
    actions.push({ kind: "unset", name: `U_${j}` });
  }
  const words = [...HOSTILE, ...[...Array(WORDS_PER_RUN)].map(() => randomWord(rand))];
  return { actions, exported, setValues, words, stdout, stderr, parentEnv };
}

/** Driver script: eval the rendered file, then write every variable to out/. */
function driver(
  shell: ShellName,
  variant: Variant,
  scriptFile: string,
  envDump: string | undefined,
  words: readonly string[],
): string {
  const lines: string[] = [];
  const fish = shell === "fish";
  if (variant.prelude) lines.push(variant.prelude);
  const load = !fish
    ? `eval "$(cat ${scriptFile})"`
    : variant.fishLoad === "source"
    ? `source ${scriptFile}`
    : variant.fishLoad === "pipe"
    ? `cat ${scriptFile} | source`
    : `eval "$(cat ${scriptFile})"`;
  if (variant.inFunction) {
    lines.push(
      fish ? `function stc_load; ${load}; end; stc_load` : `stc_load() { ${load}; }; stc_load`,
    );
  } else {
    lines.push(load);
  }
  // The status of the code is the status of the command that ran it: 0 when it succeeded.
  lines.push(`printf '%s' ${fish ? "$status" : "$?"} > out/status`);
  for (const [k, word] of words.entries()) {
    lines.push(`printf '%s' ${quoteWord(shell, word)} > out/w${k}`);
  }
  for (let i = 0; i < VALUES_PER_RUN; i++) lines.push(`printf '%s' "$V_${i}" > out/v${i}`);
  for (let j = 0; j < SETS_PER_RUN; j++) lines.push(`printf '%s' "$S_${j}" > out/s${j}`);
  for (let j = 0; j < UNSETS_PER_RUN; j++) {
    lines.push(
      fish
        ? `if set -q U_${j}; printf set; end > out/u${j}`
        : `printf '%s' "\${U_${j}+set}" > out/u${j}`,
    );
  }
  if (!fish) lines.push(`printf '%s' "\${NAMEREF_TARGET+set}" > out/nameref`);
  // A redirect, not a pipe: dash under `set -a` shows unexported variables to `env` run in
  // a pipeline (see report); a plain command is what stc users' programs see.
  if (envDump) lines.push(`${envDump} > out/env`);
  return lines.join("\n") + "\n";
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function show(bytes: Uint8Array | string): string {
  const text = typeof bytes === "string" ? bytes : new TextDecoder().decode(bytes);
  const json = JSON.stringify(text);
  return json.length > 300 ? `${json.slice(0, 300)}… (${text.length} chars)` : json;
}

function parseEnv(bytes: Uint8Array): Map<string, Uint8Array> {
  const env = new Map<string, Uint8Array>();
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0) continue;
    const entry = bytes.subarray(start, i);
    const eq = entry.indexOf(0x3d);
    if (eq > 0) env.set(new TextDecoder().decode(entry.subarray(0, eq)), entry.subarray(eq + 1));
    start = i + 1;
  }
  return env;
}

/** `env -0` (GNU, FreeBSD), else an equivalent in perl (macOS's env may lack -0). */
const ENV_DUMPERS: readonly [string, string[]][] = [
  ["env", ["-0"]],
  ["perl", ["-e", 'print map { "$_=$ENV{$_}\\0" } keys %ENV']],
];
let envDumper: Promise<string | undefined> | undefined;

/**
 * The command that writes the child's environment NUL-separated (values may hold newlines), as
 * shell words; undefined when there is none (the tests then say in their names that they skip those checks).
 */
function childEnvCommand(): Promise<string | undefined> {
  envDumper ??= (async () => {
    for (const [exe, args] of ENV_DUMPERS) {
      try {
        const out = await new Deno.Command(exe, {
          args,
          env: { STC_PROBE: "a\nb" },
          clearEnv: true,
          stdout: "piped",
          stderr: "null",
        }).output();
        if (out.success && new TextDecoder().decode(out.stdout).includes("STC_PROBE=a\nb\0")) {
          return [exe, ...args].map((w) => `'${w}'`).join(" ");
        }
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
    if (inCi()) {
      throw new Error("neither `env -0` nor perl is available; .ci/run should install them");
    }
    return undefined;
  })();
  return envDumper;
}

async function runVariant(spec: ShellSpec, variant: Variant, seed: number): Promise<void> {
  const where = `seed=${SEED} (run seed ${seed}), shell=${spec.shell}, variant="${variant.label}"`;
  const plan = makePlan(prng(seed));
  const encoder = new TextEncoder();
  const tmp = await Deno.makeTempDir({ prefix: "stc_shell_fuzz_" });
  try {
    const work = `${tmp}/work`;
    const home = `${tmp}/home`;
    await Deno.mkdir(`${work}/out`, { recursive: true });
    await Deno.mkdir(home);
    await Deno.writeTextFile(`${work}/CANARY`, "");
    await Deno.writeTextFile(`${work}/script`, renderShell(spec.shell, plan.actions));
    const envDump = await childEnvCommand();
    await Deno.writeTextFile(
      `${work}/driver`,
      driver(spec.shell, variant, "script", envDump, plan.words),
    );
    const { code, stdout, stderr } = await new Deno.Command(spec.exe, {
      args: [...variant.args, "driver"],
      cwd: work,
      clearEnv: true,
      env: {
        PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
        HOME: home,
        XDG_CONFIG_HOME: `${home}/.config`,
        XDG_DATA_HOME: `${home}/.local/share`,
        ...variant.locale,
        ...plan.parentEnv,
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();

    assert.ok(
      bytesEqual(stderr, encoder.encode(plan.stderr)),
      `${where}: stderr ${show(stderr)} != printed ${show(plan.stderr)}`,
    );
    assert.equal(code, 0, `${where}: exit code ${code}`);
    assert.ok(
      bytesEqual(stdout, encoder.encode(plan.stdout)),
      `${where}: stdout ${show(stdout)} != printed ${show(plan.stdout)}`,
    );
    const entries = [];
    for await (const entry of Deno.readDir(work)) entries.push(entry.name);
    assert.deepEqual(
      entries.sort(),
      ["CANARY", "driver", "out", "script"],
      `${where}: something ran`,
    );

    assert.equal(
      await Deno.readTextFile(`${work}/out/status`),
      "0",
      `${where}: status of the code`,
    );
    for (const [k, word] of plan.words.entries()) {
      const got = await Deno.readFile(`${work}/out/w${k}`);
      assert.ok(
        bytesEqual(got, encoder.encode(word)),
        `${where}: word ${show(word)} read ${show(got)}`,
      );
    }
    if (spec.shell !== "fish") {
      const target = await Deno.readTextFile(`${work}/out/nameref`);
      assert.equal(target, "", `${where}: an assignment went through a nameref`);
    }
    const env = envDump ? parseEnv(await Deno.readFile(`${work}/out/env`)) : undefined;
    for (const [i, value] of plan.exported.entries()) {
      const want = encoder.encode(value);
      const got = await Deno.readFile(`${work}/out/v${i}`);
      assert.ok(bytesEqual(got, want), `${where}: V_${i} read ${show(got)}, want ${show(value)}`);
      if (!env) continue;
      const inEnv = env.get(`V_${i}`);
      assert.ok(
        inEnv !== undefined && bytesEqual(inEnv, want),
        `${where}: V_${i} in child env ${inEnv && show(inEnv)}, want ${show(value)}`,
      );
    }
    for (const [j, value] of plan.setValues.entries()) {
      const got = await Deno.readFile(`${work}/out/s${j}`);
      assert.ok(bytesEqual(got, encoder.encode(value)), `${where}: S_${j} read ${show(got)}`);
      assert.ok(!env?.has(`S_${j}`), `${where}: S_${j} (set, not exported) is in the child env`);
    }
    for (let j = 0; j < UNSETS_PER_RUN; j++) {
      const got = await Deno.readTextFile(`${work}/out/u${j}`);
      assert.equal(got, "", `${where}: U_${j} still set after unset`);
      assert.ok(!env?.has(`U_${j}`), `${where}: U_${j} still in the child env after unset`);
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

for (const [s, spec] of SPECS.entries()) {
  await testWith(
    [spec.exe as Tool],
    `shell emitter survives hostile values in real ${spec.shell}${
      await childEnvCommand()
        ? ""
        : " (child environment checks skipped: neither `env -0` nor perl is installed)"
    }`,
    async () => {
      for (const [v, variant] of spec.variants.entries()) {
        await runVariant(spec, variant, (SEED + s * 1000 + v) >>> 0);
      }
    },
  );
}

/** Prompt values per shell: profiles and role aliases, hostile like the values above. */
const PROMPTS_PER_SHELL = 1000;

// What stc_prompt shows escaped, as stc's messages do (lib/core/text.ts): C0 and C1 controls, DEL, bidi
// controls, invisible formatting characters, tags.
const PROMPT_UNSAFE =
  // deno-lint-ignore no-control-regex
  /[\x00-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]|[\u{e0000}-\u{e0fff}]/gu;

function promptVisible(value: string): string {
  return value.replace(PROMPT_UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
  });
}

const ESC = String.fromCharCode(27);
/** The colour codes of the prompt in each shell's form; values cannot hold them, their ESC is escaped. */
const PROMPT_COLOURS = new RegExp(`[\\u0001\\u0002]|${ESC}\\[[0-9;]*m|${ESC}\\(B`, "g");

/** The driver: for each value pair in in/, the prompt as the shell shows it, in out/. */
function promptDriver(shell: "bash" | "zsh" | "fish" | "nu", count: number): string {
  const lines: string[] = [];
  if (shell === "nu") {
    lines.push(`source ./init`);
    lines.push(`for i in 0..<${count} {
  $env.AWS_PROFILE = (open --raw $"in/p($i)" | into string)
  $env.AWS_ROLE_ALIAS = (open --raw $"in/r($i)" | into string)
  if ($"in/c($i)" | path exists) {
    hide-env --ignore-errors NO_COLOR
    $env.AWS_EXPIRATION_S = ((date now | into int) // 1_000_000_000 + 3600 | into string)
  } else {
    $env.NO_COLOR = "1"
  }
  $"(stc_prompt)>" | save --raw $"out/($i)"
}`);
  } else if (shell === "bash") {
    lines.push(`source ./init; PS1='$(stc_prompt)>'`);
    lines.push(`for ((i = 0; i < ${count}; i++)); do
  IFS= read -r -d '' AWS_PROFILE < in/p$i; IFS= read -r -d '' AWS_ROLE_ALIAS < in/r$i
  if [ -e in/c$i ]; then unset NO_COLOR; AWS_EXPIRATION_S=$(( $(date +%s) + 3600 )); else NO_COLOR=1; fi
  export AWS_PROFILE AWS_ROLE_ALIAS AWS_EXPIRATION_S
  printf '%s' "\${PS1@P}" > out/$i
done`);
  } else if (shell === "zsh") {
    lines.push(
      `source ./init; setopt PROMPT_SUBST KSH_ARRAYS SH_WORD_SPLIT NO_UNSET; PROMPT='$(stc_prompt)>'`,
    );
    lines.push(`for (( i = 0; i < ${count}; i++ )); do
  IFS= read -r -d '' AWS_PROFILE < in/p$i; IFS= read -r -d '' AWS_ROLE_ALIAS < in/r$i
  if [[ -e in/c$i ]]; then unset NO_COLOR; AWS_EXPIRATION_S=$(( $(date +%s) + 3600 )); else NO_COLOR=1; fi
  if [[ -e in/b$i ]]; then setopt PROMPT_BANG; else setopt NO_PROMPT_BANG; fi
  export AWS_PROFILE AWS_ROLE_ALIAS AWS_EXPIRATION_S
  print -rnP -- "$PROMPT" > out/$i
done`);
  } else {
    lines.push(`source ./init`);
    lines.push(`for i in (seq 0 ${count - 1})
  read -gxz AWS_PROFILE < in/p$i; read -gxz AWS_ROLE_ALIAS < in/r$i
  if test -e in/c$i; set -e NO_COLOR; set -gx AWS_EXPIRATION_S (math (date +%s) + 3600); else; set -gx NO_COLOR 1; end
  begin; stc_prompt; printf '>'; end > out/$i
end`);
  }
  return lines.join("\n") + "\n";
}

for (const shell of ["bash", "zsh", "fish", "nu"] as const) {
  await testWith(
    [shell],
    `stc_prompt shows hostile profiles and roles exactly, escaped, in real ${shell}`,
    async () => {
      const { initScript } = await import("../lib/shell/init_script.ts");
      const seed = (SEED + 7000 + ["bash", "zsh", "fish", "nu"].indexOf(shell)) >>> 0;
      const rand = prng(seed);
      const tmp = await Deno.makeTempDir({ prefix: "stc_prompt_fuzz_" });
      try {
        await Deno.mkdir(`${tmp}/in`);
        await Deno.mkdir(`${tmp}/out`);
        await Deno.mkdir(`${tmp}/home`);
        await Deno.writeTextFile(`${tmp}/init`, await initScript(shell, ["false"]));
        const expected: string[] = [];
        for (let i = 0; i < PROMPTS_PER_SHELL; i++) {
          const profile = i < HOSTILE.length ? HOSTILE[i] || "x" : randomValue(rand) || "p";
          const alias = rand() < 0.5 ? "" : randomValue(rand);
          await Deno.writeTextFile(`${tmp}/in/p${i}`, profile);
          await Deno.writeTextFile(`${tmp}/in/r${i}`, alias);
          if (rand() < 0.5) await Deno.writeTextFile(`${tmp}/in/c${i}`, "");
          if (rand() < 0.5) await Deno.writeTextFile(`${tmp}/in/b${i}`, "");
          const role = alias === "" ? "" : `[${promptVisible(alias)}]`;
          expected.push(`(${promptVisible(profile)}${role})>`);
        }
        await Deno.writeTextFile(`${tmp}/driver`, promptDriver(shell, PROMPTS_PER_SHELL));
        const args = shell === "nu"
          ? ["--no-config-file", "driver"]
          : shell === "fish"
          ? ["--no-config", "driver"]
          : shell === "zsh"
          ? ["-f", "driver"]
          : ["--norc", "--noprofile", "driver"];
        const out = await new Deno.Command(shell, {
          args,
          cwd: tmp,
          clearEnv: true,
          env: {
            PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
            HOME: `${tmp}/home`,
            TERM: "xterm",
            ...UTF8,
          },
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).output();
        const where = `seed=${SEED} (prompt seed ${seed}), ${shell}`;
        assert.equal(out.code, 0, `${where}: ${new TextDecoder().decode(out.stderr)}`);
        assert.equal(new TextDecoder().decode(out.stderr), "", where);
        for (const [i, want] of expected.entries()) {
          const shown = (await Deno.readTextFile(`${tmp}/out/${i}`)).replace(PROMPT_COLOURS, "");
          assert.equal(shown, want, `${where}: value ${i}`);
        }
        const entries = [];
        for await (const entry of Deno.readDir(tmp)) entries.push(entry.name);
        assert.deepEqual(
          entries.sort(),
          ["driver", "home", "in", "init", "out"],
          `${where}: something ran`,
        );
      } finally {
        await Deno.remove(tmp, { recursive: true });
      }
    },
  );
}

/**
 * nushell has no eval: stc prints data (JSON lines) that the `stc` command of `stc init nu` applies. The real
 * command applies hostile values here, run on a stand-in binary that prints the function's mark and the rendered
 * actions as stc does; every value is read back byte for byte, from nushell and from a child's environment.
 */
const NU_FAKE = `#!/bin/sh
printf '%s\\n' "$STC_EVAL_MARK"
cat "$NU_FUZZ_SCRIPT"
`;

function nuDriver(words: readonly string[], envDump: string | undefined): string {
  const lines = [
    "source ./init",
    // Wrapped, as stc's commands are: a word reaches it as the text it stands for, a flag (-e) too; words
    // a quoting split in two would show the NUL that joins them.
    "def --wrapped save_word [file: string, ...words: string] { $words | str join (char nul) | save --raw $file }",
    "stc session",
    "$env.LAST_EXIT_CODE | into string | save --raw out/status",
  ];
  for (const [k, word] of words.entries()) {
    lines.push(`save_word out/w${k} ${quoteWord("nu", word)}`);
  }
  for (let i = 0; i < VALUES_PER_RUN; i++) lines.push(`$env.V_${i} | save --raw out/v${i}`);
  for (let j = 0; j < SETS_PER_RUN; j++) {
    lines.push(`_stc_unexported_text S_${j} | save --raw out/s${j}`);
  }
  for (let j = 0; j < UNSETS_PER_RUN; j++) {
    lines.push(`(if ($env.U_${j}? != null) { "set" } else { "" }) | save --raw out/u${j}`);
  }
  if (envDump) {
    lines.push(`^${envDump.split(" ").map((w) => w.replaceAll("'", "")).join(" ")} o> out/env`);
  }
  return lines.join("\n") + "\n";
}

async function runNu(label: string, locale: Record<string, string>, seed: number): Promise<void> {
  const where = `seed=${SEED} (run seed ${seed}), shell=nu, variant="${label}"`;
  const plan = makePlan(prng(seed));
  const encoder = new TextEncoder();
  const tmp = await Deno.makeTempDir({ prefix: "stc_shell_fuzz_" });
  try {
    const work = `${tmp}/work`;
    const home = `${tmp}/home`;
    await Deno.mkdir(`${work}/out`, { recursive: true });
    await Deno.mkdir(home);
    await Deno.writeTextFile(`${work}/CANARY`, "");
    await Deno.writeTextFile(`${tmp}/script`, renderShell("nu", plan.actions));
    await Deno.writeTextFile(`${tmp}/fake`, NU_FAKE, { mode: 0o755 });
    const { initScript } = await import("../lib/shell/init_script.ts");
    await Deno.writeTextFile(`${work}/init`, await initScript("nu", [`${tmp}/fake`]));
    const envDump = await childEnvCommand();
    await Deno.writeTextFile(`${work}/driver`, nuDriver(plan.words, envDump));
    const { code, stdout, stderr } = await new Deno.Command("nu", {
      args: ["--no-config-file", "--no-std-lib", "driver"],
      cwd: work,
      clearEnv: true,
      env: {
        PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
        HOME: home,
        XDG_CONFIG_HOME: `${home}/.config`,
        XDG_DATA_HOME: `${home}/.local/share`,
        NU_FUZZ_SCRIPT: `${tmp}/script`,
        ...locale,
        ...plan.parentEnv,
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(
      bytesEqual(stderr, encoder.encode(plan.stderr)),
      `${where}: stderr ${show(stderr)} != printed ${show(plan.stderr)}`,
    );
    assert.equal(code, 0, `${where}: exit code ${code}`);
    assert.ok(
      bytesEqual(stdout, encoder.encode(plan.stdout)),
      `${where}: stdout ${show(stdout)} != printed ${show(plan.stdout)}`,
    );
    const entries = [];
    for await (const entry of Deno.readDir(work)) entries.push(entry.name);
    assert.deepEqual(
      entries.sort(),
      ["CANARY", "driver", "init", "out"],
      `${where}: something ran`,
    );
    assert.equal(await Deno.readTextFile(`${work}/out/status`), "0", `${where}: status`);
    for (const [k, word] of plan.words.entries()) {
      const got = await Deno.readFile(`${work}/out/w${k}`);
      assert.ok(
        bytesEqual(got, encoder.encode(word)),
        `${where}: word ${show(word)} read ${show(got)}`,
      );
    }
    const env = envDump ? parseEnv(await Deno.readFile(`${work}/out/env`)) : undefined;
    for (const [i, value] of plan.exported.entries()) {
      const want = encoder.encode(value);
      const got = await Deno.readFile(`${work}/out/v${i}`);
      assert.ok(bytesEqual(got, want), `${where}: V_${i} read ${show(got)}, want ${show(value)}`);
      if (!env) continue;
      const inEnv = env.get(`V_${i}`);
      assert.ok(
        inEnv !== undefined && bytesEqual(inEnv, want),
        `${where}: V_${i} in child env ${inEnv && show(inEnv)}, want ${show(value)}`,
      );
    }
    for (const [j, value] of plan.setValues.entries()) {
      const got = await Deno.readFile(`${work}/out/s${j}`);
      assert.ok(bytesEqual(got, encoder.encode(value)), `${where}: S_${j} read ${show(got)}`);
      assert.ok(!env?.has(`S_${j}`), `${where}: S_${j} (set, not exported) is in the child env`);
    }
    for (let j = 0; j < UNSETS_PER_RUN; j++) {
      const got = await Deno.readTextFile(`${work}/out/u${j}`);
      assert.equal(got, "", `${where}: U_${j} still set after unset`);
      assert.ok(!env?.has(`U_${j}`), `${where}: U_${j} still in the child env after unset`);
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

await testWith(
  ["nu"],
  "shell emitter survives hostile values in real nu, applied by the stc command of stc init nu",
  async () => {
    await runNu("UTF-8", UTF8, (SEED + 4000) >>> 0);
    await runNu("C locale", C, (SEED + 4001) >>> 0);
    await runNu("UTF-8, again", UTF8, (SEED + 4002) >>> 0);
  },
);
