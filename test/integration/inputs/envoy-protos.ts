/**
 * Envoy's official protos as @grpc/grpc-js-xds ships them (deps/envoy-api plus the xds, udpa,
 * googleapis and protoc-gen-validate trees they import): the ground truth our subset is held to.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';

const require = createRequire(import.meta.url);
const DEPS = join(dirname(require.resolve('@grpc/grpc-js-xds')), '../../deps');

export const OFFICIAL_INCLUDE_DIRS = ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => join(DEPS, d));

export const OFFICIAL_ALS_PROTO = 'envoy/service/accesslog/v3/als.proto';

export function loadOfficialAls(): PackageDefinition {
  return loadSync(OFFICIAL_ALS_PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: OFFICIAL_INCLUDE_DIRS });
}
