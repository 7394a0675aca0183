/**
 * Config v1: one file for every lowslow command; each command reads the sections it needs.
 * Every field has a description and a default; unknown keys are rejected.
 * Environment variables override the file: LOWSLOW_<SECTION>_<FIELD> (e.g. LOWSLOW_NATS_SERVERS,
 * LOWSLOW_KEY_SECRET); arrays are comma-separated.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TOKEN_PATTERN } from './access-event.v1.js';

const strict = { additionalProperties: false } as const;

export const LINE_FORMATS = ['nginx-json', 'nginx-combined', 'envoy-json', 'envoy-text', 'kong'] as const;
export type LineFormat = (typeof LINE_FORMATS)[number];
const LineFormatSchema = Type.Union(
  LINE_FORMATS.map((f) => Type.Literal(f)),
  { default: 'nginx-json', description: 'Line format: nginx-json (our log_format), nginx-combined, envoy-json, envoy-text (default format), kong (serialize() JSON).' },
);

/** Bearer tokens of the API: printable, no spaces, long enough not to be guessed. */
const API_TOKEN_PATTERN = '^[\\x21-\\x7e]{16,256}$';

export const WEBHOOK_FORMATS = ['generic', 'splunk', 'splunk_ocsf', 'slack', 'ocsf', 'ecs'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
export const WEBHOOK_NAME_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';

/** The fields of a webhook target shared by the config file and POST /v1/webhooks. */
const webhookTargetFields = {
  name: Type.String({ pattern: WEBHOOK_NAME_PATTERN, description: 'Unique name of the target (lower case, digits, - and _).' }),
  url: Type.String({ minLength: 8, maxLength: 2048, description: 'http(s) URL the alerts are POSTed to. Redirects are not followed.' }),
  format: Type.Union(
    WEBHOOK_FORMATS.map((f) => Type.Literal(f)),
    {
      default: 'generic',
      description:
        'generic: Alert v1 JSON signed with HMAC-SHA256 (X-Lowslow-Signature: t=<unix s>,v1=<hex of HMAC(secret, "<t>.<body>")>); splunk: HTTP Event Collector envelope (event: the Alert v1) with Authorization: Splunk <secret>; splunk_ocsf: the same envelope with the OCSF Detection Finding as event; slack: incoming-webhook text; ocsf: an OCSF 1.3.0 Detection Finding (class 2004); ecs: an Elastic Common Schema document (event.kind alert). ocsf and ecs bodies are signed like generic when a secret is set.',
    },
  ),
  secret: Type.Optional(
    Type.String({
      pattern: '^[\\x21-\\x7e]{16,512}$',
      description: 'generic: the HMAC key; splunk, splunk_ocsf: the HEC token; ocsf, ecs: the HMAC key, optional (unsigned without); slack: unused (the URL is the secret). Write-only: never shown by the API.',
    }),
  ),
  min_severity: Type.Union(
    (['low', 'medium', 'high', 'critical'] as const).map((s) => Type.Literal(s)),
    { default: 'low', description: 'Only alerts of this severity or higher are sent.' },
  ),
  gateways: Type.Array(Type.String({ pattern: TOKEN_PATTERN }), { default: [], maxItems: 64, description: 'Only alerts from these gateways are sent; empty: all.' }),
};

/** A webhook target as POST /v1/webhooks takes it. */
export const WebhookTargetSchema = Type.Object(webhookTargetFields, { additionalProperties: false });
export type WebhookTargetInput = Static<typeof WebhookTargetSchema>;

/** A webhook target in the config file: the secret may come from an environment variable instead. */
export const ConfigWebhookTargetSchema = Type.Object(
  {
    ...webhookTargetFields,
    secret_env: Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$', description: 'Name of an environment variable holding the secret (preferred over secret in a file).' })),
  },
  { additionalProperties: false },
);

/**
 * The CrowdSec bridge: alerts pushed to a CrowdSec Local API (LAPI) as alerts carrying a decision of
 * scope `apikey` on the key_id, for bouncers to act on. The detector logs in as a CrowdSec machine
 * (watcher), whose password comes from LOWSLOW_DETECTOR_CROWDSEC_PASSWORD.
 */
const CrowdsecSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: false, description: 'Push alerts to a CrowdSec Local API as decisions on the key (scope apikey, value key_id).' }),
    url: Type.String({ minLength: 8, maxLength: 2048, default: 'http://127.0.0.1:8080', description: 'Base URL of the CrowdSec Local API (LAPI), without /v1.' }),
    machine_id: Type.String({ pattern: '^[\\x21-\\x7e]{0,128}$', default: '', description: 'Machine (watcher) id the detector logs in as: `cscli machines add <machine_id> --password …` on the LAPI host.' }),
    password: Type.Optional(
      Type.String({ pattern: '^[\\x20-\\x7e]{1,512}$', description: "The machine's password. Set it through LOWSLOW_DETECTOR_CROWDSEC_PASSWORD, never in a file in a repository; never logged or shown." }),
    ),
    min_severity: Type.Union(
      (['low', 'medium', 'high', 'critical'] as const).map((s) => Type.Literal(s)),
      { default: 'high', description: 'Only alerts of this severity or higher become decisions (a decision can block a customer).' },
    ),
    decision_type: Type.String({ pattern: '^[a-z][a-z0-9_-]{0,31}$', default: 'ban', description: 'Decision type for bouncers: ban, captcha, or a type your bouncers know.' }),
    decision_duration: Type.String({ pattern: '^([0-9]{1,6}(h|m|s))+$', default: '4h', description: 'How long a decision lasts, as a Go duration (e.g. 30m, 4h, 168h).' }),
    simulated: Type.Boolean({ default: false, description: 'Mark alerts as simulated: CrowdSec records them, bouncers do not act (a dry run).' }),
    queue_max: Type.Integer({ minimum: 1, maximum: 100_000, default: 1000, description: 'Alerts waiting for the LAPI at most; beyond that new ones are dropped, counted and warned about.' }),
    batch_size: Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Alerts sent in one POST /v1/alerts.' }),
    timeout_seconds: Type.Number({ minimum: 0.1, maximum: 120, default: 10, description: 'Time the LAPI has to answer one request.' }),
    retry_initial_seconds: Type.Number({ minimum: 0.01, default: 1, description: 'First retry delay after a failed push; doubles per attempt with jitter.' }),
    retry_max_seconds: Type.Number({ minimum: 0.01, default: 60, description: 'Longest delay between two attempts. An alert still unsent when its decision would have expired is dropped.' }),
    poll_seconds: Type.Number({ minimum: 0.01, default: 1, description: 'How often queued alerts are looked for (a new alert wakes the bridge at once).' }),
  },
  { ...strict, default: {} },
);

/**
 * How analysts' verdicts move thresholds: each false positive raises its key's threshold (for that
 * kind of alert) by a step, each true positive lowers it; once a kind has enough labels, they move
 * that kind's threshold for every key too. Labels weigh less as they age (half-life, wall clock)
 * and the total movement is capped, so labels can never switch detection off.
 */
const CalibrationSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'Let true/false-positive verdicts move per-key and per-kind thresholds (false: verdicts only suppress and feed training).' }),
    key_step: Type.Number({ minimum: 0, maximum: 0.2, default: 0.05, description: "How much one false positive raises its key's threshold for that kind (a true positive lowers it as much), before decay and the caps." }),
    kind_step: Type.Number({ minimum: 0, maximum: 0.1, default: 0.01, description: "How much one label moves its kind's threshold for every key, once the kind has calibration.kind_min_labels labels." }),
    kind_min_labels: Type.Integer({ minimum: 1, default: 5, description: "Labels of a kind (not yet forgotten) needed before they move the kind's threshold at all." }),
    max_raise: Type.Number({ minimum: 0, maximum: 0.5, default: 0.2, description: 'Most the labels may raise a threshold above detection.threshold (key and kind together).' }),
    max_lower: Type.Number({ minimum: 0, maximum: 0.5, default: 0.1, description: 'Most the labels may lower a threshold below detection.threshold (key and kind together).' }),
    max_threshold: Type.Number({
      minimum: 0.5,
      maximum: 0.99,
      default: 0.9,
      description: 'Labels never raise a threshold above this (nor above detection.threshold + max_raise): a window scoring at least this much alerts whatever the labels say.',
    }),
    half_life_days: Type.Number({ minimum: 0.1, default: 30, description: "A label's weight halves every this many days (wall clock); labels older than four half-lives are forgotten." }),
  },
  { ...strict, default: {} },
);

/** The detection settings: windows, scoring, the population model and threshold calibration. */
const detectionFields = {
  window_minutes: Type.Integer({ minimum: 1, maximum: 1440, default: 60, description: 'Length of a key window in event time.' }),
  lateness_seconds: Type.Integer({ minimum: 0, default: 120, description: 'How late an event may arrive and still count in its window.' }),
  learning_hours: Type.Number({ minimum: 0, default: 24, description: 'Event time after the first event during which lowslow only learns and raises no alert.' }),
  min_history_windows: Type.Integer({ minimum: 1, default: 12, description: 'Active windows a key needs before it is compared with itself; before that it is compared with the population.' }),
  half_life_days: Type.Number({ minimum: 0.1, default: 14, description: 'Half-life of profile histograms (routes, hours of week, networks, agents) in event time.' }),
  threshold: Type.Number({ minimum: 0, maximum: 1, default: 0.6, description: 'Rules score above which a window is a candidate alert (before calibration by verdicts, see detection.calibration).' }),
  model_min_windows: Type.Integer({ minimum: 50, default: 500, description: "Closed windows a partition needs before its Isolation Forest is trained; until then the rules decide alone." }),
  retrain_hours: Type.Number({ minimum: 1, default: 24, description: 'Event time between retrainings of the Isolation Forest on recent windows.' }),
  model_quantile: Type.Number({ minimum: 0.5, maximum: 1, default: 0.99, description: "Quantile of the training windows' scores used as the Isolation Forest threshold: a candidate alert must score above it." }),
  model_trees: Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'Trees of each Isolation Forest.' }),
  model_sample_size: Type.Integer({ minimum: 2, maximum: 65536, default: 256, description: 'Subsample size ψ: training windows drawn for each tree (capped at the windows kept).' }),
  campaigns: Type.Boolean({
    default: true,
    description:
      "Long memory and campaigns: each key's 30-day coverage of its id spaces against the population's, consumers profiled as one key, and keys acting together (shared consumer, networks, agents, route mix) raised as one campaign alert.",
  }),
  coverage_factor: Type.Number({
    minimum: 1,
    default: 3,
    description:
      "A key (or a campaign's keys together) alerts when its 30-day share of a route's id space reaches this many times the 99th percentile of the other keys' shares (one more of them left out, so two keys alike cannot set each other's bar; at least 2 %).",
  }),
  coverage_min_ids: Type.Integer({
    minimum: 1,
    default: 500,
    description: 'Distinct objects of a route a key (or a campaign) must have read in 30 days before its coverage can alert.',
  }),
  calibration: CalibrationSchema,
};

const DetectionSchema = Type.Object(detectionFields, { ...strict, default: {} });

export const ConfigSchema = Type.Object(
  {
    key_secret: Type.Optional(
      Type.String({
        minLength: 16,
        description:
          'HMAC secret that turns raw API keys into key_id. Set it through LOWSLOW_KEY_SECRET, never in a file in a repository. Required by agent; replay draws a random one when absent.',
      }),
    ),
    source: Type.Object(
      {
        gateway: Type.String({ pattern: TOKEN_PATTERN, default: 'nginx', description: 'Gateway name, used in subjects and alerts.' }),
        host: Type.String({ pattern: '^[A-Za-z0-9_-]{0,64}$', default: '', description: "Host name token; empty means this machine's hostname, sanitized." }),
      },
      { ...strict, default: {} },
    ),
    inputs: Type.Object(
      {
        max_line_bytes: Type.Integer({ minimum: 256, default: 65536, description: 'Longer lines (or records) are counted and skipped, on every input.' }),
        file: Type.Object(
          {
            paths: Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'Access log files to follow.' }),
            format: LineFormatSchema,
            from_beginning: Type.Boolean({ default: false, description: 'Read a file from its beginning the first time it is seen, instead of from its end.' }),
          },
          { ...strict, default: {} },
        ),
        syslog: Type.Object(
          {
            enabled: Type.Boolean({ default: false, description: 'Receive NGINX access logs as UDP syslog datagrams.' }),
            host: Type.String({ default: '127.0.0.1', description: 'Address to bind (keep it on loopback).' }),
            port: Type.Integer({ minimum: 0, maximum: 65535, default: 5140, description: 'UDP port (0: any free port).' }),
            format: LineFormatSchema,
          },
          { ...strict, default: {} },
        ),
        http: Type.Object(
          {
            enabled: Type.Boolean({ default: false, description: "Receive Kong http-log payloads (POST /kong) and JSON lines (POST /lines) from Fluent Bit or Vector." }),
            host: Type.String({ default: '127.0.0.1', description: 'Address to bind (keep it on loopback).' }),
            port: Type.Integer({ minimum: 0, maximum: 65535, default: 8081, description: 'TCP port (0: any free port).' }),
            format: LineFormatSchema,
            max_body_bytes: Type.Integer({ minimum: 1024, default: 10_485_760, description: 'Largest request body accepted.' }),
            token: Type.Optional(Type.String({ minLength: 16, description: 'When set, requests must carry `Authorization: Bearer <token>`.' })),
            request_timeout_seconds: Type.Number({
              minimum: 0.5,
              maximum: 3600,
              default: 30,
              description: 'Time a client has to send a whole request, headers and body (the headers within at most 10 s); a slower one is answered 408 and disconnected.',
            }),
          },
          { ...strict, default: {} },
        ),
        envoy_als: Type.Object(
          {
            enabled: Type.Boolean({ default: false, description: 'Serve the Envoy gRPC Access Log Service (envoy.service.accesslog.v3).' }),
            host: Type.String({ default: '127.0.0.1', description: 'Address to bind.' }),
            port: Type.Integer({ minimum: 0, maximum: 65535, default: 9001, description: 'gRPC port (0: any free port).' }),
          },
          { ...strict, default: {} },
        ),
        stdin: Type.Object(
          {
            enabled: Type.Boolean({ default: false, description: 'Read lines from standard input (pipes, tests).' }),
            format: LineFormatSchema,
          },
          { ...strict, default: {} },
        ),
      },
      { ...strict, default: {} },
    ),
    agent: Type.Object(
      {
        state_dir: Type.String({ default: '', description: 'Where the agent keeps file checkpoints and its disk spool; empty: ~/.lowslow/agent.' }),
        spool_max_bytes: Type.Integer({ minimum: 1_048_576, default: 1_073_741_824, description: 'Disk spool cap while NATS is unreachable; when full, inputs pause (files) or drop and count (UDP, HTTP answers 503).' }),
        max_buffered_events: Type.Integer({ minimum: 1000, default: 20_000, description: 'Events read but not yet acknowledged or spooled before inputs are paused.' }),
        metrics_host: Type.String({ default: '127.0.0.1', description: 'Address of the Prometheus /metrics endpoint.' }),
        metrics_port: Type.Integer({ minimum: -1, maximum: 65535, default: 9464, description: 'Port of /metrics (0: any free port, -1: off).' }),
      },
      { ...strict, default: {} },
    ),
    sanitize: Type.Object(
      {
        key_headers: Type.Array(Type.String({ pattern: '^[a-z0-9-]{1,64}$' }), {
          default: ['x-api-key', 'apikey', 'api-key'],
          description: 'Lower-case request headers that may carry the API key (for inputs that see headers: Envoy ALS, Kong, combined logs with a key field).',
        }),
        bearer: Type.Boolean({ default: true, description: 'Use the token of `Authorization: Bearer <token>` as the key when no key header is present.' }),
        key_params: Type.Array(Type.String(), {
          default: ['api_key', 'apikey', 'key', 'access_token', 'token'],
          description: 'Query parameters that may carry an API key: used for key_id when no header key is present, never published.',
        }),
        raw_params: Type.Array(Type.String(), {
          default: [],
          description: 'Query parameters whose short raw string values may be published (operator allow-list).',
        }),
        truncate_ip: Type.Boolean({ default: false, description: 'Publish client addresses truncated to /24 (IPv4) or /48 (IPv6).' }),
        consumer_from_jwt: Type.Boolean({
          default: false,
          description:
            "When the key is a JWT, publish its (unverified) `sub` claim as the consumer (context.consumer_id, a keyed hash), so several keys of one subject are seen together. Turn on only where the gateway rejects bad tokens before they are logged: the agent does not check signatures.",
        }),
      },
      { ...strict, default: {} },
    ),
    nats: Type.Object(
      {
        servers: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, default: ['nats://127.0.0.1:4222'], description: 'NATS server URLs.' }),
        user: Type.Optional(Type.String({ description: 'NATS user.' })),
        pass: Type.Optional(Type.String({ description: 'NATS password.' })),
        token: Type.Optional(Type.String({ description: 'NATS token.' })),
        events_stream: Type.String({ pattern: TOKEN_PATTERN, default: 'LOWSLOW_EVENTS', description: 'JetStream stream for events.' }),
        alerts_stream: Type.String({ pattern: TOKEN_PATTERN, default: 'LOWSLOW_ALERTS', description: 'JetStream stream for alerts.' }),
        partitions: Type.Integer({ minimum: 1, maximum: 1024, default: 8, description: 'Number of event partitions (same on agents and detectors).' }),
        events_max_age_hours: Type.Integer({ minimum: 1, default: 168, description: 'Event stream retention.' }),
        batch_size: Type.Integer({ minimum: 1, maximum: 5000, default: 1000, description: 'Events per JetStream message at most (see batch_max_bytes).' }),
        batch_max_bytes: Type.Integer({
          minimum: 16 * 1024,
          maximum: 8 * 1024 * 1024,
          default: 512 * 1024,
          description: "A batch is cut once it holds this many bytes (one event may go past it by up to 64 KiB); keep it below the NATS server's max_payload (1 MiB by default).",
        }),
        flush_ms: Type.Integer({ minimum: 1, default: 100, description: 'Longest time an event waits for its batch (a file read to its end after a backlog, or the end of stdin, sends the open batches at once).' }),
        max_pending: Type.Integer({ minimum: 1, default: 32, description: 'Unacknowledged publishes in flight.' }),
        retry_seconds: Type.Number({ minimum: 0.1, default: 2, description: 'First delay between connection attempts (doubles up to 30 s).' }),
      },
      { ...strict, default: {} },
    ),
    redis: Type.Object(
      {
        url: Type.String({ minLength: 1, default: 'redis://127.0.0.1:6379', description: 'Redis URL.' }),
        prefix: Type.String({ pattern: '^[A-Za-z0-9_:-]{1,32}$', default: 'lowslow', description: 'Prefix of every Redis key.' }),
      },
      { ...strict, default: {} },
    ),
    detector: Type.Object(
      {
        partitions: Type.Array(Type.Integer({ minimum: 0 }), { default: [], description: 'Partitions this detector owns; empty means all.' }),
        durable: Type.String({ pattern: TOKEN_PATTERN, default: 'lowslow-detector', description: 'Durable consumer name prefix.' }),
        idle_close_seconds: Type.Number({ minimum: 1, default: 30, description: 'Live mode: when no event arrives for this long, event time is advanced by the wall clock so quiet keys still close windows.' }),
        crowdsec: CrowdsecSchema,
      },
      { ...strict, default: {} },
    ),
    detection: DetectionSchema,
    api: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1', description: 'Address the HTTP API listens on. Without tokens the API is open: keep it on loopback.' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'Port of the HTTP API (0: any free port).' }),
        read_tokens: Type.Array(Type.String({ pattern: API_TOKEN_PATTERN }), {
          default: [],
          description:
            'Bearer tokens allowed to read (GET routes). Set them through LOWSLOW_API_READ_TOKENS (comma-separated). When no token is configured at all, the API is open and logs a warning at start.',
        }),
        admin_tokens: Type.Array(Type.String({ pattern: API_TOKEN_PATTERN }), {
          default: [],
          description: 'Bearer tokens allowed to read and to change things (ack, feedback, webhooks). Set them through LOWSLOW_API_ADMIN_TOKENS.',
        }),
        metrics_auth: Type.Boolean({ default: true, description: 'GET /metrics needs a read token (when tokens are configured); false: open to any scraper.' }),
        rate_limit_per_minute: Type.Integer({ minimum: 0, default: 600, description: 'Requests per minute per token (or client address without one); 0: no limit. /healthz and /readyz are not limited.' }),
        body_limit_bytes: Type.Integer({ minimum: 1024, maximum: 1_048_576, default: 65_536, description: 'Largest request body accepted; larger ones are answered 413.' }),
        request_timeout_seconds: Type.Number({
          minimum: 0.5,
          maximum: 3600,
          default: 30,
          description: 'Time a client has to send a whole request, headers and body (the headers within at most 10 s); a slower one is answered 408 and disconnected.',
        }),
        false_positive_suppress_hours: Type.Number({
          minimum: 0,
          default: 168,
          description: 'After a false-positive verdict, the key raises no new alert of that kind for this long (0: no suppression).',
        }),
      },
      { ...strict, default: {} },
    ),
    webhooks: Type.Object(
      {
        targets: Type.Array(ConfigWebhookTargetSchema, { default: [], description: 'Webhook targets; more can be added through POST /v1/webhooks.' }),
        allow_private: Type.Boolean({
          default: false,
          description: 'Allow target URLs on loopback, link-local and private addresses (checked when configured and again on the resolved address at delivery). Off by default (SSRF).',
        }),
        timeout_seconds: Type.Number({ minimum: 0.1, maximum: 120, default: 10, description: 'Time a receiver has to answer one delivery.' }),
        retry_initial_seconds: Type.Number({ minimum: 0.01, default: 1, description: 'First retry delay; doubles per attempt with jitter.' }),
        retry_max_seconds: Type.Number({ minimum: 0.01, default: 300, description: 'Longest delay between two attempts.' }),
        dead_letter_after_seconds: Type.Number({ minimum: 1, default: 86_400, description: 'A delivery still failing this long after it was queued is dead-lettered (kept for the API, not retried).' }),
        concurrency: Type.Integer({ minimum: 1, maximum: 64, default: 4, description: 'Deliveries in flight per target.' }),
        poll_seconds: Type.Number({ minimum: 0.01, default: 0.5, description: 'How often the dispatcher looks for due deliveries (new alerts wake it at once).' }),
      },
      { ...strict, default: {} },
    ),
    log: Type.Object(
      {
        level: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), {
          default: 'info',
          description: 'Log level.',
        }),
      },
      { ...strict, default: {} },
    ),
  },
  { $id: 'https://lowslow.dev/contracts/config.v1.json', title: 'lowslow config v1', additionalProperties: false },
);
export type Config = Static<typeof ConfigSchema>;

/** A copy of a schema without its `default` keywords (TypeBox's symbol keys kept). */
function withoutDefaults<T extends object>(schema: T): T {
  if (Array.isArray(schema)) return schema.map((x: unknown) => (x !== null && typeof x === 'object' ? withoutDefaults(x) : x)) as T;
  const out: Record<string | symbol, unknown> = {};
  for (const k of Reflect.ownKeys(schema)) {
    if (k === 'default') continue;
    const v = (schema as Record<string | symbol, unknown>)[k];
    out[k] = v !== null && typeof v === 'object' ? withoutDefaults(v) : v;
  }
  return out as T;
}

const { calibration: _calibration, ...tunableDetection } = detectionFields;

/**
 * A candidate for `lowslow backtest --model FILE`: detection settings to try beside the running
 * config, a model file, or both. Every field is optional and has no default of its own: what the
 * candidate leaves out is the running config's. Calibration is not part of it: a backtest scores
 * both sides without labels.
 */
export const BacktestCandidateSchema = Type.Object(
  {
    detection: Type.Optional(withoutDefaults(Type.Partial(Type.Object(tunableDetection, strict)))),
    model: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4096,
        description:
          'Model file, relative to the candidate file: an Isolation Forest in its binary format (LSIF, detector/model/serialize.ts; thresholds then come from each partition\'s windows at detection.model_quantile) or a model snapshot (JSON with forest and threshold, as the detector stores it in Redis). The same model serves every partition for the whole backtest and is never retrained.',
      }),
    ),
  },
  { $id: 'https://lowslow.dev/contracts/backtest-candidate.v1.json', title: 'lowslow backtest candidate v1', additionalProperties: false },
);
export type BacktestCandidate = Static<typeof BacktestCandidateSchema>;
