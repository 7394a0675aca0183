/**
 * What every parser produces: one request as the gateway logged it, before sanitizing.
 * Holds secrets (raw key, query values); it never leaves the agent process.
 */
export interface RawRecord {
  /** Request id from the gateway, or null: the sanitizer then derives one from the line. */
  requestId: string | null;
  /**
   * The request id may be the client's own: Envoy keeps an `x-request-id` it is sent unless it
   * treats the request as external. A client repeating one id would have every repeat dropped
   * as a duplicate, so the sanitizer makes such an id unique per line (the id, then a hash).
   */
  requestIdFromClient?: boolean;
  /** Request start, ms since epoch. */
  ts: number;
  ip: string;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Raw query string without the leading `?`. */
  query: string;
  status: number;
  requestBytes: number;
  responseBytes: number;
  latencyMs: number;
  userAgent: string;
  /** Raw API key from the configured header, or null. */
  apiKey: string | null;
  /** key_id already computed at the gateway (njs, Lua), or null. */
  keyId: string | null;
  /**
   * What the gateway knows beyond the request (Kong's serialize(): service, route, consumer;
   * Envoy: upstream cluster and route name); absent for formats that carry none. `consumer` is the
   * raw consumer identity: the sanitizer turns it into context.consumer_id and it goes no further.
   */
  gateway?: { service: string; routeName: string; consumer: string };
}

/** A parser answers a record or a rejection reason (a counted outcome, never an exception). */
export type ParseResult = RawRecord | RejectReason;

export const REJECT_REASONS = ['too_long', 'not_json', 'bad_field', 'bad_time', 'empty'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const isRejection = (r: ParseResult): r is RejectReason => typeof r === 'string';

/** What every parser is told. */
export interface ParseOptions {
  /** Longer lines are rejected as too_long. */
  maxLineBytes: number;
  /** Lower-case request header names that may carry the raw API key, in order of preference. */
  keyHeaders: string[];
  /** Take the key from `Authorization: Bearer <token>` when no key header is present. */
  bearer: boolean;
}
