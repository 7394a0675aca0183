/**
 * The raw API key from the extra quoted fields that operators append to a text format
 * (`"$http_x_api_key"` after NGINX's user agent, `"%REQ(X-API-KEY)%"` after Envoy's upstream
 * host). The first field that holds a value wins, except that empty fields (`""`, `-`), address
 * lists (NGINX's docker `main` format appends `"$http_x_forwarded_for"`), fields left open by a
 * truncated line and non-bearer Authorization values are skipped.
 */
import { isAddressList } from './address-list.js';
import { keyFromHeaderValue } from './key-from-headers.js';
import { QUOTED, tokenKind, tokenText } from './text-fields.js';

/** Looks at tokens `from` to `count - 1` of `bounds`. */
export function keyFromExtraFields(
  line: string,
  bounds: Int32Array,
  from: number,
  count: number,
  bearer: boolean,
): string | null {
  for (let t = from; t < count; t++) {
    if (tokenKind(bounds, t) !== QUOTED) continue;
    const value = tokenText(line, bounds, t);
    if (isAddressList(value)) continue;
    const key = keyFromHeaderValue(value, bearer);
    if (key !== null) return key;
  }
  return null;
}
