/**
 * Seed lines for the fuzzers, per line format: the golden fixtures (always there), the project's
 * own sample log, and, when the shared data sets are present, small excerpts of them (provenance
 * in the SOURCES.md of each shared data folder): Elastic's apache_logs, Beats' and Elastic integrations' NGINX
 * and Envoy test logs, Kong's serializer samples, the Apache scanner logs of Baş Seyyar et al.
 * (one pair of outer quotes stripped) and request targets from CSIC 2010's anomalous requests.
 * Everything is read once, synchronously, in a fixed order, so a seed reproduces a run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { constants, gunzipSync } from 'node:zlib';
import { hasShared, sharedFile } from '../../support/shared-data.js';

export const FORMATS = ['nginx-json', 'nginx-combined', 'envoy-json', 'envoy-text', 'kong'] as const;
export type Format = (typeof FORMATS)[number];

export interface Corpus {
  lines: Record<Format, string[]>;
  /** Request targets (path and query) of real attacks, for generated records. */
  attackTargets: string[];
  /** User agents seen in the seed lines and data sets. */
  userAgents: string[];
  /** Whether the shared data sets were found. */
  shared: boolean;
}

const FIXTURES = new URL('../../fixtures/', import.meta.url);

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** The first `compressedBytes` of a .gz file, decoded as far as they go (no need to read it all). */
function gzipHead(path: string, compressedBytes: number): string {
  const buf = readFileSync(path);
  const out = gunzipSync(buf.subarray(0, compressedBytes), { finishFlush: constants.Z_SYNC_FLUSH });
  const text = out.toString('utf8');
  // The last line is probably cut.
  return text.slice(0, text.lastIndexOf('\n') + 1);
}

/** Every `step`-th item. */
const every = <T>(items: T[], step: number): T[] => items.filter((_, i) => i % step === 0);

function fixtureLines(): Record<Format, string[]> {
  const out: Record<Format, string[]> = { 'nginx-json': [], 'nginx-combined': [], 'envoy-json': [], 'envoy-text': [], kong: [] };
  const parsersDir = new URL('parsers/', FIXTURES);
  for (const dir of readdirSync(parsersDir).sort()) {
    const format = dir.split('--')[0] as Format;
    out[format]?.push(...lines(readFileSync(new URL(`${dir}/input.log`, parsersDir), 'utf8')));
  }
  const kongDir = new URL('kong/', FIXTURES);
  for (const dir of readdirSync(kongDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    out.kong.push(...lines(readFileSync(new URL(`${dir}/input.log`, kongDir), 'utf8')));
  }
  // The project's own simulated week (samples/), in our NGINX format.
  const sample = new URL('../../../samples/scraper-week.log.gz', import.meta.url);
  out['nginx-json'].push(...every(lines(gzipHead(fileURLToPath(sample), 16_384)), 4).slice(0, 100));
  return out;
}

function addShared(out: Record<Format, string[]>, targets: string[]): void {
  const logs = (p: string) => lines(readFileSync(sharedFile('access-logs', p), 'utf8'));
  out['nginx-combined'].push(
    ...every(logs('elastic-examples/apache_logs'), 50),
    ...logs('fixtures/filebeat-nginx/access.log'),
    ...logs('fixtures/filebeat-nginx/test.log'),
  );
  for (const file of ['fixtures/envoy/beats-envoy.log', 'fixtures/envoy/beats-envoy-json.log', 'fixtures/envoy/integrations-envoy-test-log.log']) {
    for (const l of logs(file)) (l.trimStart().startsWith('{') ? out['envoy-json'] : out['envoy-text']).push(l);
  }
  for (const v of ['2.2.1', '3.4', '3.8']) out.kong.push(...logs(`fixtures/kong/kong-log-serializer-sample-${v}.json`));

  for (const scanner of ['acunetix', 'netsparker', 'w3af']) {
    const file = sharedFile('http-attacks', 'apache-scan-logs-ocatak', `${scanner}.txt.gz`);
    // Each line is wrapped in an extra pair of quotes: keep a few as they are, strip the rest.
    const scan = every(lines(gzipHead(file, 24_576)), 7).slice(0, 60);
    out['nginx-combined'].push(...scan.map((l, i) => (i % 6 === 0 ? l : l.slice(1, -1))));
  }
  const csic = gzipHead(sharedFile('http-attacks', 'csic2010', 'anomalousTrafficTest.txt.gz'), 24_576);
  for (const m of csic.matchAll(/^[A-Z]+ http:\/\/[^/ ]+(\/\S*) HTTP\/1\.[01]\r?$/gm)) targets.push(m[1] as string);
}

export function loadCorpus(): Corpus {
  const out = fixtureLines();
  const attackTargets: string[] = [];
  const shared = hasShared('access-logs') && hasShared('http-attacks');
  if (shared) addShared(out, attackTargets);
  const userAgents = new Set<string>();
  for (const l of out['nginx-combined']) {
    const m = /" "([^"]{1,200})"$/.exec(l);
    if (m) userAgents.add(m[1] as string);
  }
  return { lines: out, attackTargets, userAgents: [...userAgents].slice(0, 200), shared };
}
