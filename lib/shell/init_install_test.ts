import assert from "node:assert/strict";
import { INSTALL_MARKER, installInit, installLine, planInstall, rcFile } from "./init_install.ts";

Deno.test("rcFile: ~/.bashrc, ZDOTDIR for zsh, XDG_CONFIG_HOME for fish", () => {
  assert.equal(rcFile("bash", { HOME: "/h" }), "/h/.bashrc");
  assert.equal(rcFile("zsh", { HOME: "/h" }), "/h/.zshrc");
  assert.equal(rcFile("zsh", { HOME: "/h", ZDOTDIR: "/z" }), "/z/.zshrc");
  assert.equal(rcFile("fish", { HOME: "/h" }), "/h/.config/fish/config.fish");
  assert.equal(rcFile("fish", { HOME: "/h", XDG_CONFIG_HOME: "/x" }), "/x/fish/config.fish");
  assert.equal(rcFile("zsh", { HOME: "/h", ZDOTDIR: "" }), "/h/.zshrc");
});

Deno.test("installLine: quoted command, eval for bash/zsh, source for fish", () => {
  assert.equal(installLine("bash", ["/opt/my stc"]), `eval "$('/opt/my stc' init bash)"`);
  assert.equal(installLine("zsh", ["/bin/stc"]), `eval "$('/bin/stc' init zsh)"`);
  assert.equal(installLine("fish", ["/bin/it's"]), `'/bin/it\\'s' init fish | source`);
  assert.equal(
    installLine("bash", ["/bin/stc"], { autoRenew: true }),
    `eval "$('/bin/stc' init bash --auto-renew)"`,
  );
  assert.equal(
    installLine("fish", ["/bin/stc"], { autoRenew: true }),
    `'/bin/stc' init fish --auto-renew | source`,
  );
  // Installed again with --auto-renew, the marked line gains it.
  const plain = planInstall("", "zsh", installLine("zsh", ["/bin/stc"])).text;
  const renewing = planInstall(plain, "zsh", installLine("zsh", ["/bin/stc"], { autoRenew: true }));
  assert.equal(renewing.outcome, "updated");
  assert.equal(renewing.text, plain.replace("init zsh", "init zsh --auto-renew"));
});

Deno.test("planInstall: appends once, keeps the rest, updates a moved binary", () => {
  const line = installLine("zsh", ["/bin/stc"]);
  const first = planInstall("export A=1", "zsh", line);
  assert.equal(first.outcome, "added");
  assert.equal(first.text, `export A=1\n\n${INSTALL_MARKER}\n${line}\n`);
  assert.deepEqual(planInstall(first.text, "zsh", line), { text: first.text, outcome: "present" });
  assert.equal(planInstall("", "zsh", line).text, `${INSTALL_MARKER}\n${line}\n`);
  assert.equal(planInstall("a\n", "zsh", line).text, `a\n\n${INSTALL_MARKER}\n${line}\n`);
  const moved = planInstall(first.text, "zsh", installLine("zsh", ["/new/stc"]));
  assert.equal(moved.outcome, "updated");
  assert.equal(moved.text, first.text.replace("/bin/stc", "/new/stc"));
  // A line the user wrote counts; a commented-out one or another shell's does not.
  assert.equal(planInstall(`eval "$(stc init zsh)"\n`, "zsh", line).outcome, "present");
  assert.equal(planInstall(`# eval "$(stc init zsh)"\n`, "zsh", line).outcome, "added");
  assert.equal(planInstall(`eval "$(stc init bash)"\n`, "zsh", line).outcome, "added");
});

Deno.test("installInit: creates the file and its directory, is idempotent, keeps the mode", async () => {
  const home = await Deno.makeTempDir();
  try {
    const env = { HOME: home, XDG_CONFIG_HOME: `${home}/xdg` };
    assert.deepEqual(await installInit("fish", ["/bin/stc"], env), {
      file: `${home}/xdg/fish/config.fish`,
      outcome: "added",
    });
    assert.equal((await installInit("fish", ["/bin/stc"], env)).outcome, "present");
    assert.equal(
      await Deno.readTextFile(`${home}/xdg/fish/config.fish`),
      `${INSTALL_MARKER}\n'/bin/stc' init fish | source\n`,
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
