/**
 * `npm run bench:soak`: the live pipeline for minutes at a fixed rate, as real processes
 * (test/support/stack.ts: `lowslow agent`, `lowslow detector`, nats-server, redis-server), fed by
 * a generator appending access log lines stamped with the wall clock (soak/traffic.ts), with a few
 * anomalous keys walking ids. Windows are one minute of event time (lateness 2 s), so live windows
 * close every minute: an anomalous key's window closes with its first line past the window's end,
 * and the alert latency is the wall time from writing that line to the alert arriving on NATS.
 * Each alert is resolved through the API at once, so the key's next window raises a new one.
 *
 * Prints throughput (lines written, events published, events scored per second), p50/p99 alert
 * latency, RSS of agent and detector every SOAK_SAMPLE_SECONDS with the slope per minute (flagged
 * when it grows), and lag (the detector's consumers' pending plus unacknowledged messages, from
 * JetStream consumer info).
 *
 *   SOAK_RATE (lines/s, default 10000)  SOAK_MINUTES (default 3)  SOAK_KEYS (honest, default 3000)
 *   SOAK_ANOMALOUS (default 20)  SOAK_SAMPLE_SECONDS (default 15)
 */
import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { Alert } from '../../contracts/index.js';
import { Stack } from '../support/stack.js';
import { counter, percentile, rssMiB, slope } from './soak/figures.js';
import { SoakTraffic } from './soak/traffic.js';

const RATE = Number(process.env.SOAK_RATE ?? 10_000);
const MINUTES = Number(process.env.SOAK_MINUTES ?? 3);
const KEYS = Number(process.env.SOAK_KEYS ?? 3000);
const ANOMALOUS = Number(process.env.SOAK_ANOMALOUS ?? 20);
const SAMPLE_S = Number(process.env.SOAK_SAMPLE_SECONDS ?? 15);
const PARTITIONS = 8;
const WINDOW_MS = 60_000;
const SECRET = 'bench-soak-secret-0123456789';
/** Honest traffic only at first; the detector learns (raises nothing) for as long. */
const WARMUP_MS = Math.min(60_000, (MINUTES * 60_000) / 5);
/** Memory growing faster than this over the run (after the warm-up) is flagged. */
const GROWTH_FLAG_MIB_PER_MIN = 2;

interface Sample {
  t: number;
  written: number;
  published: number;
  scored: number;
  lag: number;
  agentRss: number;
  detectorRss: number;
}

/** user + system CPU seconds of a process, from /proc. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');

const stack = await Stack.start({
  secret: SECRET,
  partitions: PARTITIONS,
  // As docker-compose.yml ships it.
  redisFsync: 'everysec',
  env: {
    LOWSLOW_DETECTION_WINDOW_MINUTES: '1',
    LOWSLOW_DETECTION_LATENESS_SECONDS: '2',
    LOWSLOW_DETECTION_LEARNING_HOURS: String(WARMUP_MS / 3_600_000),
  },
});
const nc = await connect({ servers: stack.nats.url });
try {
  const jsm = await jetstreamManager(nc);
  const lag = async () => {
    let n = 0;
    for (let p = 0; p < PARTITIONS; p++) {
      const i = await jsm.consumers.info('LOWSLOW_EVENTS', `lowslow-detector-p${p}`).catch(() => null);
      if (i) n += i.num_pending + i.num_ack_pending;
    }
    return n;
  };
  // Windows close on the minute: the load starts so that the anomalous keys walk for 35 s before
  // a window ends (most of it anomalous), so even a one-minute run closes an anomalous window.
  const phase = (60_000 - ((WARMUP_MS + 35_000) % 60_000)) % 60_000;
  await sleep((phase - (Date.now() % 60_000) + 60_000) % 60_000);
  const start = Date.now();
  const traffic = new SoakTraffic({ file: stack.log, rate: RATE, keys: KEYS, anomalous: ANOMALOUS, attackAt: start + WARMUP_MS, windowMs: WINDOW_MS, secret: SECRET });

  const latencies: number[] = [];
  const seen = new Set<string>();
  let honestAlerts = 0;
  let unmatched = 0;
  nc.subscribe('lowslow.alerts.>', {
    callback: (_err, m) => {
      const arrived = Date.now();
      const a = m.json<Alert>();
      if (a.status !== 'open' || seen.has(a.id)) return;
      seen.add(a.id);
      if (!traffic.anomalousIds.has(a.key_id)) {
        honestAlerts++;
        return;
      }
      const written = traffic.closers.get(a.key_id)?.get(a.window.end);
      if (written === undefined) unmatched++;
      else latencies.push(arrived - written);
      // Resolved at once, so the key's next anomalous window opens a new alert.
      void fetch(`${stack.api}/v1/alerts/${a.id}/resolve`, { method: 'POST' }).catch(() => undefined);
    },
  });

  const samples: Sample[] = [];
  const take = async (): Promise<Sample> => {
    const [agent, detector] = await Promise.all([
      fetch(stack.agentMetrics).then((r) => r.text()).catch(() => ''),
      fetch(`${stack.api}/metrics`).then((r) => r.text()).catch(() => ''),
    ]);
    const s: Sample = {
      t: (Date.now() - start) / 1000,
      written: traffic.written,
      published: counter(agent, 'lowslow_agent_events_published_total'),
      scored: counter(detector, 'lowslow_detector_events_scored_total'),
      lag: await lag(),
      agentRss: rssMiB(stack.agent.child.pid),
      detectorRss: rssMiB(stack.detector.child.pid),
    };
    samples.push(s);
    return s;
  };
  const cpu0 = { agent: cpuSeconds(stack.agent.child.pid), detector: cpuSeconds(stack.detector.child.pid) };
  process.stderr.write(`soak: ${RATE} lines/s for ${MINUTES} min, ${KEYS} honest keys and ${ANOMALOUS} anomalous ones walking ids after ${WARMUP_MS / 1000} s\n`);
  process.stderr.write('   t s   written/s  published/s  scored/s   lag msgs  agent RSS  detector RSS\n');
  const load = new AbortController();
  const writing = traffic.run(start + MINUTES * 60_000, load.signal);
  let last = await take();
  const sampler = (async () => {
    while (!load.signal.aborted) {
      await sleep(SAMPLE_S * 1000, undefined, { signal: load.signal }).catch(() => undefined);
      const s = await take();
      const dt = s.t - last.t;
      process.stderr.write(
        `${fmt(s.t).padStart(6)} ${fmt((s.written - last.written) / dt).padStart(11)} ${fmt((s.published - last.published) / dt).padStart(12)} ${fmt((s.scored - last.scored) / dt).padStart(9)} ` +
          `${fmt(s.lag).padStart(10)} ${fmt(s.agentRss).padStart(7)} MiB ${fmt(s.detectorRss).padStart(9)} MiB\n`,
      );
      last = s;
    }
  })();
  await writing;
  const loadSeconds = (Date.now() - start) / 1000;
  const atStop = await take();
  load.abort();
  await sampler;
  const cpu = { agent: cpuSeconds(stack.agent.child.pid) - cpu0.agent, detector: cpuSeconds(stack.detector.child.pid) - cpu0.detector };
  // Drain: what was written is published and scored, the consumers hold nothing back.
  const stopped = Date.now();
  let end = atStop;
  while (Date.now() - stopped < 60_000) {
    end = await take();
    if (end.lag === 0 && end.published >= traffic.written) break;
    await sleep(500);
  }
  const drainSeconds = (Date.now() - stopped) / 1000;
  await sleep(2_000);

  const anomalousWindows = [...traffic.closers.values()].reduce((n, m) => n + [...m.keys()].filter((e) => e > start + WARMUP_MS).length, 0);
  const afterWarmup = samples.filter((s, i) => s.t * 1000 >= WARMUP_MS && s.t <= loadSeconds + 0.5 && s.t - (samples[i - 1]?.t ?? -Infinity) >= 1);
  const growth = (pick: (s: Sample) => number) => slope(afterWarmup.map((s) => [s.t / 60, pick(s)]));
  const flag = (x: number) => (x > GROWTH_FLAG_MIB_PER_MIN ? ` GROWING (> ${GROWTH_FLAG_MIB_PER_MIN} MiB/min: run longer to confirm)` : ' (flat)');
  const lags = samples.filter((s) => s.t <= loadSeconds + 0.5).map((s) => s.lag);
  const row = (k: string, v: string) => process.stdout.write(`${k.padEnd(28)} ${v}\n`);
  process.stdout.write(
    `lowslow bench:soak on ${cpus()[0]?.model ?? 'cpu'} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB), node ${process.version}; ` +
      `agent, detector, nats-server, redis-server (AOF, fsync every second) and the generator on the same machine\n`,
  );
  row('load', `${fmt(RATE)} lines/s for ${fmt(loadSeconds, 1)} s, ${KEYS} honest keys + ${ANOMALOUS} anomalous (from ${WARMUP_MS / 1000} s), ${PARTITIONS} partitions, 1-minute windows`);
  row('throughput', `written ${fmt(atStop.written / loadSeconds)} lines/s, published ${fmt(atStop.published / loadSeconds)} events/s, scored ${fmt(atStop.scored / loadSeconds)} events/s (${fmt(atStop.written)} / ${fmt(atStop.published)} / ${fmt(atStop.scored)})`);
  row('CPU during the load', `agent ${fmt((100 * cpu.agent) / loadSeconds)} % of a core, detector ${fmt((100 * cpu.detector) / loadSeconds)} %`);
  row('drained', `${fmt(drainSeconds, 1)} s after the load stopped: published ${fmt(end.published)} of ${fmt(traffic.written)}, scored ${fmt(end.scored)}, lag ${fmt(end.lag)}`);
  row(
    'alert latency',
    `p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms, max ${fmt(Math.max(...latencies))} ms (target p99 < 1,000 ms) over ${latencies.length} alerts ` +
      `(line closing an anomalous window written → alert on NATS); ${anomalousWindows} anomalous windows closed; ${unmatched} unmatched; ${honestAlerts} alerts on honest keys`,
  );
  row('lag (pending + unacked)', `max ${fmt(Math.max(...lags))} messages, mean ${fmt(lags.reduce((a, b) => a + b, 0) / Math.max(1, lags.length), 1)}, at the end of the load ${fmt(atStop.lag)}`);
  row('agent RSS (MiB)', `${afterWarmup.map((s) => fmt(s.agentRss)).join(' ')}; slope ${fmt(growth((s) => s.agentRss), 1)} MiB/min${flag(growth((s) => s.agentRss))}`);
  row('detector RSS (MiB)', `${afterWarmup.map((s) => fmt(s.detectorRss)).join(' ')}; slope ${fmt(growth((s) => s.detectorRss), 1)} MiB/min${flag(growth((s) => s.detectorRss))}`);
  row('', `(RSS every ${SAMPLE_S} s from ${fmt(WARMUP_MS / 1000)} s on)`);
} finally {
  await nc.close();
  await stack.stop();
}
