import assert from "node:assert/strict";
import {
  browserLaunch,
  chromeArguments,
  commandOnPath,
  escapeForCmd,
  type PlatformFacts,
  profileDirectoryFor,
  runLaunch,
} from "./browser.ts";
import { StcError } from "../core/errors.ts";

const URL_ = "https://signin.aws.amazon.com/federation?Action=login&Issuer=stc&Destination=" +
  "https%3A%2F%2Fconsole.aws.amazon.com%2F&SigninToken=abc%2Bdef";

function platform(os: string, wsl = false, commands: string[] = []): PlatformFacts {
  return { os, wsl, hasCommand: (name) => commands.includes(name) };
}

Deno.test("configured Chrome on Linux: run directly, URL last and whole", () => {
  const launch = browserLaunch(
    { url: URL_, browser: "/snap/bin/chromium", profileDirectory: "prod-admin" },
    platform("linux"),
  );
  assert.deepEqual(launch, {
    command: "/snap/bin/chromium",
    args: [
      "--no-first-run",
      "--no-default-browser-check",
      "--profile-directory=prod-admin",
      URL_,
    ],
    usesProfile: true,
  });
});

Deno.test("configured Chrome app on macOS: open -n -a APP --args …", () => {
  const launch = browserLaunch(
    { url: URL_, browser: "/Applications/Google Chrome.app", profileDirectory: "Default" },
    platform("darwin"),
  );
  assert.deepEqual(launch.command, "open");
  assert.deepEqual(launch.args, [
    "-n",
    "-a",
    "/Applications/Google Chrome.app",
    "--args",
    ...chromeArguments("Default"),
    URL_,
  ]);
  const byName = browserLaunch(
    { url: URL_, browser: "Chromium", profileDirectory: "x" },
    platform("darwin"),
  );
  assert.deepEqual(byName.args.slice(0, 4), ["-n", "-a", "Chromium", "--args"]);
  const binary = browserLaunch(
    { url: URL_, browser: "/opt/chrome/bin/chrome", profileDirectory: "x" },
    platform("darwin"),
  );
  assert.equal(binary.command, "/opt/chrome/bin/chrome");
});

Deno.test("platform defaults without a configured browser", () => {
  const req = { url: URL_, profileDirectory: "x" };
  assert.deepEqual(browserLaunch(req, platform("darwin")), {
    command: "open",
    args: [URL_],
    usesProfile: false,
  });
  assert.deepEqual(browserLaunch(req, platform("linux")), {
    command: "xdg-open",
    args: [URL_],
    usesProfile: false,
  });
  assert.deepEqual(browserLaunch(req, platform("linux", true, ["wslview"])), {
    command: "wslview",
    args: [URL_],
    usesProfile: false,
  });
  const cmd = browserLaunch(req, platform("linux", true));
  assert.equal(cmd.command, "cmd.exe");
  assert.deepEqual(cmd.args.slice(0, 2), ["/c", "start"]);
  assert.equal(cmd.args[2], URL_.replaceAll("&", "^&"));
  assert.equal(browserLaunch(req, platform("windows")).command, "rundll32");
});

Deno.test("escapeForCmd escapes every cmd.exe metacharacter", () => {
  assert.equal(escapeForCmd("a&b|c<d>e^f(g)h"), "a^&b^|c^<d^>e^^f^(g^)h");
  assert.equal(escapeForCmd("%41%20"), "%41%20");
});

Deno.test("profile directory names from aliases cannot make paths", () => {
  assert.equal(profileDirectoryFor("prod-admin"), "prod-admin");
  assert.equal(profileDirectoryFor("acct/Role"), "acct_Role");
  assert.equal(profileDirectoryFor("../../x"), "_._.._x");
  assert.ok(!profileDirectoryFor("..").startsWith("."));
  assert.equal(profileDirectoryFor(""), "Default");
});

Deno.test("commandOnPath finds executables only", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/tool`, "#!/bin/sh\n", { mode: 0o755 });
    await Deno.writeTextFile(`${dir}/data`, "x", { mode: 0o644 });
    await Deno.chmod(`${dir}/data`, 0o644);
    assert.ok(commandOnPath("tool", `/nonexistent:${dir}`));
    assert.ok(!commandOnPath("data", dir));
    assert.ok(!commandOnPath("tool", undefined));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runLaunch: missing command and failing command are errors without the URL", async () => {
  const secretUrl = "https://signin.aws.amazon.com/federation?SigninToken=SECRET";
  await assert.rejects(
    runLaunch({ command: "/nonexistent/browser", args: [secretUrl], usesProfile: true }, {}),
    (e: unknown) => {
      assert.ok(e instanceof StcError);
      assert.match(e.message, /not found/);
      assert.ok(!e.message.includes("SECRET"));
      return true;
    },
  );
  await assert.rejects(
    runLaunch({ command: "false", args: [secretUrl], usesProfile: true }, {
      PATH: "/usr/bin:/bin",
    }),
    (e: unknown) => {
      assert.ok(e instanceof StcError);
      assert.match(e.message, /exit code 1/);
      assert.ok(!e.message.includes("SECRET"));
      return true;
    },
  );
  await runLaunch({ command: "true", args: [secretUrl], usesProfile: true }, {
    PATH: "/usr/bin:/bin",
  });
});
