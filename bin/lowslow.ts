#!/usr/bin/env node
/**
 * The lowslow command: `agent`, `detector`, `replay`, `backtest`, `rekey`. Config comes from --config (YAML or JSON)
 * and LOWSLOW_* variables; a bad config stops with one line naming the field (exit 2).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Alert } from '../contracts/index.js';
import { ConfigError, loadConfig } from './config.js';
import { formatAlert } from './format-alert.js';
import { createLogger } from './log.js';

const USAGE = `usage: lowslow <command> [options]

commands:
  agent                 follow gateway access logs and publish sanitized events to NATS JetStream
  detector              learn per-key behaviour from the event stream, raise alerts, serve the API
  replay FILE...        run the whole pipeline in-process over log files (.gz too) and print alerts
  backtest --model NEW [FILE...]
                        replay JetStream history (or log files) through the running config and a
                        candidate side by side; report what each would have raised
  rekey map|apply FILE  carry key profiles over an HMAC secret rotation (docs/operations.md)

options:
  -c, --config FILE     config file (YAML or JSON); LOWSLOW_* environment variables override it
      --alerts-out FILE replay: write alerts as JSON lines
      --report FILE     replay: write a self-contained HTML report (charts for every alert)
      --json            replay: print alerts as JSON lines instead of text; backtest: the report as JSON
      --model FILE      backtest: the candidate, a YAML/JSON file of detection settings (and/or
                        model: FILE), or a model file (Isolation Forest bytes or a stored snapshot)
      --from T, --to T  backtest: the period compared, event time (ms or ISO 8601)
      --warmup HOURS    backtest: events read before --from to build profiles (default: learning_hours)
      --labels SOURCE   backtest: verdicts to score against: redis, none or a file of Alert v1 JSON
                        lines (default: redis for JetStream, none for log files)
      --stored-models   backtest: start both sides from the live detector's stored models (Redis)
  -h, --help            this help
  -v, --version         version`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        'alerts-out': { type: 'string' },
        report: { type: 'string' },
        json: { type: 'boolean' },
        model: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        warmup: { type: 'string' },
        labels: { type: 'string' },
        'stored-models': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    process.stderr.write(`lowslow: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const [command, ...files] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (!['agent', 'detector', 'replay', 'backtest', 'rekey'].includes(command)) {
    process.stderr.write(`lowslow: unknown command '${command}'\n${USAGE}\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(values.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`lowslow: config error: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (command === 'agent' && !config.key_secret) {
    process.stderr.write('lowslow: config error: key_secret: is required (set LOWSLOW_KEY_SECRET, at least 16 characters)\n');
    return 2;
  }
  const i = config.inputs;
  if (command === 'agent' && i.file.paths.length === 0 && !i.syslog.enabled && !i.http.enabled && !i.envoy_als.enabled && !i.stdin.enabled) {
    process.stderr.write('lowslow: config error: inputs: enable at least one input, e.g. inputs.file.paths (LOWSLOW_INPUTS_FILE_PATHS)\n');
    return 2;
  }
  const log = createLogger(config.log.level, `lowslow-${command}`);
  const abort = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      log.info({ signal: sig }, 'stopping');
      abort.abort();
    });
  }

  if (command === 'replay') {
    if (files.length === 0) {
      process.stderr.write('lowslow: replay needs at least one log file\n');
      return 2;
    }
    const { openAlertsOut, replay } = await import('./replay.js');
    const { ProgressBar } = await import('./progress-bar.js');
    const out = openAlertsOut(values['alerts-out']);
    const bar = ProgressBar.forStream(process.stderr);
    const print = (a: Alert) => {
      bar?.done();
      process.stdout.write(values.json ? `${JSON.stringify(a)}\n` : `${formatAlert(a)}\n`);
    };
    // The report reads the run's stores afterwards; its module loads only when asked for.
    const report = values.report === undefined ? null : await import('../detector/ui/report/index.js');
    const { MemoryProfileStore } = await import('../detector/profiles/memory-store.js');
    const { MemoryAlertStore } = await import('../detector/alerts/memory-alert-store.js');
    const stores = report ? { profiles: new MemoryProfileStore(), alerts: new MemoryAlertStore(), history: new report.ScoreHistory() } : null;
    let summary;
    try {
      summary = await replay({
        files,
        config,
        log,
        onAlert: print,
        ...(bar ? { onProgress: (p) => bar.update(p) } : {}),
        ...(stores ? { stores: { profiles: stores.profiles, alerts: stores.alerts, risk: stores.history }, sampleEvents: true } : {}),
      });
    } catch (err) {
      bar?.done();
      const e = err as NodeJS.ErrnoException;
      process.stderr.write(`lowslow: replay failed: ${e.code === 'ENOENT' ? `${e.path ?? 'file'}: no such file` : e.message}\n`);
      return 1;
    }
    bar?.done();
    if (report && stores && values.report !== undefined) {
      try {
        await report.writeReport(values.report, { files, ...summary }, stores);
      } catch (err) {
        process.stderr.write(`lowslow: --report ${values.report}: ${(err as Error).message}\n`);
        return 1;
      }
      process.stderr.write(`report written to ${values.report}\n`);
    }
    if (out) {
      for (const a of summary.alerts) out.write(`${JSON.stringify(a)}\n`);
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    }
    const rejected = Object.values(summary.rejected).reduce((a, b) => a + b, 0);
    process.stderr.write(
      `replayed ${summary.lines} lines (${summary.events} events, ${rejected} rejected) from ${files.length} file(s) in ${summary.seconds.toFixed(2)} s ` +
        `(${Math.round(summary.lines / Math.max(summary.seconds, 1e-9))} lines/s): ${summary.keys} keys, ${summary.windows} windows, ${summary.alerts.length} alert(s)\n`,
    );
    return 0;
  }
  if (command === 'backtest') {
    const { runBacktest } = await import('./backtest-command.js');
    const { model, from, to, warmup, labels, json } = values;
    return runBacktest(config, { model, from, to, warmup, labels, json, storedModels: values['stored-models'], files }, log, abort.signal);
  }
  if (command === 'rekey') return (await import('./rekey-command.js')).runRekey(config, files, log, abort.signal);
  try {
    // Each command loads only its own parts: an agent never carries the detector's code.
    if (command === 'agent') await (await import('./agent-command.js')).runAgent(config, log, abort.signal);
    else await (await import('./commands.js')).runDetector(config, log, abort.signal);
  } catch (err) {
    if (abort.signal.aborted) return 0;
    log.fatal({ err: (err as Error).message, code: (err as { code?: string }).code }, `${command} failed`);
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`lowslow: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
