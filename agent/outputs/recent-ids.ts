/**
 * After a restart the file input re-reads from its last checkpoint, which may be a second behind
 * what was already published. The ids this host published since then are read back from the
 * stream, and the pipeline skips those events: the stream holds every line exactly once.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';

/** Ids of events published on this gateway and host since `sinceMs` (wall clock). */
export async function publishedIdsSince(nc: NatsConnection, stream: string, gateway: string, host: string, sinceMs: number): Promise<Set<string>> {
  const ids = new Set<string>();
  const js = jetstream(nc);
  const consumer = await js.consumers.get(stream, {
    // A string, not an array: one filter subject works on nats-server 2.9 as well.
    filter_subjects: `lowslow.events.*.${gateway}.${host}`,
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: new Date(sinceMs).toISOString(),
  });
  for (;;) {
    const info = await consumer.info(true);
    if (info.num_pending === 0) break;
    const batch = await consumer.fetch({ max_messages: 512, expires: 2_000 });
    let got = 0;
    for await (const m of batch) {
      got++;
      const text = m.string();
      // Each line starts {"v":1,"id":"…": the id is read without parsing the whole event.
      for (let start = 0; start < text.length; ) {
        let end = text.indexOf('\n', start);
        if (end < 0) end = text.length;
        const at = text.indexOf('"id":"', start);
        if (at >= 0 && at < end) ids.add(text.slice(at + 6, text.indexOf('"', at + 6)));
        start = end + 1;
      }
    }
    if (got === 0) break;
  }
  await consumer.delete().catch(() => undefined);
  return ids;
}
