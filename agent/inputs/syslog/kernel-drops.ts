/**
 * Datagrams the kernel dropped because the socket's receive buffer was full, read from
 * /proc/net/udp{,6} (Linux; null elsewhere). Node never sees these, so without this count a burst
 * that outran the agent would vanish without a trace.
 */
import { readFileSync } from 'node:fs';

export function udpKernelDrops(port: number): number | null {
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let table: string;
    try {
      table = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const row of table.split('\n').slice(1)) {
      const cols = row.trim().split(/\s+/);
      // Columns: sl local_address rem_address st ... drops (last).
      if (cols[1]?.endsWith(suffix)) {
        const drops = Number(cols[cols.length - 1]);
        return Number.isFinite(drops) ? drops : null;
      }
    }
  }
  return null;
}
