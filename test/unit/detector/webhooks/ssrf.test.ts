import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { checkResolvedHost, checkTargetUrl, isPrivateAddress } from '../../../../detector/webhooks/ssrf.js';

describe('SSRF guard', () => {
  it.each([
    '127.0.0.1', '127.255.0.9', '10.2.3.4', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fe80::1%eth0', 'fd12:3456::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe', '2002:7f00:1::', 'not-an-ip',
  ])('%s is refused', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450:4001::200e'])('%s is allowed', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });

  it.each([
    ['http://127.0.0.1:8080/hook', 'loopback'],
    ['http://[::1]/hook', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'private'],
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://localhost:9000/', 'localhost'],
    ['http://api.localhost/', 'localhost'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://10.0.0.7/', '10.0.0.7'],
    ['ftp://example.com/', 'http or https'],
    ['file:///etc/passwd', 'http or https'],
    ['http://user:pass@example.com/', 'credentials'],
    ['not a url', 'not an absolute URL'],
  ])('refuses %s at configuration time', (url, why) => {
    expect(checkTargetUrl(url, false)).toContain(why);
  });

  it('allows public URLs, and private ones when allow_private is set', () => {
    expect(checkTargetUrl('https://93.184.216.34/services/collector/event', false)).toBeNull();
    expect(checkTargetUrl('https://hooks.slack.com/services/T/B/X', false)).toBeNull();
    expect(checkTargetUrl('http://127.0.0.1:8080/hook', true)).toBeNull();
    expect(checkTargetUrl('ftp://127.0.0.1/', true)).toContain('http or https');
  });

  it('checks every address a name resolves to', async () => {
    const resolve = async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.1', family: 4 }];
    expect(await checkResolvedHost('rebind.example', false, resolve)).toContain('10.0.0.1');
    expect(await checkResolvedHost('rebind.example', true, resolve)).toBeNull();
    expect(await checkResolvedHost('public.example', false, async () => [{ address: '93.184.216.34', family: 4 }])).toBeNull();
    const failing = async () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOTFOUND' }));
    expect(await checkResolvedHost('nowhere.example', false, failing)).toContain('does not resolve (ENOTFOUND)');
  });

  it("refuses this machine's own name, which resolves to loopback", async () => {
    const addresses = await lookup(hostname(), { all: true }).catch(() => []);
    if (!addresses.some((a) => isPrivateAddress(a.address))) return;
    expect(checkTargetUrl(`http://${hostname()}/`, false)).toBeNull();
    expect(await checkResolvedHost(hostname(), false)).toContain('private address');
  });
});
