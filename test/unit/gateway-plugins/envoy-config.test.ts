/**
 * The Envoy snippets (gateway-plugins/envoy/*.yaml) against Envoy's official protos: each file is
 * a complete envoy.config.bootstrap.v3.Bootstrap, every field of it exists where it is written,
 * every `Any` payload (HttpConnectionManager, the gRPC and file access loggers, the router, the
 * HTTP/2 protocol options) is a valid message of its `@type`, and nothing deprecated is used.
 * Envoy itself cannot run here, so these checks, plus the ones below on what the snippets say,
 * are how they are held to the truth.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig, type Config } from '../../../contracts/index.js';
import { parseEnvoyJson } from '../../../agent/parsers/envoy-json.js';
import { isRejection } from '../../../agent/parsers/raw-record.js';
import { checkMessage, loadEnvoyProtos } from '../../support/envoy-schema.js';
import type protobuf from 'protobufjs';

const read = (name: string) => readFileSync(new URL(`../../../gateway-plugins/envoy/${name}`, import.meta.url), 'utf8');
const BOOTSTRAP = 'envoy.config.bootstrap.v3.Bootstrap';
const FILES = ['als.yaml', 'file-log.yaml'];

type Obj = Record<string, unknown>;
const obj = (v: unknown) => v as Obj;
const arr = (v: unknown) => v as Obj[];

/** The HttpConnectionManager of the first listener's first filter. */
function hcm(bootstrap: Obj): Obj {
  const listener = arr(obj(bootstrap.static_resources).listeners)[0] as Obj;
  const filter = arr((arr(listener.filter_chains)[0] as Obj).filters)[0] as Obj;
  return obj(filter.typed_config);
}

let root: protobuf.Root;

beforeAll(() => {
  root = loadEnvoyProtos([
    'envoy/config/bootstrap/v3/bootstrap.proto',
    'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
    'envoy/extensions/filters/http/router/v3/router.proto',
    'envoy/extensions/access_loggers/grpc/v3/als.proto',
    'envoy/extensions/access_loggers/file/v3/file.proto',
    'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
  ]);
});

describe('Envoy snippets against the official protos', () => {
  it.each(FILES)('%s is a valid Bootstrap, Any payloads included, with nothing deprecated', (file) => {
    expect(checkMessage(root, BOOTSTRAP, parse(read(file)))).toEqual([]);
  });

  it('the check is not blind: it names each kind of mistake', () => {
    const mutate = (edit: (b: Obj) => void) => {
      const b = parse(read('als.yaml')) as Obj;
      edit(b);
      return checkMessage(root, BOOTSTRAP, b).join('\n');
    };
    const logger = (b: Obj) => obj((arr(hcm(b).access_log)[0] as Obj).typed_config);
    const agentCluster = (b: Obj) => arr(obj(b.static_resources).clusters)[1] as Obj;
    expect(mutate((b) => void (logger(b).additional_request_header_to_log = ['x-api-key']))).toMatch(/no field "additional_request_header_to_log"/);
    expect(mutate((b) => void (obj(logger(b).common_config).transport_api_version = 'V4'))).toMatch(/"V4" is not a value of envoy.config.core.v3.ApiVersion/);
    expect(mutate((b) => void delete obj(logger(b).common_config).grpc_service)).toMatch(/grpc_service: required/);
    expect(mutate((b) => void (obj(logger(b).common_config).log_name = ''))).toMatch(/log_name: at least 1 characters/);
    expect(mutate((b) => void (obj(logger(b).common_config).buffer_flush_interval = 1))).toMatch(/Duration is a string/);
    expect(mutate((b) => void (obj(logger(b).common_config).buffer_size_bytes = 'lots'))).toMatch(/buffer_size_bytes: uint32 must be an integer/);
    expect(mutate((b) => void (logger(b)['@type'] = 'type.googleapis.com/envoy.extensions.access_loggers.grpc.v3.NoSuchConfig'))).toMatch(/not a loaded message type/);
    expect(mutate((b) => void (agentCluster(b).http2_protocol_options = {}))).toMatch(/http2_protocol_options: deprecated/);
    expect(
      mutate((b) => void (obj(obj(logger(b).common_config).grpc_service).google_grpc = { target_uri: '127.0.0.1:9001', stat_prefix: 'x' })),
    ).toMatch(/only one of envoy_grpc, google_grpc/);
    expect(mutate((b) => void delete (arr((arr(obj(hcm(b).route_config).virtual_hosts)[0] as Obj).routes)[0] as Obj).match)).toMatch(/match: required/);
    expect(
      mutate((b) => {
        const route = (arr((arr(obj(hcm(b).route_config).virtual_hosts)[0] as Obj).routes)[0] as Obj);
        route.match = {};
      }),
    ).toMatch(/one of prefix, path, safe_regex.* is required/);
  });
});

describe('Envoy ALS snippet (als.yaml)', () => {
  const bootstrap = parse(read('als.yaml')) as Obj;
  const logger = arr(hcm(bootstrap).access_log)[0] as Obj;
  const config = obj(logger.typed_config);
  const common = obj(config.common_config);

  it('streams to a cluster that exists, speaks HTTP/2 and is the agent on loopback at its default port', () => {
    const defaults = {} as Config;
    validateConfig(defaults);
    expect(logger.name).toBe('envoy.access_loggers.http_grpc');
    expect(common.transport_api_version).toBe('V3');
    const clusterName = obj(obj(common.grpc_service).envoy_grpc).cluster_name;
    const cluster = arr(obj(bootstrap.static_resources).clusters).find((c) => c.name === clusterName) as Obj;
    expect(cluster).toBeDefined();
    const http2 = obj(obj(obj(cluster.typed_extension_protocol_options)['envoy.extensions.upstreams.http.v3.HttpProtocolOptions']).explicit_http_config);
    expect(http2.http2_protocol_options).toEqual({});
    const endpoint = obj(obj(obj(arr((arr(obj(cluster.load_assignment).endpoints)[0] as Obj).lb_endpoints)[0]).endpoint).address);
    expect(obj(endpoint.socket_address)).toEqual({ address: '127.0.0.1', port_value: defaults.inputs.envoy_als.port });
  });

  it('sends the agent’s default key headers and Authorization, and buffers before sending', () => {
    const defaults = {} as Config;
    validateConfig(defaults);
    expect(config.additional_request_headers_to_log).toEqual([...defaults.sanitize.key_headers, 'authorization']);
    expect(common.buffer_flush_interval).toBe('1s');
    expect(common.buffer_size_bytes).toBe(16384);
  });
});

describe('Envoy JSON file snippet (file-log.yaml)', () => {
  const logger = arr(hcm(parse(read('file-log.yaml')) as Obj).access_log)[0] as Obj;
  const jsonFormat = obj(obj(obj(logger.typed_config).log_format).json_format) as Record<string, string>;

  it('uses exactly the keys and commands agent/parsers/envoy-json.ts documents', () => {
    const source = readFileSync(new URL('../../../agent/parsers/envoy-json.ts', import.meta.url), 'utf8');
    const header = source.slice(source.indexOf('json_format:'), source.indexOf('Only start_time'));
    const documented = Object.fromEntries([...header.matchAll(/^ \*\s+([a-z_]+): "(%[^"]+%)"$/gm)].map((m) => [m[1], m[2]]));
    expect(Object.keys(documented).length).toBeGreaterThan(10);
    expect(jsonFormat).toEqual(documented);
  });

  it('writes lines the agent parses: time, method, path, query, status, client, key, route and cluster', () => {
    const sample: Record<string, string> = {
      '%START_TIME%': '2026-11-25T11:06:00.123Z',
      '%REQ(:METHOD)%': 'GET',
      '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%': '/v1/customers/42?page=2&q=abc',
      '%PROTOCOL%': 'HTTP/1.1',
      '%RESPONSE_CODE%': '200',
      '%RESPONSE_FLAGS%': '-',
      '%BYTES_RECEIVED%': '0',
      '%BYTES_SENT%': '123',
      '%DURATION%': '7',
      '%REQ(X-FORWARDED-FOR)%': '203.0.113.9',
      '%REQ(USER-AGENT)%': 'curl/8.5.0',
      '%REQ(X-REQUEST-ID)%': '3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f',
      '%REQ(:AUTHORITY)%': 'api.example.com',
      '%UPSTREAM_HOST%': '127.0.0.1:8000',
      '%DOWNSTREAM_REMOTE_ADDRESS%': '10.0.0.1:51234',
      '%ROUTE_NAME%': 'httproute/default/api/rule/0/match/0/api',
      '%UPSTREAM_CLUSTER%': 'httproute/default/api/rule/0',
      '%REQ(X-API-KEY)%': 'sk_test_envoy_file',
    };
    const line = JSON.stringify(Object.fromEntries(Object.entries(jsonFormat).map(([k, cmd]) => [k, sample[cmd] ?? 'unmapped'])));
    expect(line).not.toContain('unmapped');
    const r = parseEnvoyJson(line, { maxLineBytes: 65_536, keyHeaders: ['x-api-key'], bearer: true });
    if (isRejection(r)) throw new Error(`rejected: ${r}`);
    expect(r).toMatchObject({
      ts: Date.parse('2026-11-25T11:06:00.123Z'),
      method: 'GET',
      path: '/v1/customers/42',
      query: 'page=2&q=abc',
      status: 200,
      ip: '203.0.113.9',
      latencyMs: 7,
      apiKey: 'sk_test_envoy_file',
      requestId: '3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f',
      gateway: { service: 'httproute/default/api/rule/0', routeName: 'httproute/default/api/rule/0/match/0/api', consumer: '' },
    });
  });
});
