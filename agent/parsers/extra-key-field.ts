/**
 * The raw API key from the quoted field that operators append to a text format (`"$http_x_api_key"`
 * after NGINX's user agent, `"%REQ(X-API-KEY)%"` after Envoy's upstream host). The key field is the
 * line's last: the fields before it may hold whatever a client sent (NGINX's docker `main` format
 * logs `"$http_x_forwarded_for"` there; Envoy writes header values unescaped, so a user agent
 * `x" "y` reads as two fields), and only the last field keeps its place whatever they hold.
 * No key when that field is empty (`""`, `-`), an address list (the `main` format with no key
 * field), left open by a truncated line, or a non-bearer Authorization value.
 */
import { isAddressList } from './address-list.js';
import { keyFromHeaderValue } from './key-from-headers.js';
import { QUOTED, tokenKind, tokenText } from './text-fields.js';

/** A logged key field's value as a raw key, or null. */
export function keyFromFieldValue(value: string, bearer: boolean): string | null {
  return isAddressList(value) ? null : keyFromHeaderValue(value, bearer);
}

/** The key from token `count - 1` of `bounds`, when it is a quoted token at or after `from`. */
export function keyFromLastField(line: string, bounds: Int32Array, from: number, count: number, bearer: boolean, escapes = true): string | null {
  const t = count - 1;
  if (t < from || tokenKind(bounds, t) !== QUOTED) return null;
  return keyFromFieldValue(tokenText(line, bounds, t, escapes), bearer);
}
