import assert from "node:assert/strict";
import { type FileKind, lexIni, parseProfileFiles, type ProfileFiles } from "./ini.ts";
import { profileSection, removeKey, removeSection, setKey } from "./ini_edit.ts";
import { genIni, int, makeRng, pick, type Rng } from "../../test/fixtures/ini_gen.ts";

function parse(kind: FileKind, text: string): ProfileFiles {
  return JSON.parse(JSON.stringify(parseProfileFiles({ [kind]: text })));
}

/**
 * Asserts that `after` keeps every line of `before` byte for byte and in order, except at most one
 * edited `key = value` line and continuation lines (the replaced value's), and adds at most
 * `maxNew` lines. The old last line may gain a line ending when something is appended after it.
 */
function assertMinimalChange(before: string, after: string, maxNew: number, ctx: string): void {
  const a = lexIni(before);
  const b = lexIni(after);
  let j = 0;
  let skippedProperties = 0;
  for (const [i, line] of a.entries()) {
    const lastWithoutEol = i === a.length - 1 && line.eol === "";
    const k = b.findIndex((l, n) =>
      n >= j && l.text === line.text && (l.eol === line.eol || lastWithoutEol)
    );
    if (k === -1) {
      if (line.type === "property") skippedProperties++;
      else assert.equal(line.type, "continuation", `${ctx}\nline ${i + 1} lost`);
      continue;
    }
    j = k + 1;
  }
  assert.ok(skippedProperties <= 1, `${ctx}\nmore than one property line changed`);
  assert.ok(b.length - (a.length - skippedProperties) <= maxNew, `${ctx}\ntoo many new lines`);
}

/** A profile name, an sso-session, or (sometimes) a section that is not in the file yet. */
function pickTarget(r: Rng, kind: FileKind): { table: "profiles" | "ssoSessions"; name: string } {
  const name = pick(r, ["default", "dev", "prod", "Dev", "new-one", "a.b"]);
  if (kind === "config" && r() < 0.2) return { table: "ssoSessions", name };
  return { table: "profiles", name };
}

function sectionFor(kind: FileKind, t: { table: string; name: string }, text: string): string {
  return t.table === "ssoSessions" ? `sso-session ${t.name}` : profileSection(kind, t.name, text);
}

const VALUES = [
  "x",
  "eu-west-1",
  "a=b",
  "with space",
  "semi;colon",
  "hash#tag",
  "\u00e9\u{1f600}",
  "",
];

Deno.test("setKey: parse(after) = parse(before) + the change, other bytes kept (random files)", () => {
  for (let seed = 1; seed <= 600; seed++) {
    const r = makeRng(seed);
    const kind: FileKind = r() < 0.6 ? "config" : "credentials";
    const before = genIni(r, kind);
    const target = pickTarget(r, kind);
    const key = pick(r, ["region", "Region", "output", "new_key", "s3", "x.y", "role_arn"]);
    const value = pick(r, VALUES);
    const section = sectionFor(kind, target, before);
    const after = setKey(before, section, key, value);
    const ctx = `seed ${seed} [${section}] ${key}=${
      JSON.stringify(value)
    }\n${before}\n---\n${after}`;
    const expected = parse(kind, before);
    expected[target.table][target.name] ??= {};
    expected[target.table][target.name][key.toLowerCase()] = value;
    assert.deepEqual(parse(kind, after), expected, ctx);
    assertMinimalChange(before, after, 3, ctx);
    assert.equal(setKey(after, section, key, value), after, `${ctx}\nnot idempotent`);
  }
});

Deno.test("removeKey: parse(after) = parse(before) minus the key, other bytes kept", () => {
  for (let seed = 1; seed <= 400; seed++) {
    const r = makeRng(seed * 31);
    const kind: FileKind = r() < 0.6 ? "config" : "credentials";
    const before = genIni(r, kind);
    const target = pickTarget(r, kind);
    const key = pick(r, ["region", "Region", "output", "s3", "sub", "x.y"]);
    const section = sectionFor(kind, target, before);
    const after = removeKey(before, section, key);
    const ctx = `seed ${seed} [${section}] -${key}\n${before}\n---\n${after}`;
    const expected = parse(kind, before);
    delete expected[target.table][target.name]?.[key.toLowerCase()];
    assert.deepEqual(parse(kind, after), expected, ctx);
    // The after-text is the before-text minus whole lines: each kept line appears verbatim, in order.
    let from = 0;
    for (const l of lexIni(after)) {
      const at = before.indexOf(l.text + l.eol, from);
      assert.ok(at >= from, `${ctx}\nline not kept verbatim: ${JSON.stringify(l.text)}`);
      from = at + l.text.length + l.eol.length;
    }
    assert.ok(lexIni(after).length <= lexIni(before).length, ctx);
  }
});

Deno.test("removeSection: the profile is gone, all other profiles unchanged", () => {
  for (let seed = 1; seed <= 300; seed++) {
    const r = makeRng(seed * 131);
    const kind: FileKind = r() < 0.6 ? "config" : "credentials";
    const before = genIni(r, kind);
    const name = pick(r, ["dev", "prod", "Dev", "a.b"]);
    const after = removeSection(before, profileSection(kind, name));
    const expected = parse(kind, before);
    delete expected.profiles[name];
    assert.deepEqual(parse(kind, after), expected, `seed ${seed}\n${before}\n---\n${after}`);
  }
});

Deno.test("setKey replaces a value in place, keeping spacing, key case and inline comment", () => {
  const text = "# top\n[profile dev]\nRegion\t=  us-east-1   # main\noutput = json\n";
  assert.equal(
    setKey(text, "profile dev", "region", "eu-west-1"),
    "# top\n[profile dev]\nRegion\t=  eu-west-1   # main\noutput = json\n",
  );
});

Deno.test("setKey matches headers the way the parser does and updates the last definition", () => {
  const text = "[  profile\t dev ]\nregion = a\n[profile dev]\nregion = b\n";
  assert.equal(
    setKey(text, "profile dev", "region", "c"),
    "[  profile\t dev ]\nregion = a\n[profile dev]\nregion = c\n",
  );
});

Deno.test("setKey adds a key after the section's last property, before trailing comments", () => {
  const text = "[a]\nx = 1\n  -continued\n\n# about b\n[b]\ny = 2";
  assert.equal(
    setKey(text, "a", "z", "3"),
    "[a]\nx = 1\n  -continued\nz = 3\n\n# about b\n[b]\ny = 2",
  );
  assert.equal(
    setKey(text, "b", "z", "3"),
    "[a]\nx = 1\n  -continued\n\n# about b\n[b]\ny = 2\nz = 3",
  );
});

Deno.test("setKey appends a missing section after a blank line, reusing CRLF", () => {
  assert.equal(
    setKey("[a]\r\nx = 1\r\n", "b", "k", "v"),
    "[a]\r\nx = 1\r\n\r\n[b]\r\nk = v\r\n",
  );
  assert.equal(setKey("[a]\nx = 1\n\n", "b", "k", "v"), "[a]\nx = 1\n\n[b]\nk = v\n");
  assert.equal(setKey("[a]\nx = 1", "b", "k", "v"), "[a]\nx = 1\n\n[b]\nk = v");
  assert.equal(setKey("", "profile dev", "k", "v"), "[profile dev]\nk = v\n");
  assert.equal(setKey("[a]\r\nx = 1", "a", "k", "v"), "[a]\r\nx = 1\r\nk = v");
});

Deno.test("setKey replaces sub-properties and continuations with the single value", () => {
  const text = "[profile a]\ns3 =\n  max = 1\n# keep\n  min = 2\nz = 1\n";
  assert.equal(
    setKey(text, "profile a", "s3", "plain"),
    "[profile a]\ns3 = plain\n# keep\nz = 1\n",
  );
  assert.equal(setKey("[a]\nk = v # c\n", "a", "k", ""), "[a]\nk = # c\n");
  assert.equal(setKey("[a]\nk =\n", "a", "k", "v"), "[a]\nk = v\n");
});

Deno.test("setKey rejects unsafe keys and values without echoing the value", () => {
  const secret = "SECRETabc";
  for (const bad of [`${secret}\nx`, `${secret}\r`, `${secret}\0`, ` ${secret}`, `${secret} #x`]) {
    assert.throws(
      () => setKey("", "a", "k", bad),
      (e: unknown) => e instanceof Error && !e.message.includes(secret),
    );
  }
  for (const key of ["", "a b", "a=b", "k\n", "[x]", "é"]) {
    assert.throws(() => setKey("", "a", key, "v"), /invalid key/);
  }
  for (const section of ["", "a]", "profile in valid", "a\nb"]) {
    assert.throws(() => setKey("", section, "k", "v"), /invalid section/);
  }
});

Deno.test("edits refuse text the SDKs cannot parse", () => {
  assert.throws(() => setKey("x = 1\n", "a", "k", "v"), /Expected a profile definition/);
  assert.throws(() => removeKey("[a]\n -c\n", "a", "k"), /found continuation/);
});

Deno.test("profileSection maps profile names to headers per file kind", () => {
  assert.equal(profileSection("credentials", "dev"), "dev");
  assert.equal(profileSection("config", "dev"), "profile dev");
  assert.equal(profileSection("config", "default"), "default");
  assert.equal(profileSection("credentials", "default"), "default");
  assert.equal(
    profileSection("config", "default", "[default]\n[profile default]\n"),
    "profile default",
  );
  assert.throws(() => profileSection("config", "in valid"), /invalid profile name/);
});

Deno.test("removeKey and removeSection keep a missing final newline missing", () => {
  assert.equal(removeKey("[a]\nx = 1\ny = 2", "a", "y"), "[a]\nx = 1");
  assert.equal(removeKey("[a]\nx = 1\n", "a", "nope"), "[a]\nx = 1\n");
  assert.equal(removeSection("[a]\nx = 1\n[b]\ny = 2", "b"), "[a]\nx = 1");
  assert.equal(removeSection("[a]\nx = 1\n\n[b]\ny = 2\n[a]\nz = 3\n", "a"), "[b]\ny = 2\n");
});

Deno.test("removeSection undoes a section setKey appended, byte for byte", () => {
  const texts = [
    "",
    "[a]\nx = 1\n",
    "[a]\nx = 1",
    "[a]\r\nx = 1\r\n",
    "# comment\n[a]\nx = 1\n\n[b]\ny = 2\n",
  ];
  for (const text of texts) {
    const added = setKey(setKey(text, "a.stc-rotation", "k", "v"), "a.stc-rotation", "j", "w");
    assert.notEqual(added, text);
    assert.equal(removeSection(added, "a.stc-rotation"), text, JSON.stringify(text));
  }
  // Blank lines before a section that is not the last belong to what comes before them.
  assert.equal(removeSection("[a]\nx = 1\n\n[b]\ny = 2\n\n[c]\n", "b"), "[a]\nx = 1\n\n[c]\n");
});

Deno.test("random edits compose: a sequence of setKey/removeKey matches a model", () => {
  for (let seed = 1; seed <= 100; seed++) {
    const r = makeRng(seed * 977);
    let text = genIni(r, "credentials");
    const model = parse("credentials", text);
    for (let step = int(r, 1, 10); step > 0; step--) {
      const name = pick(r, ["default", "dev", "x"]);
      const key = pick(r, ["aws_access_key_id", "aws_secret_access_key", "region"]);
      if (r() < 0.7) {
        const value = pick(r, VALUES);
        text = setKey(text, name, key, value);
        (model.profiles[name] ??= {})[key] = value;
      } else {
        text = removeKey(text, name, key);
        delete model.profiles[name]?.[key];
      }
    }
    assert.deepEqual(parse("credentials", text), model, `seed ${seed}\n${text}`);
  }
});
