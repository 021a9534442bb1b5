/**
 * The top-level members of a JSON object with what `JSON.parse` loses: the line each member is on, every member
 * of a repeated name (`JSON.parse` keeps only the last), and numbers as written (`JSON.parse` turns
 * 12345678901234567890 into 12345678901234567000 and hides the loss). The whole text is checked against the JSON
 * grammar; nested objects and arrays are checked and skipped.
 *
 * @example
 * ```ts
 * import { objectMembers } from "./json_members.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(objectMembers('{\n  "prod": "333333333333",\n  "dev": 12345678901234567890\n}'), [
 *   { key: "prod", type: "string", value: "333333333333", line: 2 },
 *   { key: "dev", type: "number", value: "12345678901234567890", line: 3 },
 * ]);
 * assert.throws(() => objectMembers('{"a" 1}'), /expected ':'/);
 * ```
 *
 * @module
 */

/** A top-level member of a JSON object. */
export interface JsonMember {
  /** The member's name. */
  key: string;
  /** Kind of the value: objects, arrays, `true`, `false` and `null` are `other`. */
  type: "string" | "number" | "other";
  /** The string's value, the number's text as written, the literal's text; empty for objects and arrays. */
  value: string;
  /** The line the member's name is on, from 1. */
  line: number;
}

/** Text that is not one JSON object, and the line where that shows. */
export class JsonMembersError extends Error {
  /** The line of the problem, from 1. */
  readonly line: number;

  /** An error at `line`. */
  constructor(message: string, line: number) {
    super(message);
    this.name = "JsonMembersError";
    this.line = line;
  }
}

type Value = Omit<JsonMember, "key" | "line">;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ["true", "false", "null"];

/** A cursor over JSON text: reads one grammar element at a time, counting lines. */
function scanner(text: string) {
  let pos = 0;
  let line = 1;
  const fail = (message: string): never => {
    throw new JsonMembersError(message, line);
  };
  const skipWhitespace = () => {
    for (; pos < text.length; pos++) {
      const c = text[pos];
      if (c === "\n") line++;
      else if (c !== " " && c !== "\t" && c !== "\r" && c !== "\ufeff") break;
    }
  };
  /** Skips white space, then consumes `char` if it comes next. */
  const accept = (char: string): boolean => {
    skipWhitespace();
    if (text[pos] !== char) return false;
    pos++;
    return true;
  };
  const expect = (char: string, what = `'${char}'`) => {
    if (!accept(char)) fail(`expected ${what}`);
  };
  const string = (what = "a string"): string => {
    skipWhitespace();
    if (text[pos] !== '"') fail(`expected ${what}`);
    const start = pos++;
    for (; pos < text.length && text[pos] !== '"'; pos++) {
      if (text[pos] < " ") fail("unterminated string");
      if (text[pos] === "\\") pos++;
    }
    if (pos++ >= text.length) fail("unterminated string");
    try {
      return JSON.parse(text.slice(start, pos));
    } catch {
      return fail("bad escape in a string");
    }
  };
  /** The elements of an object or array after its opening bracket, each read by `element`. */
  const elements = (close: string, element: () => void) => {
    if (accept(close)) return;
    do element(); while (accept(","));
    expect(close, `',' or '${close}'`);
  };
  const value = (): Value => {
    skipWhitespace();
    if (text[pos] === '"') return { type: "string", value: string() };
    if (accept("{")) {
      elements("}", () => {
        string("a quoted key");
        expect(":");
        value();
      });
      return { type: "other", value: "" };
    }
    if (accept("[")) {
      elements("]", () => value());
      return { type: "other", value: "" };
    }
    NUMBER.lastIndex = pos;
    const number = NUMBER.exec(text)?.[0];
    if (number) {
      pos += number.length;
      return { type: "number", value: number };
    }
    const literal = LITERALS.find((l) => text.startsWith(l, pos));
    if (literal) {
      pos += literal.length;
      return { type: "other", value: literal };
    }
    return fail("expected a value");
  };
  const member = (): JsonMember => {
    skipWhitespace();
    const memberLine = line;
    const key = string("a quoted account name");
    expect(":");
    return { key, ...value(), line: memberLine };
  };
  const end = () => {
    skipWhitespace();
    if (pos < text.length) fail("unexpected text after the object");
  };
  return { accept, elements, member, end, fail };
}

/**
 * The members of the JSON object `text`, in order, repeated names included. Throws {@linkcode JsonMembersError}
 * with the line of the first problem when `text` is not one JSON object.
 */
export function objectMembers(text: string): JsonMember[] {
  const scan = scanner(text);
  if (!scan.accept("{")) scan.fail('expected a JSON object like {"name": "123456789012"}');
  const members: JsonMember[] = [];
  scan.elements("}", () => members.push(scan.member()));
  scan.end();
  return members;
}
