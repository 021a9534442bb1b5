/**
 * The one sanitiser of text for people: what the Term and the human lines of stdout show.
 *
 * stc's own words (the literal parts of a {@linkcode Message}) are shown as written; every value in a message, and
 * any plain string (text of unknown origin), is first redacted against the secrets this process knows and then
 * made {@linkcode printable}: escape sequences, control, bidi and invisible characters are shown escaped. Own
 * words pass through `printable` too, which leaves constant text alone.
 *
 * @example
 * ```ts
 * import { sanitise } from "./sanitise.ts";
 * import { msg } from "../core/message.ts";
 * import { createSecretRegistry } from "../core/secrets.ts";
 * import assert from "node:assert/strict";
 *
 * const secrets = createSecretRegistry();
 * secrets.register("Z9/session-tool_bucketname+Q");
 * const words = msg`set session-tool_bucketname: ${"session-tool_bucketname\x1b[2J"}`;
 * assert.equal(sanitise(words, { secrets }), "set session-tool_bucketname: [redacted]\\x1b[2J");
 * ```
 *
 * @module
 */

import { renderText, type Text } from "../core/message.ts";
import { processSecrets, type SecretRegistry } from "../core/secrets.ts";
import { printable } from "../core/text.ts";

/** Options of {@linkcode sanitise}. */
export interface SanitiseOptions {
  /** Secrets to redact; the process registry when absent. */
  secrets?: SecretRegistry;
  /** Keep line feeds (multi-line text such as help); default false: shown as `\x0a`. */
  keepNewlines?: boolean;
}

/** `text` as it may be shown to a person (see the module documentation). */
export function sanitise(text: Text, options: SanitiseOptions = {}): string {
  const secrets = options.secrets ?? processSecrets;
  const keepNewlines = options.keepNewlines === true;
  return renderText(text, {
    own: (words) => printable(words, { keepNewlines }),
    value: (value) => printable(secrets.redact(value), { keepNewlines }),
  });
}
