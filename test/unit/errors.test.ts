import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AGENT_ERRORS } from '../../agent/errors.js';
import { ConfigError } from '../../bin/config.js';
import { BACKTEST_ERRORS } from '../../bin/errors.js';
import { CROWDSEC_ERRORS } from '../../detector/crowdsec/errors.js';
import { MODEL_ERRORS } from '../../detector/model/errors.js';
import { WEBHOOK_ERRORS } from '../../detector/webhooks/errors.js';

describe('documented errors', () => {
  it('the README error table lists exactly the codes the code raises', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Errors'), readme.indexOf('## Layout'));
    const documented = [...section.matchAll(/^\| `(LOWSLOW_[A-Z_]+)` \|/gm)].map((m) => m[1]).sort();
    const raised = [...Object.keys(AGENT_ERRORS), ...Object.keys(MODEL_ERRORS), ...Object.keys(WEBHOOK_ERRORS), ...Object.keys(CROWDSEC_ERRORS), ...Object.keys(BACKTEST_ERRORS), new ConfigError('x').code].sort();
    expect(documented).toEqual(raised);
  });
});
