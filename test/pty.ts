/**
 * An interactive pseudo-terminal session with the real stc: start it under util-linux `script`, wait for what it
 * shows, type keys, and collect its exit code and everything it wrote. For prompts and pickers, which read a
 * terminal in raw mode: each key is sent only after the screen shows that stc waits for it, so nothing is typed
 * ahead into the terminal's cooked (echoing) mode.
 *
 * @module
 */

import { shellWord, stcCommandLine } from "./helpers.ts";

/** A running stc on a pseudo-terminal. */
export interface TerminalSession {
  /** Waits until the output (CRLF as LF) matches `pattern`; returns the output so far. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Types `text` (bytes as they are: "\r" is Enter, "\x1b[B" the down arrow, "\x03" Ctrl-C). */
  type(text: string): Promise<void>;
  /** Waits for stc to end; its exit code and everything it wrote. */
  close(): Promise<{ code: number; output: string }>;
  /** Ends the session, killing stc if it still runs (a failed test must not leave it waiting). */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the stc under test with `args` on a pseudo-terminal (stdin, stdout and stderr). */
export function startOnTerminal(args: string[], env: Record<string, string>): TerminalSession {
  const line = [...stcCommandLine(), ...args].map(shellWord).join(" ");
  const child = new Deno.Command("script", {
    args: ["-qfec", line, "/dev/null"],
    env: { SHELL: "/bin/sh", ...env },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const decoder = new TextDecoder();
  let output = "";
  let changed: () => void = () => {};
  let ended = false;
  const reading = (async () => {
    for await (const chunk of child.stdout) {
      output += decoder.decode(chunk, { stream: true });
      changed();
    }
    ended = true;
    changed();
  })();
  const text = () => output.replaceAll("\r\n", "\n");
  return {
    async waitFor(pattern, timeoutMs = 30_000) {
      const timer: { id?: ReturnType<typeof setTimeout> } = {};
      const timeout = new Promise<never>((_, reject) => {
        timer.id = setTimeout(
          () => reject(new Error(`timed out waiting for ${pattern}; the screen:\n${text()}`)),
          timeoutMs,
        );
      });
      try {
        while (!pattern.test(text())) {
          if (ended) {
            throw new Error(`stc ended without showing ${pattern}; the screen:\n${text()}`);
          }
          await Promise.race([new Promise<void>((resolve) => changed = resolve), timeout]);
        }
        return text();
      } finally {
        clearTimeout(timer.id);
      }
    },
    async type(keys) {
      await writer.write(new TextEncoder().encode(keys));
    },
    async close() {
      const status = await child.status;
      await reading;
      await writer.close().catch(() => {});
      return { code: status.code, output: text() };
    },
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch {
        // It has ended already.
      }
      await child.status;
      await reading;
      await writer.close().catch(() => {});
    },
  };
}
