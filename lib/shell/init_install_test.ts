import assert from "node:assert/strict";
import {
  initCacheFile,
  INSTALL_MARKER,
  installInit,
  installLine,
  planInstall,
  rcFile,
} from "./init_install.ts";
import { initScript } from "./init_script.ts";

Deno.test("rcFile: ~/.bashrc, ZDOTDIR for zsh, XDG_CONFIG_HOME for fish", () => {
  assert.equal(rcFile("bash", { HOME: "/h" }), "/h/.bashrc");
  assert.equal(rcFile("zsh", { HOME: "/h" }), "/h/.zshrc");
  assert.equal(rcFile("zsh", { HOME: "/h", ZDOTDIR: "/z" }), "/z/.zshrc");
  assert.equal(rcFile("fish", { HOME: "/h" }), "/h/.config/fish/config.fish");
  assert.equal(rcFile("fish", { HOME: "/h", XDG_CONFIG_HOME: "/x" }), "/x/fish/config.fish");
  assert.equal(rcFile("zsh", { HOME: "/h", ZDOTDIR: "" }), "/h/.zshrc");
});

Deno.test("initCacheFile: XDG_CACHE_HOME, else ~/.cache", () => {
  assert.equal(initCacheFile("zsh", { HOME: "/h" }), "/h/.cache/stc/init.zsh");
  assert.equal(initCacheFile("fish", { HOME: "/h", XDG_CACHE_HOME: "/c" }), "/c/stc/init.fish");
  assert.equal(
    initCacheFile("bash", { HOME: "/h", XDG_CACHE_HOME: "" }),
    "/h/.cache/stc/init.bash",
  );
});

Deno.test("installLine: sources the cache while it is newer than stc, else writes it first; quoted", () => {
  assert.equal(
    installLine("bash", ["/opt/my stc"], "/h/.cache/stc/init.bash"),
    `[ '/h/.cache/stc/init.bash' -nt '/opt/my stc' ] || '/opt/my stc' init bash --install >/dev/null 2>&1; . '/h/.cache/stc/init.bash'`,
  );
  assert.equal(
    installLine("zsh", ["/usr/bin/deno", "run", "/s/main.ts"], "/c/init.zsh"),
    `[ '/c/init.zsh' -nt '/s/main.ts' ] || '/usr/bin/deno' 'run' '/s/main.ts' init zsh --install >/dev/null 2>&1; . '/c/init.zsh'`,
  );
  assert.equal(
    installLine("fish", ["/bin/it's"], "/c/init.fish"),
    `test '/c/init.fish' -nt '/bin/it\\'s'; or '/bin/it\\'s' init fish --install >/dev/null 2>&1; source '/c/init.fish'`,
  );
  const renewing = installLine("bash", ["/bin/stc"], "/c/init.bash", { autoRenew: true });
  assert.equal(
    renewing,
    `[ '/c/init.bash' -nt '/bin/stc' ] || '/bin/stc' init bash --install --auto-renew >/dev/null 2>&1; . '/c/init.bash'`,
  );
  // Installed again with --auto-renew, the marked line gains it.
  const plain = planInstall("", "zsh", installLine("zsh", ["/bin/stc"], "/c/init.zsh")).text;
  const again = planInstall(
    plain,
    "zsh",
    installLine("zsh", ["/bin/stc"], "/c/init.zsh", { autoRenew: true }),
  );
  assert.equal(again.outcome, "updated");
  assert.equal(again.text, plain.replace("--install >", "--install --auto-renew >"));
});

Deno.test("planInstall: appends once, keeps the rest, updates a moved binary", () => {
  const line = installLine("zsh", ["/bin/stc"], "/c/init.zsh");
  const first = planInstall("export A=1", "zsh", line);
  assert.equal(first.outcome, "added");
  assert.equal(first.text, `export A=1\n\n${INSTALL_MARKER}\n${line}\n`);
  assert.deepEqual(planInstall(first.text, "zsh", line), { text: first.text, outcome: "present" });
  assert.equal(planInstall("", "zsh", line).text, `${INSTALL_MARKER}\n${line}\n`);
  assert.equal(planInstall("a\n", "zsh", line).text, `a\n\n${INSTALL_MARKER}\n${line}\n`);
  const moved = planInstall(first.text, "zsh", installLine("zsh", ["/new/stc"], "/c/init.zsh"));
  assert.equal(moved.outcome, "updated");
  assert.equal(moved.text, first.text.replaceAll("/bin/stc", "/new/stc"));
  // The eval line of an earlier --install is replaced by the cached form.
  const older = `${INSTALL_MARKER}\neval "$('/bin/stc' init zsh)"\n`;
  assert.deepEqual(planInstall(older, "zsh", line), {
    text: `${INSTALL_MARKER}\n${line}\n`,
    outcome: "updated",
  });
  // A line the user wrote counts; a commented-out one or another shell's does not.
  assert.equal(planInstall(`eval "$(stc init zsh)"\n`, "zsh", line).outcome, "present");
  assert.equal(planInstall(`# eval "$(stc init zsh)"\n`, "zsh", line).outcome, "added");
  assert.equal(planInstall(`eval "$(stc init bash)"\n`, "zsh", line).outcome, "added");
});

Deno.test("installInit: creates the file and its directory, is idempotent, keeps the mode", async () => {
  const home = await Deno.makeTempDir();
  try {
    const env = { HOME: home, XDG_CONFIG_HOME: `${home}/xdg` };
    const cache = `${home}/.cache/stc/init.fish`;
    assert.deepEqual(await installInit("fish", ["/bin/stc"], env), {
      file: `${home}/xdg/fish/config.fish`,
      cache,
      outcome: "added",
    });
    assert.equal(await Deno.readTextFile(cache), await initScript("fish", ["/bin/stc"]));
    // Present or not, the cache is written again, so that it is newer than stc.
    await Deno.utime(cache, 0, 0);
    assert.equal((await installInit("fish", ["/bin/stc"], env)).outcome, "present");
    assert.ok((await Deno.stat(cache)).mtime!.getTime() > 0);
    assert.equal(
      await Deno.readTextFile(`${home}/xdg/fish/config.fish`),
      `${INSTALL_MARKER}\n${installLine("fish", ["/bin/stc"], cache)}\n`,
    );
    await Deno.writeTextFile(`${home}/.bashrc`, "alias ll='ls -l'\n", { mode: 0o600 });
    await Deno.chmod(`${home}/.bashrc`, 0o600);
    assert.equal((await installInit("bash", ["/bin/stc"], env)).outcome, "added");
    assert.equal((await Deno.stat(`${home}/.bashrc`)).mode! & 0o777, 0o600);
    assert.match(await Deno.readTextFile(`${home}/.bashrc`), /^alias ll='ls -l'\n\n# stc/);
    // A symlinked start-up file stays a link; the file it points to gets the line.
    await Deno.mkdir(`${home}/dotfiles`);
    await Deno.writeTextFile(`${home}/dotfiles/zshrc`, "setopt nobeep\n");
    await Deno.symlink(`${home}/dotfiles/zshrc`, `${home}/.zshrc`);
    assert.equal((await installInit("zsh", ["/bin/stc"], env)).outcome, "added");
    assert.ok((await Deno.lstat(`${home}/.zshrc`)).isSymlink);
    assert.match(await Deno.readTextFile(`${home}/dotfiles/zshrc`), /^setopt nobeep\n\n# stc/);
    const leftovers = [...Deno.readDirSync(home)].map((e) => e.name).filter((n) =>
      n.includes("tmp")
    );
    assert.deepEqual(leftovers, []);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("nu: config.nu where nushell looks; its line only sources the cache, written first", async () => {
  assert.equal(rcFile("nu", { HOME: "/h" }, "linux"), "/h/.config/nushell/config.nu");
  assert.equal(
    rcFile("nu", { HOME: "/h", XDG_CONFIG_HOME: "/x" }, "linux"),
    "/x/nushell/config.nu",
  );
  assert.equal(
    rcFile("nu", { HOME: "/h" }, "darwin"),
    "/h/Library/Application Support/nushell/config.nu",
  );
  assert.equal(
    installLine("nu", ["/bin/stc"], "/h's/.cache/stc/init.nu"),
    `source r#'/h's/.cache/stc/init.nu'#`,
  );
  const home = await Deno.makeTempDir();
  try {
    const env = { HOME: home, XDG_CONFIG_HOME: `${home}/xdg` };
    const cache = initCacheFile("nu", env);
    assert.deepEqual(await installInit("nu", ["/bin/stc"], env), {
      file: `${home}/xdg/nushell/config.nu`,
      cache,
      outcome: "added",
    });
    assert.equal(
      await Deno.readTextFile(`${home}/xdg/nushell/config.nu`),
      `${INSTALL_MARKER}\nsource '${cache}'\n`,
    );
    assert.equal(await Deno.readTextFile(cache), await initScript("nu", ["/bin/stc"]));
    assert.equal((await installInit("nu", ["/bin/stc"], env)).outcome, "present");
    // A moved binary: the cache is written again, the line stays.
    assert.equal((await installInit("nu", ["/new/stc"], env)).outcome, "present");
    assert.match(await Deno.readTextFile(cache), /\^'\/new\/stc' /);
    assert.equal(
      (await Deno.readTextFile(`${home}/xdg/nushell/config.nu`)).split(INSTALL_MARKER).length,
      2,
    );
    // --auto-renew is not there in nushell: a usage error, nothing written.
    await assert.rejects(installInit("nu", ["/bin/stc"], env, { autoRenew: true }), /nu/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
