/**
 * The console federation endpoint's `getSigninToken` call: temporary credentials in, a one-time sign-in token out.
 *
 * The request carries the credentials in its query string (that is the endpoint's API), so neither the request URL
 * nor errors from `fetch` (whose messages quote the URL) ever reach a message, a log or an error's cause.
 *
 * @module
 */

import { ExitCode, StcError } from "../core/errors.ts";
import type { Credentials } from "../core/credentials.ts";
import type { Env } from "../core/env.ts";
import type { ProfileConfig } from "./settings.ts";
import { fetchBytes, hostOf, NetworkError, openHttpClient, timeoutsFrom } from "./transport.ts";
import { msg } from "../core/message.ts";
import { registerSecret } from "../core/secrets.ts";

/** Temporary credentials as the federation endpoint takes them. */
export interface FederationSession {
  /** Access key id (ASIA…). */
  accessKeyId: string;
  /** Secret access key. */
  secretAccessKey: string;
  /** Session token. */
  sessionToken: string;
}

/**
 * The `getSigninToken` request URL, with `SessionDuration` only when given (see {@linkcode signinSessionDuration}).
 * It holds the credentials: it is sent to the endpoint and never shown or logged.
 */
export function signinTokenUrl(
  endpoint: string,
  session: FederationSession,
  sessionDuration?: number,
): string {
  const url = new URL(endpoint);
  url.searchParams.set("Action", "getSigninToken");
  if (sessionDuration !== undefined) {
    url.searchParams.set("SessionDuration", String(sessionDuration));
  }
  url.searchParams.set(
    "Session",
    JSON.stringify({
      sessionId: session.accessKeyId,
      sessionKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
    }),
  );
  return url.href;
}

/** Options of {@linkcode getSigninToken}. */
export interface SigninTokenRequest {
  /** The federation endpoint URL (`federationEndpoint()` of lib/console/url.ts). */
  endpoint: string;
  /** Temporary credentials of a role or federated user. */
  credentials: Credentials;
  /** Console session length in seconds (`SessionDuration`); absent for credentials AWS refuses it for. */
  sessionDuration?: number;
  /** Environment, for the network settings (`STC_CONNECT_TIMEOUT`, `STC_REQUEST_TIMEOUT`, `AWS_CA_BUNDLE`). */
  env: Env;
  /** The selected profile, for its `ca_bundle`. */
  profile?: ProfileConfig;
}

/** The first line of an error body, when it is short, printable and quotes none of the secrets. */
function safeReason(body: string, secrets: readonly string[]): string {
  const line = body.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
  if (line === "" || line.length > 200 || /[^\x20-\x7e]/.test(line)) return "";
  if (line.startsWith("<")) return ""; // an HTML error page says nothing useful in one line
  if (secrets.some((s) => s !== "" && line.includes(s))) return "";
  return `: ${line}`;
}

/** A hint true for the way the federation endpoint refused: only some refusals are about the credentials. */
function refusalHint(status: number, expired: boolean): string {
  if (expired) return "the credentials have expired: get a new session with 'stc session'";
  if (status === 404 || status === 405) {
    return "no federation endpoint answers at this URL: check STC_FEDERATION_ENDPOINT, or the partition " +
      "(--region, -u)";
  }
  if (status >= 500) return "the sign-in service failed; try again in a moment";
  return "the credentials must be a role's or a federated user's (not an MFA session's), within the " +
    "session length AWS allows";
}

/**
 * Asks the federation endpoint for a sign-in token (valid 15 minutes, once). Errors name the endpoint's host and
 * the HTTP status, never the request.
 */
export async function getSigninToken(request: SigninTokenRequest): Promise<string> {
  const { accessKeyId, secretAccessKey, sessionToken } = request.credentials;
  if (!sessionToken) {
    throw new StcError("console sign-in needs temporary credentials (a session token)");
  }
  const host = hostOf(request.endpoint);
  let url: string;
  try {
    url = signinTokenUrl(
      request.endpoint,
      { accessKeyId, secretAccessKey, sessionToken },
      request.sessionDuration,
    );
  } catch {
    throw new StcError("STC_FEDERATION_ENDPOINT is not a valid URL", {
      hint:
        "set it to the full URL of the federation endpoint, e.g. https://signin.aws.amazon.com/federation",
    });
  }
  const timeouts = timeoutsFrom(request.env);
  const client = await openHttpClient(request.env, request.profile);
  let response;
  try {
    response = await fetchBytes(url, {
      init: { redirect: "manual", headers: { accept: "application/json" } },
      timeouts,
      client,
    });
  } catch (error) {
    // Only the classified reason is shown: fetch's own error quotes the URL, which holds the credentials, so
    // neither it nor anything holding it is kept as the cause.
    const reason = error instanceof NetworkError ? error.message : "the request failed";
    throw new StcError(msg`the federation endpoint ${host} could not be reached: ${reason}`, {
      hint: error instanceof NetworkError && error.failure === "tls"
        ? "the endpoint's certificate is not trusted: check STC_FEDERATION_ENDPOINT, or the proxy that intercepts TLS"
        : "check the network or proxy, or STC_FEDERATION_ENDPOINT; STC_CONNECT_TIMEOUT and STC_REQUEST_TIMEOUT set the deadlines",
      exitCode: ExitCode.Unreachable,
    });
  } finally {
    client?.close();
  }
  const body = new TextDecoder().decode(response.body);
  if (response.status < 200 || response.status > 299) {
    const reason = safeReason(body, [secretAccessKey, sessionToken]);
    const expired = /expired/i.test(reason);
    throw new StcError(
      msg`the federation endpoint ${host} refused the request (HTTP ${response.status}${reason})`,
      {
        hint: refusalHint(response.status, expired),
        exitCode: expired ? ExitCode.SessionExpired : ExitCode.Failure,
      },
    );
  }
  let token: unknown;
  try {
    token = (JSON.parse(body) as { SigninToken?: unknown }).SigninToken;
  } catch {
    token = undefined;
  }
  if (typeof token !== "string" || token === "") {
    throw new StcError(msg`the federation endpoint ${host} answered without a sign-in token`);
  }
  // The token signs anyone in to the console for 15 minutes.
  registerSecret(token);
  return token;
}
