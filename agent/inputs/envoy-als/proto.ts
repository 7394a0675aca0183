/**
 * Loads our subset of Envoy's ALS protos (als.proto, accesslog.proto, core.proto beside this file)
 * with @grpc/proto-loader. The .proto files live in the source tree; compiled code in
 * dist/agent/inputs/envoy-als/ finds them at the repository root's agent/inputs/envoy-als/ (the
 * build does not copy them, so a published package must ship that folder).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { AgentError } from '../../errors.js';

const CANDIDATES = [new URL('./', import.meta.url), new URL('../../../../agent/inputs/envoy-als/', import.meta.url)];

export const ALS_SERVICE = 'envoy.service.accesslog.v3.AccessLogService';

/** How decoded messages look: field names as in the .proto, 64-bit numbers as numbers, enums as names. */
export const LOADER_OPTIONS = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true } as const;

export function protoDir(): string {
  for (const url of CANDIDATES) {
    const dir = fileURLToPath(url);
    if (existsSync(`${dir}als.proto`)) return dir;
  }
  throw new AgentError('LOWSLOW_AGENT_INPUT', `envoy-als: als.proto not found in ${CANDIDATES.map((u) => fileURLToPath(u)).join(' or ')}`);
}

export function loadAlsService(): ServiceDefinition {
  const dir = protoDir();
  const definition = loadSync('als.proto', { ...LOADER_OPTIONS, includeDirs: [dir] });
  return definition[ALS_SERVICE] as ServiceDefinition;
}
