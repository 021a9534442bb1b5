/**
 * stc's own words and the values in them stay apart: every message built from a template with values is a `msg`
 * template (lib/core/message.ts), so the Term redacts and escapes the values and never rewrites stc's own words.
 * A plain template at these places would make the whole text one value (still sanitised, but then redaction could
 * rewrite stc's words and so reveal that a secret contains them).
 *
 * @module
 */
import assert from "node:assert/strict";
import { REPO_ROOT } from "./helpers.ts";

/** Where text for people starts: an StcError, a usage error, a Term or Notices method, a hint. */
const MESSAGE_POSITION =
  /(?:new StcError|usageError|\.(?:info|warn|say|error|prompt|confirm|promptNewSecret))\(\s*$|\bhint:\s*$/;

/** The index of the backtick closing the template that opens at `start`, and whether it has `${…}`. */
function templateEnd(src: string, start: number): { end: number; interpolates: boolean } {
  let interpolates = false;
  for (let i = start + 1; i < src.length;) {
    const c = src[i];
    if (c === "\\") i += 2;
    else if (c === "`") return { end: i, interpolates };
    else if (c === "$" && src[i + 1] === "{") {
      interpolates = true;
      i += 2;
      for (let depth = 1; depth > 0 && i < src.length;) {
        const d = src[i];
        if (d === "`") i = templateEnd(src, i).end + 1;
        else if (d === '"' || d === "'") {
          for (i++; i < src.length && src[i] !== d; i++) if (src[i] === "\\") i++;
          i++;
        } else {
          if (d === "{") depth++;
          if (d === "}") depth--;
          i++;
        }
      }
    } else i++;
  }
  return { end: src.length, interpolates };
}

/** Plain templates with values in message positions, as `path:line`. */
export function plainMessageTemplates(path: string, code: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === "/" && code[i + 1] === "/") {
      i = code.indexOf("\n", i) < 0 ? code.length : code.indexOf("\n", i);
    } else if (c === "/" && code[i + 1] === "*") i = code.indexOf("*/", i + 2) + 1;
    else if (c === '"' || c === "'") {
      for (i++; i < code.length && code[i] !== c && code[i] !== "\n"; i++) {
        if (code[i] === "\\") i++;
      }
    } else if (c === "`") {
      const { end, interpolates } = templateEnd(code, i);
      const before = code.slice(Math.max(0, i - 80), i);
      const plainWithValues = interpolates && MESSAGE_POSITION.test(before);
      // A msg template joined to a string with + is a plain string again.
      const joined = before.endsWith("msg") &&
        (/^\s*\+/.test(code.slice(end + 1)) || /\+\s*msg$/.test(before));
      if (plainWithValues || joined) found.push(`${path}:${code.slice(0, i).split("\n").length}`);
      i = end;
    }
  }
  return found;
}

Deno.test("messages with values are msg templates, so the values alone are redacted and escaped", async () => {
  const found: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(`${REPO_ROOT}${dir}`)) {
      const path = `${dir}${entry.name}`;
      if (entry.isDirectory) await walk(`${path}/`);
      else if (path.endsWith(".ts") && !path.endsWith("_test.ts")) {
        found.push(...plainMessageTemplates(path, await Deno.readTextFile(`${REPO_ROOT}${path}`)));
      }
    }
  };
  await walk("lib/");
  assert.deepEqual(found, [], "use msg`…` for these messages (lib/core/message.ts)");
});

Deno.test("the message scan finds plain templates and passes msg templates", () => {
  const source = [
    "throw new StcError(`profile '${name}' is not defined`, {",
    "  hint: `import a key into it: stc import -p ${name}`,",
    "});",
    "term.warn(msg`odd ${value}`);",
    "// term.warn(`in a comment ${x}`)",
    'term.say("a `quoted` ${word}");',
    "term.info(`no values`);",
    'term.info(msg`joined ${x} ` + "to a string");',
  ].join("\n");
  assert.deepEqual(plainMessageTemplates("x.ts", source), ["x.ts:1", "x.ts:2", "x.ts:8"]);
});
