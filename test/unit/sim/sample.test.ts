import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { week } from './week.js';

const LOG = fileURLToPath(new URL('../../../samples/scraper-week.log.gz', import.meta.url));
const TRUTH = fileURLToPath(new URL('../../../samples/scraper-week.truth.json', import.meta.url));

// The bundled sample must be what the simulator makes with its defaults (seed 1); when the
// simulator changes on purpose, regenerate it with the command in samples/README.md.
describe('bundled sample', () => {
  it('is the default simulated week, line for line', async () => {
    const text = gunzipSync(await readFile(LOG)).toString('utf8');
    expect(text === week().raw.join('\n') + '\n').toBe(true);
  });

  it('comes with the truth of that week', async () => {
    expect(JSON.parse(await readFile(TRUTH, 'utf8'))).toEqual(week().truth);
  });

  it('stays under 3 MB compressed', async () => {
    expect((await readFile(LOG)).length).toBeLessThan(3_000_000);
  });
});
