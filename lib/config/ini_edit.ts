/**
 * Minimal edits of AWS shared config/credentials text: every byte not needed for the change is kept
 * (comments, order, blank lines, unknown keys, sub-properties, CRLF line endings, a missing final
 * newline). Sections and keys are matched exactly as {@linkcode parseProfileFiles} reads them.
 * Pure: no I/O.
 *
 * @example
 * ```ts
 * import { setKey } from "./ini_edit.ts";
 * import assert from "node:assert/strict";
 *
 * const text = "[profile ops]\n# kept\nregion = eu-west-1\n";
 * assert.equal(setKey(text, "profile ops", "region", "us-east-1"), "[profile ops]\n# kept\nregion = us-east-1\n");
 * ```
 *
 * @module
 */

import {
  type FileKind,
  type IniLine,
  isValidIdentifier,
  lexIni,
  parseProfileFile,
  parseSectionKey,
  type SectionKey,
} from "./ini.ts";

const KEY = /^[A-Za-z0-9_.-]+$/;

interface PropertySpan {
  key: string;
  /** Index of the `key = value` line. */
  line: number;
  /** Indices of its continuation lines. */
  continuations: number[];
}

interface Block {
  header: number;
  matches: boolean;
  properties: PropertySpan[];
  /** Index of the last header/property/continuation line of the section. */
  lastContent: number;
}

function sameSection(a: SectionKey, b: SectionKey): boolean {
  return a.type === b.type && a.name === b.name && a.prefixed === b.prefixed;
}

/** Validates a section header name and returns its parsed form. */
function checkSection(section: string): SectionKey {
  if (/[\r\n\0\]\[#;]/.test(section)) {
    throw new Error(`invalid section name ${JSON.stringify(section)}`);
  }
  const key = parseSectionKey(section);
  if (!isValidIdentifier(key.name)) {
    throw new Error(`invalid section name ${JSON.stringify(section)}`);
  }
  return key;
}

/** Throws unless `key` is a plain property name. Values are never quoted in errors (secrets). */
function checkKey(key: string): void {
  if (!KEY.test(key)) {
    throw new Error(
      `invalid key ${JSON.stringify(key)}: only letters, digits, '_', '.' and '-' are allowed`,
    );
  }
}

/** Throws unless `value` reads back unchanged from a `key = value` line. */
function checkValue(key: string, value: string): void {
  if (/[\r\n\0]/.test(value)) {
    throw new Error(`value for ${key} must not contain a newline, carriage return or NUL`);
  }
  const [line] = lexIni(`k = ${value}`);
  if (line.type !== "property" || line.value !== value) {
    throw new Error(
      `value for ${key} cannot be stored: it has leading or trailing whitespace or a ` +
        "whitespace-preceded '#' or ';' (which would start a comment)",
    );
  }
}

function analyse(text: string, section: SectionKey): { lines: IniLine[]; blocks: Block[] } {
  parseProfileFile(text); // refuse to edit text the SDKs cannot read
  const lines = lexIni(text);
  const blocks: Block[] = [];
  for (const [i, line] of lines.entries()) {
    const block = blocks.at(-1);
    if (line.type === "section") {
      blocks.push({
        header: i,
        matches: sameSection(parseSectionKey(line.rawName), section),
        properties: [],
        lastContent: i,
      });
    } else if (block && line.type === "property") {
      block.properties.push({ key: line.key, line: i, continuations: [] });
      block.lastContent = i;
    } else if (block && line.type === "continuation") {
      block.properties.at(-1)?.continuations.push(i);
      block.lastContent = i;
    }
  }
  return { lines, blocks };
}

/** The line ending the text uses (its first one), `"\n"` when it has none. */
export function detectEol(text: string): string {
  const nl = text.indexOf("\n");
  return nl > 0 && text[nl - 1] === "\r" ? "\r\n" : "\n";
}

function join(lines: { text: string; eol: string }[]): string {
  return lines.map((l) => l.text + l.eol).join("");
}

/** Drops lines; keeps "no newline at end of file" if the original last line had none. */
function dropLines(lines: IniLine[], drop: Set<number>): string {
  const kept: { text: string; eol: string }[] = lines.filter((_, i) => !drop.has(i));
  const last = kept.at(-1);
  if (last && lines.at(-1)?.eol === "" && drop.has(lines.length - 1)) {
    kept[kept.length - 1] = { text: last.text, eol: "" };
  }
  return join(kept);
}

/**
 * The section header name a profile has in a file of `kind`: `dev` in credentials, `profile dev`
 * in config, `default` in both — except that a config file already holding `[profile default]`
 * (which shadows `[default]`) gets `profile default`.
 */
export function profileSection(kind: FileKind, profile: string, text = ""): string {
  if (!isValidIdentifier(profile)) {
    throw new Error(`invalid profile name ${JSON.stringify(profile)}`);
  }
  if (kind === "credentials") return profile;
  if (profile !== "default") return `profile ${profile}`;
  const prefixed = parseProfileFile(text, kind).some((s) =>
    sameSection(s.key, { type: "profile", name: "default", prefixed: true })
  );
  return prefixed ? "profile default" : "default";
}

/**
 * Sets `key = value` in `[section]` (`section` as written between the brackets, e.g. `profile dev`),
 * changing nothing else. An existing key (last definition, case-insensitive) gets the new value in
 * place, keeping an inline comment; otherwise the key is added after the section's last property,
 * and a missing section is appended at the end. Throws on invalid key/value/section or on text the
 * SDKs cannot parse.
 */
export function setKey(text: string, section: string, key: string, value: string): string {
  const target = checkSection(section);
  checkKey(key);
  checkValue(key, value);
  const { lines, blocks } = analyse(text, target);
  const eol = detectEol(text);
  const matching = blocks.filter((b) => b.matches);
  const existing = matching.flatMap((b) => b.properties).filter((p) => p.key === key.toLowerCase())
    .at(-1);
  if (existing) {
    const line = lines[existing.line];
    if (line.type !== "property") throw new Error("unreachable: property span is not a property");
    let start = line.valueStart;
    if (value === "") {
      // `key =` without trailing blanks; the value span is empty and follows the blanks.
      while (start > 0 && " \t".includes(line.text[start - 1])) start--;
    }
    const sep = line.value === "" && value !== "" ? " " : "";
    const newText = line.text.slice(0, start) + sep + value + line.text.slice(line.valueEnd);
    const drop = new Set(existing.continuations);
    const out = lines.map((l, i) => i === existing.line ? { text: newText, eol: l.eol } : l);
    return dropLines(out as IniLine[], drop);
  }
  const newLine = value === "" ? `${key} =` : `${key} = ${value}`;
  const block = matching.at(-1);
  if (block) {
    const out: { text: string; eol: string }[] = [...lines];
    const after = lines[block.lastContent];
    const lastOfFile = after.eol === "";
    out[block.lastContent] = { text: after.text, eol: lastOfFile ? eol : after.eol };
    out.splice(block.lastContent + 1, 0, { text: newLine, eol: lastOfFile ? "" : eol });
    return join(out);
  }
  if (text === "") return `[${section}]${eol}${newLine}${eol}`;
  const endsWithEol = text.endsWith("\n");
  const lastLine = lines.at(-1)!;
  const blankBefore = endsWithEol && lastLine.type === "blank" && lastLine.text === "";
  return text + (endsWithEol ? "" : eol) + (blankBefore ? "" : eol) + `[${section}]${eol}` +
    newLine + (endsWithEol ? eol : "");
}

/**
 * Removes every definition of `key` (case-insensitive, with its continuation lines) from every
 * `[section]` occurrence, changing nothing else. Returns the text unchanged when absent.
 */
export function removeKey(text: string, section: string, key: string): string {
  const target = checkSection(section);
  checkKey(key);
  const { lines, blocks } = analyse(text, target);
  const drop = new Set<number>();
  for (const block of blocks.filter((b) => b.matches)) {
    for (const p of block.properties.filter((p) => p.key === key.toLowerCase())) {
      drop.add(p.line);
      p.continuations.forEach((i) => drop.add(i));
    }
  }
  return drop.size === 0 ? text : dropLines(lines, drop);
}

/**
 * Removes every occurrence of `[section]`: its header and all lines up to the next header
 * (comments and blank lines inside it included). A section at the end of the file takes the blank
 * line before it along (the one {@linkcode setKey} puts before a section it appends), so that removing
 * an appended section gives back the text as it was. Returns the text unchanged when absent.
 */
export function removeSection(text: string, section: string): string {
  const target = checkSection(section);
  const { lines, blocks } = analyse(text, target);
  const drop = new Set<number>();
  for (const [n, block] of blocks.entries()) {
    if (!block.matches) continue;
    const next = blocks[n + 1]?.header;
    for (let i = block.header; i < (next ?? lines.length); i++) drop.add(i);
    if (next === undefined && lines[block.header - 1]?.type === "blank") drop.add(block.header - 1);
  }
  return drop.size === 0 ? text : dropLines(lines, drop);
}
