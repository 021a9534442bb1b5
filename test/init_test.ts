/**
 * `stc init`: the code it prints, sourced in real bash, zsh and fish. The mapping of the seed commands is checked
 * against a recording stand-in for the binary (fast, no AWS); test/tmux_test.ts runs the real thing.
 */

import assert from "node:assert/strict";
import { testWith } from "./tools.ts";
import { renderShell, type ShellAction } from "../lib/shell/emitter.ts";
import {
  INIT_SHELLS,
  initAssets,
  type InitShell,
  readAsset,
  renderInit,
} from "../lib/shell/init_script.ts";
import { INSTALL_MARKER } from "../lib/shell/init_install.ts";
import { SEED_COMMANDS, seedUsage } from "../lib/commands/seed.ts";
import { loadAllSpecs } from "../lib/cli/registry.ts";
import { makeHome, runStc, stcCommandLine, type TempHome } from "./helpers.ts";

const decoder = new TextDecoder();

/** The shells whose init code is evaluated shell code (nushell's is tested on its own below). */
type EvalShell = Exclude<InitShell, "nu">;
const EVAL_SHELLS = INIT_SHELLS.filter((s): s is EvalShell => s !== "nu");

/** Public functions the init code defines; everything else must start with _stc_. */
const PUBLIC_FUNCTIONS = [
  "assume-role",
  "assume_role",
  "aws-assume-role",
  "get_console_url",
  "get_session",
  "rotate_credentials",
  "session_tool_prompt",
  "stc",
  "stc_prompt",
];

interface ShellRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `script` in a non-interactive shell with a clean environment; stdin is /dev/null. */
async function runShell(
  shell: InitShell,
  script: string,
  env: Record<string, string>,
): Promise<ShellRun> {
  const args = shell === "nu"
    ? ["--no-config-file", "-c", script]
    : shell === "fish"
    ? ["--no-config", "-c", script]
    : shell === "zsh"
    ? ["-f", "-c", script]
    : ["--norc", "--noprofile", "-c", script];
  const out = await new Deno.Command(shell, {
    args,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

async function initFor(shell: InitShell, self: readonly string[]): Promise<string> {
  return renderInit(shell, self, await Promise.all(initAssets(shell).map((n) => readAsset(n))));
}

/** Writes the init code to a file in HOME and returns the statement that loads it. */
async function loadStatement(home: TempHome, shell: InitShell, code: string): Promise<string> {
  const path = await home.write(`init.${shell}`, code);
  return shell === "fish" || shell === "nu" ? `source '${path}'` : `eval "$(cat '${path}')"`;
}

await testWith(
  EVAL_SHELLS,
  "stc init prints code that parses in each shell; unknown shells are usage errors",
  async () => {
    await using home = await makeHome();
    for (const shell of EVAL_SHELLS) {
      const result = await runStc(["init", shell], { env: home.env });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, "");
      assert.ok(result.stdout.includes(stcCommandLine().at(-1)!), "it runs this stc");
      const path = await home.write(`init.${shell}`, result.stdout);
      const check = await new Deno.Command(shell, {
        args: shell === "fish" ? ["--no-execute", path] : ["-n", path],
      }).output();
      assert.equal(check.code, 0, `${shell}: ${decoder.decode(check.stderr)}`);
    }
    const bad = await runStc(["init", "tcsh"], { env: home.env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /stc: error: unsupported shell 'tcsh'/);
  },
);

await testWith(
  EVAL_SHELLS,
  "sourcing under set -eu defines exactly the functions and leaves no variables behind",
  async () => {
    await using home = await makeHome();
    const self = stcCommandLine();
    const scripts: Record<EvalShell, (load: string) => string> = {
      bash: (load) =>
        `set -eu; before=$(compgen -v | sort); ${load}
       comm -13 <(printf '%s\\n' "$before") <(compgen -v | sort) | grep -vx before || :
       echo ---; compgen -A function | sort; echo "--- survived"`,
      zsh: (load) =>
        `set -eu; typeset -a before; before=(\${(k)parameters}); ${load}
       print -l -- \${(k)parameters:|before} | grep -vx before || :
       echo ---; print -l -- \${(k)functions} | sort; echo "--- survived"`,
      fish: (load) =>
        `set -l before (set -n); set -l fb (functions -n); ${load}
       for v in (set -n); contains -- $v $before; or echo $v; end | string match -v -r '^(before|fb)$'
       echo ---; for f in (functions -n); contains -- $f $fb; or echo $f; end; echo "--- survived"`,
    };
    for (const shell of EVAL_SHELLS) {
      const load = await loadStatement(home, shell, await initFor(shell, self));
      const result = await runShell(shell, scripts[shell](load), home.env);
      assert.equal(result.code, 0, `${shell}: ${result.stderr}`);
      assert.equal(result.stderr, "", shell);
      const [variables, functions] = result.stdout.split("---\n");
      const allowed = shell === "zsh" ? ["precmd_functions"] : [];
      const fishSpecial = ["status", "pipestatus", "_", "history", "PWD", "CMD_DURATION"];
      assert.deepEqual(
        variables.split("\n").filter((v) => v && !allowed.includes(v) && !fishSpecial.includes(v)),
        [],
        `${shell} leaves no variables`,
      );
      const defined = functions.split("\n").filter((f) => f && !f.startsWith("---")).sort();
      const publicOnes = defined.filter((f) => !f.startsWith("_stc_"));
      assert.deepEqual(publicOnes, [...PUBLIC_FUNCTIONS].sort(), shell);
      assert.match(result.stdout, /--- survived/);
    }
  },
);

await testWith(
  ["bash"],
  "bash in POSIX mode: sourcing works, the dashed names are left out",
  async () => {
    await using home = await makeHome();
    const load = await loadStatement(home, "bash", await initFor("bash", stcCommandLine()));
    const result = await runShell(
      "bash",
      `set -o posix; set -eu; ${load}; type -t get_session stc_prompt; type -t assume-role || echo none`,
      home.env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "function\nfunction\nnone\n");
  },
);

await testWith(
  ["zsh"],
  "zsh: completion registers with compinit loaded, and waits for it when it is not",
  async () => {
    await using home = await makeHome();
    const load = await loadStatement(home, "zsh", await initFor("zsh", stcCommandLine()));
    const compinit = `autoload -Uz compinit; compinit -u -D -d '${home.home}/zcompdump'`;
    const after = await runShell(
      "zsh",
      `set -eu; ${compinit}; ${load}; print -r -- $_comps[stc] $_comps[get_session] $_comps[assume-role] \${precmd_functions-none}`,
      home.env,
    );
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stdout, "_stc_complete_zsh _stc_complete_zsh _stc_complete_zsh none\n");
    const before = await runShell(
      "zsh",
      `set -eu; ${load}; print -r -- $precmd_functions; ${compinit}
     for f in $precmd_functions; do $f; done
     print -r -- $_comps[stc] "[$precmd_functions]" \${+functions[_stc_compdef]}`,
      home.env,
    );
    assert.equal(before.code, 0, before.stderr);
    assert.equal(before.stdout, "_stc_compdef\n_stc_complete_zsh [] 0\n");
  },
);

/**
 * A stand-in for the binary: records its arguments, STC_* variables and stdin; prints the shell code in $FAKE_OUT
 * after the function's mark line, as stc does, or the data in $FAKE_DATA as it is.
 */
const FAKE = `#!/bin/bash
{
  printf '%s' "$*"
  printf ' |eval=%s' "\${STC_EVAL_SHELL-}"
  [ -z "\${STC_BASE_SESSION-}" ] || printf ' |base=%s' "$STC_BASE_SESSION"
  [ -z "\${STC_SECRET_ON_COMMAND_LINE-}" ] || printf ' |typed=%s' "$STC_SECRET_ON_COMMAND_LINE"
  input=$(cat)
  [ -z "$input" ] || printf ' |stdin=%s' "$input"
  printf '\\n'
} >> "$FAKE_LOG"
[ -z "\${FAKE_OUT-}" ] || { printf '%s\\n' "$STC_EVAL_MARK"; cat "$FAKE_OUT"; }
[ -z "\${FAKE_DATA-}" ] || cat "$FAKE_DATA"
exit "\${FAKE_RC:-0}"
`;

async function withFake(
  home: TempHome,
  shell: InitShell,
): Promise<{ load: string; env: Record<string, string>; log: () => Promise<string[]> }> {
  const fake = await home.write("bin/fake stc", FAKE, 0o755);
  const load = await loadStatement(home, shell, await initFor(shell, [fake]));
  const logPath = `${home.home}/fake.log`;
  await Deno.writeTextFile(logPath, "");
  return {
    load,
    env: { ...home.env, FAKE_LOG: logPath },
    log: async () => {
      const lines = (await Deno.readTextFile(logPath)).split("\n").filter(Boolean);
      await Deno.writeTextFile(logPath, "");
      return lines;
    },
  };
}

/** Seed command calls and the stc command lines they run (with `|stdin=` what stc read). */
function seedCases(csv: string): [string, string[]][] {
  return [
    ["get_session", ["session"]],
    ["get_session -p work -s 123456", ["session -s -p work 123456"]],
    ["get_session -r -p work", ["session -r -p work"]],
    ["get_session -c", ["session -c"]],
    ["get_session -l", ["session -l"]],
    ["get_session -v", ["session -v"]],
    ["get_session -d", ["roles --download"]],
    ["get_session -u -p x", ["roles --upload -p x"]],
    ["get_session -d 123456", ["roles --download", "session 123456"]],
    [`get_session -i '${csv}' -b bkt -d -p work`, [`import -p work -b bkt -d -- ${csv}`]],
    ["get_session -i AKIAX,sec/ret -b bkt", ["import -b bkt - |typed=1 |stdin=AKIAX,sec/ret"]],
    ["get_session -e -p work", ["export -p work"]],
    ["get_session -h", ["init --usage get_session"]],
    ["assume_role dev-admin", ["assume dev-admin"]],
    ["assume_role -l", ["roles --names"]],
    ["assume_role -h", ["init --usage assume_role"]],
    ["get_console_url -o -u https://x.test/ dev", ["console -o -u https://x.test/ dev"]],
    ["get_console_url -d", ["console -d"]],
    ["get_console_url -l", ["roles --names"]],
    ["get_console_url -h", ["init --usage get_console_url"]],
    ["rotate_credentials -p x -y -t", ["rotate -p x -y -t"]],
    ["rotate_credentials -n", ["rotate -n"]],
    ["rotate_credentials -h", ["init --usage rotate_credentials"]],
    ["aws-assume-role work dev 123456", ["session -p work 123456", "assume dev", "console dev"]],
    ["aws-assume-role work dev", ["session -p work", "assume dev", "console dev"]],
    ["aws-assume-role -h", ["init --usage aws-assume-role"]],
    ["assume-role prod Admin 123456", ["assume prod Admin 123456"]],
    ["assume-role", ["assume"]],
    ["assume-role -h", ["init --usage assume-role"]],
    ["stc 'two words' \"\" x '*'", ["two words  x *"]],
  ];
}

/** What the fake logs for `lines` run by the functions of `shell`. */
function logged(shell: InitShell, lines: string[]): string[] {
  return lines.map((line) => line.replace(/( \|(?:typed|stdin)=|$)/, ` |eval=${shell}$1`));
}

await testWith(
  INIT_SHELLS,
  "the seed commands run the mapped stc commands, in every shell",
  async () => {
    await using home = await makeHome();
    const cases = seedCases(
      await home.write("key.csv", "Access key ID,Secret access key\nAKIAX,s\n"),
    );
    for (const shell of INIT_SHELLS) {
      const fake = await withFake(home, shell);
      for (const [call, expected] of cases) {
        const result = await runShell(shell, `${fake.load}; ${call}`, fake.env);
        assert.equal(result.code, 0, `${shell}: ${call}: ${result.stderr}`);
        assert.deepEqual(await fake.log(), logged(shell, expected), `${shell}: ${call}`);
      }
      for (
        const call of ["get_session -x", "get_session -p", "get_session -d -u", "aws-assume-role x"]
      ) {
        const result = await runShell(shell, `${fake.load}; ${call}`, fake.env);
        assert.equal(result.code, 2, `${shell}: ${call}`);
        assert.match(result.stderr, /^stc: error: .*\n/, `${shell}: ${call}`);
        assert.deepEqual(await fake.log(), [], `${shell}: ${call} runs nothing`);
      }
    }
  },
);

await testWith(
  INIT_SHELLS,
  "each seed option runs the stc command its -h says it runs, in every shell",
  async () => {
    await using home = await makeHome();
    const csv = await home.write("key.csv", "Access key ID,Secret access key\nAKIAX,s\n");
    // -b only counts with -i (the usage says so); the values stand in for the placeholders of `runs`.
    const needs: Record<string, string> = { "get_session -b": `-i '${csv}'` };
    const values: Record<string, string> = { FILE: csv, URL: "https://x.test/" };
    const checks = SEED_COMMANDS.flatMap((seed) =>
      seed.options.filter((o) => o.runs).map((option) => {
        const [stc, command, ...rest] = option.runs!.split(" ");
        assert.equal(stc, "stc", option.runs);
        const value = option.type === "string" ? values[option.valueName!] ?? "v1" : undefined;
        const flag = `-${option.short}`;
        const call = [seed.name, needs[`${seed.name} ${flag}`], flag, value].filter(Boolean)
          .join(" ");
        return { call, command, rest, value };
      })
    );
    assert.ok(checks.length >= 15, "every option with a command is checked");
    for (const shell of INIT_SHELLS) {
      const fake = await withFake(home, shell);
      for (const { call, command, rest, value } of checks) {
        const result = await runShell(shell, `${fake.load}; ${call}`, fake.env);
        assert.equal(result.code, 0, `${shell}: ${call}: ${result.stderr}`);
        const lines = await fake.log();
        assert.equal(lines.length, 1, `${shell}: ${call}: ${lines}`);
        const words = lines[0].split(" |")[0].split(" ");
        assert.equal(words[0], command, `${shell}: ${call} runs stc ${command}`);
        for (const word of rest) {
          if (word.startsWith("--")) {
            // The function may pass stc's short form of the long option.
            const spec = (await loadAllSpecs()).find((c) => c.name === command)!.options
              .find((o) => `--${o.name}` === word);
            assert.ok(spec, `stc ${command} has ${word}`);
            const forms = [word, ...(spec.short ? [`-${spec.short}`] : [])];
            assert.ok(words.some((w) => forms.includes(w)), `${shell}: ${call} passes ${word}`);
            if (spec.type === "string") assert.ok(words.includes(value!), `${shell}: ${call}`);
          } else {
            assert.ok(words.includes(value!), `${shell}: ${call} passes ${word}`);
          }
        }
      }
    }
  },
);

await testWith(
  EVAL_SHELLS,
  "-h of a seed function prints its usage from the real stc, and runs nothing else",
  async () => {
    await using home = await makeHome();
    const seed = SEED_COMMANDS.find((s) => s.name === "get_session")!;
    for (const shell of EVAL_SHELLS) {
      const load = await loadStatement(home, shell, await initFor(shell, stcCommandLine()));
      const env = { ...home.env, AWS_PROFILE: "nobody" };
      const status = shell === "fish" ? "$status" : "$?";
      const result = await runShell(
        shell,
        `${load}; get_session -h -s 123456; echo "rc=${status} profile=$AWS_PROFILE"`,
        env,
      );
      assert.equal(result.stderr, seedUsage(seed), shell);
      assert.equal(result.stdout, "rc=0 profile=nobody\n", shell);
    }
    // Nothing was stored, imported or downloaded (fish keeps its own files in HOME; stc's are in ~/.aws).
    await assert.rejects(Deno.stat(home.aws), Deno.errors.NotFound);
  },
);

await testWith(
  EVAL_SHELLS,
  "loaded twice under hostile options, everything still works and nothing is set twice",
  async () => {
    await using home = await makeHome();
    const cases = seedCases(
      await home.write("key.csv", "Access key ID,Secret access key\nAKIAX,s\n"),
    );
    // zsh options that change how code parses and runs; the user's hook must survive the completion hook.
    const zshOptions = [
      "NO_UNSET ERR_EXIT",
      "KSH_ARRAYS SH_WORD_SPLIT NO_GLOB",
      "KSH_ARRAYS NO_UNSET ERR_EXIT PIPE_FAIL",
      "SH_WORD_SPLIT GLOB_SUBST RC_EXPAND_PARAM NO_MULTI_FUNC_DEF",
    ];
    const setups: [EvalShell, string][] = [
      ["bash", "set -euo pipefail; shopt -s nullglob failglob"],
      ["bash", "set -o posix"],
      ...zshOptions.map((o): [EvalShell, string] => ["zsh", `setopt ${o}`]),
      ["fish", ""],
    ];
    for (const [shell, prelude] of setups) {
      const fake = await withFake(home, shell);
      const posix = prelude.includes("posix");
      const run = cases.filter(([call]) => !(posix && /^(aws-)?assume-role/.test(call)));
      const separator = `printf '==\\n' >> "$FAKE_LOG"`;
      const hooks = shell === "zsh"
        ? `function _user_hook { :; }; precmd_functions=(_user_hook)`
        : "";
      const after = shell === "zsh"
        ? `print -r -- "hooks=\${(j:,:)precmd_functions[@]}"
         autoload -Uz compinit; compinit -u -D -d "$HOME/zcompdump"
         for f in "\${precmd_functions[@]}"; do "$f"; done
         print -r -- "hooks=\${(j:,:)precmd_functions[@]} \${_comps[assume-role]}"`
        : shell === "bash"
        ? `complete -p stc`
        : `complete -c stc | count`;
      const script = [
        prelude,
        hooks,
        fake.load,
        fake.load,
        ...run.flatMap(([call]) => [call, separator]),
        after,
        `echo "--- survived"`,
      ].filter(Boolean).join("\n");
      const result = await runShell(shell, script, fake.env);
      const what = `${shell} (${prelude})`;
      assert.equal(result.code, 0, `${what}: ${result.stderr}`);
      assert.equal(result.stderr, "", what);
      const blocks = (await fake.log()).join("\n").split(/^==$/m).map((b) =>
        b.split("\n").filter(Boolean)
      );
      for (const [i, [call, expected]] of run.entries()) {
        assert.deepEqual(blocks[i], logged(shell, expected), `${what}: ${call}`);
      }
      const expectedAfter = {
        bash: "complete -F _stc_complete_bash stc\n",
        zsh: "hooks=_user_hook,_stc_compdef\nhooks=_user_hook _stc_complete_zsh\n",
        fish: "1\n",
      }[shell];
      assert.equal(result.stdout, `${expectedAfter}--- survived\n`, what);
    }
  },
);

await testWith(
  EVAL_SHELLS,
  "the stc function applies the output only on success and keeps the base session from children",
  async () => {
    await using home = await makeHome();
    for (const shell of EVAL_SHELLS) {
      const fake = await withFake(home, shell);
      const actions: ShellAction[] = [
        { kind: "export", name: "AWS_PROFILE", value: "work" },
        { kind: "set", name: "STC_BASE_SESSION", value: `{"k":"it's $secret"}` },
        { kind: "print", text: "done\n" },
      ];
      const out = await home.write(`out.${shell}`, renderShell(shell, actions));
      const failing = await home.write(
        `fail.${shell}`,
        renderShell(shell, [
          { kind: "export", name: "AWS_PROFILE", value: "other" },
        ]),
      );
      const script = shell === "fish"
        ? `${fake.load}; set -gx FAKE_OUT '${out}'; stc session; echo rc=$status
         set -gx FAKE_OUT '${failing}'; set -gx FAKE_RC 4; stc session; echo rc=$status
         set -e FAKE_OUT; set -e FAKE_RC; stc status
         echo profile=$AWS_PROFILE; env | grep -c STC_BASE_SESSION; or true`
        : `${fake.load}; export FAKE_OUT='${out}'; stc session; echo rc=$?
         export FAKE_OUT='${failing}' FAKE_RC=4; stc session; echo rc=$?
         unset FAKE_OUT FAKE_RC; stc status
         echo profile=$AWS_PROFILE; env | grep -c STC_BASE_SESSION || :`;
      const result = await runShell(shell, script, fake.env);
      assert.equal(result.code, 0, `${shell}: ${result.stderr}`);
      assert.equal(result.stdout, "done\nrc=0\nrc=4\nprofile=work\n0\n", shell);
      assert.deepEqual(await fake.log(), [
        `session |eval=${shell}`,
        `session |eval=${shell} |base={"k":"it's $secret"}`,
        `status |eval=${shell} |base={"k":"it's $secret"}`,
      ], shell);
    }
  },
);

await testWith(
  EVAL_SHELLS,
  "the stc function evaluates only stdout that starts with its mark; data passes through untouched",
  async () => {
    await using home = await makeHome();
    // Data that would run code if evaluated, that looks like shell code, that ends without or with extra newlines.
    const data = [
      "touch PWNED; echo evaluated\n",
      "stc-123456789\nexport AWS_PROFILE=evil\n",
      "no newline at the end",
      "two newlines\n\n",
      "$(touch PWNED) `touch PWNED` 'quote\n",
    ];
    for (const shell of EVAL_SHELLS) {
      const fake = await withFake(home, shell);
      const status = shell === "fish" ? "$status" : "$?";
      const set = (name: string, value: string) =>
        shell === "fish" ? `set -gx ${name} '${value}'` : `export ${name}='${value}'`;
      for (const [i, text] of data.entries()) {
        const path = await home.write(`data${i}`, text);
        const result = await runShell(
          shell,
          `cd '${home.home}'; ${fake.load}; ${set("FAKE_DATA", path)}; ${
            set("FAKE_RC", String(i % 2 * 3))
          }
         stc roles --names; echo "[rc=${status}]"`,
          fake.env,
        );
        assert.equal(result.stderr, "", shell);
        assert.equal(
          result.stdout,
          `${text}[rc=${i % 2 * 3}]\n`,
          `${shell}: ${JSON.stringify(text)}`,
        );
        await assert.rejects(Deno.stat(`${home.home}/PWNED`), Deno.errors.NotFound, shell);
        await fake.log();
      }
    }
  },
);

await testWith(
  EVAL_SHELLS,
  "through the stc function, --version, -V and stc's data are printed, never evaluated",
  async () => {
    await using home = await makeHome();
    await home.write(".aws/config", "[profile awsops]\nregion = eu-west-1\n");
    const version = (await runStc(["--version"], { env: home.env })).stdout;
    assert.match(version, /^stc \d+\.\d+\.\d+/);
    for (const shell of EVAL_SHELLS) {
      const load = await loadStatement(home, shell, await initFor(shell, stcCommandLine()));
      const status = shell === "fish" ? "$status" : "$?";
      const result = await runShell(
        shell,
        `${load}; stc --version; echo "rc=${status}"; stc -V; echo "rc=${status}"
       stc complete profiles; echo "rc=${status}"; stc session -c --shell sh; echo "rc=${status} p=$AWS_PROFILE"`,
        { ...home.env, AWS_PROFILE: "awsops" },
      );
      assert.equal(
        result.stdout,
        `${version}rc=0\n${version}rc=0\nawsops\nrc=0\nrc=0 p=\n`,
        `${shell}: ${result.stderr}`,
      );
      // The shell code of `session -c` was evaluated: stderr says so, and nothing else is there.
      assert.equal(result.stderr, "stc: cleared the AWS session variables\n", shell);
    }
  },
);

await testWith(
  EVAL_SHELLS,
  "stc_prompt shows profile and role, coloured by the time left",
  async () => {
    await using home = await makeHome();
    const now = Math.floor(Date.now() / 1000);
    const colours: [number, string][] = [[3600, "32"], [300, "33"], [-5, "31"]];
    for (const shell of EVAL_SHELLS) {
      const load = await loadStatement(home, shell, await initFor(shell, stcCommandLine()));
      const set = (name: string, value: string) =>
        shell === "fish" ? `set -gx ${name} '${value}'; ` : `export ${name}='${value}'; `;
      const empty = await runShell(shell, `${load}; stc_prompt; echo "[end]"`, home.env);
      assert.equal(empty.stdout, "[end]\n", `${shell}: no profile, no prompt`);
      for (const [left, sgr] of colours) {
        const script = `${load}; ${set("AWS_PROFILE", "awsops")}${
          set("AWS_ROLE_ALIAS", "dev-admin")
        }${set("AWS_EXPIRATION_S", String(now + left))}stc_prompt`;
        const env = { ...home.env, TERM: "xterm" };
        delete (env as Record<string, string>).NO_COLOR;
        const result = await runShell(shell, script, env);
        assert.equal(result.code, 0, result.stderr);
        // Strip the colour codes in each shell's own form: \001ESC[..m\002 (bash), %F{..}/%f (zsh), SGR (fish).
        const plain = stripColours(result.stdout);
        assert.equal(plain, "(awsops[dev-admin])", `${shell} ${left}`);
        const colour = { "32": "green", "33": "yellow", "31": "red" }[sgr]!;
        const expected = shell === "zsh"
          ? `%F{${colour}}`
          : shell === "bash"
          ? `\x01\x1b[${sgr}m\x02`
          : `\x1b[${sgr}m`;
        assert.ok(
          result.stdout.includes(expected),
          `${shell} ${left}s: ${JSON.stringify(result.stdout)}`,
        );
      }
      const plain = await runShell(
        shell,
        `${load}; ${set("AWS_PROFILE", "a%b")}${
          set("AWS_EXPIRATION_S", String(now + 3600))
        }stc_prompt`,
        home.env,
      );
      assert.equal(plain.stdout, shell === "zsh" ? "(a%%b)" : "(a%b)", `${shell} with NO_COLOR`);
    }
  },
);

const ESC = String.fromCharCode(27);
const COLOUR_CODES = new RegExp(
  `[\\u0001\\u0002]|${ESC}\\[[0-9;]*m|${ESC}\\(B|%F\\{\\w+\\}|%f`,
  "g",
);

function stripColours(text: string): string {
  return text.replace(COLOUR_CODES, "");
}

/** Profiles in both files (default too), roles from a roles file, a config role profile and the accounts file. */
async function writeProfiles(home: TempHome): Promise<void> {
  await home.write(
    ".aws/config",
    "[default]\nregion = eu-west-1\nsession_tool_default_profile = awsops\n\n[profile awsops]\nregion = eu-north-1\n\n" +
      "[profile cfgrole]\nrole_arn = arn:aws:iam::222222222222:role/ReadOnly\nsource_profile = awsops\n",
  );
  await home.write(
    ".aws/credentials",
    "[awsops]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n\n[credonly]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = y\n",
    0o600,
  );
  await home.write(
    ".aws/awsops_roles.cfg",
    "dev-admin arn:aws:iam::222222222222:role/Admin alice\nprod-ro arn:aws:iam::333333333333:role/ReadOnly alice\n",
  );
  await home.write(".aws/accounts", `{"sandbox": "444444444444"}\n`);
  await home.write("work/keys.csv", "x\n");
  await home.write("work/notes.txt", "x\n");
  await Deno.mkdir(`${home.home}/work/sub`);
}

await testWith(
  ["bash"],
  "bash completion: commands, options from the specs, profiles, roles, csv files, names with :",
  async () => {
    await using home = await makeHome();
    await writeProfiles(home);
    await home.write(
      ".aws/credentials",
      `${await home.read(".aws/credentials")}\n[a:b]\naws_access_key_id = AKIAEXAMPLE\n` +
        "aws_secret_access_key = x\n\n[a:c]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n",
      0o600,
    );
    await home.write(
      ".aws/accounts",
      `{"sandbox": "444444444444", "acct:dev": "555555555555", "acct:ops": "666666666666"}\n`,
    );
    const load = await loadStatement(home, "bash", await initFor("bash", stcCommandLine()));
    const cases: [string, string[]][] = [
      ["stc ses", ["session"]],
      ["stc --v", ["--version"]],
      ["stc session --pro", ["--profile"]],
      ["stc roles --d", ["--download"]],
      ["stc session -p ", ["a:b", "a:c", "awsops", "cfgrole", "credonly", "default"]],
      ["stc assume ", ["dev-admin", "prod-ro", "cfgrole", "sandbox", "acct:dev", "acct:ops"]],
      // readline replaces only the text after the last = or : (both in COMP_WORDBREAKS).
      ["stc assume --profile=a", ["a:b", "a:c", "awsops"]],
      ["stc session --profile=", ["a:b", "a:c", "awsops", "cfgrole", "credonly", "default"]],
      ["stc assume --profile=awsops d", ["dev-admin"]],
      ["stc session -p a:", ["b", "c"]],
      ["stc session -p a:b", ["b"]],
      ["stc assume acct:", ["dev", "ops"]],
      ["stc assume acct:o", ["ops"]],
      ["assume-role acct:d", ["dev"]],
      ["stc session --profile=a:", ["b", "c"]],
      ["stc console dev-admin ec", ["ec2", "ecr", "ecs"]],
      ["stc help ro", ["roles", "rotate"]],
      ["stc init f", ["fish"]],
      ["stc import ", ["keys.csv", "sub"]],
      ["get_session -i ", ["keys.csv", "sub"]],
      ["get_session -", ["-h", "-c", "-d", "-l", "-p", "-r", "-s", "-u", "-v", "-i", "-b", "-e"]],
      ["assume_role d", ["dev-admin"]],
      ["get_console_url -o p", ["prod-ro"]],
      ["aws-assume-role aw", ["awsops"]],
      ["assume-role s", ["sandbox"]],
      ["get_session 123", []],
    ];
    const calls = cases.map(([line]) => {
      const words = bashCompletionWords(line);
      const array = words.map((w) => `'${w}'`).join(" ");
      return `COMP_LINE='${line}'; COMP_POINT=${line.length}; COMP_WORDS=(${array}); ` +
        `COMP_CWORD=${
          words.length - 1
        }; _stc_complete_bash; printf '%s\\n' "\${COMPREPLY[@]}" | sort; echo ===`;
    }).join("\n");
    const result = await runShell("bash", `${load}\ncd '${home.home}/work'\n${calls}`, home.env);
    assert.equal(result.code, 0, result.stderr);
    const answers = result.stdout.split("===\n");
    for (const [i, [line, expected]] of cases.entries()) {
      assert.deepEqual(answers[i].split("\n").filter(Boolean), [...expected].sort(), line);
    }
  },
);

/**
 * The words bash gives a completion function for `line` (cursor at the end): split at blanks, then at the : and
 * = of COMP_WORDBREAKS, which become words of their own; a blank at the end starts an empty word.
 */
function bashCompletionWords(line: string): string[] {
  const words = line.split(/\s+/).flatMap((w) => w === "" ? [""] : w.match(/[:=]+|[^:=]+/g)!);
  return words[0] === "" ? words.slice(1) : words;
}

await testWith(["fish"], "fish completion: complete -C offers the same", async () => {
  await using home = await makeHome();
  await writeProfiles(home);
  const load = await loadStatement(home, "fish", await initFor("fish", stcCommandLine()));
  const cases: [string, string[]][] = [
    ["stc ses", ["session"]],
    ["stc session --pro", ["--profile"]],
    ["stc session -p ", ["awsops", "cfgrole", "credonly", "default"]],
    ["assume_role ", ["cfgrole", "dev-admin", "prod-ro", "sandbox"]],
    ["get_session -i ", ["keys.csv", "sub/"]],
    ["stc import k", ["keys.csv"]],
  ];
  const calls = cases.map(([line]) =>
    `complete -C '${line}' | string replace -r '\\t.*' ''; echo ===`
  )
    .join("\n");
  const result = await runShell("fish", `${load}\ncd '${home.home}/work'\n${calls}`, home.env);
  assert.equal(result.code, 0, result.stderr);
  const answers = result.stdout.split("===\n");
  for (const [i, [line, expected]] of cases.entries()) {
    assert.deepEqual(answers[i].split("\n").filter(Boolean).sort(), [...expected].sort(), line);
  }
});

await testWith(
  ["fish"],
  "fish completion compares the word as fish reads it: an escaped %self completes",
  async () => {
    await using home = await makeHome();
    await home.write(
      ".aws/config",
      "[profile %self]\nregion = x\n\n[profile %selfish]\nregion = x\n",
    );
    const load = await loadStatement(home, "fish", await initFor("fish", stcCommandLine()));
    const result = await runShell(
      "fish",
      `${load}\ncomplete -C 'stc session -p \\%selfi'; echo ===; complete -C 'stc session -p '`,
      home.env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "%selfish\n===\n%self\n%selfish\n");
  },
);

Deno.test("stc complete KIND lists names; words come from stdin", async () => {
  await using home = await makeHome();
  await writeProfiles(home);
  const profiles = await runStc(["complete", "profiles"], { env: home.env });
  assert.equal(profiles.stdout, "awsops\ncfgrole\ncredonly\ndefault\n");
  // The record of a rotation in progress (a section of the credentials file) is not offered as a profile.
  const credentials = (await home.read(".aws/credentials")) ?? "";
  await home.write(
    ".aws/credentials",
    `${credentials}\n[awsops.stc-rotation]\nstc_rotation_of = awsops\n`,
    0o600,
  );
  const during = await runStc(["complete", "profiles"], { env: home.env });
  assert.equal(during.stdout, "awsops\ncfgrole\ncredonly\ndefault\n");
  const roles = await runStc(["complete", "roles", "d"], { env: home.env });
  assert.equal(roles.stdout, "dev-admin\n");
  const words = await runStc(["complete", "words"], {
    env: home.env,
    stdin: "stc\nsession\n-p\naw\n",
  });
  assert.equal(words.stdout, "values\nawsops\n");
  const bad = await runStc(["complete", "nope"], { env: home.env });
  assert.equal(bad.code, 2);
});

await testWith(["zsh"], "stc init --install adds the line once and says what it did", async () => {
  await using home = await makeHome();
  const env = { ...home.env, ZDOTDIR: `${home.home}/zdot` };
  const first = await runStc(["init", "zsh", "--install"], { env });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, "");
  assert.match(
    first.stderr,
    /wrote the init code to .*\/\.cache\/stc\/init\.zsh; added the line that loads stc to .*\/zdot\/\.zshrc/,
  );
  const second = await runStc(["init", "zsh", "--install"], { env });
  assert.match(second.stderr, /already loads stc$/m);
  const text = await home.read("zdot/.zshrc");
  assert.equal(text?.split(INSTALL_MARKER).length, 2);
  // The installed line really loads stc.
  {
    const result = await runShell(
      "zsh",
      `source '${home.home}/zdot/.zshrc'; whence -w get_session`,
      env,
    );
    assert.equal(result.stdout, "get_session: function\n", result.stderr);
  }
  // zsh reads the compiled form (init.zsh.zwc) in place of the code: with the code replaced by an older text,
  // the functions are still defined, from the compiled form.
  const cache = `${home.home}/.cache/stc/init.zsh`;
  assert.ok((await Deno.stat(`${cache}.zwc`)).isFile);
  assert.deepEqual(
    [...Deno.readDirSync(`${home.home}/.cache/stc`)].map((e) => e.name).sort(),
    ["init.zsh", "init.zsh.zwc"],
  );
  await Deno.writeTextFile(cache, "echo not-compiled\n");
  await Deno.utime(cache, Date.now() / 1000 - 3600, Date.now() / 1000 - 3600);
  const compiled = await runShell("zsh", `source '${cache}'; whence -w get_session`, env);
  assert.equal(compiled.stdout, "get_session: function\n", compiled.stderr);
  // A new install removes the compiled form of the old code before it writes the new code: here it cannot
  // compile (no zsh on its PATH), and the new code is what zsh reads.
  const third = await runStc(["init", "zsh", "--install", "--auto-renew"], {
    env: { ...env, PATH: `${home.home}/no-such-dir` },
  });
  assert.equal(third.code, 0, third.stderr);
  assert.deepEqual([...Deno.readDirSync(`${home.home}/.cache/stc`)].map((e) => e.name), [
    "init.zsh",
  ]);
  const renewing = await runShell("zsh", `source '${cache}'; print -r -- $precmd_functions`, env);
  assert.match(renewing.stdout, /\b_stc_auto_renew\b/, renewing.stderr);
});

await testWith(
  EVAL_SHELLS,
  "stc init --install: new shells source the cached code, and write it again when stc is newer",
  async () => {
    await using home = await makeHome();
    const cache = ".cache/stc/init.SHELL";
    for (const shell of EVAL_SHELLS) {
      const env = { ...home.env, XDG_CONFIG_HOME: `${home.home}/.config` };
      const installed = await runStc(["init", shell, "--install"], { env });
      assert.equal(installed.code, 0, installed.stderr);
      const file = `${home.home}/${cache.replace("SHELL", shell)}`;
      const rc = shell === "fish" ? ".config/fish/config.fish" : `.${shell}rc`;
      const probe = shell === "fish"
        ? "functions -q get_session; and echo defined"
        : "declare -f get_session >/dev/null && echo defined";
      // Fresh: the cache is sourced as it is (a line added to it shows), no stc is run to make it.
      await Deno.writeTextFile(file, "\necho from-cache\n", { append: true });
      // Edited seconds after it was written: zsh reads the compiled form instead of code edited in the same
      // second (see the next test).
      const later = Date.now() / 1000 + 5;
      await Deno.utime(file, later, later);
      const fresh = await runShell(shell, `source '${home.home}/${rc}'; ${probe}`, env);
      assert.equal(fresh.stdout, "from-cache\ndefined\n", `${shell}: ${fresh.stderr}`);
      // Older than stc (replaced by a new version): written again before it is sourced.
      await Deno.utime(file, 0, 0);
      const stale = await runShell(shell, `source '${home.home}/${rc}'; ${probe}`, env);
      assert.equal(stale.stdout, "defined\n", `${shell}: ${stale.stderr}`);
      assert.ok((await Deno.stat(file)).mtime!.getTime() > 0);
      // Missing: written again too.
      await Deno.remove(file);
      const missing = await runShell(shell, `source '${home.home}/${rc}'; ${probe}`, env);
      assert.equal(missing.stdout, "defined\n", `${shell}: ${missing.stderr}`);
      assert.doesNotMatch(await Deno.readTextFile(file), /from-cache/);
    }
  },
);

await testWith(
  EVAL_SHELLS,
  "get_session -i KEYID,SECRET imports the key and warns that the secret was typed, in every shell",
  async () => {
    await using home = await makeHome();
    const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    for (const shell of EVAL_SHELLS) {
      const load = await loadStatement(home, shell, await initFor(shell, stcCommandLine()));
      const result = await runShell(
        shell,
        `${load}; get_session -p ${shell} -i AKIAIOSFODNN7EXAMPLE,${secret}`,
        home.env,
      );
      assert.equal(result.code, 0, `${shell}: ${result.stderr}`);
      assert.match(
        result.stderr,
        /stc: warning: a secret typed on a command line may stay in the shell history/,
        shell,
      );
      assert.ok(!result.stderr.includes(secret), shell);
      assert.match((await home.read(".aws/credentials"))!, new RegExp(`\\[${shell}\\]\\n`));
    }
    // Piped to stc import -, the secret was never typed: no warning.
    const piped = await runStc(["import", "-p", "piped", "-"], {
      env: home.env,
      stdin: `AKIAIOSFODNN7EXAMPLE,${secret}\n`,
    });
    assert.equal(piped.code, 0, piped.stderr);
    assert.doesNotMatch(piped.stderr, /warning/);
  },
);

await testWith(
  EVAL_SHELLS,
  "--auto-renew puts its hook first among the prompt hooks, once, keeping the user's",
  async () => {
    await using home = await makeHome();
    const cases: Record<EvalShell, [string, string, string]> = {
      // bash: a string PROMPT_COMMAND, and an array (bash 5.1+).
      bash: [
        "set -eu; PROMPT_COMMAND='mine; also'",
        `_stc_auto_renew_enable; printf '<%s>' "$PROMPT_COMMAND"; PROMPT_COMMAND=(a b); ` +
        `_stc_auto_renew_enable; _stc_auto_renew_enable; printf '<%s>' "\${PROMPT_COMMAND[@]}"`,
        "<_stc_auto_renew\nmine; also><_stc_auto_renew><a><b>",
      ],
      zsh: [
        "set -eu; function mine { }; precmd_functions=(mine)",
        '_stc_auto_renew_enable; print -rn -- "<${(j:,:)precmd_functions}>"',
        "<_stc_auto_renew,mine,_stc_compdef>", // completion waits for compinit there
      ],
      fish: [
        "",
        "_stc_auto_renew_enable; functions --handlers-type generic | string match -q 'fish_prompt _stc_auto_renew_on_prompt'; and printf '<registered>'",
        "<registered>",
      ],
    };
    for (const shell of EVAL_SHELLS) {
      const init = await runStc(["init", shell, "--auto-renew"], { env: home.env });
      assert.equal(init.code, 0, init.stderr);
      const load = await loadStatement(home, shell, init.stdout);
      const [before, after, expected] = cases[shell];
      // Loaded with --auto-renew, the hook is in; enabling it again adds nothing.
      const result = await runShell(shell, `${before}\n${load}\n${after}`, home.env);
      assert.equal(result.code, 0, `${shell}: ${result.stderr}`);
      assert.equal(result.stderr, "", shell);
      assert.equal(result.stdout, expected, shell);
    }
  },
);

await testWith(
  EVAL_SHELLS,
  "auto-renew backs off after a failure: one warning, quiet retries after 1, 2, 4 minutes",
  async () => {
    await using home = await makeHome();
    // A stand-in for the stc function, which records its arguments: failing (exit 3, a message) until `ok` is
    // set, then renewing to AWS_EXPIRATION_S=`ok`. `_stc_renew NOW` is called with chosen times.
    const scripts: Record<EvalShell, string> = {
      bash: `set -eu; calls=0; ok=
function stc { calls=$((calls + 1)) args="$*"; [ -n "$ok" ] || { echo "failed $calls" >&2; return 3; }; AWS_EXPIRATION_S=$ok; }
AWS_ROLE_ALIAS=x AWS_EXPIRATION_S=1200 AWS_PROFILE='my prof' 
for now in 1000 1059 1060 1179 1180; do _stc_renew $now; done; echo "calls=$calls"
ok=5000; _stc_renew 1419; echo "calls=$calls"; _stc_renew 1420; echo "calls=$calls $AWS_EXPIRATION_S \${_stc_renew_for-none}"
ok=5100; AWS_EXPIRATION_S=4900; _stc_renew 5000; _stc_renew 5001; _stc_renew 5060; echo "calls=$calls"; echo "$args"`,
      zsh: `set -eu; calls=0; ok=
function stc { calls=$((calls + 1)) args="$*"; [[ -n $ok ]] || { echo "failed $calls" >&2; return 3; }; AWS_EXPIRATION_S=$ok; }
AWS_ROLE_ALIAS=x AWS_EXPIRATION_S=1200 AWS_PROFILE='my prof' 
for now in 1000 1059 1060 1179 1180; do _stc_renew $now; done; echo "calls=$calls"
ok=5000; _stc_renew 1419; echo "calls=$calls"; _stc_renew 1420; echo "calls=$calls $AWS_EXPIRATION_S \${_stc_renew_for-none}"
ok=5100; AWS_EXPIRATION_S=4900; _stc_renew 5000; _stc_renew 5001; _stc_renew 5060; echo "calls=$calls"; echo "$args"`,
      fish: `set -g calls 0; set -g ok
function stc; set -g calls (math $calls + 1); set -g args "$argv"; test -n "$ok"; or begin; echo "failed $calls" >&2; return 3; end; set -g AWS_EXPIRATION_S $ok; end
set -g AWS_ROLE_ALIAS x; set -g AWS_EXPIRATION_S 1200; set -g AWS_PROFILE 'my prof' 
for now in 1000 1059 1060 1179 1180; _stc_renew $now; end; echo "calls=$calls"
set ok 5000; _stc_renew 1419; echo "calls=$calls"; _stc_renew 1420; echo "calls=$calls $AWS_EXPIRATION_S" (set -q _stc_renew_for; and echo $_stc_renew_for; or echo none)
set ok 5100; set AWS_EXPIRATION_S 4900; _stc_renew 5000; _stc_renew 5001; _stc_renew 5060; echo "calls=$calls"; echo "$args"`,
    };
    for (const shell of EVAL_SHELLS) {
      const load = await loadStatement(home, shell, await initFor(shell, stcCommandLine()));
      const result = await runShell(shell, `${load}\n${scripts[shell]}`, home.env);
      assert.equal(result.code, 0, `${shell}: ${result.stderr}`);
      // Failing at 1000 (shown), 1060 and 1180 (quiet); renewed at 1420, four minutes after 1180.
      assert.equal(
        result.stdout,
        "calls=3\ncalls=3\ncalls=4 5000 none\ncalls=6\nassume --renew --profile=my prof\n",
        shell,
      );
      // Renewed to credentials due at once (5100 at 5000): one warning, then a retry only after a minute.
      assert.equal(
        result.stderr,
        "failed 1\nstc: warning: renewed credentials expire within 5 minutes by this computer's clock; is it right?\n",
        shell,
      );
    }
  },
);

/** Runs `script` in nu after loading the init code in `path`; `$env.LAST_EXIT_CODE` after a failed stc is its status. */
function nuStatus(call: string): string {
  return `try { ${call} } catch { }; print $"rc=($env.LAST_EXIT_CODE)"`;
}

await testWith(
  ["nu"],
  "nu: stc init nu loads, defines exactly the public commands, and sets no variables",
  async () => {
    await using home = await makeHome();
    const init = await runStc(["init", "nu"], { env: home.env });
    assert.equal(init.code, 0, init.stderr);
    assert.ok(init.stdout.includes(stcCommandLine().at(-1)!), "it runs this stc");
    const path = await home.write("init.nu", init.stdout);
    const list = `print (scope commands | where type == custom | get name | sort | to json --raw)
    print ($env | columns | sort | to json --raw)`;
    const bare = await runShell("nu", list, home.env);
    const loaded = await runShell("nu", `source '${path}'\n${list}`, home.env);
    assert.equal(loaded.code, 0, loaded.stderr);
    assert.equal(loaded.stderr, "");
    const [commandsBefore, envBefore] = bare.stdout.trim().split("\n").map((l) => JSON.parse(l));
    const [commandsAfter, envAfter] = loaded.stdout.trim().split("\n").map((l) => JSON.parse(l));
    const added = (commandsAfter as string[]).filter((c) => !commandsBefore.includes(c));
    assert.deepEqual(added.filter((c) => !c.startsWith("_stc_")), [...PUBLIC_FUNCTIONS].sort());
    assert.deepEqual(envAfter, envBefore);
  },
);

await testWith(
  ["nu"],
  "nu: the stc command applies the output only on success and keeps the base session from children",
  async () => {
    await using home = await makeHome();
    const fake = await withFake(home, "nu");
    const out = await home.write(
      "out.nu",
      renderShell("nu", [
        { kind: "export", name: "AWS_PROFILE", value: "work" },
        { kind: "set", name: "STC_BASE_SESSION", value: `{"k":"it's $secret"}` },
        { kind: "print", text: "done\n" },
      ]),
    );
    const failing = await home.write(
      "fail.nu",
      renderShell("nu", [{ kind: "export", name: "AWS_PROFILE", value: "other" }]),
    );
    const script = `${fake.load}
    $env.FAKE_OUT = '${out}'; ${nuStatus("stc session")}
    $env.FAKE_OUT = '${failing}'; $env.FAKE_RC = '4'; ${nuStatus("stc session")}
    hide-env FAKE_OUT FAKE_RC; stc status
    print $"profile=($env.AWS_PROFILE)"
    print (^env | lines | where {|l| $l starts-with STC_BASE_SESSION } | length)`;
    const result = await runShell("nu", script, fake.env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "done\nrc=0\nrc=4\nprofile=work\n0\n");
    assert.deepEqual(await fake.log(), [
      `session |eval=nu`,
      `session |eval=nu |base={"k":"it's $secret"}`,
      `status |eval=nu |base={"k":"it's $secret"}`,
    ]);
    // A failed stc stops a script with its status, as a failed program does.
    const stops = await runShell(
      "nu",
      `${fake.load}; $env.FAKE_RC = '3'; stc session; print "not reached"`,
      fake.env,
    );
    assert.equal(stops.code, 3, stops.stderr);
    assert.equal(stops.stdout, "");
    assert.equal(stops.stderr, "");
  },
);

await testWith(
  ["nu"],
  "nu: the stc command applies only stdout that starts with its mark; data passes through untouched",
  async () => {
    await using home = await makeHome();
    const data = [
      "touch PWNED; echo evaluated\n",
      'stc-123456789\n{"kind":"export","name":"AWS_PROFILE","value":"evil"}\n',
      "no newline at the end",
      "two newlines\n\n",
      "$(touch PWNED) `touch PWNED` 'quote\n",
    ];
    const fake = await withFake(home, "nu");
    for (const [i, text] of data.entries()) {
      const path = await home.write(`data${i}`, text);
      const result = await runShell(
        "nu",
        `cd '${home.home}'; ${fake.load}; $env.FAKE_DATA = '${path}'; $env.FAKE_RC = '${i % 2 * 3}'
       ${nuStatus("stc roles --names")}; print $"p=($env.AWS_PROFILE? | default '')"`,
        fake.env,
      );
      assert.equal(result.stderr, "");
      assert.equal(result.stdout, `${text}rc=${i % 2 * 3}\np=\n`, JSON.stringify(text));
      await assert.rejects(Deno.stat(`${home.home}/PWNED`), Deno.errors.NotFound);
      await fake.log();
    }
  },
);

await testWith(
  ["nu"],
  "nu: through the stc command, --version and data are printed, session -c is applied, -h shows the usage",
  async () => {
    await using home = await makeHome();
    await home.write(".aws/config", "[profile awsops]\nregion = eu-west-1\n");
    const version = (await runStc(["--version"], { env: home.env })).stdout;
    const load = await loadStatement(home, "nu", await initFor("nu", stcCommandLine()));
    const result = await runShell(
      "nu",
      `${load}; stc --version; ${nuStatus("stc -V")}; stc complete profiles
     stc session -c --shell sh; print $"p=($env.AWS_PROFILE? | default '')"`,
      { ...home.env, AWS_PROFILE: "awsops" },
    );
    assert.equal(result.stdout, `${version}${version}rc=0\nawsops\np=\n`, result.stderr);
    assert.equal(result.stderr, "stc: cleared the AWS session variables\n");
    const help = await runShell(
      "nu",
      `${load}; get_session -h -s 123456; print $"rc=($env.LAST_EXIT_CODE) profile=($env.AWS_PROFILE)"`,
      { ...home.env, AWS_PROFILE: "nobody" },
    );
    assert.equal(help.stderr, seedUsage(SEED_COMMANDS.find((s) => s.name === "get_session")!));
    assert.equal(help.stdout, "rc=0 profile=nobody\n");
  },
);

await testWith(
  ["nu"],
  "nu: stc_prompt shows profile and role, coloured by the time left, starting no process",
  async () => {
    await using home = await makeHome();
    const now = Math.floor(Date.now() / 1000);
    const load = await loadStatement(home, "nu", await initFor("nu", ["false"]));
    const env = { ...home.env, TERM: "xterm" };
    delete (env as Record<string, string>).NO_COLOR;
    const empty = await runShell("nu", `${load}; print -n (stc_prompt); print "[end]"`, env);
    assert.equal(empty.stdout, "[end]\n", empty.stderr);
    for (const [left, sgr] of [[3600, "32"], [300, "33"], [-5, "31"]] as const) {
      const result = await runShell(
        "nu",
        `${load}; $env.AWS_PROFILE = 'awsops'; $env.AWS_ROLE_ALIAS = 'dev-admin'
       $env.AWS_EXPIRATION_S = '${now + left}'; $env.PATH = []; print -n (stc_prompt)`,
        env,
      );
      assert.equal(result.code, 0, result.stderr);
      assert.equal(stripColours(result.stdout), "(awsops[dev-admin])");
      assert.ok(
        result.stdout.includes(`\x1b[${sgr}m`),
        `${left}s: ${JSON.stringify(result.stdout)}`,
      );
    }
    const plain = await runShell(
      "nu",
      `${load}; $env.AWS_PROFILE = 'a%b'; $env.AWS_EXPIRATION_S = '${
        now + 3600
      }'; print -n (stc_prompt)`,
      { ...home.env, NO_COLOR: "1" },
    );
    assert.equal(plain.stdout, "(a%b)");
  },
);

await testWith(
  ["nu"],
  "nu completion: the completer offers what the other shells offer",
  async () => {
    await using home = await makeHome();
    await writeProfiles(home);
    const load = await loadStatement(home, "nu", await initFor("nu", stcCommandLine()));
    const cases: [string, string[]][] = [
      ["stc ses", ["session"]],
      ["stc session --pro", ["--profile"]],
      ["stc session -p ", ["awsops", "cfgrole", "credonly", "default"]],
      ["stc session -p 'aw", ["awsops"]],
      ["assume_role ", ["cfgrole", "dev-admin", "prod-ro", "sandbox"]],
      ["get_session -", ["-h", "-c", "-d", "-l", "-p", "-r", "-s", "-u", "-v", "-i", "-b", "-e"]],
      ["get_session -i ", ["keys.csv", "sub/"]],
      ["stc import k", ["keys.csv"]],
      ["aws-assume-role aw", ["awsops"]],
      ["stc init n", ["nu"]],
    ];
    const calls = cases.map(([line]) =>
      `print (_stc_complete (_stc_words ${
        JSON.stringify(line)
      }) | get value | str join "\\n"); print ===`
    ).join("\n");
    const result = await runShell("nu", `${load}\ncd '${home.home}/work'\n${calls}`, home.env);
    assert.equal(result.code, 0, result.stderr);
    const answers = result.stdout.split("===\n");
    for (const [i, [line, expected]] of cases.entries()) {
      assert.deepEqual(answers[i].split("\n").filter(Boolean).sort(), [...expected].sort(), line);
    }
  },
);

await testWith(
  ["nu"],
  "nu: stc init nu --install writes the code to its cache and sources it from config.nu",
  async () => {
    await using home = await makeHome();
    const env = { ...home.env, XDG_CONFIG_HOME: `${home.home}/xdg` };
    const first = await runStc(["init", "nu", "--install"], { env });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /added the line that loads stc to .*\/xdg\/nushell\/config\.nu/);
    const second = await runStc(["init", "nu", "--install"], { env });
    assert.match(second.stderr, /init\.nu; .*config\.nu already loads stc/);
    const config = `${home.home}/xdg/nushell/config.nu`;
    const result = await runShell(
      "nu",
      `source '${config}'; print (scope commands | where name == get_session | length)`,
      env,
    );
    assert.equal(result.stdout, "1\n", result.stderr);
  },
);

await testWith(
  ["nu"],
  "nu: get_session -i KEYID,SECRET imports the key, the secret on stdin",
  async () => {
    await using home = await makeHome();
    const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const load = await loadStatement(home, "nu", await initFor("nu", stcCommandLine()));
    const result = await runShell(
      "nu",
      `${load}; get_session -p nu -i AKIAIOSFODNN7EXAMPLE,${secret}`,
      home.env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /stc: warning: a secret typed on a command line/);
    assert.ok(!result.stderr.includes(secret));
    assert.match((await home.read(".aws/credentials"))!, /\[nu\]\n/);
  },
);

await testWith(
  [...INIT_SHELLS],
  "commands that run programs (exec, credential-process, serve, agent) are not captured, in every shell",
  async () => {
    await using home = await makeHome();
    for (const shell of INIT_SHELLS) {
      const fake = await withFake(home, shell);
      const data = await home.write("data", "program output\n");
      const base = shell === "nu"
        ? `$env.STC_BASE_SESSION = {stc_unexported: 'b1'}`
        : shell === "fish"
        ? "set -g STC_BASE_SESSION b1"
        : "STC_BASE_SESSION=b1";
      const lines = ["exec -- prog", "credential-process dev", "serve dev", "agent --status"]
        .map((args) => `stc ${args}`).join("\n");
      const result = await runShell(shell, `${fake.load}\n${base}\n${lines}`, {
        ...fake.env,
        FAKE_DATA: data,
      });
      assert.equal(result.code, 0, `${shell}: ${result.stderr}`);
      assert.equal(result.stdout, "program output\n".repeat(4), shell);
      // No STC_EVAL_SHELL: stc knows its stdout is the program's, not shell code for the function.
      assert.deepEqual(await fake.log(), [
        "exec -- prog |eval= |base=b1",
        "credential-process dev |eval= |base=b1",
        "serve dev |eval= |base=b1",
        "agent --status |eval= |base=b1",
      ], shell);
    }
  },
);
