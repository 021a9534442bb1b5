/**
 * Profile names: the characters the AWS SDKs accept in a section name of `~/.aws/config` and
 * `~/.aws/credentials` (`[profile NAME]`, `[NAME]`). Any other name could not be written to those files, so it is
 * refused where it enters stc (`-p`, `AWS_PROFILE`, import lines) as a usage error.
 *
 * @example
 * ```ts
 * import { validateProfileName } from "./profile_name.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(validateProfileName("prod-admin@acme"), undefined);
 * assert.match(validateProfileName("bad name]")!, /letters, digits/);
 * ```
 *
 * @module
 */

import { type Message, msg } from "./message.ts";

/** The SDKs' identifier characters (the same rule as config/ini.ts applies to section names). */
const PROFILE_NAME = /^[A-Za-z0-9_\-/.%@:+]+$/;

/** What is wrong with `name` as a profile name, or undefined when it is one. The reason never repeats the name. */
export function validateProfileName(name: string): string | undefined {
  if (name === "") return "a profile name cannot be empty";
  if (!PROFILE_NAME.test(name)) {
    return "a profile name has only letters, digits and _ - / . % @ : +";
  }
  return undefined;
}

/**
 * `value` for an error message, shortened, between quotes: a value of the message, which the Term's one sanitiser
 * shows with control, bidi and invisible characters escaped.
 */
export function shownName(value: string): Message {
  const short = value.length > 64 ? `${value.slice(0, 64)}…` : value;
  return msg`'${short}'`;
}
