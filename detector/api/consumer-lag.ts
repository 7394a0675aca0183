/**
 * Consumer lag for /metrics, read from JetStream at scrape time: per owned partition, the event
 * messages its durable consumer has not been handed yet (`num_pending`) and those handed but not
 * acknowledged (`num_ack_pending`). Beside the event-time lag, this says whether the detector
 * keeps up with the stream. A partition whose consumer cannot be read is left out of the scrape.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { MetricFamily } from '../metrics.js';

export interface ConsumerLagOptions {
  stream: string;
  /** Durable name prefix: the consumer of partition p is `<durable>-p<p>`. */
  durable: string;
  partitions: number[];
}

export function consumerLag(nc: NatsConnection, o: ConsumerLagOptions): () => Promise<MetricFamily[]> {
  return async () => {
    const jsm = await jetstreamManager(nc);
    const infos = await Promise.all(o.partitions.map((p) => jsm.consumers.info(o.stream, `${o.durable}-p${p}`).then((i) => [p, i] as const, () => null)));
    const read = infos.filter((x) => x !== null);
    return [
      {
        name: 'lowslow_detector_consumer_pending',
        help: 'Event messages in the stream not yet delivered to the partition consumer.',
        type: 'gauge',
        values: read.map(([p, i]) => ({ labels: { partition: String(p) }, value: i.num_pending })),
      },
      {
        name: 'lowslow_detector_consumer_ack_pending',
        help: 'Event messages delivered to the partition consumer and not yet acknowledged (applied).',
        type: 'gauge',
        values: read.map(([p, i]) => ({ labels: { partition: String(p) }, value: i.num_ack_pending })),
      },
    ];
  };
}
