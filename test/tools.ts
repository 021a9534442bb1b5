/**
 * The external tools tests drive (shells, tmux, a pseudo-terminal, age, the AWS CLI), and the rule for a test
 * that needs one: skipped visibly (`Deno.test({ ignore })`, the reason in its name) where the tool is missing,
 * but a failure in CI (`CI=true`), where `.ci/run` installs every tool the suite needs.
 *
 * @module
 */

/** A tool a test may need. */
export type Tool =
  | "bash"
  | "zsh"
  | "fish"
  | "nu"
  | "sh"
  | "dash"
  | "tmux"
  | "script"
  | "age"
  | "openssl"
  | "jq"
  | "aws-cli-v2"
  | "env-0"
  | "mount-namespace";

async function runs(command: string, args: string[], expect?: (out: string) => boolean) {
  try {
    const out = await new Deno.Command(command, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return expect ? expect(text) : out.success;
  } catch {
    return false;
  }
}

let awsCli: Promise<string | undefined> | undefined;

/**
 * The AWS CLI v2 on PATH (tests pass `--endpoint-url`, which v1 mishandles, and v1 may come first on PATH, e.g. a
 * pyenv shim): the first `aws` on PATH whose `--version` says `aws-cli/2`, else `/usr/bin/aws` if it is v2.
 */
export function awsCliV2(): Promise<string | undefined> {
  awsCli ??= (async () => {
    const dirs = (Deno.env.get("PATH") ?? "").split(":").filter((d) => d !== "");
    for (const candidate of [...dirs.map((d) => `${d}/aws`), "/usr/bin/aws"]) {
      if (await runs(candidate, ["--version"], (out) => out.startsWith("aws-cli/2"))) {
        return candidate;
      }
    }
    return undefined;
  })();
  return awsCli;
}

const CHECKS: Readonly<Record<Tool, () => Promise<boolean>>> = {
  bash: () => runs("bash", ["-c", "exit 0"]),
  zsh: () => runs("zsh", ["-c", "exit 0"]),
  fish: () => runs("fish", ["-c", "exit 0"]),
  nu: () => runs("nu", ["-c", "exit 0"]),
  sh: () => runs("sh", ["-c", "exit 0"]),
  dash: () => runs("dash", ["-c", "exit 0"]),
  tmux: () => runs("tmux", ["-V"]),
  // util-linux `script`: macOS's BSD `script` takes other arguments.
  script: () => runs("script", ["--version"], (out) => out.includes("util-linux")),
  age: () => runs("age", ["--version"]),
  openssl: () => runs("openssl", ["version"]),
  jq: () => runs("jq", ["--version"]),
  "aws-cli-v2": async () => (await awsCliV2()) !== undefined,
  // GNU env's -0 prints the environment NUL-separated, for exact child-environment checks.
  "env-0": () => runs("env", ["-0"]),
  // util-linux `unshare`: a private mount namespace (as root, or in a user namespace) where a test mounts a
  // read-only or a full file system under a temporary HOME.
  "mount-namespace": () =>
    runs("unshare", [
      "-rm",
      "sh",
      "-c",
      "mount -t tmpfs -o size=16k tmpfs /tmp && mount -o remount,ro /tmp",
    ]),
};

const known = new Map<Tool, Promise<boolean>>();

/** Whether `tool` is available here. */
export function hasTool(tool: Tool): Promise<boolean> {
  let result = known.get(tool);
  if (!result) known.set(tool, result = CHECKS[tool]());
  return result;
}

/** Whether this is a CI run, where every tool must be there. */
export function inCi(): boolean {
  return Deno.env.get("CI") === "true";
}

/**
 * Registers a test that needs `tools`. Where one is missing it is registered as ignored, with the reason in its
 * name; in CI it runs and fails, naming the missing tools.
 */
export async function testWith(
  tools: readonly Tool[],
  name: string,
  fn: () => Promise<void> | void,
): Promise<void> {
  const missing: Tool[] = [];
  for (const tool of tools) if (!(await hasTool(tool))) missing.push(tool);
  if (missing.length === 0) {
    Deno.test(name, fn);
  } else if (inCi()) {
    Deno.test(name, () => {
      throw new Error(`needs ${missing.join(", ")}, which .ci/run should have installed`);
    });
  } else {
    Deno.test({ name: `${name} (skipped: ${missing.join(", ")} not installed)`, ignore: true, fn });
  }
}
