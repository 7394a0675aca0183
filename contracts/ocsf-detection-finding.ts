/**
 * OCSF 1.3.0 Detection Finding (class_uid 2004, category Findings): the subset lowslow emits, as a
 * JSON Schema derived by hand from the official schema, attribute by attribute.
 *
 * Source: the OCSF server's compiled export of schema 1.3.0 (`GET schema.ocsf.io/export/schema`,
 * kept as `resources/flanders/ocsf-1.3.0-export.json` in github.com/frenchy64/ocsf-schema-export,
 * commit 7d626be; `"version": "1.3.0"`): `classes.detection_finding` and `objects.{metadata,
 * product, finding_info, analytic, observable, evidences, resource_details}`, types from `types`
 * (integer_t, long_t, timestamp_t = ms since epoch, string_t up to 65,535 characters, json_t any,
 * url_t a string). Cross-read with github.com/ocsf/ocsf-schema `events/findings/detection_finding.json`.
 * No npm package ships the OCSF schema (`npm view` of ocsf-schema, @ocsf/schema and ocsf finds
 * nothing), hence the derivation.
 *
 * How it was derived: every attribute of the class and of each object that is not tied to a profile
 * (lowslow declares none) is listed with its OCSF type, so an attribute OCSF does not define is
 * refused (`additionalProperties: false`); `requirement: required` becomes `required`; every enum
 * is the exact set of ids OCSF lists, each with its caption as `title` (the sibling string, e.g.
 * `severity`, must equal it); object `constraints.at_least_one` becomes `anyOf` of `required`.
 * Object-valued attributes lowslow never emits (enrichments, remediation, vulnerabilities,
 * metadata.loggers, evidences.actor, …) are left out, which makes this schema stricter than OCSF:
 * it accepts only findings built from the parts listed here.
 */
import { Type, type Static, type TLiteral, type TUnion } from '@sinclair/typebox';

export const OCSF_VERSION = '1.3.0';

const strict = { additionalProperties: false } as const;

/** integer_t: a signed 32-bit integer. */
const int = (description: string, range: { minimum?: number; maximum?: number } = {}) =>
  Type.Integer({ minimum: -2_147_483_648, maximum: 2_147_483_647, ...range, description });
/** long_t: a signed 64-bit integer (JSON numbers carry 53 bits exactly). */
const long = (description: string) => Type.Integer({ description });
/** timestamp_t: milliseconds since the epoch (a long_t). */
const timestamp = (description: string) => Type.Integer({ minimum: 0, description });
/** string_t, url_t: UTF-8 text up to OCSF's max_len. */
const str = (description: string) => Type.String({ maxLength: 65_535, description });
const strings = (description: string) => Type.Array(Type.String({ maxLength: 65_535 }), { description });
/** json_t: any JSON value. */
const json = (description: string) => Type.Unknown({ description });

/** An OCSF enum: exactly its ids, each with its caption as title. */
function ocsfEnum<const T extends Record<number, string>>(captions: T, description: string): TUnion<Array<TLiteral<number>>> {
  return Type.Union(
    Object.entries(captions).map(([id, caption]) => Type.Literal(Number(id), { title: caption })),
    { description },
  );
}

export const ACTIVITY = { 0: 'Unknown', 1: 'Create', 2: 'Update', 3: 'Close', 99: 'Other' } as const;
export const SEVERITY_ID = { 0: 'Unknown', 1: 'Informational', 2: 'Low', 3: 'Medium', 4: 'High', 5: 'Critical', 6: 'Fatal', 99: 'Other' } as const;
export const STATUS_ID = { 0: 'Unknown', 1: 'New', 2: 'In Progress', 3: 'Suppressed', 4: 'Resolved', 99: 'Other' } as const;
export const RISK_LEVEL_ID = { 0: 'Info', 1: 'Low', 2: 'Medium', 3: 'High', 4: 'Critical', 99: 'Other' } as const;
export const TYPE_UID = {
  200400: 'Detection Finding: Unknown',
  200401: 'Detection Finding: Create',
  200402: 'Detection Finding: Update',
  200403: 'Detection Finding: Close',
  200499: 'Detection Finding: Other',
} as const;
export const OBSERVABLE_TYPE_ID = {
  0: 'Unknown', 1: 'Hostname', 2: 'IP Address', 3: 'MAC Address', 4: 'User Name', 5: 'Email Address', 6: 'URL String',
  7: 'File Name', 8: 'Hash', 9: 'Process Name', 10: 'Resource UID', 11: 'Port', 12: 'Subnet', 13: 'Command Line',
  14: 'Country', 15: 'Process ID', 16: 'HTTP User-Agent', 17: 'CWE Object: uid', 18: 'CVE Object: uid',
  19: 'User Credential ID', 20: 'Endpoint', 21: 'User', 22: 'Email', 23: 'Uniform Resource Locator', 24: 'File',
  25: 'Process', 26: 'Geo Location', 27: 'Container', 28: 'Registry Key', 29: 'Registry Value', 30: 'Fingerprint', 99: 'Other',
} as const;
export const ANALYTIC_TYPE_ID = {
  0: 'Unknown', 1: 'Rule', 2: 'Behavioral', 3: 'Statistical', 4: 'Learning (ML/DL)', 5: 'Fingerprinting', 6: 'Tagging',
  7: 'Keyword Match', 8: 'Regular Expressions', 9: 'Exact Data Match', 10: 'Partial Data Match', 11: 'Indexed Data Match', 99: 'Other',
} as const;

const atLeastOne = (...names: string[]) => ({ anyOf: names.map((n) => ({ required: [n] })) });

export const OcsfProductSchema = Type.Object(
  {
    cpe_name: Type.Optional(str('The product CPE identifier.')),
    lang: Type.Optional(str('The two letter lower case language code (ISO 639-1).')),
    name: Type.Optional(str('The name of the product.')),
    path: Type.Optional(str('The installation path of the product.')),
    uid: Type.Optional(str('The unique identifier of the product.')),
    url_string: Type.Optional(str('The URL pointing towards the product.')),
    vendor_name: str('The name of the vendor of the product.'),
    version: Type.Optional(str('The version of the product, as defined by the event source.')),
  },
  { ...strict, ...atLeastOne('name', 'uid'), title: 'Product' },
);

export const OcsfMetadataSchema = Type.Object(
  {
    correlation_uid: Type.Optional(str('The unique identifier used to correlate events.')),
    event_code: Type.Optional(str('The Event ID or Code that the product uses to describe the event.')),
    labels: Type.Optional(strings('The list of category labels attached to the event or specific attributes.')),
    log_level: Type.Optional(str('The audit level at which an event was generated.')),
    log_name: Type.Optional(str('The event log name.')),
    log_provider: Type.Optional(str('The logging provider or logging service that logged the event.')),
    log_version: Type.Optional(str('The event log schema version of the original event.')),
    logged_time: Type.Optional(timestamp('The time when the logging system collected and logged the event.')),
    modified_time: Type.Optional(timestamp('The time when the event was last modified or enriched.')),
    original_time: Type.Optional(str('The original event time as reported by the event source.')),
    processed_time: Type.Optional(timestamp('The event processed time, such as an ETL operation.')),
    product: OcsfProductSchema,
    profiles: Type.Optional(strings('The list of profiles used to create the event.')),
    sequence: Type.Optional(int('Sequence number of the event.')),
    tenant_uid: Type.Optional(str('The unique tenant identifier.')),
    uid: Type.Optional(str('The logging system-assigned unique identifier of an event instance.')),
    version: str('The version of the OCSF schema (SemVer).'),
  },
  { ...strict, title: 'Metadata' },
);

export const OcsfAnalyticSchema = Type.Object(
  {
    category: Type.Optional(str('The analytic category.')),
    desc: Type.Optional(str('The description of the analytic that generated the finding.')),
    name: Type.Optional(str('The name of the analytic that generated the finding.')),
    type: Type.Optional(str('The analytic type (caption of type_id).')),
    type_id: ocsfEnum(ANALYTIC_TYPE_ID, 'The analytic type ID.'),
    uid: Type.Optional(str('The unique identifier of the analytic that generated the finding.')),
    version: Type.Optional(str('The analytic version.')),
  },
  { ...strict, ...atLeastOne('name', 'uid'), title: 'Analytic' },
);

export const OcsfFindingInfoSchema = Type.Object(
  {
    analytic: Type.Optional(OcsfAnalyticSchema),
    created_time: Type.Optional(timestamp('The time when the finding was created.')),
    data_sources: Type.Optional(strings('A list of data sources utilized in generation of the finding.')),
    desc: Type.Optional(str('The description of the reported finding.')),
    first_seen_time: Type.Optional(timestamp('The time when the finding was first observed.')),
    last_seen_time: Type.Optional(timestamp('The time when the finding was most recently observed.')),
    modified_time: Type.Optional(timestamp('The time when the finding was last modified.')),
    product_uid: Type.Optional(str('The unique identifier of the product that reported the finding.')),
    related_analytics: Type.Optional(Type.Array(OcsfAnalyticSchema, { description: 'Other analytics related to this finding.' })),
    src_url: Type.Optional(str('The URL pointing to the source of the finding.')),
    title: str('A title or a brief phrase summarizing the reported finding.'),
    types: Type.Optional(strings('One or more types of the reported finding.')),
    uid: str('The unique identifier of the reported finding.'),
  },
  { ...strict, title: 'Finding Information' },
);

export const OcsfObservableSchema = Type.Object(
  {
    name: str('The full name of the observable attribute, a reference to an attribute within the event data.'),
    type: Type.Optional(str('The observable value type name (caption of type_id).')),
    type_id: ocsfEnum(OBSERVABLE_TYPE_ID, 'The observable value type identifier.'),
    value: Type.Optional(str('The value associated with the observable attribute.')),
  },
  { ...strict, title: 'Observable' },
);

export const OcsfEvidencesSchema = Type.Object(
  {
    data: Type.Optional(json('Additional evidence data that is not accounted for in the specific evidence attributes.')),
  },
  { ...strict, ...atLeastOne('data'), title: 'Evidence Artifacts' },
);

export const OcsfResourceDetailsSchema = Type.Object(
  {
    criticality: Type.Optional(str('The criticality of the resource as defined by the event source.')),
    data: Type.Optional(json('Additional data describing the resource.')),
    labels: Type.Optional(strings('The list of labels/tags associated to a resource.')),
    name: Type.Optional(str('The name of the resource.')),
    namespace: Type.Optional(str('The namespace is useful when similar entities exist that you need to keep separate.')),
    type: Type.Optional(str('The resource type as defined by the event source.')),
    uid: Type.Optional(str('The unique identifier of the resource.')),
    version: Type.Optional(str('The version of the resource.')),
  },
  { ...strict, ...atLeastOne('name', 'uid'), title: 'Resource Details' },
);

export const OcsfDetectionFindingSchema = Type.Object(
  {
    activity_id: ocsfEnum(ACTIVITY, 'The normalized identifier of the finding activity.'),
    activity_name: Type.Optional(str('The finding activity name, as defined by the activity_id.')),
    category_name: Type.Optional(str('The event category name, as defined by category_uid value: Findings.')),
    category_uid: ocsfEnum({ 2: 'Findings' }, 'The category unique identifier of the event.'),
    class_name: Type.Optional(str('The event class name, as defined by class_uid value: Detection Finding.')),
    class_uid: ocsfEnum({ 2004: 'Detection Finding' }, 'The unique identifier of a class.'),
    comment: Type.Optional(str('A user provided comment about the finding.')),
    confidence: Type.Optional(str('The confidence, normalized to the caption of the confidence_id value.')),
    confidence_id: Type.Optional(ocsfEnum({ 0: 'Unknown', 1: 'Low', 2: 'Medium', 3: 'High', 99: 'Other' }, 'The normalized confidence of the rule that created the finding.')),
    confidence_score: Type.Optional(int('The confidence score as reported by the event source.')),
    count: Type.Optional(int('The number of times that events in the same logical group occurred during the event Start Time to End Time period.')),
    duration: Type.Optional(long('The event duration or aggregate time from start_time to end_time in milliseconds.')),
    end_time: Type.Optional(timestamp('The time of the most recent event included in the finding.')),
    evidences: Type.Optional(Type.Array(OcsfEvidencesSchema, { description: 'Evidence artifacts associated to the activity that triggered the detection.' })),
    finding_info: OcsfFindingInfoSchema,
    impact: Type.Optional(str('The impact, normalized to the caption of the impact_id value.')),
    impact_id: Type.Optional(ocsfEnum({ 0: 'Unknown', 1: 'Low', 2: 'Medium', 3: 'High', 4: 'Critical', 99: 'Other' }, 'The normalized impact of the finding.')),
    impact_score: Type.Optional(int('The impact of the finding, valid range 0-100.', { minimum: 0, maximum: 100 })),
    message: Type.Optional(str('The description of the event/finding, as defined by the source.')),
    metadata: OcsfMetadataSchema,
    observables: Type.Optional(Type.Array(OcsfObservableSchema, { description: 'The observables associated with the event or a finding.' })),
    raw_data: Type.Optional(str('The raw event/finding data as received from the source.')),
    resources: Type.Optional(Type.Array(OcsfResourceDetailsSchema, { description: 'Affected resources: what the activity that triggered the finding targeted.' })),
    risk_details: Type.Optional(str('Describes the risk associated with the finding.')),
    risk_level: Type.Optional(str('The risk level, normalized to the caption of the risk_level_id value.')),
    risk_level_id: Type.Optional(ocsfEnum(RISK_LEVEL_ID, 'The normalized risk level id.')),
    risk_score: Type.Optional(int('The risk score as reported by the event source.')),
    severity: Type.Optional(str('The event/finding severity, normalized to the caption of the severity_id value.')),
    severity_id: ocsfEnum(SEVERITY_ID, 'The normalized identifier of the event/finding severity.'),
    start_time: Type.Optional(timestamp('The time of the least recent event included in the finding.')),
    status: Type.Optional(str('The normalized status of the Finding, the caption of the status_id value.')),
    status_code: Type.Optional(str('The event status code, as reported by the event source.')),
    status_detail: Type.Optional(str('Additional information about the event/finding outcome.')),
    status_id: Type.Optional(ocsfEnum(STATUS_ID, 'The normalized status identifier of the Finding, set by the consumer.')),
    time: timestamp('The normalized event occurrence time or the finding creation time.'),
    timezone_offset: Type.Optional(int('Minutes the event time is ahead of or behind UTC.', { minimum: -1080, maximum: 1080 })),
    type_name: Type.Optional(str('The event/finding type name, as defined by the type_uid.')),
    type_uid: ocsfEnum(TYPE_UID, 'The event/finding type ID: class_uid * 100 + activity_id.'),
    unmapped: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'The attributes that are not mapped to the event schema (OCSF object: any attributes).' })),
  },
  {
    ...strict,
    $id: 'https://lowslow.dev/contracts/ocsf-1.3.0-detection-finding.json',
    title: 'OCSF 1.3.0 Detection Finding (the subset lowslow emits)',
    description:
      "Derived from the OCSF server's export of schema 1.3.0 (classes.detection_finding and the objects it uses); see contracts/ocsf-detection-finding.ts for the source and the derivation rules.",
  },
);
export type OcsfDetectionFinding = Static<typeof OcsfDetectionFindingSchema>;
