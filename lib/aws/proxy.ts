/**
 * Which proxy a request goes through, as `HTTPS_PROXY`/`https_proxy`, `HTTP_PROXY`/`http_proxy` and
 * `NO_PROXY`/`no_proxy` decide it (the rules Deno's `fetch` applies, which stc's transport uses): for `stc doctor`,
 * which reports the proxy and probes through it. Pure: no I/O.
 *
 * `NO_PROXY` is a comma-separated list of host names (`example.com` also matches its subdomains), domain suffixes
 * (`.internal`), IP addresses, CIDR ranges (`10.0.0.0/8`), any of them with `:PORT`, or `*` for every host.
 *
 * @example
 * ```ts
 * import { proxyFor, shownProxy } from "./proxy.ts";
 * import assert from "node:assert/strict";
 *
 * const env = { HTTPS_PROXY: "http://user:pw@proxy.corp:3128", NO_PROXY: ".internal,10.0.0.0/8" };
 * assert.equal(proxyFor("https://sts.eu-west-1.amazonaws.com/", env)?.source, "HTTPS_PROXY");
 * assert.equal(proxyFor("https://sts.vpce.internal/", env), undefined);
 * assert.equal(proxyFor("https://10.1.2.3/", env), undefined);
 * assert.equal(shownProxy("http://user:pw@proxy.corp:3128"), "http://proxy.corp:3128 (with credentials)");
 * ```
 *
 * @module
 */

import type { Env } from "../core/env.ts";

/** The proxy of a request. */
export interface ProxyChoice {
  /** The proxy URL as configured (may hold credentials: show it with {@linkcode shownProxy}). */
  url: string;
  /** The variable it came from. */
  source: string;
}

function variable(env: Env, name: string): { value: string; source: string } | undefined {
  for (const spelling of [name, name.toLowerCase()]) {
    const value = env[spelling]?.trim();
    if (value) return { value, source: spelling };
  }
  return undefined;
}

function ipv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    return undefined;
  }
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function matchesEntry(entry: string, host: string, port: string): boolean {
  let pattern = entry.trim().toLowerCase();
  if (pattern === "") return false;
  if (pattern === "*") return true;
  const portMatch = /^(.*[^:]):(\d+)$/.exec(pattern);
  if (portMatch && !pattern.includes("/") && !pattern.startsWith("[")) {
    if (portMatch[2] !== port) return false;
    pattern = portMatch[1];
  }
  pattern = pattern.replace(/^\[|\]$/g, "");
  const cidr = /^([\d.]+)\/(\d{1,2})$/.exec(pattern);
  if (cidr) {
    const base = ipv4(cidr[1]);
    const address = ipv4(host);
    const bits = Number(cidr[2]);
    if (base === undefined || address === undefined || bits > 32) return false;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return ((base & mask) >>> 0) === ((address & mask) >>> 0);
  }
  if (pattern.startsWith("*.")) pattern = pattern.slice(1);
  if (pattern.startsWith(".")) return host.endsWith(pattern) || host === pattern.slice(1);
  return host === pattern || host.endsWith(`.${pattern}`);
}

/** The proxy `url` goes through, or undefined when it goes direct (no proxy set, or `NO_PROXY` names it). */
export function proxyFor(url: string, env: Env): ProxyChoice | undefined {
  const target = new URL(url);
  const chosen = variable(env, target.protocol === "https:" ? "HTTPS_PROXY" : "HTTP_PROXY");
  if (!chosen) return undefined;
  const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  const noProxy = variable(env, "NO_PROXY")?.value ?? "";
  if (noProxy.split(",").some((entry) => matchesEntry(entry, host, port))) return undefined;
  return { url: chosen.value, source: chosen.source };
}

/** A proxy URL to show: scheme, host and port, never its credentials (said to be there when they are). */
export function shownProxy(url: string): string {
  try {
    const parsed = new URL(url.includes("://") ? url : `http://${url}`);
    const credentials = parsed.username || parsed.password ? " (with credentials)" : "";
    return `${parsed.protocol}//${parsed.host}${credentials}`;
  } catch {
    return "(not a URL)";
  }
}
