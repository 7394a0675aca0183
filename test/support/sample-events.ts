/**
 * The bundled simulator sample (samples/scraper-week.log.gz) as AccessEvents, through the agent's
 * own parser and sanitizer, plus its truth file with key_ids computed for a secret.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { AccessEvent } from '../../contracts/index.js';
import { parseNginxJson } from '../../agent/parsers/nginx-json.js';
import { computeKeyId } from '../../agent/sanitize/key-id.js';
import { Sanitizer } from '../../agent/sanitize/index.js';

const PARSE = { maxLineBytes: 65536, keyHeaders: ['x-api-key'], bearer: true };

export const SAMPLE_LOG = new URL('../../samples/scraper-week.log.gz', import.meta.url);
export const SAMPLE_TRUTH = new URL('../../samples/scraper-week.truth.json', import.meta.url);

export interface TruthKey {
  key: string;
  persona: string;
  abusive: boolean;
  attack_start_ms: number | null;
}

export function sampleTruth(secret: string): Map<string, TruthKey> {
  const truth = JSON.parse(readFileSync(SAMPLE_TRUTH, 'utf8')) as { keys: TruthKey[] };
  return new Map(truth.keys.map((k) => [computeKeyId(secret, k.key), k]));
}

export function sampleEvents(secret: string): AccessEvent[] {
  const text = gunzipSync(readFileSync(SAMPLE_LOG)).toString('utf8');
  const s = new Sanitizer({ secret, gateway: 'nginx', host: 'sim', keyParams: ['api_key'], rawParams: [], truncateIp: false });
  const out: AccessEvent[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const r = parseNginxJson(line, PARSE);
    if (typeof r === 'string') throw new Error(`sample line rejected: ${r}`);
    out.push(s.toEvent(r, line));
  }
  return out;
}
