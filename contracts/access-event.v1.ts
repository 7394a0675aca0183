/**
 * AccessEvent v1: one API request as the agent publishes it, sanitized.
 * Never holds a raw key, Authorization, Cookie, a body or a raw query value.
 */
import { Type, type Static } from '@sinclair/typebox';
import { GATEWAY_NAME_PATTERN, TOKEN_PATTERN } from './patterns.js';

export { GATEWAY_NAME_PATTERN, TOKEN_PATTERN };

export const ParamShapeSchema = Type.Object(
  {
    name: Type.String({ maxLength: 64, description: 'Query parameter name (names are kept, values are not).' }),
    type: Type.Union(
      ['empty', 'int', 'num', 'bool', 'uuid', 'hex', 'email', 'date', 'str', 'list'].map((t) => Type.Literal(t)),
      { description: 'Shape class of the value.' },
    ),
    len: Type.Integer({ minimum: 0, maximum: 32, description: 'Length class: bit length of the value length (0 for empty).' }),
    chars: Type.String({
      pattern: '^a?A?d?s?x?$',
      description: 'Character classes present: a lower, A upper, d digit, s symbol or space, x non-ASCII.',
    }),
    value: Type.Optional(
      Type.Union([Type.Number(), Type.String({ maxLength: 64 })], {
        description: 'Numbers keep their value; strings only for parameters on the operator allow-list.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ParamShape = Static<typeof ParamShapeSchema>;

export const GatewayContextSchema = Type.Object(
  {
    consumer_id: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{32}$',
        description:
          'hex(HMAC-SHA256(secret, "consumer:" + the consumer identity the gateway knows: Kong consumer id, a JWT subject)), first 32 hex characters. Several keys may belong to one consumer.',
      }),
    ),
    service: Type.Optional(Type.String({ pattern: GATEWAY_NAME_PATTERN, description: 'The gateway service that took the request (Kong service name or id, Envoy upstream cluster).' })),
    route_name: Type.Optional(Type.String({ pattern: GATEWAY_NAME_PATTERN, description: "The gateway's own route (Kong route name or id, Envoy route name); not the templated path." })),
  },
  { additionalProperties: false, description: 'What the gateway knows about the request beyond the request itself; absent when it knows nothing.' },
);
export type GatewayContext = Static<typeof GatewayContextSchema>;

export const AccessEventSchema = Type.Object(
  {
    v: Type.Literal(1),
    id: Type.String({ minLength: 1, maxLength: 128, description: 'Unique per request; the detector never counts an id twice.' }),
    ts: Type.Integer({ minimum: 0, description: 'Request start, ms since epoch (event time).' }),
    source: Type.Object(
      {
        gateway: Type.String({ pattern: TOKEN_PATTERN }),
        host: Type.String({ pattern: TOKEN_PATTERN }),
      },
      { additionalProperties: false },
    ),
    key_id: Type.Union([Type.String({ pattern: '^[0-9a-f]{32}$' }), Type.Null()], {
      description: 'hex(HMAC-SHA256(secret, raw API key)), first 32 hex characters; null when the request carried no key.',
    }),
    client: Type.Object(
      {
        ip: Type.String({ maxLength: 64 }),
        ua: Type.String({ maxLength: 256 }),
      },
      { additionalProperties: false },
    ),
    request: Type.Object(
      {
        method: Type.String({ minLength: 1, maxLength: 16 }),
        route: Type.String({ minLength: 1, maxLength: 512, description: 'Templated path, e.g. /v1/customers/{int}.' }),
        objects: Type.Array(Type.Union([Type.Number(), Type.String({ maxLength: 16 })]), {
          maxItems: 16,
          description: 'Object ids taken from the path: numbers as numbers, others as short keyed hashes.',
        }),
        params: Type.Array(ParamShapeSchema, { maxItems: 32 }),
        bytes: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    response: Type.Object(
      {
        status: Type.Integer({ minimum: 0, maximum: 999 }),
        bytes: Type.Integer({ minimum: 0 }),
        latency_ms: Type.Number({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    context: Type.Optional(GatewayContextSchema),
  },
  { $id: 'https://lowslow.dev/contracts/access-event.v1.json', title: 'AccessEvent v1', additionalProperties: false },
);
export type AccessEvent = Static<typeof AccessEventSchema>;
