/**
 * Checks Envoy YAML against Envoy's official protos (as @grpc/grpc-js-xds ships them) the way
 * Envoy reads it: proto3 JSON mapping with snake_case names. protobufjs's own fromObject/verify
 * skip unknown keys, so this walks the object itself: every key must be a field of its message,
 * `Any` payloads are checked against the type their `@type` names, enums must name a value,
 * well-known types (Duration, Struct, wrappers) must have their JSON form, at most one member of
 * a oneof may be set, deprecated fields are refused, and the protoc-gen-validate rules
 * `message.required`, `string.min_len`, `repeated.min_items` and required oneofs are enforced.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
const DEPS = join(dirname(require.resolve('@grpc/grpc-js-xds')), '../../deps');
// protobufjs's own folder holds google/protobuf/descriptor.proto, which the Envoy protos import.
const INCLUDE_DIRS = [...['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => join(DEPS, d)), dirname(require.resolve('protobufjs/package.json'))];

export function loadEnvoyProtos(files: string[]): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    for (const d of INCLUDE_DIRS) {
      const p = join(d, target);
      if (existsSync(p)) return p;
    }
    return target;
  };
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  return root;
}

const TYPE_URL = 'type.googleapis.com/';
const DURATION = /^-?[0-9]+(\.[0-9]{1,9})?s$/;
const INTEGER = /^-?[0-9]+$/;
const WRAPPERS: Record<string, string> = {
  'google.protobuf.DoubleValue': 'double',
  'google.protobuf.FloatValue': 'float',
  'google.protobuf.Int64Value': 'int64',
  'google.protobuf.UInt64Value': 'uint64',
  'google.protobuf.Int32Value': 'int32',
  'google.protobuf.UInt32Value': 'uint32',
  'google.protobuf.BoolValue': 'bool',
  'google.protobuf.StringValue': 'string',
  'google.protobuf.BytesValue': 'bytes',
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const fullName = (t: protobuf.ReflectionObject) => t.fullName.replace(/^\./, '');

/** Every problem found, as `path: message`; empty when the value is a valid `typeName`. */
export function checkMessage(root: protobuf.Root, typeName: string, value: unknown): string[] {
  const errors: string[] = [];
  checkType(root, root.lookupType(typeName), value, typeName, errors);
  return errors;
}

function checkType(root: protobuf.Root, type: protobuf.Type, value: unknown, path: string, errors: string[]): void {
  const name = fullName(type);
  if (name === 'google.protobuf.Any') return checkAny(root, value, path, errors);
  if (name === 'google.protobuf.Duration') {
    if (typeof value !== 'string' || !DURATION.test(value)) errors.push(`${path}: a Duration is a string like "1s", got ${JSON.stringify(value)}`);
    return;
  }
  if (name === 'google.protobuf.Timestamp') {
    if (typeof value !== 'string') errors.push(`${path}: a Timestamp is an RFC 3339 string`);
    return;
  }
  if (name === 'google.protobuf.Struct') {
    if (!isObject(value)) errors.push(`${path}: a Struct is an object`);
    return;
  }
  if (name === 'google.protobuf.Value') return;
  if (name === 'google.protobuf.ListValue') {
    if (!Array.isArray(value)) errors.push(`${path}: a ListValue is an array`);
    return;
  }
  const wrapped = WRAPPERS[name];
  if (wrapped !== undefined) return checkScalar(wrapped, value, path, errors);
  if (!isObject(value)) {
    errors.push(`${path}: ${name} must be an object, got ${JSON.stringify(value)}`);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const field = type.fields[key];
    if (field === undefined) {
      errors.push(`${path}: ${name} has no field "${key}"`);
      continue;
    }
    if (field.options?.deprecated === true) errors.push(`${path}.${key}: deprecated in ${name}`);
    checkField(root, field, v, `${path}.${key}`, errors);
  }
  for (const oneof of type.oneofsArray) {
    const set = oneof.oneof.filter((f) => value[f] !== undefined);
    if (set.length > 1) errors.push(`${path}: only one of ${oneof.oneof.join(', ')} (oneof ${oneof.name}) may be set, got ${set.join(', ')}`);
    if (set.length === 0 && oneof.options?.['(validate.required)'] === true) errors.push(`${path}: one of ${oneof.oneof.join(', ')} is required by ${name}`);
  }
  for (const field of type.fieldsArray) {
    const o = field.options ?? {};
    const v = value[field.name];
    // Rules on a oneof member apply only when that member is the one set (protoc-gen-validate).
    if (field.partOf !== null && field.partOf !== undefined && v === undefined) continue;
    if (o['(validate.rules).message.required'] === true && v === undefined) errors.push(`${path}.${field.name}: required by ${name}`);
    const minLen = o['(validate.rules).string.min_len'];
    if (typeof minLen === 'number' && minLen > 0 && (typeof v !== 'string' || v.length < minLen)) errors.push(`${path}.${field.name}: at least ${minLen} characters required by ${name}`);
    const minItems = o['(validate.rules).repeated.min_items'];
    if (typeof minItems === 'number' && minItems > 0 && (!Array.isArray(v) || v.length < minItems)) errors.push(`${path}.${field.name}: at least ${minItems} items required by ${name}`);
  }
}

function checkField(root: protobuf.Root, field: protobuf.Field, value: unknown, path: string, errors: string[]): void {
  if (field instanceof protobuf.MapField) {
    if (!isObject(value)) {
      errors.push(`${path}: a map is an object`);
      return;
    }
    for (const [k, v] of Object.entries(value)) checkValue(root, field, v, `${path}[${JSON.stringify(k)}]`, errors);
    return;
  }
  if (field.repeated) {
    if (!Array.isArray(value)) {
      errors.push(`${path}: repeated field, expected a list`);
      return;
    }
    value.forEach((v, i) => checkValue(root, field, v, `${path}[${i}]`, errors));
    return;
  }
  checkValue(root, field, value, path, errors);
}

function checkValue(root: protobuf.Root, field: protobuf.Field, value: unknown, path: string, errors: string[]): void {
  const t = field.resolvedType;
  if (t instanceof protobuf.Type) return checkType(root, t, value, path, errors);
  if (t instanceof protobuf.Enum) {
    const ok = (typeof value === 'string' && value in t.values) || (typeof value === 'number' && Object.values(t.values).includes(value));
    if (!ok) errors.push(`${path}: ${JSON.stringify(value)} is not a value of ${fullName(t)} (${Object.keys(t.values).join(', ')})`);
    return;
  }
  checkScalar(field.type, value, path, errors);
}

function checkScalar(type: string, value: unknown, path: string, errors: string[]): void {
  const bad = (what: string) => errors.push(`${path}: ${type} must be ${what}, got ${JSON.stringify(value)}`);
  switch (type) {
    case 'string':
    case 'bytes':
      if (typeof value !== 'string') bad('a string');
      return;
    case 'bool':
      if (typeof value !== 'boolean') bad('true or false');
      return;
    case 'double':
    case 'float':
      if (typeof value !== 'number') bad('a number');
      return;
    default: {
      // int32, uint32, int64, uint64, sint*, fixed*: an integer, or (64-bit) its decimal string.
      const ok = (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && INTEGER.test(value));
      if (!ok || (type.startsWith('u') && Number(value) < 0)) bad('an integer');
    }
  }
}

function checkAny(root: protobuf.Root, value: unknown, path: string, errors: string[]): void {
  if (!isObject(value) || typeof value['@type'] !== 'string') {
    errors.push(`${path}: an Any needs "@type"`);
    return;
  }
  const url = value['@type'];
  if (!url.startsWith(TYPE_URL)) {
    errors.push(`${path}: @type must start with ${TYPE_URL}`);
    return;
  }
  let type: protobuf.Type;
  try {
    type = root.lookupType(url.slice(TYPE_URL.length));
  } catch {
    errors.push(`${path}: @type ${url} is not a loaded message type`);
    return;
  }
  const { '@type': _type, ...rest } = value;
  checkType(root, type, rest, `${path}<${url.slice(TYPE_URL.length)}>`, errors);
}
