/**
 * `deno task bench`: what stc costs where it is felt — start-up of the offline commands, completion over a long
 * role list, and shell start with stc loaded — as ratios to a baseline, with the budgets of issue 16.
 *
 * Each entry is measured in interleaved pairs (baseline, entry, entry, baseline, …), so that a burst of load
 * from other processes hits both sides of a pair alike, and reports the median of the pair ratios. The
 * baseline of a command is the floor, `deno run` of an empty file; that of a shell start is the same shell
 * with an empty start-up file. Peak memory (the maximum resident set size, from `/usr/bin/time -f %M`) is
 * measured on separate pairs, so that the wrapper does not add to the timed runs. Speed targets live here,
 * never in timed tests; `--quick` (one pair, no warm-up) is what the smoke test runs.
 *
 * Usage: deno task bench [--pairs N] [--quick] [--only TEXT]
 *
 * @module
 */

import { makeHome, REPO_ROOT, stcCommandLine, type TempHome, testingBinary } from "./helpers.ts";
import { LOAD_FLAGS, PERMISSION_FLAGS } from "../lib/cli/self.ts";
import { benchPromptHook } from "./bench_prompt_hook.ts";
import { expiryVariables } from "../lib/session/variables.ts";

/** One process to run. */
export interface Run {
  /** The command line. */
  argv: readonly string[];
  /** The whole environment. */
  env: Readonly<Record<string, string>>;
  /** What it reads on stdin (nothing when absent). */
  stdin?: string;
}

/** One entry of the bench: a run, its baseline, and the budgets its ratios must meet. */
export interface Entry {
  /** What is measured, as the table shows it. */
  name: string;
  /** The measured run. */
  run: Run;
  /** The baseline it is divided by. */
  baseline: Run;
  /** Name of the baseline, for the reader. */
  baselineName: string;
  /** Largest allowed median ratio of wall time; none for entries shown for information. */
  timeBudget?: number;
  /** Largest allowed median ratio of peak memory. */
  memoryBudget?: number;
}

/** What the pairs of one entry gave. */
export interface Result {
  /** The entry. */
  entry: Entry;
  /** Median wall time of the run, ms. */
  runMs: number;
  /** Median wall time of the baseline, ms. */
  baselineMs: number;
  /** Median of the pair ratios of wall time. */
  timeRatio: number;
  /** Median peak memory of the run, KiB (undefined without /usr/bin/time). */
  runKiB?: number;
  /** Median of the pair ratios of peak memory. */
  memoryRatio?: number;
  /** Why a run failed, when one did. */
  error?: string;
}

const TIME = "/usr/bin/time";

/** The median of a list of numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

class RunFailed extends Error {}

/** Runs once; returns the wall time in ms and, when wrapped by /usr/bin/time, the peak memory in KiB. */
async function runOnce(run: Run, withMemory: boolean): Promise<{ ms: number; kib?: number }> {
  const [program, ...args] = withMemory ? [TIME, "-f", "%M", ...run.argv] : run.argv;
  const start = performance.now();
  const child = new Deno.Command(program, {
    args,
    env: { ...run.env },
    clearEnv: true,
    stdin: run.stdin === undefined ? "null" : "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  if (run.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(run.stdin));
    await writer.close();
  }
  const out = await child.output();
  const ms = performance.now() - start;
  const stderr = new TextDecoder().decode(out.stderr).trim();
  if (out.code !== 0) {
    throw new RunFailed(`${run.argv.join(" ")}: exit ${out.code}: ${stderr.split("\n").at(-1)}`);
  }
  return withMemory ? { ms, kib: Number(stderr.split("\n").at(-1)) } : { ms };
}

async function hasTime(): Promise<boolean> {
  try {
    return (await Deno.stat(TIME)).isFile;
  } catch {
    return false;
  }
}

/**
 * One pair: the baseline and the run, one right after the other. Odd pairs run the other way round: whichever
 * runs second is a few per cent slower (measured here: the same command against itself gives 1.06–1.10 without
 * the swap, 0.98–1.01 with it).
 */
async function pair(
  entry: Entry,
  index: number,
  withMemory: boolean,
): Promise<[{ ms: number; kib?: number }, { ms: number; kib?: number }]> {
  if (index % 2 === 0) {
    const a = await runOnce(entry.baseline, withMemory);
    return [a, await runOnce(entry.run, withMemory)];
  }
  const b = await runOnce(entry.run, withMemory);
  return [await runOnce(entry.baseline, withMemory), b];
}

/** Measures an entry: `pairs` timed pairs, then up to `memoryPairs` pairs under /usr/bin/time. */
export async function measure(
  entry: Entry,
  options: { pairs: number; memoryPairs: number; warmUp: boolean },
): Promise<Result> {
  try {
    if (options.warmUp) {
      await runOnce(entry.baseline, false);
      await runOnce(entry.run, false);
    }
    const baseline: number[] = [];
    const run: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < options.pairs; i++) {
      const [a, b] = await pair(entry, i, false);
      baseline.push(a.ms);
      run.push(b.ms);
      ratios.push(b.ms / a.ms);
    }
    const result: Result = {
      entry,
      runMs: median(run),
      baselineMs: median(baseline),
      timeRatio: median(ratios),
    };
    if (options.memoryPairs > 0 && await hasTime()) {
      const kib: number[] = [];
      const memoryRatios: number[] = [];
      for (let i = 0; i < options.memoryPairs; i++) {
        const [a, b] = await pair(entry, i, true);
        kib.push(b.kib!);
        memoryRatios.push(b.kib! / a.kib!);
      }
      result.runKiB = median(kib);
      result.memoryRatio = median(memoryRatios);
    }
    return result;
  } catch (error) {
    if (!(error instanceof RunFailed)) throw error;
    return { entry, runMs: NaN, baselineMs: NaN, timeRatio: NaN, error: error.message };
  }
}

/** Whether a result meets its budgets (an entry without budgets always does, unless it failed). */
export function withinBudget(result: Result): boolean {
  if (result.error) return false;
  const { timeBudget, memoryBudget } = result.entry;
  if (timeBudget !== undefined && !(result.timeRatio <= timeBudget)) return false;
  if (memoryBudget !== undefined && result.memoryRatio !== undefined) {
    return result.memoryRatio <= memoryBudget;
  }
  return true;
}

function rolesFile(count: number): string {
  const lines = ["# generated for the bench"];
  for (let i = 0; i < count; i++) {
    const account = String(100000000000 + i);
    lines.push(`role-${i} arn:aws:iam::${account}:role/Admin bench-user`);
  }
  return `${lines.join("\n")}\n`;
}

/** The issue's budgets (issue 16): ratios to the floor, and of shell start to an empty start-up file. */
export const BUDGETS = {
  /** `stc init SHELL`, `--version`, `--help`, `complete commands`. */
  offlineStart: 1.15,
  /** `stc status` (no network). */
  status: 1.2,
  /** `complete roles` and `roles --names` with 10,000 aliases. */
  roleCompletion: 1.5,
  /** Peak memory of every offline command. */
  offlineMemory: 1.25,
  /** `zsh -ic exit` with the cached init code against an empty start-up file. */
  cachedShellStart: 1.1,
} as const;

/** Number of aliases in the generated roles file. */
export const BENCH_ROLES = 10_000;

/** Sets up a HOME with a profile, 10,000 role aliases and start-up files, and lists the entries. */
export async function benchEntries(home: TempHome): Promise<Entry[]> {
  await home.write(
    ".aws/credentials",
    "[bench]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n",
    0o600,
  );
  await home.write(".aws/config", "[default]\nsession_tool_default_profile = bench\n");
  await home.write(".aws/bench_session-tool_roles.cfg", rolesFile(BENCH_ROLES));
  const empty = await home.write("empty.ts", "");
  const stc = stcCommandLine();
  const env = { ...home.env, AWS_PROFILE: "bench" };
  const floor: Run = { argv: [Deno.execPath(), "run", empty], env: home.env };
  // The variables `stc session` sets in a shell, expiry in local time included.
  const sessionEnv = {
    ...env,
    AWS_ACCESS_KEY_ID: "ASIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: "bench-secret",
    AWS_SESSION_TOKEN: "bench-token",
    ...expiryVariables(new Date(Date.now() + 3_600_000)),
    AWS_USER: "arn:aws:iam::123456789012:user/bench",
    AWS_USERNAME: "bench",
  };
  const offline = (
    name: string,
    args: string[],
    timeBudget: number,
    runEnv: Record<string, string> = env,
    stdin?: string,
  ): Entry => ({
    name,
    run: { argv: [...stc, ...args], env: runEnv, ...(stdin === undefined ? {} : { stdin }) },
    baseline: floor,
    baselineName: "floor",
    timeBudget,
    memoryBudget: BUDGETS.offlineMemory,
  });
  const entries: Entry[] = [
    offline("stc --version", ["--version"], BUDGETS.offlineStart),
    offline("stc --help", ["--help"], BUDGETS.offlineStart),
    offline("stc init bash", ["init", "bash"], BUDGETS.offlineStart),
    offline("stc init zsh", ["init", "zsh"], BUDGETS.offlineStart),
    offline("stc init fish", ["init", "fish"], BUDGETS.offlineStart),
    offline("stc complete commands", ["complete", "commands"], BUDGETS.offlineStart),
    offline("stc status", ["status"], BUDGETS.status, sessionEnv),
    offline(
      `stc complete roles (${BENCH_ROLES} aliases)`,
      ["complete", "roles"],
      BUDGETS.roleCompletion,
    ),
    offline(
      `stc roles --names (${BENCH_ROLES} aliases)`,
      ["roles", "--names"],
      BUDGETS.roleCompletion,
    ),
    // What a Tab after `stc assume ` runs: the words on stdin, every alias with its ARN back.
    offline(
      `stc complete words, stc assume <Tab> (${BENCH_ROLES} aliases)`,
      ["complete", "words"],
      BUDGETS.roleCompletion,
      env,
      "stc\nassume\n\n",
    ),
    {
      name: `stc roles (${BENCH_ROLES} aliases, table)`,
      run: { argv: [...stc, "roles"], env },
      baseline: floor,
      baselineName: "floor",
    },
  ];
  if (!testingBinary()) {
    // What running from source adds before any of stc loads: stc's flags, deno.json and its lock file. Part of
    // every ratio above; a compiled binary reads neither.
    entries.push({
      name: "deno run of an empty file with stc's deno.json and flags",
      run: {
        argv: [
          Deno.execPath(),
          "run",
          "--quiet",
          ...LOAD_FLAGS,
          ...PERMISSION_FLAGS,
          "--config",
          `${REPO_ROOT}deno.json`,
          empty,
        ],
        env: home.env,
      },
      baseline: floor,
      baselineName: "floor",
    });
  }
  return [...entries, ...await shellEntries(home, stc)];
}

/** Shell start (`SHELL -ic exit`) with stc loaded by `eval "$(stc init …)"` and from the cached init code. */
async function shellEntries(home: TempHome, stc: readonly string[]): Promise<Entry[]> {
  const entries: Entry[] = [];
  const quoted = stc.map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(" ");
  for (const shell of ["bash", "zsh", "fish"] as const) {
    const path = `/usr/bin/${shell}`;
    try {
      await Deno.stat(path);
    } catch {
      continue;
    }
    // Each variant gets its own HOME-like directory, so that its start-up file is the only difference.
    const variant = async (name: string, rc: string | undefined): Promise<Run> => {
      const dir = `${home.home}/${shell}-${name}`;
      const env: Record<string, string> = {
        ...home.env,
        HOME: dir,
        XDG_CACHE_HOME: `${dir}/.cache`,
      };
      await Deno.mkdir(dir, { recursive: true });
      if (shell === "bash") await home.write(`${shell}-${name}/.bashrc`, "");
      if (shell === "zsh") await home.write(`${shell}-${name}/.zshrc`, "");
      if (shell === "fish") {
        await home.write(`${shell}-${name}/.config/fish/config.fish`, "");
        env.XDG_CONFIG_HOME = `${dir}/.config`;
      }
      if (rc === "install") {
        const out = await new Deno.Command(stc[0], {
          args: [...stc.slice(1), "init", shell, "--install"],
          env,
          clearEnv: true,
          stdout: "null",
          stderr: "piped",
        }).output();
        if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
      } else if (rc !== undefined) {
        const file = shell === "fish" ? ".config/fish/config.fish" : `.${shell}rc`;
        await home.write(`${shell}-${name}/${file}`, rc);
      }
      return { argv: [path, "-ic", "exit"], env };
    };
    const empty = await variant("empty", undefined);
    const evalLine = shell === "fish"
      ? `${quoted} init fish | source\n`
      : `eval "$(${quoted} init ${shell})"\n`;
    entries.push({
      name: `${shell} -ic exit, ${shell === "fish" ? "stc init fish | source" : "eval stc init"}`,
      run: await variant("eval", evalLine),
      baseline: empty,
      baselineName: `${shell}, empty rc`,
    }, {
      name: `${shell} -ic exit, cached (stc init ${shell} --install)`,
      run: await variant("cached", "install"),
      baseline: empty,
      baselineName: `${shell}, empty rc`,
      ...(shell === "zsh" ? { timeBudget: BUDGETS.cachedShellStart } : {}),
    });
  }
  return entries;
}

function format(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

/** The results as an aligned table, with a pass/fail column per budget. */
export function resultTable(results: readonly Result[]): string {
  const header = ["entry", "vs", "ms", "× time", "budget", "MiB", "× mem", "budget", ""];
  const rows = results.map((r) => {
    const { timeBudget, memoryBudget } = r.entry;
    if (r.error) return [r.entry.name, r.entry.baselineName, "", "", "", "", "", "", "FAILED"];
    return [
      r.entry.name,
      r.entry.baselineName,
      format(r.runMs, 1),
      format(r.timeRatio, 2),
      timeBudget === undefined ? "" : `≤ ${timeBudget.toFixed(2)}`,
      r.runKiB === undefined ? "" : format(r.runKiB / 1024, 1),
      r.memoryRatio === undefined ? "" : format(r.memoryRatio, 2),
      memoryBudget === undefined || r.memoryRatio === undefined ? "" : `≤ ${memoryBudget}`,
      timeBudget === undefined && memoryBudget === undefined
        ? "info"
        : withinBudget(r)
        ? "pass"
        : "FAIL",
    ];
  });
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  return all.map((row) =>
    row.map((cell, i) => i <= 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])).join("  ")
      .trimEnd()
  ).join("\n");
}

async function loadAverage(): Promise<string> {
  try {
    return (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}

/** Options of {@linkcode runBench}. */
export interface BenchOptions {
  /** Timed pairs per entry. */
  pairs: number;
  /** Only the entries whose name contains this. */
  only?: string;
  /** One pair per entry, no warm-up: checks that the bench works, measures nothing worth reading. */
  quick?: boolean;
  /** Where the report goes. */
  print?: (line: string) => void;
}

/** Runs the bench and prints its report; returns the results. */
export async function runBench(options: BenchOptions): Promise<Result[]> {
  const print = options.print ?? console.log;
  const pairs = options.quick ? 1 : options.pairs;
  const memoryPairs = options.quick ? 1 : Math.min(pairs, 5);
  await using home = await makeHome();
  const entries = (await benchEntries(home)).filter((e) =>
    options.only === undefined || e.name.includes(options.only)
  );
  const loadBefore = await loadAverage();
  const results: Result[] = [];
  for (const entry of entries) {
    results.push(await measure(entry, { pairs, memoryPairs, warmUp: !options.quick }));
  }
  print(
    `stc bench: ${Deno.build.target}, ${navigator.hardwareConcurrency} CPUs, ${pairs} interleaved ` +
      `pairs per entry (peak memory: ${memoryPairs}), medians of the pair ratios; ` +
      `load average ${loadBefore} before, ${await loadAverage()} after`,
  );
  print(resultTable(results));
  const budgeted = results.filter((r) =>
    r.entry.timeBudget !== undefined || r.entry.memoryBudget !== undefined
  );
  print(
    `${budgeted.filter(withinBudget).length} of ${budgeted.length} entries within budget` +
      (results.some((r) => r.error)
        ? `; failed: ${results.filter((r) => r.error).map((r) => r.error).join("; ")}`
        : ""),
  );
  // The auto-renew prompt hook is measured inside each shell (1000 calls), not as a process.
  if (!options.quick && (options.only === undefined || "prompt hook".includes(options.only))) {
    await benchPromptHook(stcCommandLine(), { ...home.env });
  }
  return results;
}

function parseBenchArgs(args: readonly string[]): BenchOptions {
  const options: BenchOptions = { pairs: 30 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--quick") options.quick = true;
    else if (arg === "--pairs" && /^[1-9]\d*$/.test(args[i + 1] ?? "")) {
      options.pairs = Number(args[++i]);
    } else if (arg === "--only" && args[i + 1] !== undefined) options.only = args[++i];
    else {throw new Error(
        `usage: deno task bench [--pairs N] [--quick] [--only TEXT] (not '${arg}')`,
      );}
  }
  return options;
}

if (import.meta.main) {
  const results = await runBench(parseBenchArgs(Deno.args));
  Deno.exit(results.some((r) => r.error) ? 1 : 0);
}
