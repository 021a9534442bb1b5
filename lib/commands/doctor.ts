/**
 * `stc doctor`: checks what stc needs, one line per check with ✓ (works), ✗ (broken, with the fix), ! (worth
 * knowing, not counted) or - (skipped): the binary, the shell integration, the files and their modes, the selected
 * profile and its key, the endpoint of each service and the setting that chose it, proxy and CA settings, the
 * reachability of each endpoint (TCP, TLS, HTTP, timed), the clock offset from the endpoint's `Date`, and the
 * session agent when one runs.
 *
 * Exit 0 when everything the selected profile needs works; otherwise the report is printed and the command fails
 * with exit 1 naming the failed checks. `--offline` skips the network; `--json` prints the checks as JSON.
 * Every value shown passes through the one sanitiser (humanLine); proxy credentials and keys are never shown.
 *
 * @module
 */

import { type Command, type Context, defineCommand, toolPath } from "../cli/command.ts";
import { emit, humanLine, printLine } from "../cli/output.ts";
import { endpointUrl, type Service } from "../aws/client.ts";
import { probeEndpoint, type ProbeResult } from "../aws/probe.ts";
import { proxyFor, shownProxy } from "../aws/proxy.ts";
import { caBundle, resolveEndpoint } from "../aws/settings.ts";
import { readCaBundle } from "../aws/transport.ts";
import { awsPaths, type LoadedProfiles, loadProfiles } from "../config/aws_files.ts";
import { getProfile } from "../config/ini.ts";
import { BUCKET_KEY } from "../config/keys.ts";
import {
  type ProfileConfig,
  profileConfig,
  resolveRegion,
  type SelectedProfile,
  selectProfile,
} from "../config/profile.ts";
import { federationEndpoint, partitionOfRegion } from "../console/url.ts";
import { StcError } from "../core/errors.ts";
import { msg } from "../core/message.ts";
import { VERSION } from "../core/version.ts";
import { awsDir } from "../fs/paths.ts";
import { SESSION_FILE_SUFFIX } from "../session/store.ts";
import { agentStatus, socketPath } from "../agent/client.ts";
import { AGENT_VARIABLE, agentDisabled } from "../agent/socket_path.ts";
import { DOCTOR_SPEC } from "./specs/doctor.ts";

/** The state of one check. */
export type CheckStatus = "ok" | "fail" | "warn" | "skip";

/** One line of the report. */
export interface Check {
  /** Stable name, for `--json` (`profile`, `endpoint.sts`, `reach.sts`, …). */
  id: string;
  /** ok, fail (counted), warn (informational), skip. */
  status: CheckStatus;
  /** What was found. */
  detail: string;
  /** What to do, for fail and warn. */
  fix?: string;
}

const MARKS: Readonly<Record<CheckStatus, string>> = { ok: "✓", fail: "✗", warn: "!", skip: "-" };

/** Clock offsets beyond this many seconds fail: SigV4 allows 15 minutes, session expiries shift. */
export const CLOCK_LIMIT_SECONDS = 300;

/** `AKIA…WXYZ`: the first and last four characters of an access key id. */
export function maskKeyId(id: string): string {
  return id.length <= 8 ? "…" : `${id.slice(0, 4)}…${id.slice(-4)}`;
}

function describeSource(selected: SelectedProfile): string {
  switch (selected.source) {
    case "option":
      return "from -p";
    case "AWS_PROFILE":
      return "from AWS_PROFILE";
    case "session_tool_default_profile":
      return "from session_tool_default_profile in [default]";
    default:
      return "the profile named default";
  }
}

function failure(error: unknown): { detail: string; fix?: string } {
  if (error instanceof StcError) {
    return { detail: error.message, ...(error.hint ? { fix: error.hint } : {}) };
  }
  return { detail: error instanceof Error ? error.message.split("\n")[0] : "failed" };
}

async function modeOf(path: string): Promise<number | undefined | null> {
  try {
    const info = await Deno.stat(path);
    return info.mode === null ? null : info.mode & 0o777;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}

/** The files and their modes: ~/.aws 0700, the credentials file and stored sessions 0600. */
async function fileChecks(context: Context): Promise<Check[]> {
  const checks: Check[] = [];
  const env = context.env;
  let dir: string;
  try {
    dir = awsDir(env);
  } catch (error) {
    return [{ id: "files.awsdir", status: "fail", ...failure(error) }];
  }
  const dirMode = await modeOf(dir);
  if (dirMode === undefined) {
    checks.push({
      id: "files.awsdir",
      status: "warn",
      detail: `${dir} does not exist yet`,
      fix: "stc import creates it (0700)",
    });
  } else if (dirMode !== null && (dirMode & 0o077) !== 0) {
    checks.push({
      id: "files.awsdir",
      status: "fail",
      detail: `${dir} is ${octal(dirMode)}: other users can list it`,
      fix: `chmod 700 ${dir}`,
    });
  } else {
    checks.push({
      id: "files.awsdir",
      status: "ok",
      detail: `${dir} ${dirMode === null ? "" : octal(dirMode)}`.trim(),
    });
  }
  const credentials = awsPaths(env).credentials;
  const credentialsMode = await modeOf(credentials);
  if (credentialsMode === undefined) {
    checks.push({
      id: "files.credentials",
      status: "warn",
      detail: `${credentials} does not exist`,
      fix: "import a key: stc import FILE.csv",
    });
  } else if (credentialsMode !== null && (credentialsMode & 0o077) !== 0) {
    checks.push({
      id: "files.credentials",
      status: "fail",
      detail: `${credentials} is ${octal(credentialsMode)}: other users can read your keys`,
      fix: `chmod 600 ${credentials}`,
    });
  } else {
    checks.push({
      id: "files.credentials",
      status: "ok",
      detail: `${credentials} ${credentialsMode === null ? "" : octal(credentialsMode)}`.trim(),
    });
  }
  const sessions: string[] = [];
  const open: string[] = [];
  if (dirMode !== undefined) {
    try {
      for await (const entry of Deno.readDir(dir)) {
        if (!entry.isFile || !entry.name.endsWith(SESSION_FILE_SUFFIX)) continue;
        sessions.push(entry.name);
        const mode = await modeOf(`${dir}/${entry.name}`);
        if (mode && (mode & 0o077) !== 0) open.push(`${dir}/${entry.name}`);
      }
    } catch (error) {
      checks.push({ id: "files.sessions", status: "fail", ...failure(error) });
      return checks;
    }
  }
  checks.push(
    open.length > 0
      ? {
        id: "files.sessions",
        status: "fail",
        detail: `${open.length} stored session file(s) readable by others: ${open.join(", ")}`,
        fix: `chmod 600 ${open.join(" ")}`,
      }
      : {
        id: "files.sessions",
        status: "ok",
        detail: sessions.length === 0
          ? "no stored sessions"
          : `${sessions.length} stored session(s), 0600`,
      },
  );
  return checks;
}

/** The shell integration: informational (stc works without it, but cannot change the shell). */
function shellCheck(env: Context["env"]): Check {
  const loaded = env.STC_EVAL_SHELL;
  if (loaded) {
    return { id: "shell", status: "ok", detail: `the stc function is loaded (${loaded})` };
  }
  const shell = (env.SHELL ?? "").split("/").pop() || "bash";
  const known = ["bash", "zsh", "fish", "nu"].includes(shell) ? shell : "bash";
  return {
    id: "shell",
    status: "warn",
    detail: `not run through the stc shell function (SHELL is ${shell})`,
    fix: known === "nu"
      ? "run stc init nu --install (nushell reads its init file at start)"
      : known === "fish"
      ? "add 'stc init fish | source' to ~/.config/fish/config.fish (or: stc init --install)"
      : `add 'eval "$(stc init ${known})"' to ~/.${known}rc (or: stc init --install)`,
  };
}

/** The session agent, when one runs: informational (stc works without it). */
async function agentCheck(context: Context): Promise<Check> {
  const env = context.env;
  if (agentDisabled(env)) {
    return {
      id: "agent",
      status: "skip",
      detail: `off (${AGENT_VARIABLE}=${env[AGENT_VARIABLE]})`,
    };
  }
  try {
    const status = await agentStatus(env);
    if (!status) {
      return { id: "agent", status: "skip", detail: `not running (socket ${socketPath(env)})` };
    }
    return {
      id: "agent",
      status: "ok",
      detail: `running (pid ${status.pid}) at ${
        socketPath(env)
      }, ${status.sessions.length} base session(s)`,
    };
  } catch (error) {
    return { id: "agent", status: "warn", ...failure(error) };
  }
}

/** What is probed for a service, and whether the selected profile needs it. */
interface Target {
  service: Service | "signin";
  url: string;
  source: string;
  required: boolean;
  why: string;
}

function endpointDetail(service: Service, choice: ReturnType<typeof resolveEndpoint>): string {
  if (choice.url) return `from ${choice.source}`;
  const flags = [
    choice.fips.value ? `FIPS (${choice.fips.source})` : "",
    choice.dualstack.value ? `dual-stack (${choice.dualstack.source})` : "",
    choice.stsRegional && choice.stsRegional.source !== "default"
      ? `sts_regional_endpoints=${choice.stsRegional.value} (${choice.stsRegional.source})`
      : "",
    choice.ignoredBy ? `configured URLs ignored (${choice.ignoredBy})` : "",
  ].filter((f) => f !== "");
  return `the AWS SDK's endpoint for the region${flags.length ? `, ${flags.join(", ")}` : ""}${
    service === "iam" ? " (IAM is global)" : ""
  }`;
}

function reachFix(result: ProbeResult, target: Target): string {
  const last = result.steps[result.steps.length - 1];
  const kind = last?.failure?.kind;
  if (kind === "tls") {
    return "the certificate is not trusted: set AWS_CA_BUNDLE (or ca_bundle in the profile) to your " +
      "organisation's CA bundle (PEM)";
  }
  if (kind === "proxy") {
    return "check HTTPS_PROXY (and its credentials) or add the host to NO_PROXY";
  }
  if (kind === "config") return "fix the setting named above";
  const setting = target.service === "signin"
    ? "STC_FEDERATION_ENDPOINT"
    : `endpoint_url of ${target.service} in a [services] section, or AWS_ENDPOINT_URL_${target.service.toUpperCase()}`;
  if (kind === "dns") return `the name does not resolve here: a VPC endpoint needs ${setting}`;
  return `check the network path (firewall, proxy: HTTPS_PROXY/NO_PROXY) or point stc at a reachable endpoint ` +
    `(${setting}); STC_CONNECT_TIMEOUT sets the deadline`;
}

function reachDetail(result: ProbeResult): string {
  const parts = result.steps.map((s) => {
    const name = s.step === "http" ? `HTTP${s.status ? ` ${s.status}` : ""}` : s.step.toUpperCase();
    const time = `${Math.round(s.ms)} ms`;
    return s.failure ? `${name} failed after ${time}: ${s.failure.reason}` : `${name} ${time}`;
  });
  return `${result.host}${result.proxy ? ` via proxy ${result.proxy}` : ""}: ${parts.join(", ")}`;
}

/** Everything the report needs of the profile, or the checks that say why there is none. */
interface ProfileState {
  selected?: SelectedProfile;
  config?: ProfileConfig;
  region: string;
  regionSource: string;
}

function regionOf(env: Context["env"], config: ProfileConfig | undefined) {
  const region = resolveRegion(env, config?.properties.region);
  const source = env.AWS_REGION
    ? "AWS_REGION"
    : env.AWS_DEFAULT_REGION
    ? "AWS_DEFAULT_REGION"
    : config?.properties.region
    ? `region in profile '${config.name}'`
    : "default";
  return { region, regionSource: source };
}

async function profileChecks(
  context: Context,
  requested: string | undefined,
  checks: Check[],
): Promise<ProfileState> {
  const env = context.env;
  let loaded: LoadedProfiles;
  try {
    loaded = await loadProfiles(env);
    checks.push({ id: "files.config", status: "ok", detail: `${awsPaths(env).config} parses` });
  } catch (error) {
    checks.push({ id: "files.config", status: "fail", ...failure(error) });
    return { ...regionOf(env, undefined) };
  }
  let selected: SelectedProfile;
  try {
    selected = selectProfile(requested, env, loaded.files);
  } catch (error) {
    checks.push({ id: "profile", status: "fail", ...failure(error) });
    return { ...regionOf(env, undefined) };
  }
  const properties = getProfile(loaded.files, selected.name);
  if (!properties) {
    checks.push({
      id: "profile",
      status: "fail",
      detail: `profile '${selected.name}' (${describeSource(selected)}) is not defined`,
      fix: `import a key into it: stc import -p ${selected.name} FILE.csv`,
    });
    return { selected, ...regionOf(env, undefined) };
  }
  const config = profileConfig(loaded.files, selected.name)!;
  checks.push({
    id: "profile",
    status: "ok",
    detail: `${selected.name} (${describeSource(selected)})`,
  });
  if (properties.services && !config.services) {
    checks.push({
      id: "profile.services",
      status: "fail",
      detail:
        `services = ${properties.services}, but there is no [services ${properties.services}] section`,
      fix: `add the section to ${awsPaths(env).config}, or remove the services key`,
    });
  }
  const keyId = properties.aws_access_key_id;
  if (!keyId || !properties.aws_secret_access_key) {
    checks.push({
      id: "key",
      status: "fail",
      detail: `profile '${selected.name}' has no access key`,
      fix: `import one: stc import -p ${selected.name} FILE.csv`,
    });
  } else if (properties.aws_session_token) {
    checks.push({
      id: "key",
      status: "fail",
      detail: `profile '${selected.name}' holds temporary credentials (${maskKeyId(keyId)})`,
      fix: "stc needs the IAM user's own key (AKIA…): import it with stc import",
    });
  } else {
    checks.push({ id: "key", status: "ok", detail: `access key ${maskKeyId(keyId)}` });
  }
  checks.push(
    properties.mfa_serial
      ? { id: "mfa", status: "ok", detail: `mfa_serial ${properties.mfa_serial}` }
      : {
        id: "mfa",
        status: "warn",
        detail: "no mfa_serial: stc session looks the device up with IAM (ListMFADevices)",
        fix:
          `set mfa_serial = arn:aws:iam::ACCOUNT:mfa/NAME in profile '${selected.name}' to need no IAM call`,
      },
  );
  return { selected, config, ...regionOf(env, config) };
}

async function endpointChecks(
  context: Context,
  state: ProfileState,
  checks: Check[],
): Promise<Target[]> {
  const env = context.env;
  const targets: Target[] = [];
  const properties = state.config?.properties;
  for (const service of ["sts", "iam", "s3"] as const) {
    try {
      const choice = resolveEndpoint(service, env, state.config);
      const url = await endpointUrl(service, state.region, env, state.config);
      checks.push({
        id: `endpoint.${service}`,
        status: "ok",
        detail: `${url} (${endpointDetail(service, choice)})`,
      });
      const required = service === "sts" ||
        (service === "iam" && !properties?.mfa_serial) ||
        (service === "s3" && Boolean(properties?.[BUCKET_KEY]));
      const why = service === "sts"
        ? "every session"
        : service === "iam"
        ? (required ? "finding the MFA device" : "stc rotate")
        : "stc roles --download";
      if (service !== "s3" || required) {
        targets.push({ service, url, source: choice.source, required, why });
      }
    } catch (error) {
      checks.push({ id: `endpoint.${service}`, status: "fail", ...failure(error) });
    }
  }
  const signin = federationEndpoint(partitionOfRegion(state.region), env, state.region);
  const signinSource = env.STC_FEDERATION_ENDPOINT
    ? "STC_FEDERATION_ENDPOINT"
    : `the region ${state.region}`;
  checks.push({ id: "endpoint.signin", status: "ok", detail: `${signin} (from ${signinSource})` });
  targets.push({
    service: "signin",
    url: signin,
    source: signinSource,
    required: false,
    why: "stc console",
  });
  return targets;
}

async function networkSettingChecks(
  context: Context,
  state: ProfileState,
  targets: Target[],
): Promise<Check[]> {
  const env = context.env;
  const checks: Check[] = [];
  checks.push({
    id: "region",
    status: "ok",
    detail: `${state.region} (${
      state.regionSource === "default" ? "default" : `from ${state.regionSource}`
    })`,
  });
  const proxies = new Map<string, string>();
  for (const target of targets) {
    const proxy = proxyFor(target.url, env);
    proxies.set(target.service, proxy ? `${shownProxy(proxy.url)} (${proxy.source})` : "direct");
  }
  const noProxy = env.NO_PROXY?.trim() || env.no_proxy?.trim();
  const summary = [...proxies].map(([service, how]) => `${service} ${how}`).join(", ");
  checks.push({
    id: "proxy",
    status: "ok",
    detail: `${summary || "no endpoints"}${noProxy ? `; NO_PROXY ${noProxy}` : ""}`,
  });
  const bundle = caBundle(env, state.config);
  if (!bundle) {
    checks.push({
      id: "ca",
      status: "ok",
      detail: "the built-in roots (no AWS_CA_BUNDLE or ca_bundle)",
    });
  } else {
    try {
      const read = await readCaBundle(env, state.config);
      const count = read?.pem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
      checks.push({
        id: "ca",
        status: "ok",
        detail:
          `${bundle.value} (${bundle.source}): ${count} certificate(s), besides the built-in roots`,
      });
    } catch (error) {
      checks.push({ id: "ca", status: "fail", ...failure(error) });
    }
  }
  return checks;
}

async function reachabilityChecks(
  context: Context,
  state: ProfileState,
  targets: Target[],
): Promise<Check[]> {
  const results = await Promise.all(
    targets.map(async (target) => ({
      target,
      result: await probeEndpoint(target.url, context.env, state.config),
    })),
  );
  const checks: Check[] = [];
  let offset: { seconds: number; host: string } | undefined;
  for (const { target, result } of results) {
    if (result.clockOffsetSeconds !== undefined && offset === undefined) {
      offset = { seconds: result.clockOffsetSeconds, host: result.host };
    }
    checks.push(
      result.ok ? { id: `reach.${target.service}`, status: "ok", detail: reachDetail(result) } : {
        id: `reach.${target.service}`,
        status: target.required ? "fail" : "warn",
        detail: `${reachDetail(result)} (needed for ${target.why})`,
        fix: reachFix(result, target),
      },
    );
  }
  if (!offset) {
    checks.push({ id: "clock", status: "skip", detail: "no endpoint answered with a Date" });
  } else {
    const { seconds, host } = offset;
    const text = `${Math.abs(seconds)} s ${seconds > 0 ? "behind" : "ahead of"} ${host}`;
    checks.push(
      Math.abs(seconds) > CLOCK_LIMIT_SECONDS
        ? {
          id: "clock",
          status: "fail",
          detail: `this host's clock is ${text}`,
          fix:
            "set the clock right (NTP: timedatectl set-ntp true): AWS refuses signatures 15 minutes off, " +
            "and session expiry times are wrong",
        }
        : {
          id: "clock",
          status: "ok",
          detail: Math.abs(seconds) <= 1 ? `in step with ${host}` : `${text}`,
        },
    );
  }
  return checks;
}

/** Runs every check; `offline` skips the network ones. */
export async function runChecks(
  context: Context,
  options: { profile?: string; offline: boolean },
): Promise<Check[]> {
  const checks: Check[] = [
    {
      id: "binary",
      status: "ok",
      detail: `stc ${VERSION} at ${toolPath(context)} (Deno ${Deno.version.deno})`,
    },
    shellCheck(context.env),
    ...await fileChecks(context),
    await agentCheck(context),
  ];
  const state = await profileChecks(context, options.profile, checks);
  const targets = await endpointChecks(context, state, checks);
  checks.push(...await networkSettingChecks(context, state, targets));
  if (options.offline) {
    checks.push({ id: "reach", status: "skip", detail: "network checks skipped (--offline)" });
  } else {
    checks.push(...await reachabilityChecks(context, state, targets));
  }
  return checks;
}

/** The report for a person: one line per check, the fix indented below a ✗ or !. */
export function formatChecks(checks: readonly Check[]): string[] {
  const lines: string[] = [];
  for (const check of checks) {
    lines.push(`${MARKS[check.status]} ${check.id}: ${check.detail}`);
    if (check.fix && (check.status === "fail" || check.status === "warn")) {
      lines.push(`    fix: ${check.fix}`);
    }
  }
  return lines;
}

async function runDoctor(
  context: Context,
  input: { options: { profile?: string; offline?: boolean; json?: boolean } },
): Promise<never[]> {
  const checks = await runChecks(context, {
    ...(input.options.profile ? { profile: input.options.profile } : {}),
    offline: input.options.offline === true,
  });
  const failed = checks.filter((c) => c.status === "fail");
  await emit(
    context,
    input.options.json
      ? [printLine(JSON.stringify({ ok: failed.length === 0, checks }, null, 2))]
      : formatChecks(checks).map((line) => humanLine(line)),
  );
  if (failed.length > 0) {
    throw new StcError(
      msg`${failed.length} check(s) failed: ${failed.map((c) => c.id).join(", ")}`,
      {
        hint: "each ✗ line says what to do",
      },
    );
  }
  return [];
}

/** `stc doctor`. */
export const doctorCommand: Command = defineCommand(DOCTOR_SPEC, runDoctor);
