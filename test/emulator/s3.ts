/**
 * S3 path-style REST actions: GetObject, HeadObject, PutObject, ListObjectsV2, with per-bucket
 * reader/writer principal lists.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { type Caller, type Payload, verifyChecksums } from "./auth.ts";
import { uriEncode } from "./sigv4.ts";
import { type BucketState, makeObject, type State } from "./state.ts";
import { principalMatches } from "./sts.ts";
import { AwsError, httpDate, s3Headers, s3Xml, type XmlObject } from "./xml.ts";

/** A parsed S3 request: which action, bucket and key. */
export interface S3Route {
  action: "GetObject" | "HeadObject" | "PutObject" | "ListObjectsV2";
  bucket: string;
  key: string;
}

/** What an S3 action receives. */
export interface S3Context {
  state: State;
  caller: Caller;
  req: Request;
  url: URL;
  payload: Payload;
  now: number;
  requestId: string;
  headers: HeadersInit;
}

// Sub-resources that turn a request into an action the emulator does not implement.
const SUBRESOURCES = [
  "acl",
  "tagging",
  "uploads",
  "uploadId",
  "versioning",
  "policy",
  "cors",
  "location",
  "versions",
  "delete",
  "attributes",
  "list-type",
];

/** Maps method + path + query to an action, or throws S3's NotImplemented. */
export function routeS3(req: Request, url: URL): S3Route {
  const parts = url.pathname.split("/").slice(1);
  const bucket = decodeURIComponent(parts[0] ?? "");
  const key = parts.slice(1).map((p) => decodeURIComponent(p)).join("/");
  const q = url.searchParams;
  const notImplemented = new AwsError(
    501,
    "NotImplemented",
    "A header you provided implies functionality that is not implemented",
  );
  if (bucket === "") throw notImplemented;
  if (key === "") {
    if (req.method === "GET" && q.get("list-type") === "2") {
      return { action: "ListObjectsV2", bucket, key };
    }
    throw notImplemented;
  }
  if (SUBRESOURCES.some((s) => q.has(s))) throw notImplemented;
  if (req.method === "GET") return { action: "GetObject", bucket, key };
  if (req.method === "HEAD") return { action: "HeadObject", bucket, key };
  if (req.method === "PUT" && !req.headers.has("x-amz-copy-source")) {
    return { action: "PutObject", bucket, key };
  }
  throw notImplemented;
}

function bucketFor(ctx: S3Context, route: S3Route, mode: "read" | "write"): BucketState {
  const bucket = ctx.state.buckets.get(route.bucket);
  if (!bucket) {
    throw new AwsError(404, "NoSuchBucket", "The specified bucket does not exist", {
      BucketName: route.bucket,
    });
  }
  const allowed = mode === "read" ? bucket.readers : bucket.writers;
  if (!principalMatches(allowed, ctx.caller)) {
    throw new AwsError(403, "AccessDenied", "Access Denied");
  }
  return bucket;
}

/** Runs an S3 action. */
export function handleS3(ctx: S3Context, route: S3Route): Response {
  switch (route.action) {
    case "GetObject":
    case "HeadObject":
      return getObject(ctx, route);
    case "PutObject":
      return putObject(ctx, route);
    case "ListObjectsV2":
      return listObjects(ctx, route);
  }
}

function getObject(ctx: S3Context, route: S3Route): Response {
  const bucket = bucketFor(ctx, route, "read");
  const obj = bucket.objects.get(route.key);
  if (!obj) {
    throw new AwsError(404, "NoSuchKey", "The specified key does not exist.", { Key: route.key });
  }
  const h = s3Headers(ctx.requestId, ctx.headers);
  h.set("content-type", obj.contentType);
  h.set("content-length", String(obj.body.length));
  h.set("etag", obj.etag);
  h.set("last-modified", httpDate(obj.lastModified));
  h.set("accept-ranges", "bytes");
  if (ctx.req.headers.get("x-amz-checksum-mode")?.toUpperCase() === "ENABLED") {
    for (const [algo, value] of Object.entries(obj.checksums)) {
      h.set(`x-amz-checksum-${algo}`, value);
    }
    if (Object.keys(obj.checksums).length > 0) h.set("x-amz-checksum-type", "FULL_OBJECT");
  }
  return new Response(route.action === "HeadObject" ? null : obj.body.slice(), {
    status: 200,
    headers: h,
  });
}

function putObject(ctx: S3Context, route: S3Route): Response {
  const bucket = bucketFor(ctx, route, "write");
  const body = ctx.payload.body;
  const md5 = ctx.req.headers.get("content-md5");
  if (md5 !== null && createHash("md5").update(body).digest("base64") !== md5) {
    throw new AwsError(
      400,
      "BadDigest",
      "The Content-MD5 you specified did not match what we received.",
    );
  }
  const checksums = verifyChecksums(ctx.req, ctx.payload);
  const obj = makeObject(
    body.slice(),
    ctx.req.headers.get("content-type") ?? "binary/octet-stream",
    ctx.now,
    checksums,
  );
  bucket.objects.set(route.key, obj);
  const h = s3Headers(ctx.requestId, ctx.headers);
  h.set("etag", obj.etag);
  for (const [algo, value] of Object.entries(checksums)) h.set(`x-amz-checksum-${algo}`, value);
  return new Response(null, { status: 200, headers: h });
}

function listObjects(ctx: S3Context, route: S3Route): Response {
  const bucket = bucketFor(ctx, route, "read");
  const q = ctx.url.searchParams;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const startAfter = q.get("start-after") ?? "";
  const token = q.get("continuation-token");
  const encode = q.get("encoding-type") === "url";
  const maxKeysRaw = q.get("max-keys") ?? "1000";
  if (!/^\d+$/.test(maxKeysRaw)) {
    throw new AwsError(
      400,
      "InvalidArgument",
      "Provided max-keys not an integer or within integer range",
    );
  }
  const maxKeys = Math.min(1000, Number(maxKeysRaw));
  let after = startAfter;
  if (token !== null) {
    let decoded: string;
    try {
      decoded = new TextDecoder().decode(Uint8Array.from(atob(token), (c) => c.charCodeAt(0)));
    } catch {
      decoded = "";
    }
    if (!decoded.startsWith("k:")) {
      throw new AwsError(400, "InvalidArgument", "The continuation token provided is incorrect");
    }
    after = decoded.slice(2);
  }
  const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
  const contents: XmlObject[] = [];
  const prefixes = new Set<string>();
  let last = "";
  let truncated = false;
  for (const key of keys) {
    const rest = key.slice(prefix.length);
    const d = delimiter === "" ? -1 : rest.indexOf(delimiter);
    const common = d >= 0 ? prefix + rest.slice(0, d + delimiter.length) : undefined;
    // Keys rolled up into an already listed common prefix cost nothing and are skipped.
    if (common !== undefined && prefixes.has(common)) {
      last = key;
      continue;
    }
    if (contents.length + prefixes.size >= maxKeys) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      prefixes.add(common);
      last = key;
      continue;
    }
    const obj = bucket.objects.get(key)!;
    contents.push({
      Key: encode ? uriEncode(key, true) : key,
      LastModified: new Date(obj.lastModified).toISOString(),
      ETag: obj.etag,
      Size: obj.body.length,
      StorageClass: "STANDARD",
    });
    last = key;
  }
  const next = truncated
    ? btoa(String.fromCharCode(...new TextEncoder().encode("k:" + last)))
    : undefined;
  const enc = (s: string) => (encode ? uriEncode(s, true) : s);
  return s3Xml(
    "ListBucketResult",
    {
      Name: bucket.name,
      Prefix: enc(prefix),
      Delimiter: delimiter === "" ? undefined : enc(delimiter),
      MaxKeys: maxKeys,
      EncodingType: encode ? "url" : undefined,
      KeyCount: contents.length + prefixes.size,
      IsTruncated: truncated,
      ContinuationToken: token ?? undefined,
      NextContinuationToken: next,
      StartAfter: startAfter === "" ? undefined : enc(startAfter),
      Contents: contents,
      CommonPrefixes: [...prefixes].map((p) => ({ Prefix: enc(p) })),
    },
    ctx.requestId,
    ctx.headers,
    new Set(["Contents", "CommonPrefixes"]),
  );
}
