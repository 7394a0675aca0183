/**
 * Strips the RFC 3164 header NGINX puts before each access log line it sends to syslog:
 * `<PRI>Mmm dd hh:mm:ss [hostname ]tag: line`. The timestamp is the sender's wall clock with no
 * year or zone, so it is discarded; event time comes from the line itself.
 */

// Anchored and fixed-width: no backtracking whatever the datagram holds.
const HEADER = /^<\d{1,3}>[A-Z][a-z]{2} [ 0-3]\d \d\d:\d\d:\d\d /;

/**
 * The line a datagram carries, or null when it has no syslog header (then the caller decides).
 * Trailing CR/LF are removed: NGINX sends none, relays sometimes add one.
 */
export function syslogPayload(datagram: string): string | null {
  const m = HEADER.exec(datagram);
  if (m === null) return null;
  // Neither the hostname nor the tag holds ': ', and the timestamp's colons are followed by
  // digits, so the first ': ' after the timestamp ends the tag with or without `nohostname`.
  const sep = datagram.indexOf(': ', m[0].length);
  const start = sep < 0 ? m[0].length : sep + 2;
  let end = datagram.length;
  while (end > start && (datagram.charCodeAt(end - 1) === 10 || datagram.charCodeAt(end - 1) === 13)) end--;
  return datagram.slice(start, end);
}
