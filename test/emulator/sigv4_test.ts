import assert from "node:assert/strict";
import {
  canonicalQuery,
  canonicalUri,
  CHECKSUMS,
  decodeAwsChunked,
  expectedSignature,
  type SigV4Auth,
} from "./sigv4.ts";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

function auth(extra: Partial<SigV4Auth>): SigV4Auth {
  return {
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    scopeDate: "20130524",
    region: "us-east-1",
    service: "s3",
    signedHeaders: ["host"],
    signature: "",
    amzDate: "20130524T000000Z",
    presigned: false,
    ...extra,
  };
}

// Examples from the S3 SigV4 documentation ("Examples: Signature Calculations").
Deno.test("sigv4: S3 documentation example, GET object with header auth", () => {
  const headers = new Headers({
    host: "examplebucket.s3.amazonaws.com",
    range: "bytes=0-9",
    "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "x-amz-date": "20130524T000000Z",
  });
  const sig = expectedSignature(
    auth({ signedHeaders: ["host", "range", "x-amz-content-sha256", "x-amz-date"] }),
    {
      method: "GET",
      rawPath: "/test.txt",
      rawQuery: "",
      headers,
      payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    },
    SECRET,
  );
  assert.equal(sig, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
});

Deno.test("sigv4: S3 documentation example, presigned URL", () => {
  const query = "?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
    "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
    "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
    "&X-Amz-Signature=ignored";
  const sig = expectedSignature(
    auth({ presigned: true, expires: 86400 }),
    {
      method: "GET",
      rawPath: "/test.txt",
      rawQuery: query,
      headers: new Headers({ host: "examplebucket.s3.amazonaws.com" }),
      payloadHash: "UNSIGNED-PAYLOAD",
    },
    SECRET,
  );
  assert.equal(sig, "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
});

Deno.test("sigv4: canonical URI and query encoding", () => {
  assert.equal(canonicalUri("/b/a%20b/c~d%2Be", "s3"), "/b/a%20b/c~d%2Be");
  assert.equal(canonicalUri("/b/a%20b", "iam"), "/b/a%2520b");
  assert.equal(canonicalQuery("?b=2&a=z&a=y&c", false), "a=y&a=z&b=2&c=");
  assert.equal(canonicalQuery("?prefix=a%20b%2Fc&x=%7E", false), "prefix=a%20b%2Fc&x=~");
});

Deno.test("sigv4: aws-chunked decoding with trailer", () => {
  const body = new TextEncoder().encode(
    "5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n",
  );
  const decoded = decodeAwsChunked(body);
  assert.equal(new TextDecoder().decode(decoded.data), "hello world");
  assert.equal(decoded.trailers.get("x-amz-checksum-crc32"), "DUoRhQ==");
  assert.equal(CHECKSUMS.crc32(decoded.data), "DUoRhQ==");
  assert.throws(() => decodeAwsChunked(new TextEncoder().encode("5\r\nhel")));
});

Deno.test("sigv4: checksum algorithms match their check values", () => {
  const hex = (b64: string) =>
    Array.from(atob(b64), (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
  const data = new TextEncoder().encode("123456789");
  assert.equal(hex(CHECKSUMS.crc32(data)), "cbf43926");
  assert.equal(hex(CHECKSUMS.crc32c(data)), "e3069283");
  assert.equal(hex(CHECKSUMS.crc64nvme(data)), "ae8b14860a799888");
});
