/**
 * Opaque page cursors: base64url of the last (event_time, id) returned (alerts) or the last
 * (score, key_id) returned (keys). Anything that does not decode to exactly that shape, and
 * encode back to the very same text, is refused: a tampered cursor is a 400, never a surprise.
 */
import type { AlertCursor } from '../alerts/alert-store.js';
import type { RiskCursor } from '../alerts/key-risk-store.js';

const ID = /^[0-9a-f]{24}$/;

export function encodeCursor(c: AlertCursor): string {
  return Buffer.from(`${c.t}.${c.id}`).toString('base64url');
}

export function decodeCursor(s: string): AlertCursor | null {
  if (s.length > 64) return null;
  const text = Buffer.from(s, 'base64url').toString('utf8');
  const dot = text.indexOf('.');
  if (dot <= 0) return null;
  const t = Number(text.slice(0, dot));
  const id = text.slice(dot + 1);
  if (!/^[0-9]{1,16}$/.test(text.slice(0, dot)) || !Number.isSafeInteger(t) || !ID.test(id)) return null;
  const c = { t, id };
  return encodeCursor(c) === s ? c : null;
}

const KEY_ID = /^[0-9a-f]{32}$/;

/** Cursor of GET /v1/keys: the last (score, key_id) returned. */
export function encodeRiskCursor(c: RiskCursor): string {
  return Buffer.from(`${c.score}|${c.key_id}`).toString('base64url');
}

export function decodeRiskCursor(s: string): RiskCursor | null {
  if (s.length > 96) return null;
  const text = Buffer.from(s, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  if (bar <= 0) return null;
  const score = Number(text.slice(0, bar));
  const keyId = text.slice(bar + 1);
  if (!/^[0-9.e-]{1,30}$/.test(text.slice(0, bar)) || !Number.isFinite(score) || !KEY_ID.test(keyId)) return null;
  const c = { score, key_id: keyId };
  return encodeRiskCursor(c) === s ? c : null;
}
