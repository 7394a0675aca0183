/**
 * Our minimal ALS protos (agent/inputs/envoy-als/*.proto) against Envoy's official ones: every
 * message, field, enum value and the service we declare must exist there under the same name with
 * the same number and a wire-compatible type, or Envoy's bytes would decode into the wrong fields.
 */
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import { ALS_SERVICE, LOADER_OPTIONS, protoDir } from '../../../agent/inputs/envoy-als/index.js';
import { loadOfficialAls } from './envoy-protos.js';

interface Field {
  name: string;
  number: number;
  label: string;
  type: string;
  typeName: string;
}
interface Descriptor {
  field?: Field[];
  nestedType?: Array<Descriptor & { name: string }>;
  value?: Array<{ name: string; number: number }>;
}
type Def = { format?: string; type?: Descriptor };

const ours = loadSync('als.proto', { ...LOADER_OPTIONS, includeDirs: [protoDir()] });
const official = loadOfficialAls();

/** The last segment of a type reference: references are written relative to their package. */
const simple = (typeName: string) => typeName.split('.').pop() ?? typeName;

function def(pkg: PackageDefinition, name: string): Def | undefined {
  return pkg[name] as Def | undefined;
}

function compareFields(name: string, mine: Descriptor, theirs: Descriptor): number {
  let checked = 0;
  for (const f of mine.field ?? []) {
    const o = theirs.field?.find((x) => x.name === f.name);
    expect(o, `${name}.${f.name} exists in Envoy's proto`).toBeDefined();
    expect({ number: f.number, label: f.label, type: f.type }, `${name}.${f.name}`).toEqual({ number: o?.number, label: o?.label, type: o?.type });
    if (f.type === 'TYPE_MESSAGE' || f.type === 'TYPE_ENUM') expect(simple(f.typeName), `${name}.${f.name} type`).toBe(simple(o?.typeName ?? ''));
    checked++;
  }
  // Nested messages (StreamAccessLogsMessage.Identifier, …) and the entry messages behind map
  // fields are compared the same way.
  for (const n of mine.nestedType ?? []) {
    const o = theirs.nestedType?.find((x) => x.name === n.name);
    expect(o, `${name}.${n.name} exists in Envoy's proto`).toBeDefined();
    if (o) checked += compareFields(`${name}.${n.name}`, n, o);
  }
  return checked;
}

describe('our ALS protos against Envoy’s official protos', () => {
  const names = Object.keys(ours).filter((n) => !n.startsWith('google.'));

  it('declares the messages and enums it uses, all under Envoy’s own names', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        ALS_SERVICE,
        'envoy.service.accesslog.v3.StreamAccessLogsMessage',
        'envoy.data.accesslog.v3.HTTPAccessLogEntry',
        'envoy.data.accesslog.v3.AccessLogCommon',
        'envoy.config.core.v3.RequestMethod',
      ]),
    );
    for (const n of names) expect(official[n], `${n} exists in Envoy's protos`).toBeDefined();
  });

  it('gives every field the same number, label and type as Envoy', () => {
    let checked = 0;
    for (const n of names) {
      const mine = def(ours, n);
      const theirs = def(official, n);
      if (mine?.format !== 'Protocol Buffer 3 DescriptorProto' || !mine.type || !theirs?.type) continue;
      checked += compareFields(n, mine.type, theirs.type);
    }
    expect(checked).toBeGreaterThanOrEqual(35);
  });

  it('gives every enum value the same number as Envoy', () => {
    let checked = 0;
    for (const n of names) {
      const mine = def(ours, n);
      if (mine?.format !== 'Protocol Buffer 3 EnumDescriptorProto') continue;
      const theirs = def(official, n)?.type?.value ?? [];
      for (const v of mine.type?.value ?? []) {
        expect(theirs.find((x) => x.name === v.name)?.number, `${n}.${v.name}`).toBe(v.number);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  it('serves the same client-streaming method path as Envoy calls', () => {
    const mine = ours[ALS_SERVICE] as unknown as Record<string, { path: string; requestStream: boolean; responseStream: boolean }>;
    const theirs = official[ALS_SERVICE] as unknown as typeof mine;
    expect(mine.StreamAccessLogs).toMatchObject({ path: '/envoy.service.accesslog.v3.AccessLogService/StreamAccessLogs', requestStream: true, responseStream: false });
    expect(mine.StreamAccessLogs?.path).toBe(theirs.StreamAccessLogs?.path);
    expect(Object.keys(mine)).toEqual(Object.keys(theirs));
  });
});
