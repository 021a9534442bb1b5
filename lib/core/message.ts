/**
 * Text for people that keeps stc's own words apart from the values put into them.
 *
 * A {@linkcode Message} is made with the {@linkcode msg} tag: the template's literal parts are stc's own constant
 * words, every `${…}` is a value from somewhere else (an AWS error message, an ARN, a file name, an environment
 * variable). Whoever shows a message to a person (the Term, `lib/term/`) sanitises and redacts the values and only
 * them, so no call site can forget to, and redaction can never rewrite stc's own words (which would tell the
 * reader that a secret contains them). A plain string is text of unknown origin and is treated as a value whole.
 *
 * @example
 * ```ts
 * import { msg, own, plainText } from "./message.ts";
 * import assert from "node:assert/strict";
 *
 * const denied = msg`${own("AssumeRole")}: ${"denied \x1b[31m"} (${"AccessDenied"})`;
 * assert.deepEqual(denied.own, ["", ": ", " (", ")"]);
 * assert.equal(plainText(denied), "AssumeRole: denied \x1b[31m (AccessDenied)");
 * assert.equal(plainText(msg`wrapped: ${denied}`), "wrapped: AssumeRole: denied \x1b[31m (AccessDenied)");
 * assert.equal(`${denied}`, "AssumeRole: denied \x1b[31m (AccessDenied)");
 * ```
 *
 * @module
 */

/** The key that marks a {@linkcode Message} (a plain object could not be told from an untrusted one otherwise). */
export const MESSAGE: unique symbol = Symbol.for("stc.message");

/** stc's own words (`own`, one more than `values`) with the values put between them. */
export interface Message {
  /** Marks a message (a plain object could not be told from an untrusted one otherwise). */
  readonly [MESSAGE]: true;
  /** The literal parts of the template: stc's constant text. */
  readonly own: readonly string[];
  /** The interpolated values: untrusted text, numbers, nested messages, errors. */
  readonly values: readonly unknown[];
}

/** What may be shown to a person: a {@linkcode Message}, or a string of unknown origin (a value as a whole). */
export type Text = string | Message;

function message(own: readonly string[], values: readonly unknown[]): Message {
  return {
    [MESSAGE]: true,
    own,
    values,
    // Joined to a string by mistake (`msg`…` + "…"`), a message becomes plain text: one value, still sanitised.
    [Symbol.toPrimitive]: () => plainText({ [MESSAGE]: true, own, values }),
  } as Message;
}

/** Builds a {@linkcode Message} from a template: literal parts are stc's own words, `${…}` values are not. */
export function msg(strings: TemplateStringsArray, ...values: unknown[]): Message {
  return message([...strings], values);
}

/**
 * `text` as stc's own words: for constants that are passed around as values (an API step name such as
 * `"GetSessionToken"`, a command name), never for anything read from outside.
 */
export function own(text: string): Message {
  return message([text], []);
}

/** Whether `value` is a {@linkcode Message}. */
export function isMessage(value: unknown): value is Message {
  return typeof value === "object" && value !== null && (value as Message)[MESSAGE] === true;
}

/** How {@linkcode renderText} shows each kind of part. */
export interface TextRenderer {
  /** stc's own words. */
  own(text: string): string;
  /** A value (always a string here: errors give their message, other values `String(value)`). */
  value(text: string): string;
}

function valueString(value: unknown): string {
  if (value instanceof Error) return value.message;
  return String(value);
}

/** `text` rendered part by part: own words and values (nested messages recursively) each their own way. */
export function renderText(text: Text | unknown, renderer: TextRenderer): string {
  if (!isMessage(text)) return renderer.value(valueString(text));
  let out = renderer.own(text.own[0]);
  for (let i = 0; i < text.values.length; i++) {
    out += renderText(text.values[i], renderer) + renderer.own(text.own[i + 1]);
  }
  return out;
}

const AS_IS: TextRenderer = { own: (t) => t, value: (t) => t };

/** `text` as one plain string, values as they are (for `Error.message` and tests; never for a terminal). */
export function plainText(text: Text): string {
  return renderText(text, AS_IS);
}
