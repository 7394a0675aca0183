/**
 * Small deterministic NGINX log lines in our log_format for tests: honest keys with steady
 * business-hours habits and, from a given day, one of them enumerating customers all night from
 * a new network. (The full simulator lives in test/sim/.)
 */
export interface LineFields {
  t: number;
  key: string;
  uri: string;
  args?: string;
  ip?: string;
  ua?: string;
  status?: number;
  id: number;
}

export function nginxLine(f: LineFields): string {
  return JSON.stringify({
    time: f.t.toFixed(3),
    request_time: '0.012',
    request_id: f.id.toString(16).padStart(32, '0'),
    remote_addr: f.ip ?? '10.0.0.5',
    method: 'GET',
    uri: f.uri,
    args: f.args ?? '',
    status: String(f.status ?? 200),
    request_length: '210',
    bytes_sent: '1500',
    user_agent: f.ua ?? 'acme-sync/2.3',
    api_key: f.key,
    key_id: '',
  });
}

export const HONEST_KEYS = ['sk_live_honest_one_0001', 'sk_live_honest_two_0002', 'sk_live_honest_three_003'];
export const DAY = 86_400;

/** Lines sorted by time: `days` days from `start` (seconds), scraping from `attackDay` on. */
export function scenario(opts: { start: number; days: number; attackDay: number; idBase?: number }): string[] {
  const rows: Array<[number, string]> = [];
  let id = opts.idBase ?? 1;
  for (let d = 0; d < opts.days; d++) {
    for (let h = 8; h < 18; h++) {
      for (let i = 0; i < 20; i++) {
        const t = opts.start + d * DAY + h * 3600 + i * 170;
        HONEST_KEYS.forEach((key, k) => {
          const uri = k === 1 ? `/v1/orders/${100 + ((i * 13 + h) % 60)}` : `/v1/customers/${1 + ((i * 7 + h * 3 + k) % 40)}`;
          rows.push([t + k * 7, nginxLine({ t: t + k * 7, key, uri, args: 'page=1&limit=20', ip: `10.0.${k}.5`, id: id++ })]);
        });
      }
    }
  }
  for (let d = opts.attackDay; d < opts.days; d++) {
    for (let k = 0; k < 24 * 60; k += 1) {
      const t = opts.start + d * DAY + k * 60 + 30;
      const uri = `/v1/customers/${5000 + (d - opts.attackDay) * 1440 + k}`;
      rows.push([t, nginxLine({ t, key: HONEST_KEYS[0] as string, uri, ip: '203.0.113.9', ua: 'python-requests/2.31', id: id++ })]);
    }
  }
  rows.sort((a, b) => a[0] - b[0]);
  return rows.map((r) => r[1]);
}
