/**
 * The controlling terminal (`/dev/tty`) as a Term, for commands whose stdin and stdout belong to another program
 * (`stc credential-process`, run by an SDK): prompts are asked and answered there, never on stdin or stdout.
 * And a Term that cannot prompt, for when there is no terminal.
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import type { StcError } from "../core/errors.ts";
import { createTerm, type Term } from "./term.ts";

/**
 * A Term on the controlling terminal, or undefined when the process has none (cron, an IDE, `setsid`). Its
 * messages go to the terminal too: the caller's stderr may be captured.
 */
export function controllingTerminal(env: Env): Term | undefined {
  let tty: Deno.FsFile;
  try {
    // Opening the terminal device to talk to the person at it; no file is written.
    tty = Deno.openSync("/dev/tty", { read: true, write: true });
  } catch {
    return undefined;
  }
  return createTerm({
    env,
    streams: {
      writeStderr(bytes) {
        for (let done = 0; done < bytes.length;) done += tty.writeSync(bytes.subarray(done));
      },
      stderrIsTerminal: true,
      stdin: tty,
      stdinIsTerminal: true,
    },
  });
}

/** `term` with every question failing with `error` (made when asked): for a process nobody can answer. */
export function withoutPrompts(term: Term, error: () => StcError): Term {
  const refuse = () => Promise.reject(error());
  return {
    ...term,
    prompt: refuse,
    confirm: refuse,
    promptNewSecret: refuse,
    stdinIsTerminal: false,
  };
}
