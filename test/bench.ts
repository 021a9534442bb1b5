/**
 * `deno task bench`: wall time (median of N runs) and peak memory of stc's offline commands, side by side with
 * `deno run` of an empty script as the floor, as ratios. Speed targets live here, never in timed tests.
 *
 * Usage: deno task bench [--runs N]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { makeHome, stcCommandLine } from "./helpers.ts";
import { benchPromptHook } from "./bench_prompt_hook.ts";

interface Row {
  name: string;
  /** argv of the command to time. */
  argv: string[];
  /** What is measured on top of the floor, for the reader. */
  note: string;
}

interface Measured {
  medianMs: number;
  peakKiB?: number;
  error?: string;
}

const TIME = "/usr/bin/time";

async function hasTime(): Promise<boolean> {
  try {
    await Deno.stat(TIME);
    return true;
  } catch {
    return false;
  }
}

async function measure(
  argv: string[],
  env: Record<string, string>,
  runs: number,
): Promise<Measured> {
  const withTime = await hasTime();
  const times: number[] = [];
  let peakKiB = 0;
  for (let i = 0; i < runs; i++) {
    const args = withTime ? ["-f", "%M", ...argv] : argv.slice(1);
    const start = performance.now();
    const out = await new Deno.Command(withTime ? TIME : argv[0], {
      args,
      env,
      clearEnv: true,
      stdout: "null",
      stderr: "piped",
      stdin: "null",
    }).output();
    times.push(performance.now() - start);
    const stderr = new TextDecoder().decode(out.stderr);
    if (out.code !== 0) {
      return { medianMs: NaN, error: stderr.trim().split("\n").slice(-2).join(" ") };
    }
    if (withTime) peakKiB = Math.max(peakKiB, Number(stderr.trim().split("\n").at(-1)) || 0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], peakKiB: withTime ? peakKiB : undefined };
}

function rolesFile(count: number): string {
  const lines = ["# generated for the bench"];
  for (let i = 0; i < count; i++) {
    const account = String(100000000000 + i);
    lines.push(`role-${i} arn:aws:iam::${account}:role/Admin bench-user`);
  }
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "10" } } });
  const runs = Math.max(1, Number(values.runs) || 10);
  await using home = await makeHome();
  await home.write(
    ".aws/credentials",
    "[bench]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n",
    0o600,
  );
  await home.write(".aws/config", "[default]\nsession_tool_default_profile = bench\n");
  await home.write(".aws/bench_session-tool_roles.cfg", rolesFile(10_000));
  const empty = await home.write("empty.ts", "");
  const stc = stcCommandLine();
  const env = { ...home.env, AWS_PROFILE: "bench" };

  const floor: Row = {
    name: "deno run (empty script)",
    argv: [Deno.execPath(), "run", empty],
    note: "floor",
  };
  const rows: Row[] = [
    { name: "stc --version", argv: [...stc, "--version"], note: "start-up" },
    { name: "stc init zsh", argv: [...stc, "init", "zsh"], note: "shell set-up code" },
    {
      name: "stc complete commands",
      argv: [...stc, "complete", "commands"],
      note: "tab completion",
    },
    {
      name: "stc roles --names (10,000 roles)",
      argv: [...stc, "roles", "--names"],
      note: "role completion",
    },
    { name: "stc roles (10,000 roles)", argv: [...stc, "roles"], note: "role table" },
  ];
  const shellRows: Row[] = [];
  for (const shell of ["bash", "zsh"]) {
    const path = `/usr/bin/${shell}`;
    try {
      await Deno.stat(path);
    } catch {
      continue;
    }
    const init = `${stc.map((a) => `'${a}'`).join(" ")} init ${shell}`;
    shellRows.push(
      { name: `${shell} -c : (bare shell)`, argv: [path, "-c", ":"], note: "shell floor" },
      {
        name: `${shell}: eval "$(stc init ${shell})"`,
        argv: [path, "-c", `code=$(${init}) || exit 1; eval "$code"`],
        note: "rc-file cost",
      },
    );
  }

  const base = await measure(floor.argv, env, runs);
  const header = ["command", "median ms", "× floor", "peak MiB", "what"];
  const table: string[][] = [[
    floor.name,
    base.medianMs.toFixed(1),
    "1.00",
    mib(base.peakKiB),
    floor.note,
  ]];
  for (const row of [...rows, ...shellRows]) {
    const m = await measure(row.argv, env, runs);
    table.push(
      m.error ? [row.name, "n/a", "n/a", "n/a", `failed: ${m.error}`] : [
        row.name,
        m.medianMs.toFixed(1),
        (m.medianMs / base.medianMs).toFixed(2),
        mib(m.peakKiB),
        row.note,
      ],
    );
  }
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(
      "  ",
    );
  console.log(`stc bench: median of ${runs} runs, ${Deno.build.target}`);
  console.log(line(header));
  for (const row of table) console.log(line(row));
  await benchPromptHook(stc, env);
}

function mib(kib: number | undefined): string {
  return kib === undefined ? "n/a" : (kib / 1024).toFixed(1);
}

if (import.meta.main) await main();
