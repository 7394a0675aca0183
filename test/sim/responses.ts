import type { ApiCall } from './api.js';
import type { Rng } from './prng.js';

/** What the upstream answered, as the gateway logs it. */
export interface Response {
  status: number;
  bytesSent: number;
  latencyMs: number;
}

/** Body bytes per record in list responses, by route. */
const ITEM_BYTES: Record<string, number> = { '/v1/customers': 610, '/v1/orders': 820, '/v1/products': 430 };
/** Median body bytes of one object, by route. */
const DETAIL_BYTES: Record<string, number> = {
  '/v1/customers/{int}': 1400,
  '/v1/orders/{int}': 2300,
  '/v2/customers/{int}': 1500,
  '/v2/orders/{int}': 2450,
  '/v1/invoices/{uuid}': 3100,
  '/v1/products/{sku}': 900,
  '/v1/accounts/{int}': 1100,
};
const FIVE_XX: ReadonlyArray<readonly [number, number]> = [
  [500, 4],
  [502, 3],
  [503, 2],
  [504, 1],
];
/** Share of requests the upstream fails, independent of the caller. */
const SERVER_ERROR_RATE = 0.002;

/**
 * Status, body bytes and latency for one call. `clientErrorRate` is the caller's own share
 * of malformed or refused requests (honest 4xx noise); calls without a key get 401.
 */
export function respond(call: ApiCall, rng: Rng, clientErrorRate: number, authenticated: boolean): Response {
  if (call.kind === 'health') return { status: 200, bytesSent: 15, latencyMs: rng.int(0, 2) };
  if (!authenticated) return clientError(401, rng);
  if (rng.chance(SERVER_ERROR_RATE)) {
    const status = rng.weighted(FIVE_XX);
    // nginx gives up on a silent upstream after proxy_read_timeout (60 s).
    const latencyMs = status === 504 ? 60_000 + rng.int(0, 40) : Math.round(rng.logNormal(40, 1));
    return { status, bytesSent: rng.pick([157, 159, 167, 183]), latencyMs };
  }
  if (call.missing) return clientError(404, rng);
  if (call.forbidden) return clientError(403, rng);
  if (call.invalid) return invalidInput(call, rng);
  if (rng.chance(clientErrorRate)) return clientError(clientErrorStatus(call, rng), rng);

  const slow = rng.chance(0.005) ? rng.uniform(4, 20) : 1;
  switch (call.kind) {
    case 'list': {
      const per = ITEM_BYTES[call.route] ?? 500;
      const bytesSent = 64 + Math.round(call.items * per * rng.uniform(0.85, 1.15));
      return { status: 200, bytesSent, latencyMs: Math.round(rng.logNormal(18 + call.items * 0.12, 0.35) * slow) };
    }
    case 'create':
      return { status: 201, bytesSent: Math.round(rng.logNormal(1900, 0.2)), latencyMs: Math.round(rng.logNormal(65, 0.4) * slow) };
    case 'report':
      return { status: 200, bytesSent: Math.round(rng.logNormal(42_000, 0.35)), latencyMs: Math.round(rng.logNormal(380, 0.5) * slow) };
    default: {
      const median = DETAIL_BYTES[call.route] ?? 1000;
      return { status: 200, bytesSent: Math.round(rng.logNormal(median, 0.3)), latencyMs: Math.round(rng.logNormal(12, 0.45) * slow) };
    }
  }
}

function clientErrorStatus(call: ApiCall, rng: Rng): number {
  switch (call.kind) {
    case 'list':
      return rng.weighted([[400, 6], [401, 1], [403, 1]] as const);
    case 'create':
      return rng.weighted([[422, 6], [400, 2], [409, 1]] as const);
    case 'report':
      return rng.weighted([[400, 3], [404, 1]] as const);
    default:
      return rng.weighted([[404, 8], [403, 1], [401, 1]] as const);
  }
}

/**
 * A parameter value with quotes, SQL or markup: mostly refused by validation (400); a free-text
 * parameter may let it through as an empty result (200), and now and then it breaks a query (500).
 */
function invalidInput(call: ApiCall, rng: Rng): Response {
  const freeText = /(^|&)q=/.test(call.args);
  const status = rng.weighted([[400, freeText ? 2 : 17], [200, freeText ? 8 : 2], [500, 1]] as const);
  if (status === 200) return { status, bytesSent: rng.int(60, 90), latencyMs: Math.round(rng.logNormal(25, 0.5)) };
  if (status === 500) return { status, bytesSent: rng.pick([157, 183]), latencyMs: Math.round(rng.logNormal(60, 0.8)) };
  return clientError(status, rng);
}

function clientError(status: number, rng: Rng): Response {
  return { status, bytesSent: rng.int(48, 140), latencyMs: Math.round(rng.logNormal(4, 0.5)) };
}
