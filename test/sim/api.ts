/**
 * The simulated B2B REST API: one builder per route, each returning the request as the
 * gateway sees it (path, raw query string, templated route) plus what the response depends
 * on (records in a list, whether the object exists).
 */
export const CUSTOMER_COUNT = 200_000;
export const ORDER_COUNT = 5_000_000;
export const PRODUCT_COUNT = 12_000;
/** Business accounts (only with SimOptions.accounts): the id space a coverage scraper walks. */
export const ACCOUNT_COUNT = 20_000;
/** Orders per page when the caller does not set `limit`. */
const ORDERS_PAGE = 20;

export type RouteKind = 'list' | 'detail' | 'create' | 'report' | 'health';

export interface ApiCall {
  method: 'GET' | 'POST';
  /** Path only, as `$uri`. */
  uri: string;
  /** Raw query string, as `$args`; "" when none. */
  args: string;
  /** Templated path, e.g. `/v1/customers/{int}`. */
  route: string;
  kind: RouteKind;
  /** Records in a list response. */
  items: number;
  /** The object does not exist (deleted ids): answered with 404. */
  missing: boolean;
  /** The object belongs to another tenant: answered with 403. */
  forbidden: boolean;
  /** A parameter value the API cannot take (an injection attempt): mostly 400. */
  invalid: boolean;
  /** Request body bytes. */
  bodyBytes: number;
}

function call(method: ApiCall['method'], uri: string, args: string, route: string, kind: RouteKind, extra?: Partial<ApiCall>): ApiCall {
  return { method, uri, args, route, kind, items: 0, missing: false, forbidden: false, invalid: false, bodyBytes: 0, ...extra };
}

function pageItems(total: number, page: number, limit: number): number {
  return Math.max(0, Math.min(limit, total - (page - 1) * limit));
}

/** A fixed integer hash: the same id is deleted (or has as many orders) in every run. */
function mix(id: number, salt: number): number {
  let h = Math.imul(id ^ salt, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** About 3 % of customer and order ids were deleted. */
export function isDeleted(kind: 'customer' | 'order', id: number): boolean {
  return mix(id, kind === 'customer' ? 0x51ed : 0x0bd3) % 100 < 3;
}

export const api = {
  customers: (page: number, limit: number): ApiCall =>
    call('GET', '/v1/customers', `page=${page}&limit=${limit}`, '/v1/customers', 'list', {
      items: pageItems(CUSTOMER_COUNT, page, limit),
    }),
  customer: (id: number): ApiCall =>
    call('GET', `/v1/customers/${id}`, '', '/v1/customers/{int}', 'detail', {
      missing: id < 1 || id > CUSTOMER_COUNT || isDeleted('customer', id),
    }),
  ordersOfCustomer: (customerId: number, page: number): ApiCall =>
    call('GET', '/v1/orders', `customer_id=${customerId}&page=${page}`, '/v1/orders', 'list', {
      items: pageItems(1 + (mix(customerId, 0x0c0c) % 60), page, ORDERS_PAGE),
    }),
  order: (id: number): ApiCall =>
    call('GET', `/v1/orders/${id}`, '', '/v1/orders/{int}', 'detail', {
      missing: id < 1 || id > ORDER_COUNT || isDeleted('order', id),
    }),
  account: (id: number): ApiCall =>
    call('GET', `/v1/accounts/${id}`, '', '/v1/accounts/{int}', 'detail', { missing: id < 1 || id > ACCOUNT_COUNT }),
  createOrder: (bodyBytes: number): ApiCall => call('POST', '/v1/orders', '', '/v1/orders', 'create', { bodyBytes }),
  invoice: (uuid: string): ApiCall => call('GET', `/v1/invoices/${uuid}`, '', '/v1/invoices/{uuid}', 'detail'),
  products: (page: number, limit: number): ApiCall =>
    call('GET', '/v1/products', `page=${page}&limit=${limit}`, '/v1/products', 'list', {
      items: pageItems(PRODUCT_COUNT, page, limit),
    }),
  product: (sku: string): ApiCall => call('GET', `/v1/products/${sku}`, '', '/v1/products/{sku}', 'detail'),
  dailyReport: (date: string): ApiCall => call('GET', '/v1/reports/daily', `date=${date}`, '/v1/reports/daily', 'report'),
  healthz: (): ApiCall => call('GET', '/healthz', '', '/healthz', 'health'),
  /** Customers whose name matches `q` (back-office search). */
  searchCustomers: (q: string, limit: number): ApiCall =>
    call('GET', '/v1/customers', `q=${encodeParam(q)}&limit=${limit}`, '/v1/customers', 'list', {
      items: mix(hashText(q), 0x5eac) % (limit + 1),
    }),
  /** Orders changed since `since` (an ISO instant); `changed` is how many there are. */
  changedOrders: (since: string, changed: number): ApiCall =>
    call('GET', '/v1/orders', `updated_since=${encodeParam(since)}&page=1&limit=100`, '/v1/orders', 'list', {
      items: Math.min(100, changed),
    }),
};

/**
 * A query value as HTTP clients send it: percent-encoded, quotes included (python-requests
 * and browsers encode `'` as %27), so `$args` never holds spaces or quotes.
 */
export function encodeParam(value: string): string {
  return encodeURIComponent(value).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The call with parameter `name` set to the raw `value` (added when absent), marked invalid. */
export function withParam(base: ApiCall, name: string, value: string): ApiCall {
  const pairs = base.args === '' ? [] : base.args.split('&');
  const encoded = `${name}=${encodeParam(value)}`;
  const i = pairs.findIndex((p) => p.startsWith(`${name}=`));
  if (i >= 0) pairs[i] = encoded;
  else pairs.push(encoded);
  return { ...base, args: pairs.join('&'), invalid: true, items: 0 };
}

function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
