import assert from "node:assert/strict";
import { terminalAvailable } from "../../test/helpers.ts";
import { colourEnabled, formatError } from "./ui.ts";

Deno.test("colour is off with NO_COLOR set to anything, and formatError is one line plus a hint", () => {
  assert.equal(colourEnabled({ NO_COLOR: "" }), false);
  assert.equal(colourEnabled({ NO_COLOR: "1" }), false);
  // Under `deno test` stderr is whatever the runner has; without NO_COLOR it follows isTerminal().
  assert.equal(colourEnabled({}), Deno.stderr.isTerminal());
  if (!Deno.stderr.isTerminal()) {
    assert.equal(formatError("it failed", "do this"), "stc: error: it failed\nhint: do this\n");
    assert.equal(formatError("it failed"), "stc: error: it failed\n");
  }
});

const UI_URL = new URL("./ui.ts", import.meta.url).href;

/** A program that asks two secret questions and reports the answers' lengths and the exit code. */
const PROMPT_PROGRAM = `
import { prompt } from ${JSON.stringify(UI_URL)};
try {
  const a = await prompt("First secret:", { secret: true });
  const b = await prompt("Second:", { secret: true });
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

Deno.test("terminal prompts: no echo, typed-ahead answers kept, cooked mode restored on Ctrl-C and SIGTERM", async () => {
  if (!(await terminalAvailable())) {
    console.log("skip: util-linux `script` (for a pseudo-terminal) is not installed");
    return;
  }
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
});
