/**
 * Reads every byte a whole-stack test can reach, for canary searches: files under a folder
 * (symlinks not followed), every message of a JetStream stream with its subject and headers,
 * every Redis key with its value read by type (strings that are deflated, as large profile states
 * are, searched inflated as well), and plain text. Each piece is a `Sink` named after where it was
 * read, so a hit says exactly where a canary leaked.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';

export interface Sink {
  where: string;
  text: string;
}

/** Every regular file under `dir`, as latin1 text (one character per byte). */
export function fileSinks(dir: string, label: string): Sink[] {
  const out: Sink[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) continue;
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push({ where: `${label}:${p.slice(dir.length + 1)}`, text: readFileSync(p).toString('latin1') });
    }
  };
  walk(dir);
  return out;
}

/** Every stored message of `stream`, by sequence: subject, headers and payload. */
export async function streamSinks(url: string, stream: string): Promise<{ sinks: Sink[]; messages: number }> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const { state } = await jsm.streams.info(stream);
    const sinks: Sink[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq });
      if (m === null) continue;
      const headers = m.header ? [...m.header].map(([k, v]) => `${k}: ${v.join(',')}`).join('\n') : '';
      sinks.push({ where: `${stream}#${seq} ${m.subject}`, text: `${m.subject}\n${headers}\n${Buffer.from(m.data).toString('latin1')}` });
    }
    return { sinks, messages: state.messages };
  } finally {
    await nc.close();
  }
}

/** A value as stored, and inflated or gunzipped when it is compressed (with or without a one-byte tag). */
function decodings(b: Buffer): { texts: string[]; inflated: boolean } {
  const texts = [b.toString('latin1')];
  let inflated = false;
  for (const [body, fn] of [
    [b.subarray(1), inflateRawSync],
    [b, inflateRawSync],
    [b, inflateSync],
    [b, gunzipSync],
  ] as const) {
    if (body.length < 2) continue;
    try {
      texts.push(fn(body).toString('latin1'));
      inflated = true;
    } catch {
      // not compressed that way
    }
  }
  return { texts, inflated };
}

/** Every key of the Redis at `url` and everything in it; `inflated` counts values read inflated. */
export async function redisSinks(url: string): Promise<{ sinks: Sink[]; keys: number; inflated: number }> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const sinks: Sink[] = [];
    let keys = 0;
    let inflated = 0;
    let cursor = '0';
    do {
      const [next, batch] = await redis.scanBuffer(cursor, 'COUNT', 500);
      cursor = next.toString();
      for (const key of batch) {
        keys++;
        const type = await redis.type(key);
        let parts: Buffer[];
        if (type === 'string') parts = [(await redis.getBuffer(key)) ?? Buffer.alloc(0)];
        else if (type === 'hash') parts = await redis.hgetallBuffer(key).then((h) => Object.entries(h).flatMap(([f, v]) => [Buffer.from(f, 'latin1'), v]));
        else if (type === 'list') parts = await redis.lrangeBuffer(key, 0, -1);
        else if (type === 'set') parts = await redis.smembersBuffer(key);
        else if (type === 'zset') parts = await redis.zrangeBuffer(key, 0, -1, 'WITHSCORES');
        else if (type === 'stream') parts = [Buffer.from(JSON.stringify(await redis.xrange(key, '-', '+')))];
        else throw new Error(`Redis key ${key.toString('latin1')} has type ${type}, which the canary search cannot read yet`);
        const texts = [key.toString('latin1')];
        for (const p of parts) {
          const d = decodings(p);
          if (d.inflated) inflated++;
          texts.push(...d.texts);
        }
        sinks.push({ where: `redis ${type} ${key.toString('latin1')}`, text: texts.join('\n') });
      }
    } while (cursor !== '0');
    return { sinks, keys, inflated };
  } finally {
    redis.disconnect();
  }
}

/** Where each canary was found: `{ name: [where, …] }`, only for canaries found somewhere. */
export function findCanaries(sinks: Sink[], canaries: Record<string, string>): Record<string, string[]> {
  const hits: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(canaries)) {
    const where = sinks.filter((s) => s.text.includes(value)).map((s) => s.where);
    if (where.length > 0) hits[name] = where;
  }
  return hits;
}
