/**
 * The cost of the auto-renew prompt hook (`stc init SHELL --auto-renew`) when nothing is due, measured in the
 * shell itself: the time of 1000 calls of the hook in one shell, by the shell's own clock, divided by 1000. The
 * budget is 1 ms a prompt; the hook then starts no process.
 *
 * @module
 */

import type { InitShell } from "../lib/shell/init_script.ts";

/** Calls of the hook per shell. */
const CALLS = 1000;
/** What a prompt may spend on the hook when nothing is due. */
const BUDGET_MS = 1;

/**
 * Shell code that runs the hook CALLS times with a role an hour from expiry and prints the nanoseconds per call.
 * The loop's own cost is included: the figure is an upper bound.
 */
function timingScript(shell: Exclude<InitShell, "nu">, initFile: string): string {
  const role = "AWS_ROLE_ALIAS=bench-role";
  switch (shell) {
    case "bash":
      return `source '${initFile}'; export ${role} AWS_EXPIRATION_S=$((EPOCHSECONDS + 3600))
start=$EPOCHREALTIME; for ((i = 0; i < ${CALLS}; i++)); do _stc_auto_renew; done; end=$EPOCHREALTIME
echo $(( (\${end/./} - \${start/./}) * 1000 / ${CALLS} ))`;
    case "zsh":
      return `source '${initFile}'; zmodload zsh/datetime; export ${role} AWS_EXPIRATION_S=$((EPOCHSECONDS + 3600))
start=$EPOCHREALTIME; for ((i = 0; i < ${CALLS}; i++)); do _stc_auto_renew; done; end=$EPOCHREALTIME
printf '%.0f\\n' $(( (end - start) * 1e9 / ${CALLS} ))`;
    case "fish":
      return `source '${initFile}'; set -gx ${
        role.replace("=", " ")
      }; set -gx AWS_EXPIRATION_S (math (date +%s) + 3600)
set start (date +%s%N); for i in (seq ${CALLS}); _stc_auto_renew; end; set end (date +%s%N)
math "round(($end - $start) / ${CALLS})"`;
  }
}

/** One line per shell: the hook's cost per prompt when nothing is due, against the budget. */
export async function benchPromptHook(
  stc: readonly string[],
  env: Record<string, string>,
): Promise<void> {
  const lines: string[] = [];
  for (const shell of ["bash", "zsh", "fish"] as const) {
    const init = await new Deno.Command(stc[0], {
      args: [...stc.slice(1), "init", shell, "--auto-renew"],
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "null",
    }).output();
    const file = await Deno.makeTempFile({ suffix: `.${shell}` });
    try {
      await Deno.writeFile(file, init.stdout);
      const args = shell === "fish"
        ? ["--no-config", "-c"]
        : shell === "bash"
        ? ["--norc", "-c"]
        : ["-f", "-c"];
      const out = await new Deno.Command(shell, {
        args: [...args, timingScript(shell, file)],
        env,
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output().catch(() => undefined);
      const ms = out?.success ? Number(new TextDecoder().decode(out.stdout).trim()) / 1e6 : NaN;
      lines.push(
        Number.isFinite(ms)
          ? `${shell.padEnd(5)} ${(ms * 1000).toFixed(1).padStart(7)} µs/prompt  ${
            ms < BUDGET_MS ? "ok" : "OVER BUDGET"
          }`
          : `${shell.padEnd(5)} n/a (${
            out ? new TextDecoder().decode(out.stderr).trim().split("\n")[0] : "not installed"
          })`,
      );
    } finally {
      await Deno.remove(file);
    }
  }
  console.log(
    `\nauto-renew prompt hook, nothing due (${CALLS} calls in the shell; budget ${BUDGET_MS} ms):`,
  );
  for (const line of lines) console.log(line);
}

if (import.meta.main) {
  const { stcCommandLine } = await import("./helpers.ts");
  await benchPromptHook(stcCommandLine(), {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "",
  });
}
