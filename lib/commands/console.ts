/**
 * `stc console`: a one-click sign-in to the AWS web console in a role's account (session-tool.sh's
 * `get_console_url`, with its option letters `-o -d -u -l`), without touching the shell's credentials: the command
 * only ever prints, so the shell is the same afterwards whether it succeeds or fails.
 *
 * Three steps, each named when it fails: the credentials ("assume"), the sign-in token from the federation
 * endpoint ("sign-in token") and, with `-o`/`-d`, the browser ("browser").
 *
 * Credentials: a role alias is assumed with `obtainRoleCredentials` (roles/assume.ts): from the shell's MFA
 * session (a console session of up to 1 hour), or with the long-term key and an MFA code when `--duration` asks
 * for more. AWS takes an explicit `SessionDuration` only for a role assumed with the long-term key; for chained and
 * federated credentials the console session lasts as long as the credentials, so their length is asked for in
 * AssumeRole / GetFederationToken instead (console/url.ts has the rules). Without an alias, the shell's current temporary credentials are used (an assumed role). With only an
 * IAM user's long-term key, GetFederationToken makes federated-user credentials with an allow-all inline session
 * policy: a session policy can only narrow permissions, so the console gets exactly the user's own (aws-vault does
 * the same). Federated-user sessions cannot call the IAM API, so IAM console pages show errors there.
 *
 * @module
 */

import { type Command, type Context, defineCommand } from "../cli/command.ts";
import { type AwsTarget, getCallerIdentity, getFederationToken } from "../aws/client.ts";
import type { ProfileConfig } from "../config/profile.ts";
import {
  browserLaunch,
  commandAvailable,
  currentPlatform,
  type Launch,
  profileDirectoryFor,
  runLaunch,
} from "../console/browser.ts";
import {
  checkConsoleUrl,
  type ConsoleCredentialKind,
  consoleDestination,
  consoleSessionDuration,
  federationEndpoint,
  isRegionName,
  loginUrl,
  resolvePartition,
  servicePage,
  signinSessionDuration,
} from "../console/url.ts";
import { ExitCode, StcError, usageError, withContext } from "../core/errors.ts";
import { getSigninToken } from "../aws/federation.ts";
import { getProfile, type ProfileFiles } from "../config/ini.ts";
import { printLine } from "../cli/output.ts";
import {
  longTermKey,
  profileConfig,
  requireProfile,
  resolveRegion,
  selectProfile,
} from "../config/profile.ts";
import { obtainRoleCredentials } from "../roles/assume.ts";
import { CHAINED_ROLE_MAX_SECONDS, parseDuration, SESSION_TOKEN_LIMITS } from "../core/duration.ts";
import { listRoles } from "./roles.ts";
import { readBaseSession } from "../session/variables.ts";
import { BASE_SESSION_VARIABLE, SECRET_VARIABLES } from "../session/variable_names.ts";
import type { ShellAction } from "../shell/emitter.ts";
import type { CommandInput } from "../cli/spec.ts";
import { type Credentials, credentialsFromEnv } from "../core/credentials.ts";
import { resourceName } from "../core/arn.ts";
import { BROWSER_KEY } from "../config/keys.ts";
import { awsPaths, type LoadedProfiles, loadProfiles } from "../config/aws_files.ts";
import { formatDuration, formatLocalTime, secondsLeft } from "../core/time.ts";
import { checkMfaCode } from "../session/mfa.ts";
import { chooseRole } from "./assume.ts";
import { CONSOLE_SPEC } from "./specs/console.ts";
import { msg } from "../core/message.ts";

/**
 * The inline session policy for GetFederationToken. Without a policy a federated session has no permissions; the
 * effective permissions are the intersection of the user's policies and this one, i.e. the user's own.
 */
export const ALLOW_ALL_POLICY: string = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});

/** Credentials for the console, and what they are. */
export interface ConsoleCredentials {
  /** Temporary credentials of a role or federated user. */
  credentials: Credentials;
  /** How they were obtained: decides the longest console session. */
  kind: ConsoleCredentialKind;
  /** The role or user ARN, when known (decides the partition). */
  arn?: string;
  /** Names the browser profile directory for `-o` and the messages. */
  label: string;
  /** The profile whose files hold the browser setting, when one was used. */
  profile?: string;
}

/** Runs a step, naming it in the error when it fails (exit code and hint kept). */
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw withContext(error, name);
  }
}

function checkTemporaryEnvironment(context: Context): Credentials | undefined {
  const credentials = credentialsFromEnv(context.env);
  return credentials?.sessionToken ? credentials : undefined;
}

/** The shell's current temporary credentials, for `stc console` without an alias. */
function currentCredentials(context: Context, credentials: Credentials): ConsoleCredentials {
  const env = context.env;
  const base = readBaseSession(env);
  if (base && base.accessKeyId === credentials.accessKeyId) {
    throw new StcError("the shell holds the MFA session, not a role's credentials", {
      hint: "AWS signs in to the console only with a role's or a federated user's credentials: " +
        "give a role alias (stc console ALIAS; 'stc console -l' lists them)",
    });
  }
  if (credentials.expiration && secondsLeft(credentials.expiration, context.now()) <= 0) {
    throw new StcError(
      msg`the credentials in this shell expired at ${formatLocalTime(credentials.expiration)}`,
      {
        hint: "assume the role again, or give its alias: stc console ALIAS",
        exitCode: ExitCode.SessionExpired,
      },
    );
  }
  // Role chaining caps credentials at one hour: credentials with more left were not chained.
  const left = credentials.expiration ? secondsLeft(credentials.expiration, context.now()) : 0;
  return {
    credentials,
    kind: left > CHAINED_ROLE_MAX_SECONDS ? "role" : "chained-role",
    label: env.AWS_ROLE_ALIAS || env.AWS_ACCOUNT_NAME || env.AWS_ACCOUNT_ID || "stc",
  };
}

/** Seconds the credentials have left: the console session when AWS takes no SessionDuration for them. */
function credentialsLifetime(context: Context, credentials: Credentials): number {
  return credentials.expiration
    ? Math.max(0, secondsLeft(credentials.expiration, context.now()))
    : CHAINED_ROLE_MAX_SECONDS;
}

/**
 * The console session for the shell's current credentials. Role credentials with an hour or less left may be
 * chained, and AWS refuses SessionDuration for chained ones: their console session is their remaining lifetime,
 * which --duration cannot change.
 */
function currentSessionDuration(
  context: Context,
  signin: ConsoleCredentials,
  requested: number | undefined,
): number {
  if (signin.kind === "role") return consoleSessionDuration("role", requested);
  const left = credentialsLifetime(context, signin.credentials);
  if (requested !== undefined) {
    throw usageError(
      `--duration cannot be used with this shell's role credentials: AWS refuses a console session length ` +
        `for credentials from role chaining, so the session lasts as long as they do (${
          formatDuration(left)
        } left)`,
      "give the role alias (stc console --duration 8h ALIAS): stc assumes it for the length asked for",
    );
  }
  return left;
}

/** A GetFederationToken name (2–32 of `\w+=,.@-`) from an IAM user name. */
export function federatedUserName(userName: string): string {
  const name = userName.replace(/[^\w+=,.@-]/g, "-").slice(0, 32);
  return name.length >= 2 ? name : "stc-console";
}

/** The long-term key: in the environment (AKIA… without a session token), else the profile's. */
function longTermCredentials(
  context: Context,
  files: ProfileFiles,
  requestedProfile: string | undefined,
): { credentials: Credentials; profile?: string; region: string; config?: ProfileConfig } {
  const env = context.env;
  const fromEnv = credentialsFromEnv(env);
  if (fromEnv && !fromEnv.sessionToken) {
    return {
      credentials: { accessKeyId: fromEnv.accessKeyId, secretAccessKey: fromEnv.secretAccessKey },
      region: resolveRegion(env),
    };
  }
  const name = selectProfile(requestedProfile, env, files).name;
  const profile = requireProfile(files, name);
  return {
    credentials: longTermKey(profile, name),
    profile: name,
    region: resolveRegion(env, profile.region),
    config: profileConfig(files, name),
  };
}

/** Federated-user credentials for an IAM user's long-term key (GetFederationToken). */
async function federatedCredentials(
  context: Context,
  files: ProfileFiles,
  requestedProfile: string | undefined,
  requestedDuration: number | undefined,
): Promise<{ console: ConsoleCredentials; sessionDuration: number }> {
  const key = longTermCredentials(context, files, requestedProfile);
  const target: AwsTarget = {
    env: context.env,
    region: key.region,
    credentials: key.credentials,
    notices: context.term,
    ...(key.config ? { profile: key.config } : {}),
  };
  const identity = await getCallerIdentity(target);
  const userName = resourceName(identity.arn);
  if (!/:user\//.test(identity.arn)) {
    throw new StcError(msg`the key belongs to ${identity.arn}, not an IAM user`, {
      hint: "GetFederationToken needs an IAM user's long-term key",
    });
  }
  // AWS refuses SessionDuration for federated credentials: the console session lasts as long as they do.
  const sessionDuration = consoleSessionDuration("federated", requestedDuration);
  const credentials = await getFederationToken(target, {
    name: federatedUserName(userName),
    durationSeconds: sessionDuration,
    policy: ALLOW_ALL_POLICY,
  });
  return {
    console: {
      credentials,
      kind: "federated",
      arn: identity.arn,
      label: userName,
      ...(key.profile ? { profile: key.profile } : {}),
    },
    sessionDuration,
  };
}

/** The environment for the browser: the shell's, without credentials or the base session. */
export function browserEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || SECRET_VARIABLES.has(name) || name === BASE_SESSION_VARIABLE) {
      continue;
    }
    // What the stc shell function hands to stc alone.
    if (name === "AWS_ACCESS_KEY_ID" || name.startsWith("STC_EVAL_")) continue;
    out[name] = value;
  }
  return out;
}

/** `session-tool_chrome` of the profile, else of `[default]`. */
export function configuredBrowser(
  files: ProfileFiles,
  profile: string | undefined,
): string | undefined {
  const fromProfile = profile ? getProfile(files, profile)?.[BROWSER_KEY] : undefined;
  return fromProfile || getProfile(files, "default")?.[BROWSER_KEY] || undefined;
}

function profileForBrowser(
  context: Context,
  files: ProfileFiles,
  requested: string | undefined,
): string | undefined {
  const fromBase = requested || context.env.AWS_PROFILE_ASSUME_ROLE ||
    readBaseSession(context.env, context.term)?.profile;
  try {
    return selectProfile(fromBase, context.env, files).name;
  } catch {
    return undefined;
  }
}

type ConsoleInput = CommandInput<typeof CONSOLE_SPEC>;

function checkOptions(input: ConsoleInput) {
  const v = input.options;
  if (v.open && v["default-profile"]) {
    throw usageError(
      "-o and -d exclude each other",
      "-o: the role's own browser profile; -d: the default one",
    );
  }
  const { alias: aliasArg, service } = input.args;
  const url = v.url;
  if (service !== undefined && url !== undefined) {
    throw usageError("give a service or -u URL, not both");
  }
  if (url !== undefined) checkConsoleUrl(url);
  if (service !== undefined) servicePage(service);
  const region = v.region;
  if (region !== undefined && !isRegionName(region)) {
    throw usageError(
      msg`'${region.slice(0, 30)}' is not a region name`,
      "e.g. eu-west-1, us-east-1, cn-north-1, us-gov-west-1",
    );
  }
  const durationText = v.duration;
  const duration = durationText === undefined
    ? undefined
    : parseDuration(durationText, "--duration", SESSION_TOKEN_LIMITS);
  // Partition conflicts between --region and -u are usage errors before any prompt or call.
  resolvePartition({ region, url });
  const mfa = v.mfa === undefined ? undefined : checkMfaCode(v.mfa);
  return {
    alias: aliasArg === "-" ? undefined : aliasArg,
    mfa,
    service,
    url,
    region,
    duration,
    profile: v.profile,
    browser: v.open ? "own" as const : v["default-profile"] ? "default" as const : undefined,
  };
}

type ConsoleOptions = ReturnType<typeof checkOptions>;

/** The AWS files, read once when first needed. */
type ProfilesOnce = () => Promise<LoadedProfiles>;

/** How to open a URL in the browser `-o`/`-d` asked for; a clear error when that browser is not installed. */
type PlanLaunch = (url: string, label: string) => Launch;

function planBrowser(
  context: Context,
  which: "own" | "default",
  requestedProfile: string | undefined,
  files: ProfileFiles,
): PlanLaunch {
  const env = context.env;
  const browserProfile = profileForBrowser(context, files, requestedProfile);
  const browser = configuredBrowser(files, browserProfile);
  const own = which === "own";
  const platform = currentPlatform(env);
  const planLaunch: PlanLaunch = (url, label) =>
    browserLaunch(
      {
        url,
        ...(browser ? { browser } : {}),
        profileDirectory: own ? profileDirectoryFor(label) : "Default",
      },
      platform,
    );
  const command = planLaunch("", "").command;
  if (!commandAvailable(command, env.PATH)) {
    const section = browserProfile === undefined || browserProfile === "default"
      ? "[default]"
      : `[profile ${browserProfile}]`;
    throw new StcError(msg`browser: '${command}' not found`, {
      hint: msg`name the browser in ${
        awsPaths(env).config
      }: a line '${BROWSER_KEY} = /path/to/chrome' under ${section}`,
    });
  }
  return planLaunch;
}

/** Credentials to sign in with, and how long the console session lasts. */
interface Signin {
  signin: ConsoleCredentials;
  sessionDuration: number;
}

/** Signs in as the role of `alias`, assumed for the console. */
async function roleSignin(
  context: Context,
  options: ConsoleOptions,
  alias: string,
  profiles: ProfilesOnce,
): Promise<Signin> {
  // A role session is at most 12 hours: refused before any prompt or call.
  if (options.duration !== undefined) consoleSessionDuration("role", options.duration);
  const result = await step(
    `assume role '${alias.slice(0, 80)}'`,
    async () =>
      await obtainRoleCredentials(context, {
        role: alias,
        ...(options.duration !== undefined ? { durationSeconds: options.duration } : {}),
        ...(options.profile ? { profile: options.profile } : {}),
        ...(options.mfa ? { mfaCode: options.mfa } : {}),
      }, await profiles()),
  );
  // Only a single AssumeRole with the long-term key escapes role chaining; obtainRoleCredentials takes that
  // route when more than an hour is asked for (the chained route got --duration as DurationSeconds).
  const kind: ConsoleCredentialKind = result.chained ? "chained-role" : "role";
  return {
    signin: {
      credentials: result.credentials,
      kind,
      arn: result.role.roleArn,
      label: result.role.alias,
      profile: result.profile,
    },
    sessionDuration: kind === "role"
      ? consoleSessionDuration(kind, options.duration)
      : credentialsLifetime(context, result.credentials),
  };
}

/** Signs in with the shell's temporary credentials, else as a federated user of the long-term key. */
async function shellSignin(
  context: Context,
  options: ConsoleOptions,
  profiles: ProfilesOnce,
): Promise<Signin> {
  const current = checkTemporaryEnvironment(context);
  if (current) {
    const signin = await step(
      "current credentials",
      () => Promise.resolve().then(() => currentCredentials(context, current)),
    );
    return { signin, sessionDuration: currentSessionDuration(context, signin, options.duration) };
  }
  const federated = await step(
    "assume (GetFederationToken)",
    async () =>
      federatedCredentials(context, (await profiles()).files, options.profile, options.duration),
  );
  return { signin: federated.console, sessionDuration: federated.sessionDuration };
}

/** The one-click login URL: the partition's federation endpoint, a sign-in token, the destination page. */
async function signinUrl(
  context: Context,
  options: ConsoleOptions,
  { signin, sessionDuration }: Signin,
  profiles: ProfilesOnce,
): Promise<string> {
  const env = context.env;
  // The profile behind the credentials brings its region and network settings (ca_bundle).
  const profileName = signin.profile ?? readBaseSession(env)?.profile;
  const profile = profileName ? profileConfig((await profiles()).files, profileName) : undefined;
  const region = options.region ?? resolveRegion(env, profile?.properties.region);
  const partition = resolvePartition({
    ...(signin.arn ? { arn: signin.arn } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.url ? { url: options.url } : {}),
    fallbackRegion: region,
  });
  const destination = consoleDestination({
    partition,
    ...(options.service ? { service: options.service } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.url ? { url: options.url } : {}),
  });
  const endpoint = federationEndpoint(partition, env, region);
  const token = await step(
    "sign-in token",
    () => {
      const explicit = signinSessionDuration(signin.kind, sessionDuration);
      return getSigninToken({
        endpoint,
        env,
        ...(profile ? { profile } : {}),
        credentials: signin.credentials,
        ...(explicit !== undefined ? { sessionDuration: explicit } : {}),
      });
    },
  );
  return loginUrl(endpoint, destination, token);
}

/** Opens the login URL in the planned browser. */
async function openInBrowser(
  context: Context,
  options: ConsoleOptions,
  planLaunch: PlanLaunch,
  url: string,
  { signin, sessionDuration }: Signin,
): Promise<void> {
  const launch = planLaunch(url, signin.label);
  if (options.browser === "own" && !launch.usesProfile) {
    context.term.warn(
      msg`-o opens a browser profile per role only with Chrome or Chromium set as ${BROWSER_KEY}; using ${launch.command}`,
    );
  }
  await step("browser", () => runLaunch(launch, browserEnvironment(context.env)));
  context.term.info(
    msg`opened the console for ${signin.label} (session ${
      formatDuration(sessionDuration)
    }) with ${launch.command}`,
  );
}

async function runConsole(context: Context, input: ConsoleInput): Promise<ShellAction[]> {
  if (input.options.list) {
    if (input.positionals.length > 0) throw usageError("-l takes no arguments");
    // session-tool.sh's `get_console_url -l`: the roles listing of `stc roles`.
    return await listRoles(context, input.options.profile);
  }
  const options = checkOptions(input);
  let loaded: Promise<LoadedProfiles> | undefined;
  const profiles: ProfilesOnce = () => loaded ??= loadProfiles(context.env);
  // The browser is checked before any MFA code or sign-in token is spent on it.
  const planLaunch = options.browser === undefined
    ? undefined
    : planBrowser(context, options.browser, options.profile, (await profiles()).files);
  // No alias and no role credentials in the shell: at a terminal, a person picks the role (or '-', the user).
  if (
    input.args.alias === undefined && checkTemporaryEnvironment(context) === undefined &&
    context.term.stdinIsTerminal
  ) {
    const chosen = await chooseRole(
      context,
      options.profile ? { profile: options.profile } : {},
      await profiles(),
      [{ value: "-", detail: "your IAM user (federated sign-in with the long-term key)" }],
    );
    if (chosen !== "-") options.alias = chosen;
  }
  const signin = options.alias !== undefined
    ? await roleSignin(context, options, options.alias, profiles)
    : await shellSignin(context, options, profiles);
  const url = await signinUrl(context, options, signin, profiles);
  if (planLaunch !== undefined) {
    await openInBrowser(context, options, planLaunch, url, signin);
    return [];
  }
  context.term.info(
    msg`sign-in URL for ${signin.signin.label}: works once within 15 minutes; console session ${
      formatDuration(signin.sessionDuration)
    }`,
  );
  return [printLine(url)];
}

/** `stc console`. */
export const consoleCommand: Command = defineCommand(CONSOLE_SPEC, runConsole);
