/**
 * Client addresses as gateways log them: X-Forwarded-For lists (`10.0.0.2, 10.0.0.1`), peer
 * addresses with ports (`10.0.0.1:5678`, `[::1]:5678`), `-` for none.
 */

/** The first address of a comma-separated list, port stripped; '' when there is none. */
export function firstAddress(list: string): string {
  const comma = list.indexOf(',');
  const first = (comma < 0 ? list : list.slice(0, comma)).trim();
  return first === '-' ? '' : stripPort(first);
}

/** `1.2.3.4:80` → `1.2.3.4`, `[::1]:80` → `::1`; a bare IPv6 address is left alone. */
export function stripPort(address: string): string {
  if (address.charCodeAt(0) === 91 /* [ */) {
    const close = address.indexOf(']');
    return close < 0 ? address.slice(1) : address.slice(1, close);
  }
  const colon = address.indexOf(':');
  if (colon >= 0 && address.indexOf(':', colon + 1) < 0) return address.slice(0, colon);
  return address;
}

/**
 * True when every comma-separated item is an IPv4 address (optionally with a port) or looks like
 * an IPv6 address: NGINX formats append `"$http_x_forwarded_for"` after the user agent, and such
 * a field must not be taken for an API key.
 */
export function isAddressList(value: string): boolean {
  let dots = 0;
  let colons = 0;
  let chars = 0;
  for (let i = 0; i <= value.length; i++) {
    const c = i < value.length ? value.charCodeAt(i) : 44; // a virtual comma closes the last item
    if (c === 44 /* , */) {
      const ipv4 = dots === 3 && colons <= 1;
      const ipv6 = colons >= 2;
      if (chars === 0 || !(ipv4 || ipv6)) return false;
      dots = 0;
      colons = 0;
      chars = 0;
    } else if (c === 46 /* . */) {
      dots++;
      chars++;
    } else if (c === 58 /* : */) {
      colons++;
      chars++;
    } else if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 91 || c === 93) {
      chars++;
    } else if (c !== 32 && c !== 9) {
      return false;
    }
  }
  return true;
}
