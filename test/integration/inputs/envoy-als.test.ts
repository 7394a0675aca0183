/**
 * The Envoy ALS input on a real loopback port, fed by a grpc-js client that plays Envoy with
 * Envoy's OFFICIAL protos (from @grpc/grpc-js-xds): what this client encodes is what Envoy's
 * http_grpc access logger puts on the wire, official fields we do not declare included.
 */
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { createEnvoyAlsInput, type EnvoyAlsInput } from '../../../agent/inputs/envoy-als/index.js';
import { loadOfficialAls } from './envoy-protos.js';
import { eventually, fakeContext, testConfig, type FakeContext } from './fake-context.js';

const KEY_CANARY = 'sk_canary_k3y_als';
const OTHER_CANARY = 'sk_canary_0ther_als';

type Stream = grpc.ClientWritableStream<unknown> & { done: Promise<{ err: grpc.ServiceError | null; res: unknown }> };
interface AlsClient extends grpc.Client {
  StreamAccessLogs(cb: (err: grpc.ServiceError | null, res: unknown) => void): grpc.ClientWritableStream<unknown>;
}

const Service = (
  grpc.loadPackageDefinition(loadOfficialAls()) as unknown as {
    envoy: { service: { accesslog: { v3: { AccessLogService: new (address: string, creds: grpc.ChannelCredentials) => AlsClient } } } };
  }
).envoy.service.accesslog.v3.AccessLogService;

const running: Array<{ ctx: FakeContext; done: Promise<void> }> = [];
const clients: AlsClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const r of running.splice(0)) {
    r.ctx.abort();
    await r.done;
  }
});

async function start(opts: { fullAfter?: number; port?: number } = {}) {
  const config = testConfig((c) => {
    c.inputs.envoy_als.port = opts.port ?? 0;
    c.sanitize.key_headers = ['x-api-key'];
  });
  const input = createEnvoyAlsInput(config);
  const ctx = fakeContext({ fullAfter: opts.fullAfter });
  const done = input.run(ctx);
  running.push({ ctx, done });
  await eventually(() => input.address() !== null, 5_000, 'ALS input listening');
  return { input, ctx, done };
}

function envoy(input: EnvoyAlsInput): AlsClient {
  const client = new Service((input.address() as string).replace('grpc://', ''), grpc.credentials.createInsecure());
  clients.push(client);
  return client;
}

function open(client: AlsClient): Stream {
  let settle: (v: { err: grpc.ServiceError | null; res: unknown }) => void = () => undefined;
  const done = new Promise<{ err: grpc.ServiceError | null; res: unknown }>((r) => (settle = r));
  const call = client.StreamAccessLogs((err, res) => settle({ err, res }));
  return Object.assign(call, { done });
}

const identifier = (node: string) => ({ node: { id: node, cluster: 'edge', user_agent_name: 'envoy', user_agent_version: '1.31.0' }, log_name: 'lowslow' });

/** An HTTP entry as Envoy fills it, with many official fields our protos leave out. */
function httpEntry(i: number, type = 'DownstreamEnd') {
  return {
    common_properties: {
      sample_rate: 1,
      downstream_remote_address: { socket_address: { protocol: 'TCP', address: '203.0.113.9', port_value: 40_000 + i } },
      downstream_local_address: { socket_address: { address: '10.0.0.5', port_value: 443 } },
      tls_properties: { tls_version: 'TLSv1_3', tls_sni_hostname: 'api.example.com', tls_cipher_suite: { value: 4865 } },
      start_time: { seconds: String(1_793_600_000 + i), nanos: 250_000_000 },
      time_to_last_rx_byte: { seconds: '0', nanos: 1_000_000 },
      time_to_first_upstream_tx_byte: { seconds: '0', nanos: 2_000_000 },
      time_to_last_downstream_tx_byte: { seconds: '0', nanos: 42_000_000 },
      upstream_remote_address: { socket_address: { address: '10.0.1.7', port_value: 8080 } },
      upstream_cluster: 'customers-api',
      response_flags: { upstream_request_timeout: false },
      route_name: 'customers',
      custom_tags: { env: 'prod' },
      duration: { seconds: '0', nanos: 43_000_000 },
      upstream_request_attempt_count: 1,
      stream_id: `stream-${i}`,
      downstream_wire_bytes_sent: '700',
      access_log_type: type,
    },
    protocol_version: 'HTTP11',
    request: {
      request_method: 'GET',
      scheme: 'https',
      authority: 'api.example.com',
      port: { value: 443 },
      path: `/v1/customers/${i}?page=2`,
      user_agent: 'partner-sync/1.4',
      referer: `https://app.example.com/?t=${OTHER_CANARY}`,
      forwarded_for: '198.51.100.7',
      request_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      request_headers_bytes: '300',
      request_body_bytes: '21',
      request_headers: { 'x-api-key': KEY_CANARY, cookie: `session=${OTHER_CANARY}`, 'x-other': OTHER_CANARY },
      upstream_header_bytes_sent: '320',
    },
    response: {
      response_code: { value: 200 },
      response_headers_bytes: '120',
      response_body_bytes: '512',
      response_headers: { 'set-cookie': OTHER_CANARY },
      response_code_details: 'via_upstream',
    },
  };
}

const expectedRecord = (i: number) => ({
  requestId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  requestIdFromClient: true,
  ts: (1_793_600_000 + i) * 1000 + 250,
  ip: '203.0.113.9',
  method: 'GET',
  path: `/v1/customers/${i}`,
  query: 'page=2',
  status: 200,
  requestBytes: 321,
  responseBytes: 512,
  latencyMs: 42,
  userAgent: 'partner-sync/1.4',
  apiKey: KEY_CANARY,
  keyId: null,
  gateway: { service: 'customers-api', routeName: 'customers', consumer: '' },
});

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const httpLogs = (ids: number[]) => ({ http_logs: { log_entry: ids.map((i) => httpEntry(i)) } });

describe('Envoy ALS input (real gRPC, Envoy’s official protos on the client)', () => {
  it('maps every entry of several messages in order; identifier only in the first; empty response at the end', async () => {
    const { input, ctx } = await start();
    const call = open(envoy(input));
    call.write({ identifier: identifier('envoy-1'), ...httpLogs(range(0, 3)) });
    for (let m = 1; m < 5; m++) call.write(httpLogs(range(m * 3, m * 3 + 3)));
    call.end();
    const { err, res } = await call.done;
    expect(err).toBeNull();
    expect(res).toEqual({});
    expect(ctx.records.map((r) => r.r)).toEqual(range(0, 15).map(expectedRecord));
    expect(ctx.records.every((r) => r.source === 'envoy-als')).toBe(true);
    expect(input.metrics).toMatchObject({ streamsOpened: 1, messages: 5, httpEntries: 15 });
    await eventually(() => input.metrics.streamsClosed === 1);
  });

  it('keeps the key as the only header in the record and never logs a header', async () => {
    const { input, ctx } = await start();
    const call = open(envoy(input));
    call.write({ identifier: identifier('envoy-1'), ...httpLogs(range(0, 4)) });
    call.end();
    await call.done;
    ctx.abort();
    await running.pop()?.done;
    const recorded = JSON.stringify(ctx.records);
    expect(ctx.records.map((r) => (r.r as { apiKey: string }).apiKey)).toEqual(Array(4).fill(KEY_CANARY));
    expect(recorded.split(KEY_CANARY).length - 1).toBe(4);
    expect(recorded).not.toContain(OTHER_CANARY);
    expect(ctx.logged()).toContain('envoy ALS input stopped');
    expect(ctx.logged()).not.toContain(KEY_CANARY);
    expect(ctx.logged()).not.toContain(OTHER_CANARY);
  });

  it('survives a client that disconnects mid-stream and reconnects: nothing lost, nothing twice', async () => {
    const { input, ctx } = await start();
    const first = open(envoy(input));
    first.write({ identifier: identifier('envoy-1'), ...httpLogs(range(0, 2)) });
    first.write(httpLogs(range(2, 4)));
    await ctx.until(4);
    first.cancel();
    const gone = await first.done;
    expect(gone.err?.code).toBe(grpc.status.CANCELLED);
    await eventually(() => input.metrics.streamsClosed === 1);
    // Envoy reconnects on a new connection and a new stream, identifier first again.
    const second = open(envoy(input));
    second.write({ identifier: identifier('envoy-1'), ...httpLogs(range(4, 6)) });
    second.write(httpLogs(range(6, 7)));
    second.end();
    expect((await second.done).err).toBeNull();
    expect(ctx.records.map((r) => r.r)).toEqual(range(0, 7).map(expectedRecord));
    await eventually(() => input.metrics.streamsClosed === 2);
    expect(input.metrics.snapshot()).toMatchObject({ lowslow_envoy_als_input_streams_opened_total: 2, lowslow_envoy_als_input_streams_open: 0 });
  });

  it('counts and skips TCP entries and periodic or start-of-request HTTP entries', async () => {
    const { input, ctx } = await start();
    const tcpEntry = { common_properties: { start_time: { seconds: '1793600000', nanos: 0 } }, connection_properties: { received_bytes: '10', sent_bytes: '20' } };
    const tcp = open(envoy(input));
    tcp.write({ identifier: identifier('envoy-tcp'), tcp_logs: { log_entry: [tcpEntry, tcpEntry, tcpEntry] } });
    tcp.write({ tcp_logs: { log_entry: [tcpEntry, tcpEntry] } });
    tcp.end();
    expect((await tcp.done).err).toBeNull();
    const http = open(envoy(input));
    http.write({ identifier: identifier('envoy-1'), http_logs: { log_entry: [httpEntry(1, 'DownstreamStart'), httpEntry(1, 'DownstreamPeriodic'), httpEntry(1)] } });
    http.end();
    await http.done;
    expect(ctx.records.map((r) => r.r)).toEqual([expectedRecord(1)]);
    expect(input.metrics).toMatchObject({ tcpSkipped: 5, intermediateSkipped: 2, httpEntries: 1 });
  });

  it('pauses the stream while the pipeline is full and delivers the rest in order after drained()', async () => {
    const { input, ctx } = await start({ fullAfter: 5 });
    const call = open(envoy(input));
    call.write({ identifier: identifier('envoy-1'), ...httpLogs(range(0, 2)) });
    for (let m = 1; m < 10; m++) call.write(httpLogs(range(m * 2, m * 2 + 2)));
    call.end();
    await eventually(() => ctx.waiting() > 0, 5_000, 'input waiting for drained()');
    await new Promise((r) => setTimeout(r, 150));
    expect(ctx.records.length).toBe(5);
    expect(input.metrics.pauses).toBeGreaterThan(0);
    ctx.release();
    expect((await call.done).err).toBeNull();
    expect(ctx.records.map((r) => r.r)).toEqual(range(0, 20).map(expectedRecord));
  });

  it('pauses every stream, not only the one that filled the pipeline', async () => {
    const { input, ctx } = await start({ fullAfter: 3 });
    const a = open(envoy(input));
    a.write({ identifier: identifier('envoy-a'), ...httpLogs(range(0, 3)) });
    await ctx.until(3);
    const b = open(envoy(input));
    b.write({ identifier: identifier('envoy-b'), ...httpLogs(range(3, 5)) });
    await eventually(() => input.metrics.messages === 2, 5_000, 'second stream’s message read');
    await new Promise((r) => setTimeout(r, 50));
    expect(ctx.records.length).toBe(3);
    ctx.release();
    a.end();
    b.end();
    await Promise.all([a.done, b.done]);
    expect(ctx.records.map((r) => r.r)).toEqual(range(0, 5).map(expectedRecord));
  });

  it('resolves on abort with streams still open, and frees its port', async () => {
    const first = await start();
    const call = open(envoy(first.input));
    call.write({ identifier: identifier('envoy-1'), ...httpLogs([1]) });
    await first.ctx.until(1);
    const port = Number((first.input.address() as string).split(':').pop());
    first.ctx.abort();
    await first.done;
    expect(first.input.address()).toBeNull();
    expect((await call.done).err).not.toBeNull();
    const again = await start({ port });
    expect(again.input.address()).toBe(`grpc://127.0.0.1:${port}`);
  });

  it('rejects with an AgentError naming the option when the port is taken', async () => {
    const { input } = await start();
    const port = Number((input.address() as string).split(':').pop());
    const clash = createEnvoyAlsInput(testConfig((c) => void (c.inputs.envoy_als.port = port)));
    const err = await clash.run(fakeContext()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'LOWSLOW_AGENT_INPUT' });
    expect((err as Error).message).toContain('inputs.envoy_als.port');
  });
});
