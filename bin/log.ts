/** Structured logs (pino) on stderr, so stdout stays free for alerts. Never log a secret. */
import { pino, type Logger } from 'pino';

export function createLogger(level: string, name: string): Logger {
  return pino(
    {
      name,
      level,
      base: { pid: process.pid },
      redact: { paths: ['key_secret', '*.key_secret', 'config.key_secret', 'config.nats.pass', 'config.nats.token', 'password', '*.password', 'config.detector.crowdsec.password'], remove: true },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}
