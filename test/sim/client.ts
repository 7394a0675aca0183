import type { ApiCall } from './api.js';
import type { KeyDrift } from './drift.js';
import type { SimRequest } from './event.js';
import type { Origin } from './origin.js';
import type { Rng } from './prng.js';
import { respond } from './responses.js';

/** Sends calls for one API key: adds the caller's side (address, agent, request bytes) to the response. */
export class Client {
  /**
   * @param apiKey raw key sent in X-Api-Key, "" for none
   * @param clientErrorRate share of this caller's requests that are malformed or refused (4xx)
   * @param drift the key's part in population-wide drift (/v2 routes, library upgrade); null: none
   */
  constructor(
    readonly apiKey: string,
    readonly clientErrorRate: number,
    private readonly rng: Rng,
    private readonly drift: KeyDrift | null = null,
  ) {}

  send(planned: ApiCall, startMs: number, origin: Origin, abusive = false): SimRequest {
    const rng = this.rng;
    const start = Math.round(startMs);
    const call = this.drift ? this.drift.call(planned, start) : planned;
    const res = respond(call, rng, this.clientErrorRate, this.apiKey !== '');
    const userAgent = this.drift ? this.drift.agent(origin.userAgent(rng), start) : origin.userAgent(rng);
    const requestLine = call.method.length + call.uri.length + (call.args ? call.args.length + 1 : 0) + 11;
    const keyHeader = this.apiKey ? this.apiKey.length + 13 : 0;
    const body = call.bodyBytes > 0 ? call.bodyBytes + 52 : 0;
    const requestLength = requestLine + 26 + userAgent.length + 14 + keyHeader + origin.headerBytes + rng.int(0, 8) + body;
    return {
      startMs: start,
      latencyMs: res.latencyMs,
      endMs: start + res.latencyMs,
      method: call.method,
      uri: call.uri,
      args: call.args,
      status: res.status,
      requestLength,
      bytesSent: res.bytesSent,
      remoteAddr: origin.address(rng),
      userAgent,
      apiKey: this.apiKey,
      abusive,
    };
  }
}
