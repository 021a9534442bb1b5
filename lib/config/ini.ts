/**
 * Reader for the AWS shared config (`~/.aws/config`) and credentials (`~/.aws/credentials`) files,
 * following the rules the AWS SDKs share (the smithy-rs / Java / Go conformance vectors in
 * test/fixtures/profile-parser-tests.json). Pure: no I/O.
 *
 * @example
 * ```ts
 * import { getProfile, parseProfileFiles } from "./ini.ts";
 * import assert from "node:assert/strict";
 *
 * const files = parseProfileFiles({
 *   config: "[default]\nregion = eu-west-1\n[profile ops]\nregion = us-east-1\n",
 *   credentials: "[ops]\naws_access_key_id = AKIAEXAMPLE\n",
 * });
 * const ops = getProfile(files, "ops");
 * assert.equal(ops?.region, "us-east-1");
 * assert.equal(ops?.aws_access_key_id, "AKIAEXAMPLE");
 * assert.equal(getProfile(files, "nosuch"), undefined);
 * ```
 *
 * @module
 */

/** Which of the two shared files a text came from; the files differ in how sections are named. */
export type FileKind = "config" | "credentials";

/**
 * Properties of one section: lower-cased key → value. A property with sub-properties (`s3 =` followed
 * by indented `key = value` lines) keeps its raw text, e.g. `"\nmax_concurrent_requests = 10"`, as the
 * SDKs do; {@linkcode parseSubProperties} splits it.
 */
export type Properties = Record<string, string>;

/** One profile's properties. */
export type Profile = Properties;

/** The profiles and other sections defined by the config and credentials files together. */
export interface ProfileFiles {
  /** Profiles by name (case-sensitive), config and credentials merged (credentials win per key). */
  profiles: Record<string, Profile>;
  /** `[sso-session NAME]` sections of the config file. */
  ssoSessions: Record<string, Properties>;
  /** `[services NAME]` sections of the config file. */
  services: Record<string, Properties>;
}

/** The texts to parse; a missing file is `undefined` (or empty). */
export interface ProfileTexts {
  /** Text of the config file. */
  config?: string;
  /** Text of the credentials file. */
  credentials?: string;
}

/** A syntax error in a shared file. The message never quotes the offending line (it may hold a secret). */
export class ProfileParseError extends Error {
  /** The file kind the error was found in, when known. */
  readonly kind: FileKind | undefined;
  /** 1-based line number. */
  readonly line: number;
  /** Creates the error; `message` says what was expected. */
  constructor(message: string, line: number, kind?: FileKind) {
    super(`${kind ? `${kind} file` : "profile file"} line ${line}: ${message}`);
    this.name = "ProfileParseError";
    this.kind = kind;
    this.line = line;
  }
}

/** Fields every lexed line has. `text + eol` is exactly the line's bytes in the source. */
export interface LineBase {
  /** 1-based line number. */
  line: number;
  /** Offset of the line's first character in the source text. */
  offset: number;
  /** The line without its terminator. */
  text: string;
  /** The terminator: `"\n"`, `"\r\n"` or `""` (last line without one). */
  eol: string;
}

/** One line of a shared file, classified the way the SDK parsers classify it. */
export type IniLine =
  | LineBase & { type: "blank" | "comment" }
  | LineBase & {
    type: "section";
    /** Raw name between the brackets (untrimmed). */
    rawName: string;
  }
  | LineBase & {
    type: "property";
    /** Key, lower-cased. */
    key: string;
    /** Value, trimmed, inline comment removed. */
    value: string;
    /** Offsets (within `text`) of the value, for in-place edits. */
    valueStart: number;
    /** End offset (exclusive) of the value within `text`. */
    valueEnd: number;
  }
  | LineBase & {
    type: "continuation";
    /** The line trimmed (comments are part of a continuation). */
    value: string;
  };

/** A section name split into its type prefix and name, as in `[profile dev]` or `[default]`. */
export interface SectionKey {
  /** `"profile"` for `[profile x]` and for unprefixed `[x]`; otherwise the prefix (`sso-session`, …). */
  type: string;
  /** The name after the prefix. */
  name: string;
  /** Whether the section had a prefix (`[profile x]`) or not (`[x]`). */
  prefixed: boolean;
}

const WS = " \t";
const COMMENT = "#;";
const IDENTIFIER = /^[A-Za-z0-9_\-/.%@:+]+$/;
// Rust's char::is_whitespace, which decides whether a `#`/`;` in a value starts a comment.
const UNICODE_WS = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

function trimWs(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && WS.includes(s[a])) a++;
  while (b > a && WS.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/**
 * Trims a line and cuts a trailing comment. In property lines a comment character only starts a
 * comment after whitespace (`a=b#c` keeps `b#c`); in section lines it always does.
 * Returns the start and end offsets of what remains.
 */
function prepareLine(text: string, commentsNeedWhitespace: boolean): [number, number] {
  let start = 0;
  let end = text.length;
  while (start < end && WS.includes(text[start])) start++;
  while (end > start && WS.includes(text[end - 1])) end--;
  let prevWs = false;
  for (let i = start; i < end; i++) {
    const ch = text[i];
    if (COMMENT.includes(ch) && (prevWs || !commentsNeedWhitespace)) {
      end = i;
      break;
    }
    prevWs = UNICODE_WS.test(ch);
  }
  while (end > start && WS.includes(text[end - 1])) end--;
  return [start, end];
}

/** Splits text into lines, keeping each terminator so the lines concatenate back to the text. */
function splitLines(text: string): { text: string; eol: string; offset: number }[] {
  const out: { text: string; eol: string; offset: number }[] = [];
  let offset = 0;
  while (offset < text.length) {
    const nl = text.indexOf("\n", offset);
    if (nl === -1) {
      out.push({ text: text.slice(offset), eol: "", offset });
      break;
    }
    const cr = nl > offset && text[nl - 1] === "\r";
    out.push({
      text: text.slice(offset, cr ? nl - 1 : nl),
      eol: cr ? "\r\n" : "\n",
      offset,
    });
    offset = nl + 1;
  }
  return out;
}

/** Parses a `key = value` line; `what` names it in errors ("property" / "sub-property"). */
function parsePropertyText(
  text: string,
  what: string,
  line: number,
  kind: FileKind | undefined,
): { key: string; value: string; valueStart: number; valueEnd: number } {
  const [start, end] = prepareLine(text, true);
  const eq = text.indexOf("=", start);
  if (eq === -1 || eq >= end) {
    throw new ProfileParseError(`Expected an '=' sign defining a ${what}`, line, kind);
  }
  const key = trimWs(text.slice(start, eq));
  if (key === "") {
    const name = what[0].toUpperCase() + what.slice(1);
    throw new ProfileParseError(`${name} did not have a name`, line, kind);
  }
  let valueStart = eq + 1;
  while (valueStart < end && WS.includes(text[valueStart])) valueStart++;
  return { key: key.toLowerCase(), value: text.slice(valueStart, end), valueStart, valueEnd: end };
}

/**
 * Splits a shared file into classified lines. Throws {@linkcode ProfileParseError} for lines that
 * cannot be a section header or property; errors that depend on context (a continuation outside a
 * property, …) are left to {@linkcode parseProfileFile}.
 */
export function lexIni(text: string, kind?: FileKind): IniLine[] {
  return splitLines(text).map((raw, i) => lexLine(raw, i + 1, kind));
}

function lexLine(
  { text, eol, offset }: { text: string; eol: string; offset: number },
  line: number,
  kind: FileKind | undefined,
): IniLine {
  const base = { line, offset, text, eol };
  if (trimWs(text) === "") return { ...base, type: "blank" };
  if (COMMENT.includes(text[0])) return { ...base, type: "comment" };
  if (text[0] === "[") {
    const [start, end] = prepareLine(text, false);
    if (text[end - 1] !== "]" || end - start < 2) {
      throw new ProfileParseError("Profile definition must end with ']'", line, kind);
    }
    return { ...base, type: "section", rawName: text.slice(start + 1, end - 1) };
  }
  if (WS.includes(text[0])) return { ...base, type: "continuation", value: trimWs(text) };
  return { ...base, type: "property", ...parsePropertyText(text, "property", line, kind) };
}

/** Splits a section name (the text between the brackets) into prefix and name. */
export function parseSectionKey(rawName: string): SectionKey {
  const input = trimWs(rawName);
  const ws = input.search(/[ \t]/);
  if (ws === -1) return { type: "profile", name: input, prefixed: false };
  return { type: input.slice(0, ws), name: trimWs(input.slice(ws + 1)), prefixed: true };
}

/** Whether a profile, section or property name is valid in the shared files. */
export function isValidIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** Whether a section is honoured in a file of `kind` (invalid ones are ignored, not errors). */
function sectionValidFor(key: SectionKey, kind: FileKind): boolean {
  if (!isValidIdentifier(key.name)) return false;
  if (kind === "credentials") return key.type === "profile" && !key.prefixed;
  if (key.type === "profile") return key.prefixed || key.name === "default";
  return key.type === "sso-session" || key.type === "services";
}

/** One occurrence of a section in a file, with the properties defined under it. */
export interface RawSection {
  /** The parsed section name. */
  key: SectionKey;
  /** Line number of the header. */
  line: number;
  /** Properties in this occurrence (invalid keys included). */
  properties: Map<string, string>;
}

/**
 * Parses one file into its section occurrences, in file order, validating the syntax the way the
 * SDKs do (continuations need a property, sub-properties need `=`, …).
 */
export function parseProfileFile(text: string, kind?: FileKind): RawSection[] {
  const sections: RawSection[] = [];
  let current: RawSection | undefined;
  let property: { key: string; sub: boolean } | undefined;
  for (const [i, raw] of splitLines(text).entries()) {
    // A property outside any section is reported as such before its own syntax is checked.
    if (!current && raw.text !== "" && !`${WS}${COMMENT}[`.includes(raw.text[0])) {
      throw new ProfileParseError("Expected a profile definition", i + 1, kind);
    }
    const line = lexLine(raw, i + 1, kind);
    switch (line.type) {
      case "blank":
      case "comment":
        break;
      case "section":
        current = { key: parseSectionKey(line.rawName), line: line.line, properties: new Map() };
        sections.push(current);
        property = undefined;
        break;
      case "property":
        if (!current) throw new ProfileParseError("Expected a profile definition", line.line, kind);
        current.properties.set(line.key, line.value);
        property = { key: line.key, sub: line.value === "" };
        break;
      case "continuation": {
        if (!current) throw new ProfileParseError("Expected a profile definition", line.line, kind);
        if (!property) {
          throw new ProfileParseError(
            "Expected a property definition, found continuation",
            line.line,
            kind,
          );
        }
        if (property.sub) parsePropertyText(line.value, "sub-property", line.line, kind);
        current.properties.set(
          property.key,
          `${current.properties.get(property.key)}\n${line.value}`,
        );
        break;
      }
    }
  }
  return sections;
}

function emptyRecord<T>(): Record<string, T> {
  // No prototype: profile names such as `constructor` or `__proto__` must not hit Object.prototype.
  return Object.create(null);
}

function mergeFile(
  files: ProfileFiles,
  text: string,
  kind: FileKind,
  lines: Map<string, number> | undefined,
): void {
  const all = parseProfileFile(text, kind);
  if (lines) {
    for (const section of all) {
      if (section.key.type === "profile") lines.set(section.key.name, section.line);
    }
  }
  const sections = all.filter((s) => sectionValidFor(s.key, kind));
  // `[profile default]` wins over `[default]` in the config file: the unprefixed one is dropped.
  const prefixedDefault = sections.some((s) =>
    s.key.type === "profile" && s.key.prefixed && s.key.name === "default"
  );
  for (const { key, properties } of sections) {
    if (prefixedDefault && key.type === "profile" && !key.prefixed) continue;
    const table = key.type === "profile"
      ? files.profiles
      : key.type === "sso-session"
      ? files.ssoSessions
      : files.services;
    const target = table[key.name] ??= emptyRecord<string>();
    for (const [k, v] of properties) if (isValidIdentifier(k)) target[k] = v;
  }
}

/**
 * Parses the config and credentials texts into profiles the way the AWS SDKs do. Credentials
 * properties override config properties of the same profile. Throws {@linkcode ProfileParseError}
 * on a syntax error in either file. `configLines`, when given, receives the line of each profile
 * section header of the config file (the last of a name; ignored sections too), in the same pass.
 */
export function parseProfileFiles(
  texts: ProfileTexts,
  configLines?: Map<string, number>,
): ProfileFiles {
  const files: ProfileFiles = {
    profiles: emptyRecord(),
    ssoSessions: emptyRecord(),
    services: emptyRecord(),
  };
  if (texts.config) mergeFile(files, texts.config, "config", configLines);
  if (texts.credentials) mergeFile(files, texts.credentials, "credentials", undefined);
  return files;
}

/**
 * The effective properties of one profile (config merged with credentials), or `undefined` when no
 * file defines it. Safe for any name, including ones like `constructor`.
 */
export function getProfile(files: ProfileFiles, name: string): Profile | undefined {
  return Object.hasOwn(files.profiles, name) ? files.profiles[name] : undefined;
}

/**
 * Splits the raw value of a property with sub-properties (`"\nkey = value\n…"`) into lower-cased
 * keys and values. Lines without `=` are skipped; a whitespace-preceded `#`/`;` starts a comment.
 */
export function parseSubProperties(value: string): Properties {
  const out = emptyRecord<string>();
  for (const line of value.split("\n")) {
    const [start, end] = prepareLine(line, true);
    const eq = line.indexOf("=", start);
    if (eq === -1 || eq >= end) continue;
    const key = trimWs(line.slice(start, eq)).toLowerCase();
    if (key) out[key] = trimWs(line.slice(eq + 1, end));
  }
  return out;
}
