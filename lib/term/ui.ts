/**
 * Everything stc says to a person, and everything it asks: messages on stderr and prompts.
 *
 * stdout is reserved for machine output (shell code, URLs, JSON). Prompts read from stdin: with a terminal,
 * secrets are read without echo; without one (pipes, tests), one line per prompt is read.
 *
 * When stdin is not a terminal, prompts do not fall back to `/dev/tty` even if the process has one: a pipe on
 * stdin is the caller's explicit answer channel (scripts, `stc import -`, the tests), and reading the terminal
 * behind it would make a script hang waiting for a person. Nothing read from a pipe is echoed.
 *
 * @module
 */

import { ExitCode, registerSecret, StcError } from "../core/errors.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Colours used on stderr. */
export type Colour = "red" | "green" | "yellow" | "bold" | "dim";

const SGR: Record<Colour, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  bold: [1, 22],
  dim: [2, 22],
};

/**
 * Whether colour may be used on stderr: never with `NO_COLOR` set (any value, see no-color.org) or when stderr is
 * not a terminal.
 */
export function colourEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined) return false;
  try {
    return Deno.stderr.isTerminal();
  } catch {
    return false;
  }
}

let useColour: boolean | undefined;

function colourOn(): boolean {
  useColour ??= colourEnabled(Deno.env.toObject());
  return useColour;
}

/** Wraps `text` in an SGR colour sequence when colour is enabled. */
export function paint(colour: Colour, text: string): string {
  if (!colourOn()) return text;
  const [on, off] = SGR[colour];
  return `\x1b[${on}m${text}\x1b[${off}m`;
}

/** Writes `text` to stderr exactly as given. */
export function writeStderr(text: string): void {
  const bytes = encoder.encode(text);
  let written = 0;
  while (written < bytes.length) written += Deno.stderr.writeSync(bytes.subarray(written));
}

/** Writes `text` to stdout exactly as given. */
export function writeStdout(text: string): void {
  const bytes = encoder.encode(text);
  let written = 0;
  while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
}

/** Tells the user something on stderr (one line, newline added). */
export function say(message: string): void {
  writeStderr(`${message}\n`);
}

/** Reports progress or success on stderr, prefixed like the rest of stc's messages. */
export function info(message: string): void {
  writeStderr(`${paint("dim", "stc:")} ${message}\n`);
}

/** Warns on stderr. */
export function warn(message: string): void {
  writeStderr(`${paint("yellow", "stc: warning:")} ${message}\n`);
}

/** Formats an error for stderr: `stc: error: …` and, when present, `hint: …`. */
export function formatError(message: string, hint?: string): string {
  const first = `${paint("red", "stc: error:")} ${message}\n`;
  return hint ? `${first}${paint("dim", "hint:")} ${hint}\n` : first;
}

/** Whether stdin is an interactive terminal. */
export function stdinIsTerminal(): boolean {
  try {
    return Deno.stdin.isTerminal();
  } catch {
    return false;
  }
}

/** Whether stdout is an interactive terminal. */
export function stdoutIsTerminal(): boolean {
  try {
    return Deno.stdout.isTerminal();
  } catch {
    return false;
  }
}

// Bytes read from a non-terminal stdin but not yet consumed by a prompt: several prompts may read one pipe.
let pending = new Uint8Array(0);
let stdinEnded = false;

async function readLineFromPipe(): Promise<string | undefined> {
  while (true) {
    const newline = pending.indexOf(10);
    if (newline >= 0) {
      const line = pending.subarray(0, newline);
      pending = pending.slice(newline + 1);
      return decoder.decode(line).replace(/\r$/, "");
    }
    if (stdinEnded) {
      if (pending.length === 0) return undefined;
      const rest = decoder.decode(pending).replace(/\r$/, "");
      pending = new Uint8Array(0);
      return rest;
    }
    const chunk = new Uint8Array(4096);
    const n = await Deno.stdin.read(chunk);
    if (n === null) {
      stdinEnded = true;
      continue;
    }
    const merged = new Uint8Array(pending.length + n);
    merged.set(pending);
    merged.set(chunk.subarray(0, n), pending.length);
    pending = merged;
  }
}

/**
 * Reads everything left on stdin as text (for `-` arguments), sharing the buffer with prompts. Lines come back
 * joined with `\n`: a CR before a newline and the final newline are dropped, as a line-based reader would.
 */
export async function readAllStdin(): Promise<string> {
  const parts: string[] = [];
  while (true) {
    const line = await readLineFromPipe();
    if (line === undefined) break;
    parts.push(line);
  }
  return parts.join("\n");
}

// Bytes typed (or pasted) after the Enter that ended a terminal prompt: they belong to the next prompt.
let typedAhead: number[] = [];

/** Signals that end the process while a prompt holds the terminal in raw mode. */
const RAW_MODE_SIGNALS: readonly Deno.Signal[] = ["SIGTERM", "SIGHUP", "SIGQUIT"];
const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGQUIT: 3, SIGTERM: 15 };

/**
 * Runs `read` with the terminal in raw mode and always leaves it cooked again: on return, on error (Ctrl-C is a
 * byte in raw mode and becomes an error), and when a signal ends the process (a terminal left without echo
 * after a passphrase prompt would be a trap).
 */
async function withRawTerminal<T>(read: () => Promise<T>): Promise<T> {
  const restore = () => {
    try {
      Deno.stdin.setRaw(false);
    } catch {
      // The terminal is gone (SIGHUP): nothing to restore.
    }
  };
  const handlers = Deno.build.os === "windows" ? [] : RAW_MODE_SIGNALS.map((signal) => {
    const handler = () => {
      restore();
      writeStderr("\n");
      Deno.exit(128 + SIGNAL_NUMBERS[signal]);
    };
    Deno.addSignalListener(signal, handler);
    return [signal, handler] as const;
  });
  Deno.stdin.setRaw(true);
  try {
    return await read();
  } finally {
    restore();
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
    writeStderr("\n");
  }
}

async function nextTerminalBytes(): Promise<number[] | null> {
  if (typedAhead.length > 0) {
    const bytes = typedAhead;
    typedAhead = [];
    return bytes;
  }
  const buffer = new Uint8Array(256);
  const n = await Deno.stdin.read(buffer);
  return n === null ? null : [...buffer.subarray(0, n)];
}

function readLineFromTerminal(echo: boolean): Promise<string> {
  return withRawTerminal(async () => {
    const bytes: number[] = [];
    while (true) {
      const chunk = await nextTerminalBytes();
      if (chunk === null) break;
      for (const [i, byte] of chunk.entries()) {
        if (byte === 3) throw new StcError("interrupted", { exitCode: ExitCode.Interrupted });
        if (byte === 4 && bytes.length === 0) {
          throw new StcError("no input (end of file at the prompt)");
        }
        if (byte === 13 || byte === 10) {
          // A CR LF pair (some terminals, pastes) is one Enter.
          const rest = chunk.slice(byte === 13 && chunk[i + 1] === 10 ? i + 2 : i + 1);
          typedAhead = rest;
          return decoder.decode(new Uint8Array(bytes));
        }
        if (byte === 127 || byte === 8) {
          if (bytes.length > 0) {
            // Drop a whole UTF-8 sequence, not just its last byte.
            while (bytes.length > 0 && (bytes[bytes.length - 1] & 0xc0) === 0x80) bytes.pop();
            bytes.pop();
            if (echo) writeStderr("\b \b");
          }
          continue;
        }
        if (byte === 21) { // Ctrl-U: clear the line
          if (echo) writeStderr("\b \b".repeat(bytes.length));
          bytes.length = 0;
          continue;
        }
        if (byte < 32) continue;
        bytes.push(byte);
        if (echo) Deno.stderr.writeSync(Uint8Array.of(byte));
      }
    }
    return decoder.decode(new Uint8Array(bytes));
  });
}

/** Options of {@linkcode prompt}. */
export interface PromptOptions {
  /** Read without echo (passwords, passphrases, secrets). */
  secret?: boolean;
}

/**
 * Asks a question on stderr and reads one line of answer from stdin (without echo when `secret` and stdin is a
 * terminal). Fails with a clear error when stdin has ended.
 */
export async function prompt(question: string, options: PromptOptions = {}): Promise<string> {
  writeStderr(`${question} `);
  let line: string | undefined;
  if (stdinIsTerminal()) {
    line = await readLineFromTerminal(!options.secret);
  } else {
    line = await readLineFromPipe();
    writeStderr("\n");
  }
  if (line === undefined) {
    throw new StcError("no input: stdin ended before the prompt was answered", {
      hint:
        "run the command in a terminal, or give the value as an argument where the command allows it",
    });
  }
  if (options.secret) registerSecret(line);
  return line;
}

/** Asks a yes/no question; an empty answer gives `defaultAnswer`. */
export async function confirm(question: string, defaultAnswer = false): Promise<boolean> {
  const suffix = defaultAnswer ? "[Y/n]" : "[y/N]";
  const answer = (await prompt(`${question} ${suffix}`)).trim().toLowerCase();
  if (answer === "") return defaultAnswer;
  return answer === "y" || answer === "yes";
}

/**
 * Asks for a new secret twice (passphrases): refuses an empty one and a mismatch, with up to three tries.
 */
export async function promptNewSecret(question: string): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const first = await prompt(question, { secret: true });
    if (first === "") {
      say("An empty passphrase is not allowed.");
      continue;
    }
    const second = await prompt("Repeat it:", { secret: true });
    if (first === second) return first;
    say("The two entries differ.");
  }
  throw new StcError("no passphrase set: three failed attempts");
}
