/**
 * Real interactive bash, zsh and fish under tmux against the emulator: load `stc init`, get a session with an
 * MFA code, store it typing the passphrase at the prompt, restore it in a second shell, tab-complete and assume a
 * role, get a console URL, and check the environment after each step (the base session never reaches children).
 */

import assert from "node:assert/strict";
import { testWith } from "./tools.ts";
import type { InitShell } from "../lib/shell/init_script.ts";
import { runStc, type TempHome } from "./helpers.ts";
import { aliceHome, type DisposableEmulator, emulated, freshCode } from "./session_fixture.ts";

const decoder = new TextDecoder();
const PASSPHRASE = "correct horse battery staple";
const ROLES = "dev-admin arn:aws:iam::222222222222:role/Admin alice\n" +
  "prod-ro arn:aws:iam::333333333333:role/ReadOnly alice\n";

/** One tmux server (its own socket) running interactive shells, started in `cwd`. */
interface Tmux {
  start(name: string, command: string): Promise<void>;
  type(window: string, text: string, enter?: boolean): Promise<void>;
  key(window: string, key: string): Promise<void>;
  screen(window: string): Promise<string>;
  /** Waits until the pane matches `pattern`; returns the match. */
  waitFor(window: string, pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  kill(): Promise<void>;
}

function tmuxServer(env: Record<string, string>, cwd: string): Tmux {
  const socket = `stc-test-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  async function run(...args: string[]): Promise<string> {
    const out = await new Deno.Command("tmux", {
      args: ["-L", socket, "-f", "/dev/null", ...args],
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(`tmux ${args[0]}: ${decoder.decode(out.stderr)}`);
    return decoder.decode(out.stdout);
  }
  const screen = (window: string) =>
    run("capture-pane", "-p", "-J", "-S", "-500", "-t", `t:${window}`);
  return {
    async start(name, command) {
      if (name === "one") {
        await run(
          "new-session",
          "-d",
          "-x",
          "200",
          "-y",
          "50",
          "-c",
          cwd,
          "-s",
          "t",
          "-n",
          name,
          command,
        );
      } else await run("new-window", "-c", cwd, "-t", "t", "-n", name, command);
    },
    async type(window, text, enter = true) {
      await run("send-keys", "-t", `t:${window}`, "-l", text);
      if (enter) await run("send-keys", "-t", `t:${window}`, "Enter");
    },
    async key(window, key) {
      await run("send-keys", "-t", `t:${window}`, key);
    },
    screen,
    async waitFor(window, pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let text = "";
      while (Date.now() < deadline) {
        text = await screen(window);
        const match = text.match(pattern);
        if (match) return match;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`timed out waiting for ${pattern} in window ${window}:\n${text}`);
    },
    async kill() {
      // The shells get SIGHUP and may still write (history) as they exit: the test's HOME is removed only once
      // they are gone.
      const pids = (await run("list-panes", "-a", "-F", "#{pane_pid}").catch(() => ""))
        .split("\n").filter((pid) => /^\d+$/.test(pid));
      await run("kill-server").catch(() => {});
      const deadline = Date.now() + 10_000;
      for (const pid of pids) {
        while (Date.now() < deadline && await alive(pid)) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    },
  };
}

/** Whether process `pid` still exists (`kill -0`, on Linux and macOS alike). */
async function alive(pid: string): Promise<boolean> {
  const out = await new Deno.Command("kill", { args: ["-0", pid], stdout: "null", stderr: "null" })
    .output();
  return out.success;
}

let step = 0;
/**
 * Runs a command line in the shell and waits for its exit status, which must be `status` (any when null).
 */
async function sh(
  tmux: Tmux,
  window: string,
  shell: InitShell,
  line: string,
  status: number | null = 0,
): Promise<void> {
  const mark = `M${++step}`;
  const code = shell === "fish" ? "$status" : "$?";
  await tmux.type(
    window,
    shell === "nu"
      ? `try { ${line} } catch { }; print $"${mark}=($env.LAST_EXIT_CODE)="`
      : `${line}; echo "${mark}=${code}="`,
  );
  const match = await tmux.waitFor(window, new RegExp(`\\n${mark}=(\\d+)=`));
  if (status !== null) {
    assert.equal(Number(match[1]), status, `${shell}: ${line}\n${await tmux.screen(window)}`);
  }
}

/** What the shell prints for `text` in double quotes (command substitutions expanded). */
async function shellSays(tmux: Tmux, window: string, text: string): Promise<string> {
  const mark = `V${++step}`;
  // $(…) inside double quotes works in fish ≥ 3.4 as in bash and zsh.
  await tmux.type(window, `echo "${mark}<${text}>"`);
  return (await tmux.waitFor(window, new RegExp(`\\n${mark}<([^>]*)>`)))[1];
}

/** The value of a variable as a child process sees it (printenv), or `UNSET` when it is not in the environment. */
async function childSees(
  tmux: Tmux,
  window: string,
  name: string,
  shell?: InitShell,
): Promise<string> {
  if (shell !== "nu") return shellSays(tmux, window, `$(printenv ${name} || echo UNSET)`);
  const mark = `V${++step}`;
  await tmux.type(window, `print $"${mark}<(^sh -c 'printenv ${name} || echo UNSET' | str trim)>"`);
  return (await tmux.waitFor(window, new RegExp(`\\n${mark}<([^>]*)>`)))[1];
}

/** Types `line`, presses Tab, waits for the line to read `completed`, then clears it. */
async function completes(tmux: Tmux, window: string, line: string, completed: string) {
  await tmux.type(window, line, false);
  await tmux.key(window, "Tab");
  const escaped = completed.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  await tmux.waitFor(window, new RegExp(`${escaped}(?!\\S)`));
  await tmux.key(window, "C-u");
}

function shellCommand(shell: InitShell, home: TempHome): string {
  switch (shell) {
    case "bash":
      return `bash --noprofile --rcfile '${home.home}/rc.bash' -i`;
    case "zsh":
      return `env ZDOTDIR='${home.home}/zdot' zsh -i`;
    case "fish":
      return `fish --no-config --private -i -C 'source ${home.home}/init.fish; function fish_prompt; stc_prompt; printf "> "; end'`;
    case "nu":
      return `nu --config '${home.home}/config.nu' --env-config '${home.home}/env.nu'`;
  }
}

async function prepare(shell: InitShell, emulator: DisposableEmulator): Promise<TempHome> {
  const home = await aliceHome();
  await home.write(".aws/awsops_roles.cfg", ROLES);
  Object.assign(home.env, emulator.env(), { TERM: "xterm-256color", SHELL: `/bin/${shell}` });
  const init = await runStc(["init", shell], { env: home.env });
  assert.equal(init.code, 0, init.stderr);
  await home.write(`init.${shell}`, init.stdout);
  await home.write("keys.csv", "Access key ID,Secret access key\n");
  await home.write("notes.txt", "not a key\n");
  // Options that break careless shell code stay on for the whole session.
  await home.write(
    "rc.bash",
    `HISTFILE=\neval "$(cat '${home.home}/init.bash')"\nPS1='$(stc_prompt)\\$ '\nset -u\n`,
  );
  await home.write("env.nu", "");
  await home.write(
    "config.nu",
    `$env.config.show_banner = false\nsource '${home.home}/init.nu'\n` +
      `$env.PROMPT_COMMAND = {|| $"(stc_prompt)> " }\n$env.PROMPT_COMMAND_RIGHT = ""\n` +
      `$env.PROMPT_INDICATOR = ""\n`,
  );
  await home.write(
    "zdot/.zshrc",
    `autoload -Uz compinit; compinit -u -D\neval "$(cat '${home.home}/init.zsh')"\n` +
      `setopt PROMPT_SUBST KSH_ARRAYS SH_WORD_SPLIT NO_UNSET; PROMPT='$(stc_prompt)%# '\n`,
  );
  return home;
}

async function scenario(shell: InitShell): Promise<void> {
  await using emulator = await emulated();
  await using home = await prepare(shell, emulator);
  const tmux = tmuxServer(home.env, home.home);
  try {
    await tmux.start("one", shellCommand(shell, home));
    await sh(tmux, "one", shell, "true");
    // Output that is not shell code is shown, not evaluated.
    await sh(tmux, "one", shell, "stc --version");
    await tmux.waitFor("one", /\nstc \d+\.\d+\.\d+\n/);

    // Completion of profiles (credentials and config file, default too) and of .csv files only.
    await completes(tmux, "one", "get_session -p aw", "get_session -p awsops");
    await completes(tmux, "one", "stc session --profile=de", "stc session --profile=default");
    await completes(tmux, "one", "get_session -i k", "get_session -i keys.csv");
    await completes(tmux, "one", "stc import k", "stc import keys.csv");
    await completes(tmux, "one", "get_session -i ./k", "get_session -i ./keys.csv");
    // No error from the completion system on the way (zsh: `no matches found: *.csv:globbed-files`).
    assert.doesNotMatch(await tmux.screen("one"), /no matches found|bad pattern|\(eval\)|error/i);

    // A key pair typed on the command line goes to stc on stdin and leaves the history (bash, fish).
    if (shell !== "zsh") {
      await sh(
        tmux,
        "one",
        shell,
        "get_session -p imported -i AKIAIOSFODNN7EXAMPLE,SECRETxyz",
        null,
      );
      assert.equal(await shellSays(tmux, "one", "$(history | grep -c SECRET''xyz)"), "0");
      assert.equal(await shellSays(tmux, "one", "$(history | grep -c AKIA''IOSFODNN7)"), "0");
    }

    // A session with an MFA code: exported credentials, the base session only in the shell.
    await sh(tmux, "one", shell, `get_session ${freshCode(emulator)}`);
    assert.equal(await childSees(tmux, "one", "AWS_PROFILE"), "awsops");
    assert.match(await childSees(tmux, "one", "AWS_ACCESS_KEY_ID"), /^ASIA/);
    assert.equal(await childSees(tmux, "one", "STC_BASE_SESSION"), "UNSET");
    await sh(tmux, "one", shell, `test -n "$STC_BASE_SESSION"`);
    await sh(tmux, "one", shell, "env | grep -q STC_BASE_SESSION", 1);
    await tmux.waitFor("one", /\(awsops\)/); // the prompt helper

    // Stored with the passphrase typed at the prompt (twice).
    await tmux.type("one", "get_session -s");
    await tmux.waitFor("one", /New passphrase for the stored session of 'awsops':/);
    await tmux.type("one", PASSPHRASE);
    await tmux.waitFor("one", /Repeat it:/);
    await tmux.type("one", PASSPHRASE);
    // Nothing is typed before stc is done: what it does not read would be lost to the shell.
    await tmux.waitFor("one", /stc: stored /);
    await sh(tmux, "one", shell, "true");
    assert.ok(!(await tmux.screen("one")).includes(PASSPHRASE), "the passphrase is not echoed");

    // Restored in a second shell.
    await tmux.start("two", shellCommand(shell, home));
    await sh(tmux, "two", shell, "true");
    assert.equal(await childSees(tmux, "two", "AWS_PROFILE"), "UNSET");
    await tmux.type("two", "get_session -r");
    await tmux.waitFor("two", /Passphrase for the stored session of 'awsops':/);
    await tmux.type("two", PASSPHRASE);
    await tmux.waitFor("two", /stc: restored: /);
    await sh(tmux, "two", shell, "true");
    assert.equal(await childSees(tmux, "two", "AWS_PROFILE"), "awsops");
    assert.equal(
      await childSees(tmux, "two", "AWS_ACCESS_KEY_ID"),
      await childSees(tmux, "one", "AWS_ACCESS_KEY_ID"),
    );
    assert.equal(await childSees(tmux, "two", "STC_BASE_SESSION"), "UNSET");

    // Tab completion of the alias, then the role.
    await tmux.type("two", "assume_role dev-a", false);
    await tmux.key("two", "Tab");
    await tmux.waitFor("two", /assume_role dev-admin/);
    await tmux.key("two", "Enter");
    await sh(tmux, "two", shell, "true");
    assert.equal(await childSees(tmux, "two", "AWS_ROLE_ALIAS"), "dev-admin");
    assert.equal(await childSees(tmux, "two", "AWS_ACCOUNT_ID"), "222222222222");
    assert.equal(await childSees(tmux, "two", "STC_BASE_SESSION"), "UNSET");
    await tmux.waitFor("two", /\(awsops\[dev-admin\]\)/);

    // A console URL for another role, from the base session; the shell keeps its role.
    await sh(tmux, "two", shell, "get_console_url prod-ro");
    await tmux.waitFor("two", /\/federation\?Action=login&/);
    assert.equal(await childSees(tmux, "two", "AWS_ROLE_ALIAS"), "dev-admin");
    assert.deepEqual(
      emulator.logins().map((l) => l.arn).filter((arn) => arn.includes("333333333333")).length,
      0,
      "the URL is only printed, not used",
    );
  } finally {
    await tmux.kill();
  }
}

/**
 * nushell: the same steps, with nushell's syntax for the checks; its base session is a record in $env, which
 * nushell hands to no program.
 */
async function nuScenario(): Promise<void> {
  const shell = "nu";
  await using emulator = await emulated();
  await using home = await prepare(shell, emulator);
  const tmux = tmuxServer(home.env, home.home);
  try {
    await tmux.start("one", shellCommand(shell, home));
    await sh(tmux, "one", shell, "true");
    await sh(tmux, "one", shell, "stc --version");
    await tmux.waitFor("one", /\nstc \d+\.\d+\.\d+\n/);

    await completes(tmux, "one", "get_session -p aw", "get_session -p awsops");
    await completes(tmux, "one", "stc import k", "stc import keys.csv");
    await completes(tmux, "one", "get_session -i k", "get_session -i keys.csv");
    await completes(tmux, "one", "assume-role pro", "assume-role prod-ro");
    await completes(tmux, "one", "stc session --pro", "stc session --profile");
    await completes(tmux, "one", "stc session --profile=de", "stc session --profile=default");
    await completes(tmux, "one", "get_session -p 'aw", "get_session -p awsops");

    await sh(tmux, "one", shell, `get_session ${freshCode(emulator)}`);
    assert.equal(await childSees(tmux, "one", "AWS_PROFILE", shell), "awsops");
    assert.match(await childSees(tmux, "one", "AWS_ACCESS_KEY_ID", shell), /^ASIA/);
    assert.equal(await childSees(tmux, "one", "STC_BASE_SESSION", shell), "UNSET");
    await sh(tmux, "one", shell, `if ($env.STC_BASE_SESSION.stc_unexported | is-empty) { ^false }`);
    await tmux.waitFor("one", /\(awsops\)/);

    await tmux.type("one", "get_session -s");
    await tmux.waitFor("one", /New passphrase for the stored session of 'awsops':/);
    await tmux.type("one", PASSPHRASE);
    await tmux.waitFor("one", /Repeat it:/);
    await tmux.type("one", PASSPHRASE);
    await tmux.waitFor("one", /stc: stored /);
    await sh(tmux, "one", shell, "true");
    assert.ok(!(await tmux.screen("one")).includes(PASSPHRASE), "the passphrase is not echoed");

    await tmux.start("two", shellCommand(shell, home));
    await sh(tmux, "two", shell, "true");
    assert.equal(await childSees(tmux, "two", "AWS_PROFILE", shell), "UNSET");
    await tmux.type("two", "get_session -r");
    await tmux.waitFor("two", /Passphrase for the stored session of 'awsops':/);
    await tmux.type("two", PASSPHRASE);
    await tmux.waitFor("two", /stc: restored: /);
    await sh(tmux, "two", shell, "true");
    assert.equal(await childSees(tmux, "two", "AWS_PROFILE", shell), "awsops");
    assert.equal(await childSees(tmux, "two", "STC_BASE_SESSION", shell), "UNSET");

    await tmux.type("two", "assume_role dev-a", false);
    await tmux.key("two", "Tab");
    await tmux.waitFor("two", /assume_role dev-admin/);
    await tmux.key("two", "Enter");
    await sh(tmux, "two", shell, "true");
    assert.equal(await childSees(tmux, "two", "AWS_ROLE_ALIAS", shell), "dev-admin");
    assert.equal(await childSees(tmux, "two", "AWS_ACCOUNT_ID", shell), "222222222222");
    assert.equal(await childSees(tmux, "two", "STC_BASE_SESSION", shell), "UNSET");
    await tmux.waitFor("two", /\(awsops\[dev-admin\]\)/);

    // A failed command: its status, and the environment unchanged.
    await sh(tmux, "two", shell, "stc assume no-such-role", 1);
    await sh(tmux, "two", shell, "stc no-such-command", 2);
    assert.equal(await childSees(tmux, "two", "AWS_ROLE_ALIAS", shell), "dev-admin");

    await sh(tmux, "two", shell, "get_console_url prod-ro");
    await tmux.waitFor("two", /\/federation\?Action=login&/);
    assert.equal(await childSees(tmux, "two", "AWS_ROLE_ALIAS", shell), "dev-admin");
  } finally {
    await tmux.kill();
  }
}

await testWith(
  ["tmux", "nu"],
  "tmux: nu session, store, restore, completion, assume and console",
  nuScenario,
);

for (const shell of ["bash", "zsh", "fish"] as const) {
  await testWith(
    ["tmux", shell],
    `tmux: ${shell} session, store, restore, completion, assume and console`,
    () => scenario(shell),
  );
}

/** The command line that makes the shell's role credentials expire `seconds` from now by the shell's clock. */
function expireIn(shell: InitShell, seconds: number): string {
  return shell === "fish"
    ? `set -gx AWS_EXPIRATION_S (math (date +%s) + ${seconds})`
    : `AWS_EXPIRATION_S=$(( $(date +%s) + ${seconds} ))`;
}

/** What the shell prints for its clock: seconds since 1970. */
async function shellNow(tmux: Tmux, window: string): Promise<number> {
  return Number(await shellSays(tmux, window, "$(date +%s)"));
}

/**
 * `stc init --auto-renew`: the prompt hook renews a role with fewer than 5 minutes left (the expiry variables are
 * set by hand, as the hook reads the shell's own clock, not the emulator's), quietly and only then; a renewal
 * that fails is shown once, not at every prompt, and changes nothing.
 */
async function autoRenewScenario(shell: Exclude<InitShell, "nu">): Promise<void> {
  await using emulator = await emulated();
  await using home = await prepare(shell, emulator);
  const init = await runStc(["init", shell, "--auto-renew"], { env: home.env });
  assert.equal(init.code, 0, init.stderr);
  // A prompt hook of the user's own, which must stay and see the status of the last command.
  const userHook = {
    bash: `PROMPT_COMMAND='user_status=$?'\n`,
    zsh: "function user_hook { user_status=$? }; precmd_functions+=(user_hook)\n",
    fish: "function user_hook --on-event fish_prompt; set -g user_status $status; end\n",
  }[shell];
  await home.write(
    `init.${shell}`,
    shell === "fish" ? init.stdout + userHook : userHook + init.stdout,
  );
  const tmux = tmuxServer(home.env, home.home);
  try {
    await tmux.start("one", shellCommand(shell, home));
    await sh(tmux, "one", shell, "true");
    await sh(tmux, "one", shell, `get_session ${freshCode(emulator)}`);
    await sh(tmux, "one", shell, "assume_role dev-admin");
    const key = await childSees(tmux, "one", "AWS_ACCESS_KEY_ID");
    const assumed = emulator.calls("AssumeRole");

    // An hour left: prompts cost no call.
    for (let i = 0; i < 3; i++) await sh(tmux, "one", shell, "true");
    assert.equal(emulator.calls("AssumeRole"), assumed);
    assert.equal(await childSees(tmux, "one", "AWS_ACCESS_KEY_ID"), key);

    // Four minutes left: the next prompt renews the role, quietly.
    await tmux.type("one", `${expireIn(shell, 240)}; false`);
    assert.equal(await shellSays(tmux, "one", "$user_status"), "1");
    const renewed = await childSees(tmux, "one", "AWS_ACCESS_KEY_ID");
    assert.equal(emulator.calls("AssumeRole"), assumed + 1);
    assert.match(renewed, /^ASIA/);
    assert.notEqual(renewed, key);
    const left = Number(await childSees(tmux, "one", "AWS_EXPIRATION_S")) -
      await shellNow(tmux, "one");
    assert.ok(left > 3000, `${left} s left after the renewal`);
    assert.equal(await childSees(tmux, "one", "AWS_ROLE_ALIAS"), "dev-admin");
    assert.equal(await childSees(tmux, "one", "STC_BASE_SESSION"), "UNSET");
    for (let i = 0; i < 2; i++) await sh(tmux, "one", shell, "true");
    assert.equal(emulator.calls("AssumeRole"), assumed + 1, "renewed once");
    const afterRenewal = await tmux.screen("one");
    assert.doesNotMatch(
      afterRenewal.slice(afterRenewal.lastIndexOf(expireIn(shell, 240))),
      /stc: (assumed|error|warning)/,
    );

    // The MFA session has expired (at AWS): one warning naming what to run, no loop, nothing changed.
    emulator.advanceClock(13 * 3600);
    await sh(tmux, "one", shell, expireIn(shell, 240));
    for (let i = 0; i < 4; i++) await sh(tmux, "one", shell, "true");
    const screen = await tmux.screen("one");
    const warnings = screen.match(/stc: error: could not renew role 'dev-admin': /g) ?? [];
    assert.equal(warnings.length, 1, screen);
    assert.match(
      screen,
      /hint: get a new MFA session with 'stc session' .*, then 'stc assume dev-admin'/,
    );
    // Retries wait at least a minute.
    assert.ok(emulator.calls("AssumeRole") <= assumed + 3, `${emulator.calls("AssumeRole")} calls`);
    assert.equal(await childSees(tmux, "one", "AWS_ACCESS_KEY_ID"), renewed);
  } finally {
    await tmux.kill();
  }
}

for (const shell of ["bash", "zsh", "fish"] as const) {
  await testWith(
    ["tmux", shell],
    `tmux: ${shell} --auto-renew renews a role due at the next prompt, and warns once when it cannot`,
    () => autoRenewScenario(shell),
  );
}
