/**
 * Signatures of the generic format: `X-Lowslow-Signature: t=<unix seconds>,v1=<hex>` where hex is
 * HMAC-SHA256(secret, "<t>.<body>"). The timestamp is signed with the body, so a receiver rejects
 * replays by refusing a `t` too far from its clock, and a changed body or timestamp by the HMAC.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-lowslow-signature';

export function sign(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeader(secret: string, body: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${sign(secret, t, body)}`;
}

/** What a receiver does: true when the header signs this body within `toleranceSeconds` of now. */
export function verifySignature(secret: string, header: string | undefined, body: string, nowMs: number, toleranceSeconds = 300): boolean {
  if (header === undefined) return false;
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(nowMs / 1000 - t) > toleranceSeconds) return false;
  const want = Buffer.from(sign(secret, t, body), 'hex');
  return timingSafeEqual(want, Buffer.from(m[2] as string, 'hex'));
}
