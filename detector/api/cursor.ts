/**
 * Opaque page cursors: base64url of the last (event_time, id) returned. Anything that does not
 * decode to exactly that shape is refused, so a tampered cursor is a 400, never a surprise.
 */
import type { AlertCursor } from '../alerts/alert-store.js';

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
  if (!Number.isSafeInteger(t) || !ID.test(id)) return null;
  return { t, id };
}
