/**
 * Response rendering for the emulator: AWS Query-protocol XML (STS, IAM), S3 REST XML and the
 * error envelopes of both, plus the {@linkcode AwsError} every handler throws.
 *
 * @module
 */

/** XML namespaces of the emulated services. */
export const NAMESPACES = {
  sts: "https://sts.amazonaws.com/doc/2011-06-15/",
  iam: "https://iam.amazonaws.com/doc/2010-05-08/",
  s3: "http://s3.amazonaws.com/doc/2006-03-01/",
} as const;

/** A service the emulator routes to by the SigV4 credential scope. */
export type Service = "sts" | "iam" | "s3";

/** An error to render in the wire format of the service that raised it. */
export class AwsError extends Error {
  /** HTTP status code. */
  readonly status: number;
  /** AWS error code, e.g. `AccessDenied`. */
  readonly code: string;
  /** Extra S3 error fields (e.g. `Key`, `BucketName`). */
  readonly extra: Record<string, string>;

  /** Creates an error with an HTTP status, an AWS code and AWS's message text. */
  constructor(status: number, code: string, message: string, extra: Record<string, string> = {}) {
    super(message);
    this.name = "AwsError";
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

// Markup characters; control characters except tab and LF (CR included: XML parsers, the
// SDK's too, turn a raw CR into LF); lone surrogates (UTF-8 cannot carry them).
const NEEDS_ESCAPE =
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  /[&<>"']|[\0-\x08\x0B-\x1F\x7F-\x9F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes text for an XML element body or attribute so that the AWS SDK's parser gives back
 * exactly this text: markup characters as entities, control characters and lone surrogates as
 * numeric references (strict XML 1.0 forbids most of these in any form; AWS SDKs decode them).
 */
export function escapeXml(text: string): string {
  return text.replace(
    NEEDS_ESCAPE,
    (c) => ENTITIES[c] ?? `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`,
  );
}

/** A value that renders as XML: text, a number/boolean, nested elements, or a list of members. */
export type XmlValue = string | number | boolean | XmlObject | XmlValue[] | undefined;
/** Element name → value; `undefined` values are omitted. */
export interface XmlObject {
  [name: string]: XmlValue;
}

/**
 * Renders an object as XML elements. Arrays render as repeated `<member>` children (the Query
 * protocol's list encoding) unless `flatLists` names the element, which then repeats itself
 * (S3's `Contents`).
 */
export function toXml(value: XmlObject, flatLists: ReadonlySet<string> = new Set()): string {
  let out = "";
  for (const [name, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && flatLists.has(name)) {
      for (const item of v) out += element(name, item, flatLists);
    } else {
      out += element(name, v, flatLists);
    }
  }
  return out;
}

function element(name: string, v: XmlValue, flat: ReadonlySet<string>): string {
  if (v === undefined) return "";
  if (Array.isArray(v)) {
    return `<${name}>${v.map((m) => element("member", m, flat)).join("")}</${name}>`;
  }
  if (typeof v === "object") return `<${name}>${toXml(v, flat)}</${name}>`;
  return `<${name}>${escapeXml(String(v))}</${name}>`;
}

/** Formats a date the way AWS XML APIs do (ISO 8601, UTC, whole seconds). */
export function isoDate(d: Date | number): string {
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** HTTP `Date` header value for a time. */
export function httpDate(d: Date | number): string {
  return new Date(d).toUTCString();
}

/** Builds a successful Query-protocol response (`<ActionResponse><ActionResult>…`). */
export function queryResponse(
  service: "sts" | "iam",
  action: string,
  result: XmlObject | undefined,
  requestId: string,
  headers: HeadersInit,
): Response {
  const body = `<${action}Response xmlns="${NAMESPACES[service]}">` +
    (result === undefined ? "" : `<${action}Result>${toXml(result)}</${action}Result>`) +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${action}Response>\n`;
  return new Response(body, { status: 200, headers: xmlHeaders(headers, requestId, "query") });
}

/** Builds a Query-protocol error (`<ErrorResponse><Error><Type>…`). */
export function queryError(
  service: "sts" | "iam",
  error: AwsError,
  requestId: string,
  headers: HeadersInit,
): Response {
  const type = error.status >= 500 ? "Receiver" : "Sender";
  const body = `<ErrorResponse xmlns="${NAMESPACES[service]}">\n  <Error>\n` +
    `    <Type>${type}</Type>\n    <Code>${escapeXml(error.code)}</Code>\n` +
    `    <Message>${escapeXml(error.message)}</Message>\n  </Error>\n` +
    `  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
  return new Response(body, {
    status: error.status,
    headers: xmlHeaders(headers, requestId, "query"),
  });
}

/** Builds an S3 REST XML error (`<Error><Code>…`); HEAD requests get no body, like S3. */
export function s3Error(
  error: AwsError,
  requestId: string,
  headers: HeadersInit,
  head = false,
): Response {
  const extra = Object.entries(error.extra).map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join(
    "",
  );
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message>${extra}` +
    `<RequestId>${requestId}</RequestId><HostId>${hostId(requestId)}</HostId></Error>`;
  return new Response(head ? null : body, {
    status: error.status,
    headers: xmlHeaders(headers, requestId, "s3"),
  });
}

/** Builds a successful S3 XML response. */
export function s3Xml(
  root: string,
  value: XmlObject,
  requestId: string,
  headers: HeadersInit,
  flatLists: ReadonlySet<string>,
): Response {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NAMESPACES.s3}">` +
    `${toXml(value, flatLists)}</${root}>`;
  return new Response(body, { status: 200, headers: xmlHeaders(headers, requestId, "s3") });
}

/** Headers every S3 response carries (request ids). */
export function s3Headers(requestId: string, headers: HeadersInit): Headers {
  const h = new Headers(headers);
  h.set("x-amz-request-id", requestId);
  h.set("x-amz-id-2", hostId(requestId));
  return h;
}

function xmlHeaders(headers: HeadersInit, requestId: string, kind: "query" | "s3"): Headers {
  const h = kind === "s3" ? s3Headers(requestId, headers) : new Headers(headers);
  if (kind === "query") h.set("x-amzn-RequestId", requestId);
  h.set("content-type", kind === "s3" ? "application/xml" : "text/xml");
  return h;
}

function hostId(requestId: string): string {
  return btoa(requestId.repeat(2)).slice(0, 56);
}
