/**
 * `deno task demo`: a scripted tour of stc against the local AWS emulator, in a temporary HOME.
 *
 * It runs a real bash with the functions from `stc init bash` loaded, exactly as a user's shell would, and shows
 * each command and its result: import a key from a CSV file, get an MFA session, save it encrypted and restore it
 * in a second shell, list and assume roles, print a console sign-in URL, and rotate the access key. Exits non-zero
 * when any step fails. Nothing leaves 127.0.0.1.
 *
 * @module
 */

import { startEmulator } from "./emulator/server.ts";
import { makeHome, stcCommandLine } from "./helpers.ts";
import { quoteShell } from "../lib/shell/emitter.ts";

const PASSPHRASE = "correct horse battery staple";

/** The tour: bash code run after the init functions are loaded; `step` shows and runs one command. */
function tour(stc: string, csv: string, mfaCode: string): string {
  const q = (s: string) => quoteShell("bash", s);
  return `
step stc import -b stc-roles -d ${q(csv)}
step stc session ${q(mfaCode)}
show_env
step stc status
step stc session -s <<< ${q(`${PASSPHRASE}\n${PASSPHRASE}`)}
step stc session -l
note "A second shell restores the saved session with the passphrase alone:"
step bash -c ${q(`eval "$(${stc} init bash)" && stc session -r <<< ${q(PASSPHRASE)} && stc status`)}
step stc roles
step stc assume dev-admin
show_env
note "The base MFA session is kept for stc, but child processes do not see it:"
step sh -c 'env | grep -c STC_BASE_SESSION || true'
step stc console dev-ro
step stc session -r
step stc rotate -n
note "The tour is complete."
`;
}

const PRELUDE = `
set -eu
bold=$'\\033[1m'; dim=$'\\033[2m'; reset=$'\\033[0m'
if [ -n "\${NO_COLOR:-}" ] || [ ! -t 1 ]; then bold=; dim=; reset=; fi
step() {
  printf '\\n%s$ %s%s\\n' "$bold" "$*" "$reset"
  "$@" || { rc=$?; printf '%sstep failed with exit code %s%s\\n' "$bold" "$rc" "$reset"; exit "$rc"; }
}
note() { printf '\\n%s# %s%s\\n' "$dim" "$*" "$reset"; }
show_env() {
  printf '%s' "$dim"
  env | grep -E '^AWS_' | grep -v -E '^AWS_(ENDPOINT_URL|EC2_METADATA)' | sort |
    sed -E 's/^(AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN)=.*/\\1=<hidden>/'
  printf '%s' "$reset"
}
`;

/** Runs the tour and returns bash's exit code. */
export async function runDemo(options: { quiet?: boolean } = {}): Promise<number> {
  const emulator = await startEmulator({ quiet: true });
  try {
    await using home = await makeHome();
    const key = emulator.accessKeys("alice")[0];
    const csv = await home.write(
      "Downloads/alice_accessKeys.csv",
      `\ufeffAccess key ID,Secret access key\r\n${key.accessKeyId},${key.secretAccessKey}\r\n`,
    );
    const stc = stcCommandLine().map((a) => quoteShell("bash", a)).join(" ");
    // `stc init` refers to the running binary; from source that is `deno run … main.ts`.
    const script = `${PRELUDE}\neval "$(${stc} init bash)"\n${
      tour(stc, csv, emulator.totp("alice"))
    }`;
    const env = {
      ...home.env,
      ...emulator.env(),
      AWS_REGION: "eu-north-1",
      // Keep the demo quick: the emulator's new keys work at once, and a second wait is not needed.
      STC_ROTATE_PROPAGATION_TIMEOUT: "30",
      ...(Deno.env.get("NO_COLOR") !== undefined ? {} : { TERM: Deno.env.get("TERM") ?? "dumb" }),
    };
    if (!options.quiet) {
      console.log(`stc demo: emulator at ${emulator.endpoint}, HOME=${home.home}`);
    }
    const child = new Deno.Command("bash", {
      args: ["-c", script],
      env,
      clearEnv: true,
      cwd: home.home,
      stdin: "null",
      stdout: options.quiet ? "piped" : "inherit",
      stderr: options.quiet ? "piped" : "inherit",
    });
    const result = await child.output();
    if (options.quiet && result.code !== 0) {
      const decoder = new TextDecoder();
      console.error(decoder.decode(result.stdout).slice(-3000));
      console.error(decoder.decode(result.stderr).slice(-3000));
    }
    return result.code;
  } finally {
    await emulator.close();
  }
}

if (import.meta.main) {
  const code = await runDemo();
  console.log(code === 0 ? "\ndemo: every step succeeded" : `\ndemo: failed (exit ${code})`);
  Deno.exit(code);
}
