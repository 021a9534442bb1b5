/**
 * Authenticates AWS requests: resolves the access key (long-term or temporary), checks the
 * session token, expiry, key status and propagation, the request time, the SigV4 signature and
 * the payload hash, and returns who is calling plus the decoded payload.
 *
 * @module
 */

import {
  type CanonicalInput,
  CHECKSUMS,
  decodeAwsChunked,
  expectedSignature,
  formatAmzDate,
  MalformedAuthError,
  parseAmzDate,
  parseSigV4,
  sha256Hex,
  signaturesEqual,
  type SigV4Auth,
  verifyChunkSignatures,
} from "./sigv4.ts";
import {
  findKey,
  nowMs,
  type RoleState,
  type SessionState,
  type State,
  type UserState,
} from "./state.ts";
import { AwsError, type Service } from "./xml.ts";

/** The authenticated identity behind a request. */
export interface Caller {
  accessKeyId: string;
  accountId: string;
  /** The ARN AWS reports for this identity (user, assumed-role or federated-user ARN). */
  arn: string;
  /** GetCallerIdentity's UserId. */
  userId: string;
  /** `user`: long-term key; otherwise the kind of temporary credentials. */
  kind: "user" | "session-token" | "assumed-role" | "federated";
  /** The IAM user behind long-term, session-token and federated credentials. */
  user?: UserState;
  role?: RoleState;
  session?: SessionState;
  /** aws:MultiFactorAuthPresent. */
  mfa: boolean;
}

/** The request body after transfer decoding, plus trailing checksums of aws-chunked bodies. */
export interface Payload {
  body: Uint8Array;
  trailers: Map<string, string>;
}

const MAX_SKEW_MS = 15 * 60 * 1000;

/** Error texts that differ between the Query services and S3. */
function authError(service: Service, kind: string, detail = ""): AwsError {
  const s3 = service === "s3";
  switch (kind) {
    case "unknown-key":
      return s3
        ? new AwsError(
          403,
          "InvalidAccessKeyId",
          "The AWS Access Key Id you provided does not exist in our records.",
        )
        : invalidToken(service);
    case "bad-token":
      return s3
        ? new AwsError(400, "InvalidToken", "The provided token is malformed or otherwise invalid.")
        : invalidToken(service);
    case "expired":
      return s3
        ? new AwsError(400, "ExpiredToken", "The provided token has expired.")
        : new AwsError(
          400,
          "ExpiredToken",
          "The security token included in the request is expired",
        );
    case "signature":
      return new AwsError(
        403,
        "SignatureDoesNotMatch",
        s3
          ? "The request signature we calculated does not match the signature you provided. Check your key and signing method."
          : "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
      );
    case "malformed":
      return s3
        ? new AwsError(400, "AuthorizationHeaderMalformed", detail)
        : new AwsError(400, "IncompleteSignature", detail);
    default:
      throw new Error(`unknown auth error ${kind}`);
  }
}

function invalidToken(service: Service): AwsError {
  // IAM's text has no final period, STS's has one (as the real services answer).
  return new AwsError(
    403,
    "InvalidClientTokenId",
    service === "iam"
      ? "The security token included in the request is invalid"
      : "The security token included in the request is invalid.",
  );
}

/** Reads the SigV4 auth of a request, mapping malformed auth to the service's error. */
export function readAuth(req: Request, url: URL, fallback: Service): SigV4Auth | undefined {
  try {
    return parseSigV4(req, url);
  } catch (e) {
    if (e instanceof MalformedAuthError) throw authError(fallback, "malformed", e.message);
    throw e;
  }
}

/**
 * Authenticates a signed request for `service` and decodes its payload.
 * Order of checks: key → token → expiry/status → time → signature → payload.
 */
export function authenticate(
  state: State,
  service: Service,
  auth: SigV4Auth,
  req: Request,
  url: URL,
  rawBody: Uint8Array,
): { caller: Caller; payload: Payload } {
  const now = nowMs(state);
  let secret: string;
  let caller: Caller;

  if (auth.accessKeyId.startsWith("ASIA")) {
    const session = state.sessions.get(auth.accessKeyId);
    if (!session) throw authError(service, "unknown-key");
    if (auth.securityToken === undefined || auth.securityToken !== session.token) {
      throw authError(service, "bad-token");
    }
    if (now >= session.expiration) throw authError(service, "expired");
    secret = session.secret;
    caller = sessionCaller(session);
  } else {
    const found = findKey(state, auth.accessKeyId);
    if (!found || found.key.status !== "Active" || now < found.key.usableFrom) {
      throw authError(service, "unknown-key");
    }
    // A long-term key never carries a session token; AWS rejects the pair.
    if (auth.securityToken !== undefined) throw authError(service, "bad-token");
    secret = found.key.secret;
    caller = {
      accessKeyId: found.key.id,
      accountId: found.user.accountId,
      arn: found.user.arn,
      userId: found.user.userId,
      kind: "user",
      user: found.user,
      mfa: false,
    };
  }

  checkScope(service, auth);
  checkTime(service, auth, now);

  const contentSha = req.headers.get("x-amz-content-sha256");
  if (service === "s3" && !auth.presigned && contentSha === null) {
    throw new AwsError(
      400,
      "InvalidRequest",
      "Missing required header for this request: x-amz-content-sha256",
    );
  }
  const payloadHash = auth.presigned
    ? (contentSha ?? "UNSIGNED-PAYLOAD")
    : (contentSha ?? sha256Hex(rawBody));
  const input: CanonicalInput = {
    method: req.method,
    rawPath: rawPath(req.url),
    rawQuery: url.search,
    headers: req.headers,
    payloadHash,
  };
  if (!auth.signedHeaders.includes("host")) throw authError(service, "signature");
  if (!signaturesEqual(expectedSignature(auth, input, secret), auth.signature)) {
    throw authError(service, "signature");
  }
  const payload = decodePayload(service, auth, secret, contentSha, req, rawBody);
  if (caller.kind === "user") {
    const key = caller.user!.keys.find((k) => k.id === caller.accessKeyId);
    if (key) key.lastUsed = { at: now, service, region: auth.region };
  }
  return { caller, payload };
}

function sessionCaller(session: SessionState): Caller {
  const base = {
    accessKeyId: session.accessKeyId,
    accountId: session.accountId,
    session,
    mfa: session.mfa,
  };
  switch (session.kind) {
    case "session-token":
      return {
        ...base,
        arn: session.user!.arn,
        userId: session.user!.userId,
        kind: "session-token",
        user: session.user,
      };
    case "assumed-role":
      return {
        ...base,
        arn: `arn:aws:sts::${session.accountId}:assumed-role/${session.role!.name}/${session.name}`,
        userId: `${session.role!.roleId}:${session.name}`,
        kind: "assumed-role",
        role: session.role,
      };
    case "federated":
      return {
        ...base,
        arn: `arn:aws:sts::${session.accountId}:federated-user/${session.name}`,
        userId: `${session.accountId}:${session.name}`,
        kind: "federated",
        user: session.user,
      };
  }
}

/** The path exactly as sent (still percent-encoded). */
function rawPath(requestUrl: string): string {
  const afterScheme = requestUrl.indexOf("//") + 2;
  const slash = requestUrl.indexOf("/", afterScheme);
  if (slash < 0) return "/";
  const q = requestUrl.indexOf("?", slash);
  return q < 0 ? requestUrl.slice(slash) : requestUrl.slice(slash, q);
}

function checkScope(service: Service, auth: SigV4Auth): void {
  if (auth.amzDate.slice(0, 8) !== auth.scopeDate) {
    throw service === "s3"
      ? new AwsError(
        400,
        "AuthorizationHeaderMalformed",
        `The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.`,
      )
      : new AwsError(
        403,
        "SignatureDoesNotMatch",
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${
          auth.amzDate.slice(0, 8)
        }', from '${auth.amzDate}'.`,
      );
  }
  if (service === "iam" && auth.region !== "us-east-1") {
    throw new AwsError(
      403,
      "SignatureDoesNotMatch",
      "Credential should be scoped to a valid region. ",
    );
  }
}

function checkTime(service: Service, auth: SigV4Auth, now: number): void {
  const t = parseAmzDate(auth.amzDate);
  if (Number.isNaN(t)) {
    throw authError(
      service,
      "malformed",
      "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
    );
  }
  if (auth.presigned) {
    const expires = auth.expires ?? 0;
    if (!(expires >= 1 && expires <= 604800)) {
      throw new AwsError(
        400,
        "AuthorizationQueryParametersError",
        "X-Amz-Expires must be between 1 and 604800 seconds",
      );
    }
    if (now > t + expires * 1000) {
      throw new AwsError(403, "AccessDenied", "Request has expired", {
        "X-Amz-Expires": String(expires),
        Expires: new Date(t + expires * 1000).toISOString(),
        ServerTime: new Date(now).toISOString(),
      });
    }
    if (t - now > MAX_SKEW_MS) {
      throw new AwsError(403, "AccessDenied", "Request is not valid yet");
    }
    return;
  }
  if (Math.abs(t - now) <= MAX_SKEW_MS) return;
  if (service === "s3") {
    throw new AwsError(
      403,
      "RequestTimeTooSkewed",
      "The difference between the request time and the current time is too large.",
      {
        RequestTime: new Date(t).toUTCString(),
        ServerTime: new Date(now).toISOString(),
        MaxAllowedSkewMilliseconds: "900000",
      },
    );
  }
  const message = t < now
    ? `Signature expired: ${auth.amzDate} is now earlier than ${
      formatAmzDate(now - MAX_SKEW_MS)
    } (${formatAmzDate(now)} - 15 min.)`
    : `Signature not yet current: ${auth.amzDate} is still later than ${
      formatAmzDate(now + MAX_SKEW_MS)
    } (${formatAmzDate(now)} + 15 min.)`;
  throw new AwsError(403, "SignatureDoesNotMatch", message);
}

function decodePayload(
  service: Service,
  auth: SigV4Auth,
  secret: string,
  contentSha: string | null,
  req: Request,
  rawBody: Uint8Array,
): Payload {
  const none = new Map<string, string>();
  if (contentSha === null || contentSha === "UNSIGNED-PAYLOAD") {
    return { body: rawBody, trailers: none };
  }
  if (/^[0-9a-f]{64}$/.test(contentSha)) {
    if (sha256Hex(rawBody) !== contentSha) {
      throw new AwsError(
        400,
        "XAmzContentSHA256Mismatch",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        { ClientComputedContentSHA256: contentSha, S3ComputedContentSHA256: sha256Hex(rawBody) },
      );
    }
    return { body: rawBody, trailers: none };
  }
  if (
    service === "s3" &&
    (contentSha === "STREAMING-UNSIGNED-PAYLOAD-TRAILER" ||
      contentSha === "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
  ) {
    let decoded;
    try {
      decoded = decodeAwsChunked(rawBody);
    } catch (e) {
      throw new AwsError(
        400,
        "IncompleteBody",
        `The request body is not valid aws-chunked encoding: ${(e as Error).message}`,
      );
    }
    if (
      contentSha === "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" &&
      !verifyChunkSignatures(auth, secret, decoded)
    ) {
      throw authError(service, "signature");
    }
    const declared = req.headers.get("x-amz-decoded-content-length");
    if (declared === null) {
      throw new AwsError(
        411,
        "MissingContentLength",
        "You must provide the Content-Length HTTP header.",
      );
    }
    if (Number(declared) !== decoded.data.length) {
      throw new AwsError(
        400,
        "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header.",
      );
    }
    const announced = req.headers.get("x-amz-trailer");
    if (announced !== null && !decoded.trailers.has(announced.toLowerCase())) {
      throw new AwsError(
        400,
        "MalformedTrailerError",
        "The request contained trailing data that was not well-formed or did not conform to our published schema.",
      );
    }
    return { body: decoded.data, trailers: decoded.trailers };
  }
  throw new AwsError(
    400,
    "InvalidArgument",
    `x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD or a valid sha256 value.`,
  );
}

/**
 * Verifies `x-amz-checksum-*` values (headers or trailers) against the body; returns the
 * checksums to store with the object. A mismatch is S3's BadDigest.
 */
export function verifyChecksums(req: Request, payload: Payload): Record<string, string> {
  const found: Record<string, string> = {};
  const sources = [...req.headers.entries(), ...payload.trailers.entries()];
  for (const [name, value] of sources) {
    const m = /^x-amz-checksum-(\w+)$/.exec(name.toLowerCase());
    if (!m || m[1] === "type" || m[1] === "algorithm" || m[1] === "mode") continue;
    const algo = m[1];
    const compute = CHECKSUMS[algo];
    if (!compute) {
      throw new AwsError(
        400,
        "InvalidRequest",
        `Value for x-amz-checksum-${algo} header is invalid.`,
      );
    }
    if (compute(payload.body) !== value) {
      throw new AwsError(
        400,
        "BadDigest",
        `The ${algo.toUpperCase()} you specified did not match the calculated checksum.`,
      );
    }
    found[algo] = value;
  }
  return found;
}
