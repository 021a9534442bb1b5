/**
 * Opening a console sign-in URL in a browser, without a shell: the URL is one argument of the browser's argv.
 *
 * The browser is `session-tool_chrome` from the profile (session-tool.sh's key: a Chrome or Chromium executable,
 * or on macOS an application such as `/Applications/Google Chrome.app`), started with session-tool.sh's arguments
 * `--no-first-run --no-default-browser-check --profile-directory=<dir>`: `-o` uses a browser profile named after
 * the role, so several accounts stay signed in side by side; `-d` uses `Default`. Without the key the platform's
 * opener is used (macOS `open`, Linux `xdg-open`, WSL `wslview` else `cmd.exe /c start`, Windows `rundll32`),
 * which cannot choose a browser profile.
 *
 * WSL without `wslview`: `cmd.exe /c start URL`. cmd.exe re-parses its command line, where `&`, `|`, `<`, `>`,
 * `^`, `(` and `)` are special, so each of them in the URL is escaped with `^`. A sign-in URL is percent-encoded:
 * it has no spaces or quotes (WSL passes such an argument to Windows verbatim, and `start` does not take it for a
 * window title, which only a quoted first argument is), and its `%XX` sequences name no environment variables.
 *
 * @module
 */

import { StcError } from "../core/errors.ts";
import { msg } from "../core/message.ts";

/** The facts about the machine that decide how to open a URL. */
export interface PlatformFacts {
  /** `Deno.build.os`. */
  os: string;
  /** Running under Windows Subsystem for Linux. */
  wsl: boolean;
  /** Whether an executable of that name is on PATH. */
  hasCommand(name: string): boolean;
}

/** A command line to run (never through a shell). */
export interface Launch {
  /** The executable. */
  command: string;
  /** Its arguments. */
  args: string[];
  /** False when the browser cannot honour a profile directory (platform openers). */
  usesProfile: boolean;
}

/** What to open, and how. */
export interface BrowserRequest {
  /** The URL: one argument, as it is. */
  url: string;
  /** The configured browser (`session-tool_chrome`), if any. */
  browser?: string;
  /** Chrome profile directory name (`Default`, or the role's). */
  profileDirectory: string;
}

/** Chrome's arguments before the URL, as session-tool.sh passes them. */
export function chromeArguments(profileDirectory: string): string[] {
  return [
    "--no-first-run",
    "--no-default-browser-check",
    `--profile-directory=${profileDirectory}`,
  ];
}

/**
 * A browser profile directory name for a role alias: characters other than letters, digits, `.`, `_` and `-`
 * become `_` (aliases may hold `/` or `:`, which must not make a path), and a leading dot is replaced too.
 */
export function profileDirectoryFor(alias: string): string {
  const safe = alias.replace(/[^\w.-]/g, "_").replace(/^\./, "_");
  return safe === "" ? "Default" : safe.slice(0, 100);
}

/** Escapes cmd.exe's special characters with `^`. */
export function escapeForCmd(text: string): string {
  return text.replace(/[&|<>^()]/g, (c) => `^${c}`);
}

function isMacApp(browser: string): boolean {
  // session-tool.sh hands the key to `open -a`: an .app bundle path or an application name.
  return /\.app\/?$/.test(browser) || !browser.includes("/");
}

/** The command line that opens `request.url`. */
export function browserLaunch(request: BrowserRequest, platform: PlatformFacts): Launch {
  const { url, browser, profileDirectory } = request;
  if (browser) {
    const chrome = [...chromeArguments(profileDirectory), url];
    if (platform.os === "darwin" && isMacApp(browser)) {
      return {
        command: "open",
        args: ["-n", "-a", browser, "--args", ...chrome],
        usesProfile: true,
      };
    }
    return { command: browser, args: chrome, usesProfile: true };
  }
  if (platform.os === "darwin") return { command: "open", args: [url], usesProfile: false };
  if (platform.os === "windows") {
    return { command: "rundll32", args: ["url.dll,FileProtocolHandler", url], usesProfile: false };
  }
  if (platform.wsl) {
    if (platform.hasCommand("wslview")) {
      return { command: "wslview", args: [url], usesProfile: false };
    }
    return {
      command: "cmd.exe",
      args: ["/c", "start", escapeForCmd(url)],
      usesProfile: false,
    };
  }
  return { command: "xdg-open", args: [url], usesProfile: false };
}

/** Whether an executable named `name` is in one of the PATH directories. */
export function commandOnPath(name: string, path: string | undefined): boolean {
  for (const dir of (path ?? "").split(":")) {
    if (dir === "") continue;
    try {
      const info = Deno.statSync(`${dir}/${name}`);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** Whether `command` can be run: an executable file when it is a path, else one on PATH. */
export function commandAvailable(command: string, path: string | undefined): boolean {
  if (!command.includes("/")) return commandOnPath(command, path);
  try {
    const info = Deno.statSync(command);
    return (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) || info.isDirectory;
  } catch {
    return false;
  }
}

function detectWsl(env: Readonly<Record<string, string | undefined>>): boolean {
  if (Deno.build.os !== "linux") return false;
  if (env.WSL_DISTRO_NAME || env.WSL_INTEROP) return true;
  try {
    return /microsoft/i.test(Deno.readTextFileSync("/proc/sys/kernel/osrelease"));
  } catch {
    return false;
  }
}

/** The facts of this machine. */
export function currentPlatform(env: Readonly<Record<string, string | undefined>>): PlatformFacts {
  return {
    os: Deno.build.os,
    wsl: detectWsl(env),
    hasCommand: (name) => commandOnPath(name, env.PATH),
  };
}

/** How long to wait for a browser command to fail before assuming it is running. */
const SETTLE_MS = 1500;

/**
 * Runs the launch command, detached, with no stdin and its output discarded (a browser that keeps running must not
 * hold stc's stdout, which the shell function reads to its end). Fails when the command cannot be started or exits
 * with an error within a moment; a browser still running after that is left to run. Messages never quote the URL.
 */
export async function runLaunch(launch: Launch, env: Record<string, string>): Promise<void> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(launch.command, {
      args: launch.args,
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "null",
      stderr: "null",
      detached: true,
    }).spawn();
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "not found"
      : error instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : "cannot be started";
    throw new StcError(msg`'${launch.command}' ${reason}`, {
      hint: "set the browser with: aws configure set session-tool_chrome PATH --profile PROFILE",
    });
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settled = await Promise.race([
    child.status,
    new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), SETTLE_MS)),
  ]);
  clearTimeout(timer);
  if (settled === undefined) {
    child.unref();
    return;
  }
  if (!settled.success) {
    throw new StcError(
      msg`'${launch.command}' failed (${
        settled.signal ? `signal ${settled.signal}` : `exit code ${settled.code}`
      })`,
      {
        hint:
          "check the browser set in session-tool_chrome, or open the URL yourself (run without -o/-d)",
      },
    );
  }
}
