/** `lowslow rekey map` and `lowslow rekey apply FILE`: see bin/rekey.ts and docs/operations.md. */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../contracts/index.js';
import { RedisProfileStore } from '../detector/profiles/redis-store.js';
import { connectRedis } from './connect-redis.js';
import { rekeyApply, rekeyMap } from './rekey.js';

export const OLD_SECRET_ENV = 'LOWSLOW_OLD_KEY_SECRET';

export async function runRekey(config: Config, args: string[], log: Logger, signal: AbortSignal): Promise<number> {
  const [step, file] = args;
  if (step === 'map' && args.length === 1) {
    const oldSecret = process.env[OLD_SECRET_ENV];
    if (!config.key_secret || !oldSecret) {
      process.stderr.write(`lowslow: rekey map needs the new secret in LOWSLOW_KEY_SECRET and the old one in ${OLD_SECRET_ENV}\n`);
      return 2;
    }
    if (oldSecret === config.key_secret) {
      process.stderr.write(`lowslow: rekey map: ${OLD_SECRET_ENV} equals LOWSLOW_KEY_SECRET; nothing would move\n`);
      return 2;
    }
    const s = await rekeyMap(process.stdin, process.stdout, oldSecret, config.key_secret);
    process.stderr.write(`rekey map: ${s.keys} keys mapped, ${s.skipped} blank lines skipped\n`);
    return 0;
  }
  if (step === 'apply' && file !== undefined && args.length === 2) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      process.stderr.write(`lowslow: rekey apply: ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})\n`);
      return 2;
    }
    const redis = await connectRedis(config.redis, log, signal);
    try {
      const s = await rekeyApply(text.split('\n'), new RedisProfileStore(redis, config.redis.prefix), config.nats.partitions);
      process.stderr.write(`rekey apply: ${s.moved} profiles moved, ${s.absent} keys without a profile, ${s.conflicts} already had a profile under the new key_id (left), ${s.bad} bad lines\n`);
      return s.bad > 0 ? 1 : 0;
    } finally {
      redis.disconnect();
    }
  }
  process.stderr.write('lowslow: usage: lowslow rekey map < raw-keys > map.tsv | lowslow rekey apply map.tsv\n');
  return 2;
}
