/**
 * The credentials a credential server hands out, renewed before they expire. The server gives out only
 * credentials with at least {@linkcode RENEW_BEFORE_SECONDS} left, more than any SDK's own refresh window
 * (the JavaScript SDK refreshes at 5 minutes, botocore at 15 and 10), so a client that asks because its copy is
 * about to expire always gets a fresh one, and asks again only near that one's end: one AssumeRole per 45
 * minutes of a role's hour, not one per call. A failed renewal keeps serving the current credentials while they
 * last, and says why on stderr; the base session's end is announced {@linkcode BASE_WARNING_SECONDS} ahead.
 *
 * @module
 */

import type { Credentials } from "../core/credentials.ts";
import { StcError } from "../core/errors.ts";
import { msg } from "../core/message.ts";
import { printable } from "../core/text.ts";
import { formatDuration, formatLocalTime, secondsLeft } from "../core/time.ts";
import type { Notices } from "../term/term.ts";
import type { Served } from "./endpoint.ts";

/** Credentials with fewer seconds left than this are renewed before they are handed out. */
export const RENEW_BEFORE_SECONDS = 15 * 60;
/** How long before the base session's end the server warns. */
export const BASE_WARNING_SECONDS = 10 * 60;
/** Credentials that could not be renewed are still served while more than this is left. */
const LAST_SERVE_SECONDS = 60;

/** New credentials, and the end of the base session they were assumed from. */
export interface Renewed {
  /** The role's credentials. */
  credentials: Credentials;
  /** When the base session they came from expires, if known. */
  baseExpiration?: Date;
}

/** What renewal needs. */
export interface RenewalOptions {
  /** What is served, for the log (a role alias). */
  label: string;
  /** Obtains credentials with at least `minSeconds` left (asks AWS, or the agent's cache). */
  obtain(minSeconds: number): Promise<Renewed>;
  /** The current time. */
  now(): Date;
  /** Where renewals and warnings are told. */
  notices: Notices;
  /** The first credentials, obtained before the server started. */
  initial: Renewed;
}

/** Serves and renews one role's credentials. */
export interface Renewal {
  /** Credentials for one request: the current ones, or new ones when they are near their end. */
  serve(): Promise<Served>;
  /** Warns when the base session is near its end or over (also called on a timer). */
  checkBase(): void;
  /** How many times the credentials were renewed. */
  readonly renewals: number;
}

/** The error answered when no credentials can be given, and its message for the log. */
function failure(error: unknown): Served {
  const message = error instanceof StcError
    ? error.message + (error.hint ? ` (${error.hint})` : "")
    : error instanceof Error
    ? error.message
    : String(error);
  // The AWS CLI shows the message on its terminal: escaped like stc's own messages.
  return {
    ok: false,
    status: 503,
    code: "CredentialsUnavailable",
    message: `stc: ${printable(message)}`,
  };
}

/** A renewal of `options.initial`. */
export function createRenewal(options: RenewalOptions): Renewal {
  const { notices, label } = options;
  let current = options.initial.credentials;
  let baseExpiration = options.initial.baseExpiration;
  let renewals = 0;
  let pending: Promise<Served> | undefined;
  let lastFailure = "";
  let warnedBase: Date | undefined;
  let toldExpired: Date | undefined;

  const left = (credentials: Credentials) =>
    credentials.expiration ? secondsLeft(credentials.expiration, options.now()) : Infinity;

  const checkBase = () => {
    if (!baseExpiration) return;
    const seconds = secondsLeft(baseExpiration, options.now());
    const at = formatLocalTime(baseExpiration);
    if (seconds <= 0) {
      if (toldExpired?.getTime() === baseExpiration.getTime()) return;
      toldExpired = baseExpiration;
      const last = formatDuration(left(current));
      notices.warn(
        msg`the MFA session expired at ${at}: ${label}'s credentials cannot be renewed (those given out last ${last} more); run 'stc session' to get a new one, the server then renews from it`,
      );
    } else if (seconds <= BASE_WARNING_SECONDS) {
      if (warnedBase?.getTime() === baseExpiration.getTime()) return;
      warnedBase = baseExpiration;
      const within = formatDuration(seconds);
      notices.warn(
        msg`the MFA session expires in ${within} (${at}); run 'stc session' to get a new one, the server then renews ${label} from it`,
      );
    }
  };

  const renew = async (): Promise<Served> => {
    try {
      const renewed = await options.obtain(RENEW_BEFORE_SECONDS);
      current = renewed.credentials;
      if (renewed.baseExpiration) baseExpiration = renewed.baseExpiration;
      renewals++;
      lastFailure = "";
      const until = current.expiration ? formatLocalTime(current.expiration) : "unknown";
      notices.info(msg`${label}: new credentials, valid until ${until} (renewal ${renewals})`);
      return { ok: true, credentials: current };
    } catch (error) {
      const served = failure(error);
      const message = served.ok ? "" : served.message;
      const remaining = left(current);
      if (message !== lastFailure) {
        lastFailure = message;
        const reason = message.replace(/^stc: /, "");
        const lasting = formatDuration(remaining);
        notices.warn(
          remaining > LAST_SERVE_SECONDS
            ? msg`${label}: renewal failed: ${reason}; the current credentials are served for ${lasting} more`
            : msg`${label}: renewal failed: ${reason}`,
        );
      }
      return remaining > LAST_SERVE_SECONDS ? { ok: true, credentials: current } : served;
    }
  };

  return {
    async serve() {
      checkBase();
      if (left(current) >= RENEW_BEFORE_SECONDS) return { ok: true, credentials: current };
      // One renewal at a time: requests arriving meanwhile share its result.
      pending ??= renew().finally(() => pending = undefined);
      return await pending;
    },
    checkBase,
    get renewals() {
      return renewals;
    },
  };
}
