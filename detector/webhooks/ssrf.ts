/**
 * SSRF guard for webhook URLs: no loopback, link-local, private, shared, multicast or reserved
 * address unless `webhooks.allow_private`. Checked on the URL when a target is configured, and on
 * every address the name resolves to when it is delivered to (the lookup the socket connects
 * with, so a DNS answer cannot change between check and connect). Redirects are never followed.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const V4 = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16],
  ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const;
const V6 = [
  ['::', 128], ['::1', 128], ['100::', 64], ['2001::', 32], ['2001:db8::', 32], ['fc00::', 7],
  ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const;

const blocked = new BlockList();
for (const [a, p] of V4) blocked.addSubnet(a, p, 'ipv4');
for (const [a, p] of V6) blocked.addSubnet(a, p, 'ipv6');

/** The eight 16-bit groups of a valid IPv6 address (as net.isIP accepts it), or null. */
function groups(ip: string): number[] | null {
  let s = ip;
  const tail: number[] = [];
  const dotted = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(2).map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    s = dotted[1] as string;
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const parts = s.split('::');
  if (parts.length > 2) return null;
  const parse = (p: string) => (p === '' ? [] : p.split(':').map((h) => (/^[0-9a-f]{1,4}$/i.test(h) ? parseInt(h, 16) : NaN)));
  const left = parse(parts[0] as string);
  const right = [...(parts.length === 2 ? parse(parts[1] as string) : []), ...tail];
  const fill = parts.length === 2 ? 8 - left.length - right.length : 0;
  const all = [...left, ...new Array<number>(Math.max(0, fill)).fill(0), ...right];
  return all.length === 8 && all.every((g) => g >= 0 && g <= 0xffff) ? all : null;
}

/** The IPv4 address an IPv6 one carries (mapped, compatible, NAT64, 6to4), or null. */
function embeddedV4(ip: string): string | null {
  const g = groups(ip);
  if (!g) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return v4(g[6] as number, g[7] as number);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6] as number, g[7] as number);
  if (g[0] === 0x2002) return v4(g[1] as number, g[2] as number);
  return null;
}

/** True for every address a webhook must not reach without `allow_private` (and for non-addresses). */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family !== 6) return true;
  const v4 = embeddedV4(ip);
  if (v4 !== null) return isPrivateAddress(v4);
  return blocked.check(ip, 'ipv6');
}

/** Why a URL cannot be a webhook target, or null. Pure: literal addresses and localhost names only. */
export function checkTargetUrl(url: string, allowPrivate: boolean): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'url: not an absolute URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'url: must be http or https';
  if (u.username !== '' || u.password !== '') return 'url: must not carry credentials (use secret)';
  if (allowPrivate) return null;
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === 'localhost.') return `url: ${host} is loopback (webhooks.allow_private)`;
  if (isIP(host) !== 0 && isPrivateAddress(host)) return `url: ${host} is a loopback, link-local or private address (webhooks.allow_private)`;
  return null;
}

export type Resolve = (host: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (err, a) => (err ? reject(err) : resolve(a))));

/** Why a host name cannot be delivered to (it resolves to a private address, or not at all), or null. */
export async function checkResolvedHost(host: string, allowPrivate: boolean, resolve: Resolve = systemResolve): Promise<string | null> {
  if (allowPrivate || isIP(host.replace(/^\[|\]$/g, '')) !== 0) return null;
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(host);
  } catch (err) {
    return `url: ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  const bad = addresses.find((a) => isPrivateAddress(a.address));
  return bad ? `url: ${host} resolves to ${bad.address}, a private address (webhooks.allow_private)` : null;
}

/** A socket lookup that refuses private answers: the address checked is the address connected to. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const bad = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (bad || addresses.length === 0) {
        const e = Object.assign(new Error(`${hostname} resolves to ${bad?.address ?? 'nothing'}, a private address (webhooks.allow_private)`), {
          code: 'LOWSLOW_WEBHOOK_URL',
        });
        return callback(e, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
