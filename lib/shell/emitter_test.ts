import assert from "node:assert/strict";
import {
  isValidVariableName,
  quoteShell,
  quoteWord,
  renderShell,
  type ShellAction,
} from "./emitter.ts";
import { parseShellName, type ShellName } from "./shell_name.ts";

const SHELLS: readonly ShellName[] = ["bash", "zsh", "fish", "sh"];

Deno.test("quoteShell: single quotes per shell", () => {
  assert.equal(quoteShell("bash", ""), "''");
  assert.equal(quoteShell("sh", "a b"), "'a b'");
  assert.equal(quoteShell("bash", "it's"), `'it'\\''s'`);
  assert.equal(quoteShell("sh", "$(x) `y` \\z"), "'$(x) `y` \\z'");
  assert.equal(quoteShell("zsh", "it's"), `'it'\\''s'`);
  assert.equal(quoteShell("zsh", "a\nb"), `'a'$'\\n''b'`);
  assert.equal(quoteShell("bash", "a\nb\r\t"), `'a'$'\\n''b\r\t'`);
  assert.equal(quoteShell("sh", "a\nb"), "'a\nb'");
  assert.equal(quoteShell("fish", "it's"), `'it\\'s'`);
  assert.equal(quoteShell("fish", "a\\b\\'"), `'a\\\\b\\\\\\''`);
  assert.equal(quoteShell("fish", "$x (y) a\nb"), "'$x (y) a\nb'");
});

Deno.test("quoteShell: a value made only of quotes never puts '' inside a quoted string", () => {
  // zsh RC_QUOTES reads '' inside single quotes as a quote.
  const quoted = quoteShell("zsh", "''");
  assert.equal(quoted, `''\\'''\\'''`);
});

Deno.test("quoteWord: plain words as they are, anything a shell could expand quoted for that shell", () => {
  const ID = "AKIAIOSFODNN7EXAMPLE,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  for (const shell of SHELLS) {
    for (const plain of ["awsops", "my-org.roles", ID, "a:b@c+d", "-p", "x_1"]) {
      assert.equal(quoteWord(shell, plain), plain, `${shell}: ${plain}`);
    }
    // fish %self, zsh =cmd (and a==cmd with MAGIC_EQUAL_SUBST), tildes, globs, history, the empty word.
    for (
      const special of ["%self", "a%b", "=deno", "a==ls", "~", "a:~", "*", "!!", "^x", "#", ""]
    ) {
      assert.equal(quoteWord(shell, special), quoteShell(shell, special), `${shell}: ${special}`);
    }
  }
  assert.equal(quoteWord("fish", "x\\';touch PWNED;#"), `'x\\\\\\';touch PWNED;#'`);
  assert.equal(quoteWord("sh", "x\\';touch PWNED;#"), `'x\\'\\'';touch PWNED;#'`);
  assert.throws(() => quoteWord("bash", "a\0b"), /NUL/);
});

Deno.test("renderShell: export per shell", () => {
  const actions: ShellAction[] = [{ kind: "export", name: "AWS_PROFILE", value: "dev's" }];
  assert.equal(
    renderShell("bash", actions),
    `unset -n AWS_PROFILE; unset -v AWS_PROFILE; export AWS_PROFILE='dev'\\''s';\n`,
  );
  assert.equal(
    renderShell("zsh", actions),
    `unset -v AWS_PROFILE; export AWS_PROFILE='dev'\\''s';\n`,
  );
  assert.equal(
    renderShell("sh", actions),
    `unset -v AWS_PROFILE; export AWS_PROFILE='dev'\\''s';\n`,
  );
  assert.equal(renderShell("fish", actions), `set -gx AWS_PROFILE 'dev\\'s';\n`);
});

Deno.test("renderShell: set (unexported) per shell", () => {
  const actions: ShellAction[] = [{ kind: "set", name: "X", value: "v" }];
  assert.equal(renderShell("bash", actions), `unset -n X; unset -v X; X='v'; export -n X;\n`);
  assert.equal(
    renderShell("zsh", actions),
    `unset -v X; typeset -g X='v'; typeset -g +x X;\n`,
  );
  assert.equal(
    renderShell("sh", actions),
    `case $- in *a*) set +a; unset -v X; X='v'; set -a;; *) unset -v X; X='v';; esac;\n`,
  );
  assert.equal(renderShell("fish", actions), `set -gu X 'v';\n`);
});

Deno.test("renderShell: unset and print per shell", () => {
  const actions: ShellAction[] = [
    { kind: "unset", name: "AWS_SESSION_TOKEN" },
    { kind: "print", text: "50% done\n" },
    { kind: "print", text: "warn", stream: "stderr" },
  ];
  assert.equal(
    renderShell("sh", actions),
    "unset -v AWS_SESSION_TOKEN;\nprintf '%s' '50% done\n';\nprintf '%s' 'warn' >&2;\n",
  );
  assert.equal(
    renderShell("bash", actions),
    "unset -n AWS_SESSION_TOKEN; unset -v AWS_SESSION_TOKEN;\n" +
      "printf '%s' '50% done'$'\\n''';\nprintf '%s' 'warn' >&2;\n",
  );
  assert.equal(
    renderShell("zsh", actions),
    "unset -v AWS_SESSION_TOKEN;\nprintf '%s' '50% done'$'\\n''';\nprintf '%s' 'warn' >&2;\n",
  );
  assert.equal(
    renderShell("fish", actions),
    "if set -q -g AWS_SESSION_TOKEN; set -e -g AWS_SESSION_TOKEN; end;\n" +
      "printf '%s' '50% done\n';\nprintf '%s' 'warn' >&2;\n",
  );
});

Deno.test("renderShell: every action is one line ending in ';\\n', outputs concatenate", () => {
  const actions: ShellAction[] = [
    { kind: "export", name: "A", value: "1" },
    { kind: "set", name: "B", value: "2" },
    { kind: "unset", name: "C" },
    { kind: "print", text: "x" },
  ];
  for (const shell of SHELLS) {
    assert.equal(renderShell(shell, []), "");
    const whole = renderShell(shell, actions);
    assert.equal(whole, actions.map((a) => renderShell(shell, [a])).join(""));
    const lines = whole.split("\n");
    assert.equal(lines.pop(), "");
    assert.equal(lines.length, actions.length);
    for (const line of lines) assert.ok(line.endsWith(";"), `${shell}: ${line}`);
  }
});

Deno.test("isValidVariableName", () => {
  for (const ok of ["A", "_", "_a1", "AWS_ACCESS_KEY_ID", "x9"]) {
    assert.equal(isValidVariableName(ok), true, ok);
  }
  for (const bad of ["", "1A", "A-B", "A B", "A=B", "$A", "é", "A\n", "A;B", "A.B"]) {
    assert.equal(isValidVariableName(bad), false, JSON.stringify(bad));
  }
});

Deno.test("parseShellName", () => {
  assert.equal(parseShellName("bash"), "bash");
  assert.equal(parseShellName("zsh"), "zsh");
  assert.equal(parseShellName("fish"), "fish");
  assert.equal(parseShellName("sh"), "sh");
  assert.equal(parseShellName("/usr/bin/zsh"), "zsh");
  assert.equal(parseShellName("-zsh"), "zsh");
  assert.equal(parseShellName("-bash\n"), "bash");
  assert.equal(parseShellName("/usr/local/bin/fish"), "fish");
  assert.equal(parseShellName("/bin/dash"), "sh");
  for (const bad of ["", "tcsh", "csh", "pwsh", "bash5", "/bin/", "toString", "__proto__"]) {
    assert.equal(parseShellName(bad), undefined, bad);
  }
});

Deno.test("invalid names throw and name the variable", () => {
  for (const shell of SHELLS) {
    for (const name of ["1X", "A B", "X;rm", ""]) {
      const actions: ShellAction[][] = [
        [{ kind: "export", name, value: "v" }],
        [{ kind: "set", name, value: "v" }],
        [{ kind: "unset", name }],
      ];
      for (const a of actions) {
        assert.throws(() => renderShell(shell, a), (e: Error) => {
          assert.match(e.message, /invalid shell variable name/);
          assert.ok(e.message.includes(JSON.stringify(name)), e.message);
          return true;
        });
      }
    }
  }
});

Deno.test("unknown shell, kind or stream throw", () => {
  assert.throws(() => renderShell("tcsh" as ShellName, []), /unsupported shell/);
  assert.throws(() => quoteShell("csh" as ShellName, "x"), /unsupported shell/);
  assert.throws(
    () => renderShell("sh", [{ kind: "eval", code: "x" } as unknown as ShellAction]),
    /unknown shell action kind/,
  );
  assert.throws(
    () =>
      renderShell("sh", [{ kind: "print", text: "x", stream: "tty" } as unknown as ShellAction]),
    /unknown output stream/,
  );
});

Deno.test("NUL and lone surrogates are rejected without showing the value", () => {
  const secret = "SECRETabc123";
  const bad = [`${secret}\0`, `${secret}\uD800`, `\uDC00${secret}`, `${secret}\uDBFF`];
  for (const shell of SHELLS) {
    for (const value of bad) {
      const cases: Array<() => unknown> = [
        () => renderShell(shell, [{ kind: "export", name: "AWS_SECRET_ACCESS_KEY", value }]),
        () => renderShell(shell, [{ kind: "set", name: "AWS_SECRET_ACCESS_KEY", value }]),
        () => renderShell(shell, [{ kind: "print", text: value }]),
        () => quoteShell(shell, value),
      ];
      for (const run of cases) {
        assert.throws(run, (e: Error) => {
          assert.ok(!e.message.includes(secret), e.message);
          assert.match(e.message, /NUL|surrogate/);
          return true;
        });
      }
      assert.throws(
        () => renderShell(shell, [{ kind: "export", name: "AWS_SECRET_ACCESS_KEY", value }]),
        /AWS_SECRET_ACCESS_KEY/,
      );
    }
  }
});

Deno.test("one bad action yields no output at all", () => {
  assert.throws(() =>
    renderShell("bash", [
      { kind: "export", name: "OK", value: "fine" },
      { kind: "export", name: "BAD", value: "\0" },
    ])
  );
});

Deno.test("valid astral, combining and RTL characters pass through unchanged", () => {
  const value = "😀e\u0301\u202Eabc\uFEFF\u{10FFFF}";
  for (const shell of SHELLS) {
    assert.equal(quoteShell(shell, value), `'${value}'`);
  }
});

Deno.test("nu: actions are data, one JSON object a line, in order; concatenated outputs still parse", () => {
  const actions: ShellAction[] = [
    { kind: "export", name: "AWS_PROFILE", value: "it's\n$(x)" },
    { kind: "set", name: "STC_BASE_SESSION", value: "{}" },
    { kind: "unset", name: "AWS_SESSION_TOKEN" },
    { kind: "print", text: "done\n", stream: "stderr" },
    { kind: "print", text: "x" },
  ];
  const whole = renderShell("nu", actions);
  assert.equal(whole, actions.map((a) => renderShell("nu", [a])).join(""));
  const lines = whole.split("\n");
  assert.equal(lines.pop(), "");
  assert.deepEqual(lines.map((line) => JSON.parse(line)), [
    { kind: "export", name: "AWS_PROFILE", value: "it's\n$(x)" },
    { kind: "set", name: "STC_BASE_SESSION", value: "{}" },
    { kind: "unset", name: "AWS_SESSION_TOKEN" },
    { kind: "print", stream: "stderr", text: "done\n" },
    { kind: "print", stream: "stdout", text: "x" },
  ]);
  assert.throws(() => renderShell("nu", [{ kind: "export", name: "A B", value: "" }]), /A B/);
  assert.throws(
    () => renderShell("nu", [{ kind: "export", name: "K", value: "SECRET\0" }]),
    (e: Error) => !e.message.includes("SECRET") && /NUL/.test(e.message),
  );
  assert.throws(
    () => quoteShell("nu", "SECRET\uD800"),
    (e: Error) => !e.message.includes("SECRET"),
  );
});

Deno.test("nu: single quotes, else a raw string with more # than any run after a quote", () => {
  assert.equal(quoteShell("nu", `a"$(b)\`c\\n`), `'a"$(b)\`c\\n'`);
  assert.equal(quoteShell("nu", "it's"), `r#'it's'#`);
  assert.equal(quoteShell("nu", "a'#b'"), `r##'a'#b''##`);
  assert.equal(quoteShell("nu", "'##'#"), `r###''##'#'###`);
  // A value starting with # after the opening quote needs more # than it has.
  assert.equal(quoteShell("nu", "#9'"), `r##'#9''##`);
  assert.equal(quoteWord("nu", "awsops"), "awsops");
  assert.equal(quoteWord("nu", "-p"), "-p");
  assert.equal(quoteWord("nu", "--profile"), "--profile");
  for (
    const word of [
      "1e3",
      "5min",
      "1..2",
      "true",
      "null",
      "NaN",
      "Infinity",
      "-inf",
      "a:b",
      "$x",
      "a b",
      "-1",
    ]
  ) {
    assert.equal(quoteWord("nu", word), `'${word}'`, word);
  }
  assert.equal(parseShellName("nu"), "nu");
  assert.equal(parseShellName("/usr/bin/nu"), "nu");
  assert.equal(parseShellName("nushell"), "nu");
});
