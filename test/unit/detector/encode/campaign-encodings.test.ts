/** Campaign alerts in every encoding: the members reach OCSF, ECS, Slack and the message line. */
import { describe, expect, it } from 'vitest';
import { validateAlert } from '../../../../contracts/index.js';
import { toEcs } from '../../../../detector/encode/ecs.js';
import { toOcsf } from '../../../../detector/encode/ocsf.js';
import { alertSummary } from '../../../../detector/encode/summary.js';
import { slackText } from '../../../../detector/webhooks/formats/slack.js';
import { makeCampaignAlert } from '../../../support/alerts.js';
import { ecsProblems } from '../../../support/ecs-check.js';
import { ocsfProblems } from '../../../support/ocsf-check.js';

const alert = makeCampaignAlert();
const keys = alert.campaign?.members.map((m) => m.key_id) ?? [];

describe('campaign alert encodings', () => {
  it('is a valid Alert v1 with its members', () => {
    expect(validateAlert(alert)).toBe(true);
    expect(validateAlert({ ...alert, campaign: { ...alert.campaign, basis: ['telepathy'] } })).toBe(false);
  });

  it('OCSF: satisfies class 2004, every member a resource and a credential observable, networks as subnets', () => {
    const f = toOcsf(alert);
    expect(ocsfProblems(f)).toEqual([]);
    expect(f.finding_info.title).toBe('3 API keys acting together');
    expect(f.resources?.filter((r) => r.type === 'API Key').map((r) => r.uid)).toEqual(keys);
    expect(f.observables?.filter((o) => o.type_id === 19).map((o) => o.value)).toEqual(keys);
    expect(f.observables?.filter((o) => o.type_id === 12).map((o) => o.value)).toEqual(['198.51.10.0/24', '198.51.20.0/24', '198.51.30.0/24']);
    expect((f.evidences?.[0]?.data as { campaign: unknown }).campaign).toEqual(alert.campaign);
  });

  it('ECS: every field an ECS field (the campaign under lowslow.*), the campaign as the entity', () => {
    const e = toEcs(alert);
    expect(ecsProblems(e as unknown as Record<string, unknown>, 'lowslow')).toEqual([]);
    expect(e.entity).toMatchObject({ id: alert.key_id, sub_type: 'api_key_campaign' });
    expect(e.lowslow.campaign).toEqual(alert.campaign);
    expect(e.message).toContain(`campaign ${alert.key_id}: 3 API keys (${keys.join(', ')})`);
  });

  it('Slack and the message line name the campaign and list its keys with their shares and networks', () => {
    const text = slackText(alert);
    expect(text).toContain(`campaign \`${alert.key_id}\`, 3 keys`);
    for (const k of keys) expect(text).toContain(`key \`${k}\``);
    expect(text).toContain('3.6 % of /v*/customers/{int} from 198.51.10.0/24');
    expect(alertSummary({ ...alert, campaign: { ...(alert.campaign as NonNullable<typeof alert.campaign>), consumer_id: 'e'.repeat(32) } })).toContain(`consumer ${'e'.repeat(32)}: 3 API keys`);
  });
});
