/**
 * The console federation endpoint (`/federation`): `getSigninToken` exchanges temporary
 * credentials for a sign-in token, `login` redeems it once and redirects to the console.
 *
 * @module
 */

import { randomBytes } from "node:crypto";
import { nowMs, type SessionState, type State } from "./state.ts";

/** How long an issued sign-in token can be redeemed (AWS: 15 minutes). */
export const SIGNIN_TOKEN_TTL_MS = 15 * 60 * 1000;

/** Default console session when no SessionDuration is given (AWS: 1 hour for role sessions). */
const DEFAULT_CONSOLE_SESSION = 3600;

function fail(message: string): Response {
  return new Response(message + "\n", {
    status: 400,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

/** Handles a GET to the federation endpoint. */
export function handleFederation(state: State, url: URL, headers: HeadersInit): Response {
  const q = url.searchParams;
  switch (q.get("Action")) {
    case "getSigninToken":
      return getSigninToken(state, q, headers);
    case "login":
      return login(state, q);
    default:
      return fail("Unsupported or missing Action; expected getSigninToken or login.");
  }
}

function getSigninToken(state: State, q: URLSearchParams, headers: HeadersInit): Response {
  const raw = q.get("Session");
  if (raw === null) return fail("Missing Session parameter.");
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return fail("Session parameter is not valid JSON.");
  }
  const { sessionId, sessionKey, sessionToken } = (parsed ?? {}) as Record<string, unknown>;
  if (
    typeof sessionId !== "string" || typeof sessionKey !== "string" ||
    typeof sessionToken !== "string"
  ) {
    return fail("Session must hold sessionId, sessionKey and sessionToken strings.");
  }
  const session: SessionState | undefined = state.sessions.get(sessionId);
  if (!session || session.secret !== sessionKey || session.token !== sessionToken) {
    return fail("The security token included in the request is invalid.");
  }
  const now = nowMs(state);
  if (now >= session.expiration) {
    return fail("The security token included in the request is expired.");
  }
  // Console sign-in needs role or federated-user credentials; GetSessionToken's are refused.
  if (session.kind === "session-token") {
    return fail("Credentials from GetSessionToken cannot be used for console federation.");
  }
  const durationRaw = q.get("SessionDuration");
  let duration: number | undefined;
  if (durationRaw !== null) {
    duration = Number(durationRaw);
    if (!/^\d+$/.test(durationRaw) || duration < 900 || duration > 43200) {
      return fail("SessionDuration must be an integer between 900 and 43200.");
    }
    // AWS accepts SessionDuration only for a role assumed with an IAM user's long-term key: federated-user
    // credentials and role-chaining credentials are refused ("Invalid credentials parameter").
    if (session.kind !== "assumed-role" || session.roleChained) {
      return fail(
        "SessionDuration is not allowed for credentials from GetFederationToken or role chaining.",
      );
    }
  }
  const token = randomBytes(384).toString("base64url");
  state.signinTokens.set(token, { issuedAt: now, session, sessionDuration: duration, used: false });
  return new Response(JSON.stringify({ SigninToken: token }), {
    status: 200,
    headers: { ...Object.fromEntries(new Headers(headers)), "content-type": "application/json" },
  });
}

function login(state: State, q: URLSearchParams): Response {
  const issuer = q.get("Issuer") ?? "";
  const destination = q.get("Destination") ?? "";
  const token = q.get("SigninToken") ?? "";
  if (issuer.trim() === "") return fail("Missing Issuer parameter.");
  let dest: URL;
  try {
    dest = new URL(destination);
  } catch {
    return fail("Destination must be an absolute https URL of the AWS console.");
  }
  if (
    dest.protocol !== "https:" ||
    !(dest.hostname === "console.aws.amazon.com" ||
      dest.hostname.endsWith(".console.aws.amazon.com"))
  ) {
    return fail("Destination must be an absolute https URL of the AWS console.");
  }
  const record = state.signinTokens.get(token);
  const now = nowMs(state);
  if (!record || record.used || now - record.issuedAt > SIGNIN_TOKEN_TTL_MS) {
    return fail("The sign-in token is invalid, already used or expired.");
  }
  record.used = true;
  const s = record.session;
  const arn = s.kind === "assumed-role"
    ? `arn:aws:sts::${s.accountId}:assumed-role/${s.role!.name}/${s.name}`
    : `arn:aws:sts::${s.accountId}:federated-user/${s.name}`;
  state.logins.push({
    at: new Date(now),
    issuer,
    destination,
    arn,
    accountId: s.accountId,
    // Without SessionDuration a federated user's console session lasts as long as its credentials; a role's
    // lasts AWS's default hour.
    sessionDuration: record.sessionDuration ??
      (s.kind === "assumed-role"
        ? DEFAULT_CONSOLE_SESSION
        : Math.floor((s.expiration - record.issuedAt) / 1000)),
  });
  return new Response(null, { status: 302, headers: { location: destination } });
}
