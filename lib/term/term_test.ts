import assert from "node:assert/strict";
import { testWith } from "../../test/tools.ts";
import { colourEnabled } from "./colour.ts";
import { captureTerm } from "./term.ts";
import { createSecretRegistry, PARTIAL_MATCH_LENGTH, registerSecret } from "../core/secrets.ts";
import { type Message, msg } from "../core/message.ts";
import { StcError } from "../core/errors.ts";

Deno.test("colour is off with NO_COLOR set to anything and off a terminal; errors are one line plus a hint", () => {
  assert.equal(colourEnabled({ NO_COLOR: "" }, true), false);
  assert.equal(colourEnabled({ NO_COLOR: "1" }, true), false);
  assert.equal(colourEnabled({}, false), false);
  assert.equal(colourEnabled({}, true), true);
  const term = captureTerm();
  term.error("it failed", "do this");
  term.error("it failed");
  assert.equal(term.output(), "stc: error: it failed\nhint: do this\nstc: error: it failed\n");
});

Deno.test("everything a Term writes is sanitised and redacted; only reveal shows a secret", () => {
  const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYTERMTEST01";
  registerSecret(secret);
  const term = captureTerm();
  term.error(`denied \x1b]0;PWNED\x07 \x1b[31mRED by ${secret}`, "user \u202eevil");
  term.info("two\nlines");
  term.warn("bell\x07");
  term.say("tab\tand\rcr");
  term.text("help\nkeeps lines \x1b[2J\n");
  term.reveal(secret);
  assert.equal(
    term.output(),
    "stc: error: denied \\x1b]0;PWNED\\x07 \\x1b[31mRED by [redacted]\n" +
      "hint: user \\u{202e}evil\n" +
      "stc: two\\x0alines\n" +
      "stc: warning: bell\\x07\n" +
      "tab\\x09and\\x0dcr\n" +
      "help\nkeeps lines \\x1b[2J\n" +
      `${secret}\n`,
  );
});

Deno.test("stc's own words are never redacted, however a secret reads; the values in them always are", () => {
  // Secrets that happen to contain stc's words: redacting those words would tell the reader so.
  const secrets = createSecretRegistry();
  secrets.register("Z9/session-tool_bucketname+Q");
  secrets.register("x".repeat(8) + "AWS_SECRET_ACCESS_KEY" + "0123456789");
  const term = captureTerm([], { NO_COLOR: "1" }, secrets);
  const error = new StcError(
    msg`profile ${"p"} has no session-tool_bucketname, and AWS_SECRET_ACCESS_KEY is not set`,
    { hint: msg`echoed: ${"session-tool_bucketname"}` },
  );
  term.error(error.text, error.hintText);
  term.info(msg`a plain ${"value \x1b"} and ${"xxxxxxxxAWS_SECRET_ACCESS_KEY"}`);
  assert.equal(
    term.output(),
    "stc: error: profile p has no session-tool_bucketname, and AWS_SECRET_ACCESS_KEY is not set\n" +
      "hint: echoed: [redacted]\n" +
      "stc: a plain value \\x1b and [redacted]\n",
  );
  // A plain string is text of unknown origin: redacted whole.
  const plain = captureTerm([], { NO_COLOR: "1" }, secrets);
  plain.warn("set session-tool_bucketname");
  assert.equal(plain.output(), "stc: warning: set [redacted]\n");
});

/** mulberry32, seeded: the fuzz cases can be replayed with STC_FUZZ_SEED. */
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

const SEED = Number(Deno.env.get("STC_FUZZ_SEED") ?? crypto.getRandomValues(new Uint32Array(1))[0]);
const FUZZ_MESSAGES = 5_000;

Deno.test(`every Term method, fuzzed (${FUZZ_MESSAGES} messages, seed ${SEED}): no raw control, bidi or invisible character, no secret, own words intact`, async () => {
  const rand = prng(SEED);
  const int = (n: number) => Math.floor(rand() * n);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";
  const token = (n: number) => Array.from({ length: n }, () => alphabet[int(64)]).join("");
  const known = [token(40), token(40), token(600)];
  const secrets = createSecretRegistry();
  known.forEach((s) => secrets.register(s));
  const hostile = [
    "\x1b]0;PWNED\x07",
    "\x1b[31m",
    "\x9b2J",
    "\u202e",
    "\u2066",
    "\u200b",
    "\ufeff",
    "\u{e0041}",
    "\r",
    "\n",
    "\\x1b",
    "\x00",
    "\x7f",
    "\ud800",
  ];
  const value = (): string => {
    let v = "";
    for (let n = int(6); n >= 0; n--) {
      const r = rand();
      if (r < 0.3) v += hostile[int(hostile.length)];
      else if (r < 0.5) {
        const secret = known[int(known.length)];
        const start = int(secret.length - PARTIAL_MATCH_LENGTH);
        v += secret.slice(start, start + PARTIAL_MATCH_LENGTH + int(secret.length - start - 15));
      } else if (r < 0.7) v += String.fromCharCode(int(0x10000));
      else v += token(int(10));
    }
    return v;
  };
  const forbidden = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
  const term = captureTerm(
    Array.from({ length: FUZZ_MESSAGES }, () => "y"),
    { NO_COLOR: "1" },
    secrets,
  );
  for (let i = 0; i < FUZZ_MESSAGES; i++) {
    const words = [`own${i} words:`, " and ", "."];
    const message: Message = msg`${words[0]}`;
    const built = { ...message, own: [words[0], words[1], words[2]], values: [value(), value()] };
    const method = i % 6;
    if (method === 0) term.error(built, msg`hint ${value()}`);
    else if (method === 1) term.warn(built);
    else if (method === 2) term.info(built);
    else if (method === 3) term.say(built);
    else if (method === 4 && i < 600) await term.prompt(built); // reading the answers is not what is measured
    else if (method === 4) term.say(built);
    else term.text(value());
  }
  const output = term.output();
  const lines = output.split("\n");
  for (const line of lines) {
    assert.ok(!forbidden.test(line), `seed ${SEED}: ${JSON.stringify(line)}`);
    for (const secret of known) {
      for (let s = 0; s + PARTIAL_MATCH_LENGTH <= secret.length; s += 8) {
        assert.ok(
          !line.includes(secret.slice(s, s + PARTIAL_MATCH_LENGTH)),
          `seed ${SEED}: secret shown`,
        );
      }
    }
  }
  // Own words come out as written, in order.
  let at = 0;
  for (let i = 0; i < FUZZ_MESSAGES; i++) {
    if (i % 6 === 5) continue;
    const found = output.indexOf(`own${i} words:`, at);
    assert.ok(found >= 0, `seed ${SEED}: own words of message ${i}`);
    at = found;
  }
});

Deno.test("prompts read one line each from a pipe; the end of input is a clear error", async () => {
  const term = captureTerm(["first", "second"]);
  assert.equal(await term.prompt("One?"), "first");
  assert.equal(await term.confirm("Sure?"), false);
  await assert.rejects(() => term.prompt("More?"), /no input: stdin ended/);
  assert.equal(term.output(), "One? \nSure? [y/N] \nMore? \n");
});

Deno.test("a new secret is asked twice; empty and different answers are refused, three tries", async () => {
  const ok = captureTerm(["", "a", "b", "pass", "pass"]);
  assert.equal(await ok.promptNewSecret("Passphrase:"), "pass");
  assert.match(ok.output(), /An empty passphrase is not allowed\.\n[^]*The two entries differ\./);
  const failed = captureTerm(["a", "b", "a", "b", "a", "b"]);
  await assert.rejects(() => failed.promptNewSecret("Passphrase:"), /three failed attempts/);
});

const TERM_URL = new URL("./term.ts", import.meta.url).href;

/** A program that asks two secret questions and reports the answers' lengths and the exit code. */
const PROMPT_PROGRAM = `
import { createTerm } from ${JSON.stringify(TERM_URL)};
const term = createTerm({ env: { NO_COLOR: "1" } });
try {
  const a = await term.prompt("First secret:", { secret: true });
  const b = await term.prompt("Second:", { secret: true });
  console.error("ANSWERS " + JSON.stringify([a, b]));
} catch (error) {
  console.error("ERROR " + error.message);
  Deno.exit(error.exitCode ?? 1);
}
`;

/**
 * Runs the prompt program on a pseudo-terminal in the background, waits until it has put the terminal in raw
 * mode (prints RAW), then lets `act` type or signal, and finally prints the exit code and `stty -a`.
 */
async function onTerminal(
  afterRaw: string,
  act: (write: (text: string) => Promise<void>) => Promise<void>,
): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "stc-ui-" });
  try {
    await Deno.writeTextFile(`${dir}/prompt.ts`, PROMPT_PROGRAM);
    const script = `
'${Deno.execPath()}' run --quiet --allow-read '${dir}/prompt.ts' < /dev/tty &
pid=$!
i=0
until stty -a | grep -q -- '-icanon'; do
  i=$((i+1)); [ $i -gt 400 ] && break; sleep 0.05
done
echo RAW
${afterRaw}
wait $pid
echo "rc=$?"
stty -a
`;
    await Deno.writeTextFile(`${dir}/run.sh`, script);
    const child = new Deno.Command("script", {
      args: ["-qfec", `sh '${dir}/run.sh'`, "/dev/null"],
      env: {
        PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
        HOME: dir,
        NO_COLOR: "1",
        DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      },
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const writer = child.stdin.getWriter();
    const reader = child.stdout.getReader();
    let output = "";
    while (!output.includes("RAW")) {
      const { value, done } = await reader.read();
      if (done) break;
      output += new TextDecoder().decode(value);
    }
    await act(async (text) => await writer.write(new TextEncoder().encode(text)));
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      output += new TextDecoder().decode(value);
    }
    await writer.close().catch(() => {});
    await child.status;
    return output.replaceAll("\r\n", "\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function assertCooked(output: string): void {
  const stty = output.slice(output.lastIndexOf("rc="));
  assert.match(stty, /(^|\s)icanon(\s|$)/m, `terminal left in raw mode:\n${stty}`);
  assert.match(stty, /(^|\s)echo(\s|$)/m, `terminal left without echo:\n${stty}`);
}

await testWith(
  ["script"],
  "terminal prompts: no echo, typed-ahead answers kept, cooked mode restored on Ctrl-C and SIGTERM",
  async () => {
    // Both answers typed at once, CR-terminated as a terminal in raw mode sends them.
    const answered = await onTerminal("", (write) => write("hunter2-one\rsecond-answer\r"));
    assert.match(answered, /ANSWERS \["hunter2-one","second-answer"\]/);
    assert.equal(answered.split("hunter2-one").length, 2, "the secret was echoed");
    assert.match(answered, /rc=0/);
    assertCooked(answered);

    const interrupted = await onTerminal("", (write) => write("abc\x03"));
    assert.match(interrupted, /ERROR interrupted/);
    assert.match(interrupted, /rc=130/);
    assertCooked(interrupted);

    const killed = await onTerminal("kill -TERM $pid", () => Promise.resolve());
    assert.match(killed, /rc=143/);
    assertCooked(killed);
  },
);
