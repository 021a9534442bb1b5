/**
 * Everything stc says to a person, and everything it asks: the {@linkcode Term} a command gets in its context.
 *
 * stdout is reserved for machine output (shell code, URLs, JSON, lists); a Term writes to stderr. Every line it
 * writes passes through the one sanitiser ({@linkcode sanitise}): the values in a message (and any plain string)
 * are redacted against the known secrets and shown escaped, so untrusted text can neither drive the terminal nor
 * show a secret, while stc's own words are never rewritten; colour is added afterwards, by the Term alone. Commands never write to stderr any other way, so tests and `stc complete` can capture or silence all of
 * it by giving another Term.
 *
 * Prompts read from stdin: on a terminal, in raw mode (secrets without echo); from a pipe, one line per prompt.
 * When stdin is not a terminal, prompts do not fall back to `/dev/tty`: a pipe is the caller's explicit answer
 * channel (scripts, `stc import -`, the tests), and reading the terminal behind it would make a script hang
 * waiting for a person. Nothing read from a pipe is echoed.
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import { StcError } from "../core/errors.ts";
import type { Text } from "../core/message.ts";
import { processSecrets, type SecretRegistry } from "../core/secrets.ts";
import { printable } from "../core/text.ts";
import { sanitise } from "./sanitise.ts";
import { type Colour, colourEnabled, paint } from "./colour.ts";
import type { ByteSource, LineReader, RawTerminal } from "./input.ts";
import type { Choice } from "./picker.ts";

/** Options of {@linkcode Term.prompt}. */
export interface PromptOptions {
  /** Read without echo (passwords, passphrases, secrets). */
  secret?: boolean;
}

/** Options of {@linkcode Term.say}. */
export interface SayOptions {
  /** Shown in this colour or weight when colour is on. */
  style?: Colour;
}

/** Where lower layers report progress and warnings: a {@linkcode Term}, or something that collects them. */
export interface Notices {
  /** Progress or success, as `stc: message`. */
  info(message: Text): void;
  /** A warning, as `stc: warning: message`. */
  warn(message: Text): void;
}

/** What a command may tell and ask a person. */
export interface Term extends Notices {
  /** A line as it is (list items, the context of a question). */
  say(message: Text, options?: SayOptions): void;
  /** An error, as `stc: error: message` and `hint: hint`. */
  error(message: Text, hint?: Text): void;
  /** Multi-line text such as help, line breaks kept. */
  text(text: Text): void;
  /**
   * A secret the user asked to see (the new password of `stc rotate -y`): shown as it is, the one exception to
   * redaction, but still sanitised.
   */
  reveal(secret: string): void;
  /** Asks a question and reads one line of answer. Fails clearly when the input has ended. */
  prompt(question: Text, options?: PromptOptions): Promise<string>;
  /** Asks a yes/no question; an empty answer gives `defaultAnswer`. */
  confirm(question: Text, defaultAnswer?: boolean): Promise<boolean>;
  /** Asks for a new secret twice (passphrases): refuses an empty one and a mismatch, three tries. */
  promptNewSecret(question: Text): Promise<string>;
  /**
   * Lets a person choose one of `choices` at the terminal (type to filter, arrows, Enter) and returns its value;
   * Esc or Ctrl-C cancel (exit 130). Fails when stdin is not a terminal: callers check `stdinIsTerminal` first.
   */
  choose(question: string, choices: readonly Choice[]): Promise<string>;
  /** Everything left on stdin (`-` arguments), at most `maxBytes`; `what` names it in the error. */
  readAllStdin(maxBytes: number, what: string): Promise<string>;
  /** Whether stdin is a terminal (prompts can ask a person). */
  readonly stdinIsTerminal: boolean;
}

/** Where a Term writes and reads. */
export interface TermStreams {
  /** Writes bytes to stderr, all of them. */
  writeStderr(bytes: Uint8Array): void;
  /** Whether stderr is a terminal (colour). */
  stderrIsTerminal: boolean;
  /** stdin as a byte source, and whether it is a terminal that can go raw. */
  stdin: ByteSource | RawTerminal;
  /** Whether stdin is a terminal. */
  stdinIsTerminal: boolean;
}

const encoder = new TextEncoder();

/** Signals that end the process while a prompt holds the terminal in raw mode. */
const RAW_MODE_SIGNALS: readonly Deno.Signal[] = ["SIGTERM", "SIGHUP", "SIGQUIT"];
const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGQUIT: 3, SIGTERM: 15 };

/**
 * Runs `read` with the terminal in raw mode and always leaves it cooked again: on return, on error (Ctrl-C is a
 * byte in raw mode and becomes an error), and when a signal ends the process (a terminal left without echo after
 * a passphrase prompt would be a trap).
 */
async function withRawTerminal<T>(
  terminal: RawTerminal,
  newline: () => void,
  read: () => Promise<T>,
): Promise<T> {
  const restore = () => {
    try {
      terminal.setRaw(false);
    } catch {
      // The terminal is gone (SIGHUP): nothing to restore.
    }
  };
  const handlers = Deno.build.os === "windows" ? [] : RAW_MODE_SIGNALS.map((signal) => {
    const handler = () => {
      restore();
      newline();
      Deno.exit(128 + SIGNAL_NUMBERS[signal]);
    };
    Deno.addSignalListener(signal, handler);
    return [signal, handler] as const;
  });
  terminal.setRaw(true);
  try {
    return await read();
  } finally {
    restore();
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
    newline();
  }
}

/** The terminal's width, 80 when it cannot be told. */
function terminalColumns(): number {
  try {
    return Deno.consoleSize().columns || 80;
  } catch {
    return 80;
  }
}

/** Options of {@linkcode createTerm}. */
export interface CreateTermOptions {
  /** The command's environment (`NO_COLOR`). */
  env: Env;
  /** Streams; the process's stderr and stdin when absent. */
  streams?: TermStreams;
  /** Secrets to redact; the process registry when absent. */
  secrets?: SecretRegistry;
}

function isTerminal(stream: { isTerminal(): boolean }): boolean {
  try {
    return stream.isTerminal();
  } catch {
    return false;
  }
}

/** The process's own stderr and stdin. */
export function processStreams(): TermStreams {
  return {
    writeStderr(bytes) {
      for (let done = 0; done < bytes.length;) done += Deno.stderr.writeSync(bytes.subarray(done));
    },
    stderrIsTerminal: isTerminal(Deno.stderr),
    stdin: Deno.stdin,
    stdinIsTerminal: isTerminal(Deno.stdin),
  };
}

// One reader per byte source, shared by every Term over it: several prompts (and Terms) may read one pipe.
const readers = new WeakMap<ByteSource, LineReader>();
const typedAhead = new WeakMap<ByteSource, number[]>();

/** A Term on the given streams (the process's by default). */
export function createTerm(options: CreateTermOptions): Term {
  const streams = options.streams ?? processStreams();
  const secrets = options.secrets ?? processSecrets;
  const colour = colourEnabled(options.env, streams.stderrIsTerminal);
  const write = (text: string) => streams.writeStderr(encoder.encode(text));
  const clean = (text: Text, keepNewlines = false) => sanitise(text, { secrets, keepNewlines });
  // Input is read by few commands; its module is loaded by the first that does.
  const input = () => import("./input.ts");
  const lines = async () => {
    let reader = readers.get(streams.stdin);
    if (!reader) {
      const { createLineReader } = await input();
      // Looked up again: another read may have created it meanwhile.
      reader = readers.get(streams.stdin) ?? createLineReader(streams.stdin);
      readers.set(streams.stdin, reader);
    }
    return reader;
  };
  const ahead = () => {
    let bytes = typedAhead.get(streams.stdin);
    if (!bytes) typedAhead.set(streams.stdin, bytes = []);
    return bytes;
  };

  const term: Term = {
    stdinIsTerminal: streams.stdinIsTerminal,
    info(message) {
      write(`${paint(colour, "dim", "stc:")} ${clean(message)}\n`);
    },
    warn(message) {
      write(`${paint(colour, "yellow", "stc: warning:")} ${clean(message)}\n`);
    },
    say(message, sayOptions = {}) {
      const text = clean(message);
      write(`${sayOptions.style ? paint(colour, sayOptions.style, text) : text}\n`);
    },
    error(message, hint) {
      write(`${paint(colour, "red", "stc: error:")} ${clean(message)}\n`);
      if (hint) write(`${paint(colour, "dim", "hint:")} ${clean(hint)}\n`);
    },
    text(text) {
      write(clean(text, true));
    },
    reveal(secret) {
      write(`${paint(colour, "bold", printable(secret))}\n`);
    },
    async prompt(question, promptOptions = {}) {
      let line: string | undefined;
      if (streams.stdinIsTerminal && "setRaw" in streams.stdin) {
        const terminal = streams.stdin;
        const { readTerminalLine } = await input();
        line = await withRawTerminal(terminal, () => write("\n"), () => {
          // Asked only once the terminal is raw: an answer typed (or pasted) the moment the question shows is
          // not echoed by the terminal's cooked mode.
          write(`${clean(question)} `);
          return readTerminalLine(terminal, {
            echo: !promptOptions.secret,
            write: (bytes) => streams.writeStderr(bytes),
            typedAhead: ahead(),
          });
        });
      } else {
        write(`${clean(question)} `);
        line = await (await lines()).readLine();
        write("\n");
      }
      if (line === undefined) {
        throw new StcError("no input: stdin ended before the prompt was answered", {
          hint:
            "run the command in a terminal, or give the value as an argument where the command allows it",
        });
      }
      return line;
    },
    async confirm(question, defaultAnswer = false) {
      const suffix = defaultAnswer ? "[Y/n]" : "[y/N]";
      write(`${clean(question)} `);
      const answer = (await term.prompt(suffix)).trim().toLowerCase();
      if (answer === "") return defaultAnswer;
      return answer === "y" || answer === "yes";
    },
    async promptNewSecret(question) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const first = await term.prompt(question, { secret: true });
        if (first === "") {
          term.say("An empty passphrase is not allowed.");
          continue;
        }
        const second = await term.prompt("Repeat it:", { secret: true });
        if (first === second) return first;
        term.say("The two entries differ.");
      }
      throw new StcError("no passphrase set: three failed attempts");
    },
    async choose(question, choices) {
      if (!streams.stdinIsTerminal || !("setRaw" in streams.stdin)) {
        throw new StcError("nothing to choose with: stdin is not a terminal");
      }
      const terminal = streams.stdin;
      // Loaded when a choice is offered: every command creates a Term, few pick from a list.
      const { runPicker } = await import("./picker.ts");
      return await withRawTerminal(
        terminal,
        () => write("\n"),
        () =>
          runPicker(terminal, streams.writeStderr, choices, {
            question,
            clean: (text) => clean(text),
            dim: (text) => paint(colour, "dim", text),
            columns: terminalColumns(),
            rows: 10,
          }),
      );
    },
    async readAllStdin(maxBytes, what) {
      return await (await lines()).readAll(maxBytes, what);
    },
  };
  return term;
}

/** What a {@linkcode captureTerm} recorded. */
export interface CapturedTerm extends Term {
  /** Everything written, as it would have reached stderr (without colour). */
  output(): string;
}

/**
 * A Term that records its output instead of writing it, and answers prompts from `answers` in order (then fails
 * as at the end of input): for tests, and for callers that must not write to the terminal.
 */
export function captureTerm(
  answers: readonly string[] = [],
  env: Env = { NO_COLOR: "1" },
  secrets?: SecretRegistry,
): CapturedTerm {
  const chunks: Uint8Array[] = [];
  const input = encoder.encode(answers.map((a) => `${a}\n`).join(""));
  let offset = 0;
  const stdin: ByteSource = {
    read(buffer) {
      if (offset >= input.length) return Promise.resolve(null);
      const n = Math.min(buffer.length, input.length - offset);
      buffer.set(input.subarray(offset, offset + n));
      offset += n;
      return Promise.resolve(n);
    },
  };
  const term = createTerm({
    env,
    secrets,
    streams: {
      writeStderr: (bytes) => chunks.push(bytes.slice()),
      stderrIsTerminal: false,
      stdin,
      stdinIsTerminal: false,
    },
  });
  return {
    ...term,
    output: () => new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c]))),
  };
}

/** A Term that shows nothing and cannot ask anything (prompts fail at once): for `stc complete`. */
export function silentTerm(): Term {
  const term = captureTerm([]);
  const nothing = () => {};
  return { ...term, info: nothing, warn: nothing, say: nothing, error: nothing, text: nothing };
}
