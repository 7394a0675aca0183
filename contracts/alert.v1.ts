/** Alert v1: what the detector raises, on NATS, webhooks and the HTTP API alike. */
import { Type, type Static } from '@sinclair/typebox';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved', 'false_positive'] as const;

export const SeveritySchema = Type.Union(SEVERITIES.map((s) => Type.Literal(s)));
export const AlertStatusSchema = Type.Union(ALERT_STATUSES.map((s) => Type.Literal(s)));

export const ReasonSchema = Type.Object(
  {
    feature: Type.String({ description: 'Feature name, e.g. distinct_objects.' }),
    value: Type.Number({ description: 'Observed value in the window.' }),
    baseline: Type.Number({ description: "This key's usual value (or the population's, for new keys)." }),
    text: Type.String({ description: 'Plain-language explanation.' }),
  },
  { additionalProperties: false },
);
export type Reason = Static<typeof ReasonSchema>;

export const VERDICTS = ['true_positive', 'false_positive'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const VerdictSchema = Type.Union(VERDICTS.map((v) => Type.Literal(v)));

/** An analyst's verdict on an alert; false positives feed suppression and the next training set. */
export const FeedbackSchema = Type.Object(
  {
    verdict: VerdictSchema,
    note: Type.String({ maxLength: 2000, description: 'Free text from the analyst.' }),
    at: Type.Integer({ description: 'Wall-clock ms when the verdict was given.' }),
  },
  { additionalProperties: false },
);
export type Feedback = Static<typeof FeedbackSchema>;

/** What the keys of a campaign were found to share. */
export const CAMPAIGN_BASES = ['consumer', 'network', 'asn', 'agent', 'route_shape', 'id_space'] as const;
export type CampaignBasis = (typeof CAMPAIGN_BASES)[number];

export const CampaignMemberSchema = Type.Object(
  {
    key_id: Type.String({ pattern: '^[0-9a-f]{32}$' }),
    networks: Type.Array(Type.String(), { maxItems: 8, description: 'Client networks (/24, /48) the key was seen from lately.' }),
    distinct_objects: Type.Integer({ minimum: 0, description: "Distinct objects of the campaign's route the key read in 30 days (estimated)." }),
    share: Type.Number({ minimum: 0, maximum: 1, description: "Share of the route's id space (what all keys read in 30 days) this key read." }),
  },
  { additionalProperties: false },
);
export type CampaignMember = Static<typeof CampaignMemberSchema>;

/** Keys (and their networks) acting together, on an alert of kind `campaign`. */
export const CampaignSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[0-9a-f]{32}$', description: 'Stable id of the campaign (the consumer_id when the campaign is a consumer); the alert is also filed under it as key_id.' }),
    basis: Type.Array(
      Type.Union(CAMPAIGN_BASES.map((b) => Type.Literal(b))),
      {
        description:
          'What links the members: consumer (one consumer_id), network (a shared /24 or /48), asn (a shared /16 or /32), agent (the same user agent), route_shape (the same route mix), id_space (disjoint slices of one id space).',
      },
    ),
    consumer_id: Type.Optional(Type.String({ pattern: '^[0-9a-f]{32}$', description: 'The consumer behind the keys, when they share one.' })),
    route: Type.Optional(Type.String({ description: 'The id-bearing route whose id space the members read together.' })),
    coverage: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: "Share of that route's 30-day id space the members read together." })),
    members: Type.Array(CampaignMemberSchema, { maxItems: 32, description: 'The member keys, largest share first.' }),
  },
  { additionalProperties: false },
);
export type Campaign = Static<typeof CampaignSchema>;

export const AlertSchema = Type.Object(
  {
    v: Type.Literal(1),
    id: Type.String({ pattern: '^[0-9a-f]{24}$' }),
    created_at: Type.Integer({ description: 'Wall-clock ms when raised.' }),
    updated_at: Type.Integer({ description: 'Wall-clock ms of the last change.' }),
    event_time: Type.Integer({ description: 'Event time (ms) of the event that closed the window.' }),
    key_id: Type.String({ pattern: '^[0-9a-f]{32}$', description: 'The key the alert is about; for kind campaign, the campaign id (its keys are in campaign.members).' }),
    kind: Type.String({
      description:
        "What kind of deviation: behaviour (a key's window), coverage (a key's 30-day share of an id space), campaign (several keys or a consumer's keys together; see campaign).",
    }),
    severity: SeveritySchema,
    score: Type.Number({ minimum: 0, maximum: 1 }),
    threshold: Type.Number({ minimum: 0, maximum: 1 }),
    model_version: Type.String(),
    window: Type.Object({ start: Type.Integer(), end: Type.Integer() }, { additionalProperties: false }),
    reasons: Type.Array(ReasonSchema),
    evidence: Type.Object(
      {
        requests: Type.Integer({ minimum: 0 }),
        distinct_objects: Type.Integer({ minimum: 0 }),
        routes: Type.Array(
          Type.Object({ route: Type.String(), count: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
        ),
        networks: Type.Array(Type.String()),
        sample_event_ids: Type.Array(Type.String()),
      },
      { additionalProperties: false },
    ),
    source: Type.Object(
      { gateway: Type.String(), hosts: Type.Array(Type.String()) },
      { additionalProperties: false },
    ),
    status: AlertStatusSchema,
    feedback: Type.Optional(FeedbackSchema),
    campaign: Type.Optional(CampaignSchema),
  },
  { $id: 'https://lowslow.dev/contracts/alert.v1.json', title: 'Alert v1', additionalProperties: false },
);
export type Alert = Static<typeof AlertSchema>;
