/**
 * The gateways' escaping rules, written out for the renderers (render.ts):
 * - NGINX default escaping (combined): `"`, `\`, control bytes and bytes >= 0x7F as `\xHH`.
 * - Apache (`%{User-Agent}i`): `"` as `\"`, `\` as `\\`, other non-printable bytes as `\xhh`.
 * And `$time_local` as both write it.
 */
const hex2 = (b: number, upper: boolean) => {
  const h = b.toString(16).padStart(2, '0');
  return upper ? h.toUpperCase() : h;
};

/** Printable ASCII other than `"` and `\`: what no gateway escapes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** NGINX's default log escaping (ngx_http_log_escape). */
export function nginxEscape(s: string): string {
  if (PLAIN.test(s)) return s;
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    out += b === 0x22 || b === 0x5c || b < 0x20 || b >= 0x7f ? `\\x${hex2(b, true)}` : String.fromCharCode(b);
  }
  return out;
}

/** Apache's log escaping (ap_escape_logitem): what a parser that undoes `\"` and `\\` reads back is apacheRead(s). */
export function apacheEscape(s: string): string {
  if (PLAIN.test(s)) return s;
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else out += b < 0x20 || b >= 0x7f ? `\\x${hex2(b, false)}` : String.fromCharCode(b);
  }
  return out;
}

/** An Apache-escaped value after `\"` and `\\` are undone: the other escapes stay as logged. */
export function apacheRead(s: string): string {
  if (PLAIN.test(s)) return s;
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += b < 0x20 || b >= 0x7f ? `\\x${hex2(b, false)}` : String.fromCharCode(b);
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `$time_local`: `02/Nov/2026:09:15:00 +0100`. */
export function clfTime(ms: number, zoneMinutes: number): string {
  const d = new Date(ms + zoneMinutes * 60_000);
  const z = Math.abs(zoneMinutes);
  return (
    `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ` +
    `${zoneMinutes < 0 ? '-' : '+'}${pad(Math.floor(z / 60))}${pad(z % 60)}`
  );
}
