import type { NetworkPool } from './network-pool.js';
import { Origin } from './origin.js';
import type { Rng } from './prng.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SYLLABLES = ['ac', 'me', 'glo', 'bex', 'ini', 'tech', 'um', 'bra', 'hoo', 'li', 'van', 'de', 'lay', 'sto', 'rk', 'wa', 'yne', 'ty', 'rell', 'soy', 'lent', 'cy', 'ber', 'dyne', 'nor', 'dic', 'zen', 'ith', 'pol', 'aris', 'kel', 'vin', 'ora', 'mix'];
const PRODUCTS = ['sync', 'connector', 'erp-bridge', 'crm-sync', 'etl', 'integration', 'importer', 'billing-sync', 'exporter'];
const LIBRARIES = [
  'python-requests/2.31.0',
  'python-httpx/0.27.0',
  'Java/17.0.9',
  'Apache-HttpClient/4.5.14 (Java/11.0.21)',
  'node-fetch/3.3.2',
  'axios/1.6.8',
  'Go-http-client/1.1',
  'okhttp/4.12.0',
  'Ruby',
  'GuzzleHttp/7 curl/7.88.1 PHP/8.2.12',
  '.NET/8.0 System.Net.Http',
];
/** Agents of tools and people rather than integrations: leaked keys and scrapers. */
export const STRAY_AGENTS = [
  'curl/8.5.0',
  'curl/7.81.0',
  'PostmanRuntime/7.36.1',
  'python-requests/2.32.3',
  'Go-http-client/2.0',
  'axios/1.7.7',
  'insomnia/2023.5.8',
  'Wget/1.21.4',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'Java-http-client/21.0.2',
  'aiohttp/3.9.5 Python/3.12',
  'Scrapy/2.11.2 (+https://scrapy.org)',
];

/** Agents of scraping scripts. */
export const SCRAPER_AGENTS = ['python-requests/2.32.3', 'aiohttp/3.9.5 Python/3.12', 'Go-http-client/1.1', 'Scrapy/2.11.2 (+https://scrapy.org)'];

/** A raw API key: "sk_live_" and 24 base62 characters. */
export function makeApiKey(rng: Rng): string {
  let key = 'sk_live_';
  for (let i = 0; i < 24; i++) key += BASE62[rng.int(0, 61)];
  return key;
}

export function companyName(rng: Rng): string {
  return rng.pick(SYLLABLES) + rng.pick(SYLLABLES) + (rng.chance(0.3) ? rng.pick(SYLLABLES) : '');
}

/** e.g. "globex-sync/2.3 (python-requests/2.31.0)". */
export function integrationAgent(rng: Rng, company: string, product = rng.pick(PRODUCTS)): string {
  return `${company}-${product}/${rng.int(1, 6)}.${rng.int(0, 14)} (${rng.pick(LIBRARIES)})`;
}

/**
 * The origin of a partner integration: 1-2 networks of its own, a few hosts in them, one
 * agent (sometimes a second version during an upgrade).
 */
export function integrationOrigin(rng: Rng, pool: NetworkPool, company: string, product?: string): Origin {
  const networks = pool.allocateMany(rng, rng.chance(0.35) ? 2 : 1);
  const hosts = Array.from({ length: rng.int(1, 4) }, () => rng.int(2, 250));
  const agent = integrationAgent(rng, company, product);
  const agents = rng.chance(0.15) ? [agent, agent.replace(/\/(\d+)\.(\d+)/, (_m, a: string, b: string) => `/${a}.${Number(b) + 1}`)] : [agent];
  return new Origin(networks, hosts, agents, rng.int(60, 220));
}
