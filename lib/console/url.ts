/**
 * Pure logic of console sign-in: AWS partitions and their sign-in and console hosts, the destination page (console
 * home, a service shortcut, or any console URL, in a region), how long a console session may be for a kind of
 * credentials, and the URLs of the federation endpoint's `getSigninToken` and `login` actions.
 *
 * Session lengths (AWS IAM User Guide, "Enable custom identity broker access to the AWS console", and the STS
 * AssumeRole reference): the federation endpoint's `SessionDuration` (900–43200 seconds) is accepted only for the
 * credentials of a role assumed with an IAM user's long-term key. AWS rejects it for GetFederationToken credentials
 * (documented: "Doing so will cause the operation to fail") and for role-chained credentials (a role assumed with
 * temporary credentials such as the MFA session; aws-vault#77, aws-sso-cli#1247). Without it the console session
 * lasts as long as the credentials, so for those kinds stc sets the length where AWS takes it: DurationSeconds of
 * AssumeRole (at most 1 hour when chained) or of GetFederationToken (up to 36 hours).
 *
 * @example
 * ```ts
 * import { consoleDestination, consoleSessionDuration, loginUrl } from "./url.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(consoleDestination({ partition: "aws", service: "s3" }), "https://console.aws.amazon.com/s3/home");
 * assert.equal(
 *   consoleDestination({ partition: "aws-cn", region: "cn-north-1" }),
 *   "https://console.amazonaws.cn/console/home?region=cn-north-1",
 * );
 * assert.equal(consoleSessionDuration("role", 8 * 3600), 28800);
 * assert.equal(
 *   loginUrl("https://signin.aws.amazon.com/federation", "https://console.aws.amazon.com/", "TOKEN"),
 *   "https://signin.aws.amazon.com/federation?Action=login&Issuer=stc" +
 *     "&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F&SigninToken=TOKEN",
 * );
 * ```
 *
 * @module
 */

import { CHAINED_ROLE_MAX_SECONDS, ROLE_LIMITS, SESSION_TOKEN_LIMITS } from "../core/duration.ts";
import { type Partition, partitionOfRegion } from "../core/arn.ts";
import { usageError } from "../core/errors.ts";
import { didYouMean } from "../core/suggest.ts";
import { formatDuration } from "../core/time.ts";
import { msg } from "../core/message.ts";
import { SERVICE_ALIASES, SERVICE_NAMES, SERVICE_PAGES, type ServicePage } from "./services.ts";

export type { Partition } from "../core/arn.ts";
export { partitionOfRegion } from "../core/arn.ts";

/** The hosts of a partition. */
export interface PartitionHosts {
  /** Host of the federation endpoint (`/federation`). */
  signin: string;
  /** Host of the management console. */
  console: string;
}

/** Sign-in and console hosts of each partition. */
export const PARTITION_HOSTS: Readonly<Record<Partition, PartitionHosts>> = {
  "aws": { signin: "signin.aws.amazon.com", console: "console.aws.amazon.com" },
  "aws-cn": { signin: "signin.amazonaws.cn", console: "console.amazonaws.cn" },
  "aws-us-gov": { signin: "signin.amazonaws-us-gov.com", console: "console.amazonaws-us-gov.com" },
};

const PARTITIONS = Object.keys(PARTITION_HOSTS) as Partition[];

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Whether `region` looks like an AWS region name (`eu-west-1`, `us-gov-west-1`, `cn-north-1`). */
export function isRegionName(region: string): boolean {
  return REGION.test(region);
}

/** The partition named in an ARN (`arn:aws-cn:iam::…`), or undefined when it is not a known one. */
export function partitionOfArn(arn: string): Partition | undefined {
  const name = arn.split(":")[1];
  return PARTITIONS.find((p) => p === name);
}

/** The partition whose console serves `host` (the console host itself or a subdomain of it). */
export function partitionOfConsoleHost(host: string): Partition | undefined {
  const lower = host.toLowerCase();
  return PARTITIONS.find((p) => {
    const console = PARTITION_HOSTS[p].console;
    return lower === console || lower.endsWith(`.${console}`);
  });
}

/** What decides the partition of a sign-in. */
export interface PartitionHints {
  /** ARN of the role (or user) signing in: authoritative. */
  arn?: string;
  /** The region asked for with `--region`. */
  region?: string;
  /** A console URL asked for with `-u`. */
  url?: string;
  /** The region from the environment or profile, used when nothing else decides. */
  fallbackRegion?: string;
}

/**
 * The partition of a sign-in: from the ARN, the `-u` URL or `--region` (which must agree), else the fallback region,
 * else `aws`.
 */
export function resolvePartition(hints: PartitionHints): Partition {
  const claims: [string, Partition][] = [];
  const fromArn = hints.arn ? partitionOfArn(hints.arn) : undefined;
  if (fromArn) claims.push([`the role ${hints.arn}`, fromArn]);
  if (hints.url) {
    const fromUrl = partitionOfConsoleHost(new URL(hints.url).hostname);
    if (fromUrl) claims.push(["the URL", fromUrl]);
  }
  if (hints.region) claims.push([`region ${hints.region}`, partitionOfRegion(hints.region)]);
  for (const [what, partition] of claims.slice(1)) {
    if (partition !== claims[0][1]) {
      throw usageError(
        msg`${what} is in partition ${partition} but ${claims[0][0]} is in ${claims[0][1]}`,
        "a console sign-in stays within one partition (aws, aws-cn, aws-us-gov)",
      );
    }
  }
  if (claims.length > 0) return claims[0][1];
  return hints.fallbackRegion ? partitionOfRegion(hints.fallbackRegion) : "aws";
}

export { SERVICE_ALIASES, SERVICE_NAMES, SERVICE_PAGES, type ServicePage } from "./services.ts";

/** The page of a service shortcut; a usage error naming close matches when unknown. */
export function servicePage(name: string): ServicePage {
  const key = name.toLowerCase();
  const page = SERVICE_PAGES[SERVICE_ALIASES[key] ?? key];
  if (page) return page;
  throw usageError(
    msg`unknown service shortcut '${name.length > 40 ? `${name.slice(0, 40)}…` : name}'`,
    didYouMean(key, [...SERVICE_NAMES]) ??
      `known: ${SERVICE_NAMES.join(", ")}; or give any console URL with -u`,
  );
}

/** Checks a `-u` URL: an https URL on a console host of a partition. Returns it unchanged. */
export function checkConsoleUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError(
      "the -u value is not a URL",
      "give a console URL such as https://console.aws.amazon.com/s3/",
    );
  }
  if (
    url.protocol !== "https:" || !partitionOfConsoleHost(url.hostname) || url.username ||
    url.password
  ) {
    throw usageError(
      msg`-u must be an https URL of the AWS console, not '${url.protocol}//${url.host}'`,
      `console hosts: ${
        PARTITIONS.map((p) => PARTITION_HOSTS[p].console).join(", ")
      } and their subdomains`,
    );
  }
  return text;
}

/** What page to open after sign-in. */
export interface DestinationRequest {
  /** The partition (decides the console host). */
  partition: Partition;
  /** A service shortcut. */
  service?: string;
  /** A region for the page. */
  region?: string;
  /** A console URL (from `-u`), used as it is. */
  url?: string;
}

/**
 * The destination URL: the `-u` URL as given, else the service's page, else the console home; in `region` when one
 * is given (global services ignore it).
 */
export function consoleDestination(request: DestinationRequest): string {
  if (request.url !== undefined) return checkConsoleUrl(request.url);
  const host = PARTITION_HOSTS[request.partition].console;
  const regionQuery = request.region ? `?region=${encodeURIComponent(request.region)}` : "";
  if (request.service === undefined) {
    return `https://${host}/${regionQuery ? `console/home${regionQuery}` : ""}`;
  }
  const page = servicePage(request.service);
  const fragment = page.fragment ? `#${page.fragment}` : "";
  return `https://${host}/${page.path}${page.global ? "" : regionQuery}${fragment}`;
}

/**
 * The federation endpoint: `STC_FEDERATION_ENDPOINT` when set (a full URL; the emulator and private endpoints use
 * it), else the sign-in endpoint of `region` in the partition (`https://REGION.signin.aws.amazon.com/federation`,
 * `REGION.signin.amazonaws.cn`, `REGION.signin.amazonaws-us-gov.com`: regional, so that Console Private Access
 * through a VPC endpoint works), else, without a region of that partition, the partition's global one.
 *
 * @example
 * ```ts
 * import { federationEndpoint } from "./url.ts";
 * federationEndpoint("aws", {}, "eu-west-1"); // "https://eu-west-1.signin.aws.amazon.com/federation"
 * ```
 */
export function federationEndpoint(
  partition: Partition,
  env: Readonly<Record<string, string | undefined>>,
  region?: string,
): string {
  if (env.STC_FEDERATION_ENDPOINT) return env.STC_FEDERATION_ENDPOINT;
  const host = PARTITION_HOSTS[partition].signin;
  const regional = region !== undefined && isRegionName(region) &&
    partitionOfRegion(region) === partition;
  return `https://${regional ? `${region}.` : ""}${host}/federation`;
}

/** The `Issuer` stc names in login URLs (AWS requires it to be non-empty; aws-vault uses its own name likewise). */
export const ISSUER = "stc";

/** The one-click login URL: the endpoint's `login` action with the issuer, destination and sign-in token. */
export function loginUrl(endpoint: string, destination: string, signinToken: string): string {
  const url = new URL(endpoint);
  url.searchParams.set("Action", "login");
  url.searchParams.set("Issuer", ISSUER);
  url.searchParams.set("Destination", destination);
  url.searchParams.set("SigninToken", signinToken);
  return url.href;
}

/** How the credentials for a console session were obtained: it decides the longest session AWS allows. */
export type ConsoleCredentialKind = "chained-role" | "role" | "federated";

/** The longest console session for a kind of credentials. */
export function maxConsoleSession(kind: ConsoleCredentialKind): number {
  if (kind === "chained-role") return CHAINED_ROLE_MAX_SECONDS;
  return kind === "federated" ? SESSION_TOKEN_LIMITS.max : ROLE_LIMITS.max;
}

/**
 * The console session length to ask for: the requested one when the credential kind allows it, else the longest
 * allowed. Usage error when the request is out of range.
 */
export function consoleSessionDuration(kind: ConsoleCredentialKind, requested?: number): number {
  const max = maxConsoleSession(kind);
  if (requested === undefined) return max;
  if (requested < ROLE_LIMITS.min || requested > max) {
    if (kind === "chained-role" && requested >= ROLE_LIMITS.min) {
      throw usageError(
        msg`--duration ${formatDuration(requested)} is longer than the ${
          formatDuration(max)
        } AWS allows for role credentials obtained with temporary credentials (role chaining)`,
        "give the role alias: stc assumes it with your long-term key and MFA for sessions over one hour",
      );
    }
    throw usageError(
      msg`--duration must be between ${formatDuration(ROLE_LIMITS.min)} and ${
        formatDuration(max)
      } (${ROLE_LIMITS.min}-${max} seconds) for ${
        kind === "federated" ? "a federated user" : "a role"
      }`,
    );
  }
  return requested;
}

/**
 * The `SessionDuration` parameter for `getSigninToken`: `seconds` for a role assumed with a long-term key, undefined
 * (left out) for role-chained and federated credentials, whose console session AWS ties to the credentials.
 */
export function signinSessionDuration(
  kind: ConsoleCredentialKind,
  seconds: number,
): number | undefined {
  return kind === "role" ? seconds : undefined;
}
