/**
 * MFA codes from a program: the profile key `mfa_process` (aws-vault's name) or `STC_MFA_PROCESS` names a command
 * whose stdout is the code, e.g. `ykman oath accounts code --single aws`. It runs without a shell: the line is
 * split into words at blanks, with '…' and "…" quoting blanks (no variables, globs or other expansions), with a
 * timeout (`STC_MFA_PROCESS_TIMEOUT` seconds, default 60). Its stderr is the user's (a YubiKey's "touch"
 * message); its stdout is read, never logged or echoed, and must hold a six-digit code.
 *
 * @example
 * ```ts
 * import { splitCommandLine } from "./mfa_process.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(splitCommandLine(`ykman oath accounts code --single "aws: alice"`), [
 *   "ykman", "oath", "accounts", "code", "--single", "aws: alice",
 * ]);
 * ```
 *
 * @module
 */

import type { Env } from "../core/env.ts";
import { StcError, usageError } from "../core/errors.ts";
import { msg } from "../core/message.ts";

/** The variable naming the MFA program; it wins over the profile's `mfa_process`. */
export const MFA_PROCESS_VARIABLE = "STC_MFA_PROCESS";
/** The variable with the program's time limit in seconds. */
export const MFA_PROCESS_TIMEOUT_VARIABLE = "STC_MFA_PROCESS_TIMEOUT";
/** How long the program may take by default: long enough to find and touch a key. */
export const DEFAULT_MFA_PROCESS_TIMEOUT_S = 60;

/** A program that prints the MFA code. */
export interface MfaProcess {
  /** The program and its arguments. */
  argv: string[];
  /** Its time limit. */
  timeoutMs: number;
  /** Where it was configured, for messages. */
  source: string;
}

/** Splits a command line into words: blanks separate, '…' and "…" quote (no escapes, no expansions). */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === " " || c === "\t" || c === "\n") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw usageError("the MFA program's command line has an unclosed quote");
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The MFA program of a profile: `STC_MFA_PROCESS`, else its `mfa_process`; undefined when neither is set. */
export function mfaProcessFrom(
  env: Env,
  profileValue: string | undefined,
): MfaProcess | undefined {
  const fromEnv = env[MFA_PROCESS_VARIABLE];
  const line = fromEnv || profileValue;
  if (!line || line.trim() === "") return undefined;
  const source = fromEnv ? MFA_PROCESS_VARIABLE : "mfa_process";
  const argv = splitCommandLine(line);
  const limit = env[MFA_PROCESS_TIMEOUT_VARIABLE];
  const seconds = limit ? Number(limit) : DEFAULT_MFA_PROCESS_TIMEOUT_S;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw usageError(msg`${MFA_PROCESS_TIMEOUT_VARIABLE} must be a number of seconds`);
  }
  return { argv, timeoutMs: seconds * 1000, source };
}

/** Runs the MFA program and returns the code it printed; one clear error when it fails, is silent or hangs. */
export async function runMfaProcess(process: MfaProcess): Promise<string> {
  const [program, ...args] = process.argv;
  const fail = (why: string, cause?: unknown) =>
    new StcError(msg`the MFA program (${process.source}) ${why}`, {
      hint: `check it by running it yourself: it must print a six-digit code`,
      cause,
    });
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(program, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
  } catch (error) {
    throw fail(
      error instanceof Deno.errors.NotFound
        ? `'${program.slice(0, 80)}' was not found`
        : "could not start",
      error,
    );
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // It ended meanwhile.
    }
  }, process.timeoutMs);
  let output;
  try {
    output = await child.output();
  } finally {
    clearTimeout(timer);
  }
  if (timedOut) throw fail(`gave no code within ${process.timeoutMs / 1000} s`);
  if (!output.success) throw fail(`failed (exit status ${output.code})`);
  const code = new TextDecoder().decode(output.stdout).trim();
  // The output is not shown: it is a code, or whatever the program prints, which is its business.
  if (!/^\d{6}$/.test(code)) {
    throw fail(code === "" ? "printed nothing" : "printed no six-digit code");
  }
  return code;
}
