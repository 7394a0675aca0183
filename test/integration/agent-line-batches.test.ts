/**
 * Lines handed over in batches (the file input) go through the pipeline stage by stage: every
 * line parsed, then every record sanitized, then every event batched. That must publish exactly
 * what handing the same lines over one by one publishes, with the same counts: a mix of good
 * lines, lines without a request id, malformed ones, and times far ahead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig, type Config } from '../../contracts/index.js';
import type { InputContext } from '../../agent/inputs/input.js';
import { Agent } from '../../agent/pipeline.js';
import { ensureStreams } from '../../bin/connect.js';
import { Feed } from '../support/feed-input.js';
import { nginxLine } from '../support/log-lines.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { seeded } from '../support/seeded.js';
import { streamEvents } from '../support/stream.js';

let nats: NatsServer;
const dir = mkdtempSync(join(tmpdir(), 'lowslow-line-batches-'));

beforeAll(async () => {
  nats = await startNatsServer();
});

afterAll(async () => {
  await nats?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function lines(n: number): string[] {
  const r = seeded(7);
  const future = Date.now() / 1000 + 10 * 86_400;
  return Array.from({ length: n }, (_, i) => {
    const pick = r();
    const t = 1_793_600_000 + i / 10;
    if (pick < 0.05) return `not json ${i}`;
    if (pick < 0.08) return JSON.stringify({ time: `${t}`, method: 'GET', uri: 'no-slash' });
    if (pick < 0.1) return nginxLine({ t: future, key: 'k', uri: `/v1/a/${i}`, id: i + 1 });
    const line = nginxLine({ t, key: `sk_live_${i % 97}`, uri: `/v1/customers/${i % 500}/orders/${i}`, args: `page=${i % 9}&limit=50&api_key=x${i % 5}`, id: i + 1, ua: `ua-${i % 3}` });
    // Some without a request id: their ids come from the position.
    return pick < 0.3 ? line.replace(/"request_id":"[0-9a-f]+"/, '"request_id":""') : line;
  });
}

async function publish(gateway: string, feed: (ctx: InputContext, texts: string[], offsets: number[]) => void, texts: string[], offsets: number[]) {
  const raw = { key_secret: 'line-batches-secret-0123456789', source: { gateway, host: 'gw' }, nats: { servers: [nats.url], flush_ms: 20, batch_size: 100 }, agent: { state_dir: join(dir, gateway), metrics_port: -1 } };
  if (!validateConfig(raw)) throw new Error(JSON.stringify(validateConfig.errors));
  const config = raw as Config;
  const nc = await connect({ servers: nats.url });
  await ensureStreams(nc, config.nats, ['events']);
  const input = new Feed((ctx) => feed(ctx, texts, offsets));
  const agent = new Agent({ config, nc, log: pino({ level: 'silent' }), host: 'gw', inputs: [input] });
  agent.start();
  await input.done;
  await agent.stop();
  await nc.close();
  return agent.metrics.snapshot();
}

/** Events with their partition, without the gateway name (which tells the two runs apart), by id. */
function published(all: Array<{ subject: string; event: Record<string, unknown> }>) {
  return all
    .map(({ subject, event }) => ({ partition: subject.split('.')[2], event: { ...event, source: (event.source as { host: string }).host } as Record<string, unknown> }))
    .sort((a, b) => String(a.event.id).localeCompare(String(b.event.id)));
}

describe('lines in batches', () => {
  it('publish what the same lines one by one publish, with the same counts and partitions', async () => {
    const texts = lines(3000);
    const offsets = texts.map((_, i) => 1000 * i);
    const single = await publish('single', (ctx) => {
      for (let i = 0; i < texts.length; i++) ctx.line(texts[i] as string, 'nginx-json', 's:0', offsets[i]);
    }, texts, offsets);
    const one = published(await streamEvents(nats.url));
    // The same events again would be dropped as duplicates (same batch message ids): a new stream.
    const nc = await connect({ servers: nats.url });
    await (await jetstreamManager(nc)).streams.delete('LOWSLOW_EVENTS');
    await nc.close();
    const r = seeded(3);
    const batched = await publish('batched', (ctx) => {
      // Batches of uneven sizes, as windows of a file cut them; the arrays are reused.
      const t: string[] = [];
      const o: number[] = [];
      for (let at = 0; at < texts.length; ) {
        const n = Math.min(texts.length - at, 1 + Math.floor(r() * 300));
        for (let i = 0; i < n; i++) {
          t[i] = texts[at + i] as string;
          o[i] = offsets[at + i] as number;
        }
        ctx.lineBatch(t, o, n, 'nginx-json', 's:0');
        at += n;
      }
    }, texts, offsets);
    expect(batched).toEqual(single);
    expect(single.lowslow_agent_events_published_total).toBeGreaterThan(2000);
    expect(single['lowslow_agent_lines_rejected_total{reason="not_json"}']).toBeGreaterThan(100);
    expect(single['lowslow_agent_lines_rejected_total{reason="bad_time"}']).toBeGreaterThan(20);

    expect(one).toHaveLength(single.lowslow_agent_events_published_total as number);
    expect(published(await streamEvents(nats.url))).toEqual(one);
  });
});
