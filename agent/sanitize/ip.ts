/** Client address clean-up: optional truncation to /24 (IPv4) or /48 (IPv6). */
const IPV4 = /^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.[0-9]{1,3}$/;

export function truncateIp(ip: string): string {
  const m = IPV4.exec(ip);
  if (m) return `${m[1]}.${m[2]}.${m[3]}.0`;
  if (ip.indexOf(':') >= 0) {
    const groups = ip.split(':').slice(0, 3);
    return `${groups.join(':')}::`;
  }
  return ip;
}

/** Addresses are short and printable; anything else is replaced, never passed on. */
export function cleanIp(ip: string): string {
  if (ip.length > 64) return '';
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    const ok = (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 46;
    if (!ok) return '';
  }
  return ip;
}
