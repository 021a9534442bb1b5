/**
 * The secrets this process has handled, and redaction of them: the last line of defence that keeps a secret out
 * of anything written for people even when a library or a server echoes it.
 *
 * Only long, machine-made secrets are registered (secret keys, session tokens, sign-in tokens, generated
 * passwords): at least {@linkcode MIN_SECRET_LENGTH} visible ASCII characters, no spaces, not a run of a few
 * characters repeated. A value a person typed (a passphrase, a password) may be a common word: it is never
 * registered, and never put in a message in the first place.
 *
 * Redaction replaces every occurrence of a registered secret, and every run of at least
 * {@linkcode PARTIAL_MATCH_LENGTH} characters taken from one (a server quoting part of a token), by `[redacted]`.
 * The Term applies it to the values in a message only, never to stc's own words (lib/core/message.ts), so it can
 * never tell the reader that a secret contains them.
 *
 * @example
 * ```ts
 * import { createSecretRegistry } from "./secrets.ts";
 * import assert from "node:assert/strict";
 *
 * const secrets = createSecretRegistry();
 * secrets.register("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
 * assert.equal(secrets.redact("key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY!"), "key [redacted]!");
 * assert.equal(secrets.redact("part: K7MDENG/bPxRfiCYEX."), "part: [redacted].");
 * secrets.register("short");
 * secrets.register("wrong passphrase or corrupt file");
 * assert.equal(secrets.redact("a short word: wrong passphrase or corrupt file"), "a short word: wrong passphrase or corrupt file");
 * ```
 *
 * @module
 */

/** Secrets shorter than this are not registered (see the module documentation). */
export const MIN_SECRET_LENGTH = 16;

/** Fewer different characters than this is not a machine-made secret (`================`). */
const MIN_DISTINCT_CHARACTERS = 6;

/** Whether `value` looks machine-made enough to be registered (see the module documentation). */
export function isDistinctiveSecret(value: string): boolean {
  return value.length >= MIN_SECRET_LENGTH && /^[\x21-\x7e]+$/.test(value) &&
    new Set(value).size >= MIN_DISTINCT_CHARACTERS;
}

/** A run of this many characters of a registered secret is redacted wherever it appears. */
export const PARTIAL_MATCH_LENGTH = 16;

/** A set of secrets and the redaction of them. */
export interface SecretRegistry {
  /** Remembers a machine-made secret; values that are not {@linkcode isDistinctiveSecret} are ignored. */
  register(value: string | undefined): void;
  /** `text` with every registered secret, and every long enough part of one, replaced by `[redacted]`. */
  redact(text: string): string;
}

/** A new, empty registry. */
export function createSecretRegistry(): SecretRegistry {
  const secrets = new Set<string>();
  // Every PARTIAL_MATCH_LENGTH-character window of every secret: a message is scanned window by window.
  const windows = new Set<string>();
  return {
    register(value) {
      if (value === undefined || secrets.has(value) || !isDistinctiveSecret(value)) return;
      secrets.add(value);
      for (let i = 0; i + PARTIAL_MATCH_LENGTH <= value.length; i++) {
        windows.add(value.slice(i, i + PARTIAL_MATCH_LENGTH));
      }
    },
    redact(text) {
      if (windows.size === 0 || text.length < PARTIAL_MATCH_LENGTH) return text;
      // Mark every character covered by a window that belongs to a secret, then replace each marked run.
      const marked = new Uint8Array(text.length);
      let any = false;
      for (let i = 0; i + PARTIAL_MATCH_LENGTH <= text.length; i++) {
        if (windows.has(text.slice(i, i + PARTIAL_MATCH_LENGTH))) {
          marked.fill(1, i, i + PARTIAL_MATCH_LENGTH);
          any = true;
        }
      }
      if (!any) return text;
      let out = "";
      for (let i = 0; i < text.length;) {
        if (marked[i]) {
          while (i < text.length && marked[i]) i++;
          out += "[redacted]";
        } else out += text[i++];
      }
      return out;
    },
  };
}

/** The registry of this process: what stc's terminal output is redacted against. */
export const processSecrets: SecretRegistry = createSecretRegistry();

/** Registers a machine-made secret in {@linkcode processSecrets}. */
export function registerSecret(value: string | undefined): void {
  processSecrets.register(value);
}
