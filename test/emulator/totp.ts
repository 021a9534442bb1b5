/**
 * RFC 6238 TOTP (HMAC-SHA-1, 30-second steps, 6 digits) over RFC 4648 base32 secrets, as used by
 * AWS virtual MFA devices.
 *
 * @module
 */

import { createHmac } from "node:crypto";

/** Length of one TOTP time step in seconds. */
export const TOTP_STEP_SECONDS = 30;

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Decodes an RFC 4648 base32 string (case-insensitive, padding and spaces ignored). */
export function base32Decode(text: string): Uint8Array {
  const clean = text.toUpperCase().replace(/[\s=]/g, "");
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const idx = BASE32.indexOf(ch);
    if (idx < 0) throw new Error(`invalid base32 character ${JSON.stringify(ch)}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

/** Time-step counter for a time in milliseconds since the epoch. */
export function totpCounter(timeMs: number): number {
  return Math.floor(timeMs / 1000 / TOTP_STEP_SECONDS);
}

/** HOTP value (RFC 4226) for a counter, as a zero-padded 6-digit string. */
export function hotp(secret: Uint8Array, counter: number): string {
  const msg = new Uint8Array(8);
  new DataView(msg.buffer).setBigUint64(0, BigInt(counter));
  const mac = createHmac("sha1", secret).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) |
    mac[offset + 3];
  return String(bin % 1_000_000).padStart(6, "0");
}

/** TOTP code for a base32 secret at a time (ms), shifted by whole steps. */
export function totp(secretBase32: string, timeMs: number, offsetSteps = 0): string {
  return hotp(base32Decode(secretBase32), totpCounter(timeMs) + offsetSteps);
}

/**
 * Finds the time step whose code matches, accepting the current step and `window` steps either
 * side (AWS accepts ±1). Returns the matching counter or `undefined`.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  timeMs: number,
  window = 1,
): number | undefined {
  const secret = base32Decode(secretBase32);
  const now = totpCounter(timeMs);
  for (let d = -window; d <= window; d++) {
    if (hotp(secret, now + d) === code) return now + d;
  }
  return undefined;
}
