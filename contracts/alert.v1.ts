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

export const AlertSchema = Type.Object(
  {
    v: Type.Literal(1),
    id: Type.String({ pattern: '^[0-9a-f]{24}$' }),
    created_at: Type.Integer({ description: 'Wall-clock ms when raised.' }),
    updated_at: Type.Integer({ description: 'Wall-clock ms of the last change.' }),
    event_time: Type.Integer({ description: 'Event time (ms) of the event that closed the window.' }),
    key_id: Type.String({ pattern: '^[0-9a-f]{32}$' }),
    kind: Type.String({ description: 'What kind of deviation, e.g. behaviour.' }),
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
  },
  { $id: 'https://lowslow.dev/contracts/alert.v1.json', title: 'Alert v1', additionalProperties: false },
);
export type Alert = Static<typeof AlertSchema>;
