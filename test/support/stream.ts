/** Reads back what the agent published: every event id in LOWSLOW_EVENTS, in stream order. */
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';

export async function streamEventIds(url: string, stream = 'LOWSLOW_EVENTS'): Promise<string[]> {
  return (await streamEvents(url, stream)).map((e) => e.event.id as string);
}

/** Waits until the stream holds at least `n` events (or the time is up) and returns their ids. */
export async function waitForEvents(url: string, n: number, timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let ids: string[] = [];
  while (Date.now() < deadline) {
    ids = await streamEventIds(url);
    if (ids.length >= n) {
      // A little longer, so duplicates arriving late are seen too.
      await sleep(1_500);
      return streamEventIds(url);
    }
    await sleep(300);
  }
  return ids;
}

/** Every event in the stream with the subject it was published on, in stream order. */
export async function streamEvents(url: string, stream = 'LOWSLOW_EVENTS'): Promise<Array<{ subject: string; event: Record<string, unknown> }>> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const total = (await jsm.streams.info(stream)).state.messages;
    const out: Array<{ subject: string; event: Record<string, unknown> }> = [];
    if (total === 0) return out;
    const consumer = await jetstream(nc).consumers.get(stream);
    let seen = 0;
    while (seen < total) {
      const batch = await consumer.fetch({ max_messages: Math.min(1000, total - seen), expires: 5_000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        for (const line of m.string().split('\n')) out.push({ subject: m.subject, event: JSON.parse(line) as Record<string, unknown> });
      }
      if (got === 0) break;
      seen += got;
    }
    return out;
  } finally {
    await nc.close();
  }
}
