/**
 * The network and endpoint settings of AWS calls, from the environment and the selected profile, with the
 * precedence the AWS SDKs and Tools reference documents: an environment variable wins over the profile's key, a
 * service-specific endpoint over a global one of the same kind, and every environment endpoint over every
 * configured one:
 *
 * 1. `AWS_ENDPOINT_URL_<SERVICE>`
 * 2. `AWS_ENDPOINT_URL`
 * 3. `endpoint_url` of the service in the `[services NAME]` section the profile's `services` key names
 * 4. `endpoint_url` in the profile
 * 5. the SDK's endpoint for the region, with `AWS_USE_FIPS_ENDPOINT`/`use_fips_endpoint`,
 *    `AWS_USE_DUALSTACK_ENDPOINT`/`use_dualstack_endpoint` and, for STS,
 *    `AWS_STS_REGIONAL_ENDPOINTS`/`sts_regional_endpoints` (`regional`, the default, or `legacy`).
 *
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`/`ignore_configured_endpoint_urls` = `true` skips 1–4. The CA bundle is
 * `AWS_CA_BUNDLE`, else the profile's `ca_bundle`. Pure: no I/O.
 *
 * @example
 * ```ts
 * import { resolveEndpoint } from "./settings.ts";
 * import assert from "node:assert/strict";
 *
 * const profile = {
 *   name: "dev",
 *   properties: { endpoint_url: "https://all.example", services: "vpc" },
 *   services: { name: "vpc", properties: { sts: "\nendpoint_url = https://sts.vpce.example" } },
 * };
 * assert.equal(resolveEndpoint("sts", {}, profile).url, "https://sts.vpce.example");
 * assert.equal(resolveEndpoint("iam", {}, profile).url, "https://all.example");
 * assert.equal(resolveEndpoint("iam", { AWS_ENDPOINT_URL: "http://127.0.0.1:9" }, profile).source, "AWS_ENDPOINT_URL");
 * ```
 *
 * @module
 */

import { ExitCode, StcError } from "../core/errors.ts";
import { msg } from "../core/message.ts";
import type { Env } from "../core/env.ts";
import { parseSubProperties } from "../config/ini.ts";
import type { ProfileConfig } from "../config/profile.ts";

export type { ProfileConfig } from "../config/profile.ts";

/** The AWS services stc calls through the SDK. */
export type Service = "sts" | "iam" | "s3";

/** A setting's value and the setting that chose it (`AWS_CA_BUNDLE`, `ca_bundle in profile 'dev'`, …). */
export interface Chosen<T> {
  /** The value. */
  value: T;
  /** Where it came from, for messages and `stc doctor`. */
  source: string;
}

function profileSource(key: string, profile: ProfileConfig): string {
  return `${key} in profile '${profile.name}'`;
}

/** The environment variable when set and not empty, else the profile's key, else undefined. */
function envThenProfile(
  env: Env,
  variable: string,
  profile: ProfileConfig | undefined,
  key: string,
): Chosen<string> | undefined {
  const fromEnv = env[variable]?.trim();
  if (fromEnv) return { value: fromEnv, source: variable };
  const fromProfile = profile?.properties[key]?.trim();
  if (profile && fromProfile) return { value: fromProfile, source: profileSource(key, profile) };
  return undefined;
}

function settingError(source: string, what: string, variable: string, example: string): StcError {
  const fix = source === variable
    ? msg`unset it, or set ${variable}=${example}`
    : msg`set it to ${example} in ~/.aws/config, or remove it`;
  return new StcError(msg`${source} must be ${what}`, { hint: fix, exitCode: ExitCode.Usage });
}

/** A boolean setting of the AWS SDKs (`true`/`false`, any case; unset is false). */
function booleanSetting(
  env: Env,
  variable: string,
  profile: ProfileConfig | undefined,
  key: string,
): Chosen<boolean> {
  const chosen = envThenProfile(env, variable, profile, key);
  if (!chosen) return { value: false, source: "default" };
  const value = chosen.value.toLowerCase();
  if (value === "true" || value === "false") {
    return { value: value === "true", source: chosen.source };
  }
  throw settingError(chosen.source, "true or false", variable, "true");
}

/**
 * `region` when it can be an AWS region (a host label: letters, digits, hyphens), else a usage error. Checked before
 * the SDK sees it: the region becomes part of a host name, and the SDK logs a host it cannot parse.
 */
export function checkRegion(region: string): string {
  if (/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(region)) return region;
  throw new StcError(
    "the region is not a region name (letters, digits and hyphens, e.g. eu-west-1)",
    {
      hint: "check AWS_REGION, AWS_DEFAULT_REGION, --region and the profile's region",
      exitCode: ExitCode.Usage,
    },
  );
}

/** The CA bundle to trust besides the built-in roots: `AWS_CA_BUNDLE`, else the profile's `ca_bundle`. */
export function caBundle(env: Env, profile?: ProfileConfig): Chosen<string> | undefined {
  return envThenProfile(env, "AWS_CA_BUNDLE", profile, "ca_bundle");
}

/** Where the SDK sends a service's requests: the client settings `endpointSettings` gives the SDK. */
export interface EndpointSettings {
  /** A configured endpoint URL; the SDK's own resolution (by region and the flags) when absent. */
  endpoint?: string;
  /** The service's FIPS endpoint. */
  useFipsEndpoint: boolean;
  /** The service's IPv4-and-IPv6 endpoint. */
  useDualstackEndpoint: boolean;
  /** STS only, `sts_regional_endpoints = legacy`: the global endpoint for the regions that had it. */
  useGlobalEndpoint?: boolean;
}

/** The endpoint of a service and the settings that chose it, as {@linkcode resolveEndpoint} decides it. */
export interface EndpointChoice {
  /** A configured endpoint URL; undefined for the SDK's endpoint for the region. */
  url?: string;
  /** The setting that chose the URL, or `default` for the SDK's endpoint. */
  source: string;
  /** FIPS, and the setting that asked for it (ignored when a URL is configured). */
  fips: Chosen<boolean>;
  /** Dual-stack, and the setting that asked for it (ignored when a URL is configured). */
  dualstack: Chosen<boolean>;
  /** STS's `sts_regional_endpoints` (`regional` or `legacy`), for STS only. */
  stsRegional?: Chosen<"regional" | "legacy">;
  /** Set when `ignore_configured_endpoint_urls` is true: the setting that said so. */
  ignoredBy?: string;
}

function checkUrl(url: string, source: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:") || !parsed.host) {
    throw new StcError(msg`${source} is not an http(s) URL`, {
      hint:
        "give the endpoint's URL with its scheme and host, e.g. https://sts.eu-west-1.amazonaws.com",
      exitCode: ExitCode.Usage,
    });
  }
  return url;
}

/** The configured endpoint URL of a service, in the reference's order, when there is one. */
function configuredUrl(
  service: Service,
  env: Env,
  profile: ProfileConfig | undefined,
): Chosen<string> | undefined {
  const variable = `AWS_ENDPOINT_URL_${service.toUpperCase()}`;
  const specific = env[variable]?.trim();
  if (specific) return { value: specific, source: variable };
  const global = env.AWS_ENDPOINT_URL?.trim();
  if (global) return { value: global, source: "AWS_ENDPOINT_URL" };
  const section = profile?.services;
  const nested = section?.properties[service];
  if (section && nested !== undefined) {
    const url = parseSubProperties(nested).endpoint_url?.trim();
    if (url) {
      return { value: url, source: `endpoint_url of ${service} in [services ${section.name}]` };
    }
  }
  const own = profile?.properties.endpoint_url?.trim();
  if (profile && own) return { value: own, source: profileSource("endpoint_url", profile) };
  return undefined;
}

/**
 * The endpoint of `service` for the environment and the selected profile, with the setting that chose it (the
 * precedence of the module documentation). Malformed settings are usage errors naming the setting.
 */
export function resolveEndpoint(
  service: Service,
  env: Env,
  profile?: ProfileConfig,
): EndpointChoice {
  const fips = booleanSetting(env, "AWS_USE_FIPS_ENDPOINT", profile, "use_fips_endpoint");
  const dualstack = booleanSetting(
    env,
    "AWS_USE_DUALSTACK_ENDPOINT",
    profile,
    "use_dualstack_endpoint",
  );
  const ignore = booleanSetting(
    env,
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    profile,
    "ignore_configured_endpoint_urls",
  );
  let stsRegional: EndpointChoice["stsRegional"];
  if (service === "sts") {
    const chosen = envThenProfile(
      env,
      "AWS_STS_REGIONAL_ENDPOINTS",
      profile,
      "sts_regional_endpoints",
    );
    const value = chosen?.value.toLowerCase();
    if (chosen && value !== "regional" && value !== "legacy") {
      throw settingError(
        chosen.source,
        "regional or legacy",
        "AWS_STS_REGIONAL_ENDPOINTS",
        "regional",
      );
    }
    stsRegional = chosen
      ? { value: value as "regional" | "legacy", source: chosen.source }
      : { value: "regional", source: "default" };
  }
  const base = { fips, dualstack, ...(stsRegional ? { stsRegional } : {}) };
  if (ignore.value) return { ...base, source: "default", ignoredBy: ignore.source };
  const configured = configuredUrl(service, env, profile);
  if (!configured) return { ...base, source: "default" };
  return { ...base, url: checkUrl(configured.value, configured.source), source: configured.source };
}

/**
 * The SDK client settings for a service: a configured endpoint URL wins, as the SDK reference orders them, and
 * then the FIPS and dual-stack flags do not apply; otherwise the SDK resolves the endpoint for the region with
 * them.
 *
 * @example
 * ```ts
 * import { endpointSettings } from "./settings.ts";
 * endpointSettings("sts", { AWS_USE_FIPS_ENDPOINT: "true" });
 * // { useFipsEndpoint: true, useDualstackEndpoint: false }
 * ```
 */
export function endpointSettings(
  service: Service,
  env: Env,
  profile?: ProfileConfig,
): EndpointSettings {
  const choice = resolveEndpoint(service, env, profile);
  if (choice.url) {
    return { endpoint: choice.url, useFipsEndpoint: false, useDualstackEndpoint: false };
  }
  return {
    useFipsEndpoint: choice.fips.value,
    useDualstackEndpoint: choice.dualstack.value,
    ...(choice.stsRegional?.value === "legacy" ? { useGlobalEndpoint: true } : {}),
  };
}

/**
 * The endpoint URL configured for a service (environment, then profile), or undefined for the SDK's endpoint;
 * none when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`/`ignore_configured_endpoint_urls` is true.
 */
export function endpointFor(
  service: Service,
  env: Env,
  profile?: ProfileConfig,
): string | undefined {
  return resolveEndpoint(service, env, profile).url;
}
