/**
 * Checks a document against the Elastic Common Schema field definitions Elastic publishes
 * (`EcsFlat` of the npm package @elastic/ecs, generated from ECS's ecs_flat.yml): every field
 * outside the custom namespace exists in ECS, holds its ECS type (keyword → string, long → integer,
 * float → number, date → ISO 8601, ip → an address, object → an object of keywords), is an array
 * exactly when ECS normalizes it to one, takes only ECS's allowed values, each `event.type` is one
 * the chosen `event.category` expects, and ECS's required fields are present with `ecs.version` the
 * package's. Answers the problems found, empty when there are none.
 */
import { isIP } from 'node:net';
import { EcsFlat, EcsVersion } from '@elastic/ecs';

interface Field {
  type: string;
  normalize?: string[];
  allowed_values?: Array<{ name: string; expected_event_types?: string[] }>;
  required?: boolean;
  object_type?: string;
}

const FIELDS = EcsFlat as unknown as Record<string, Field>;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeProblem(type: string, v: unknown): string | null {
  switch (type) {
    case 'keyword':
    case 'constant_keyword':
    case 'wildcard':
    case 'match_only_text':
      return typeof v === 'string' ? null : 'a string';
    case 'long':
    case 'integer':
      return Number.isSafeInteger(v) ? null : 'an integer';
    case 'float':
    case 'double':
    case 'scaled_float':
      return typeof v === 'number' && Number.isFinite(v) ? null : 'a number';
    case 'boolean':
      return typeof v === 'boolean' ? null : 'a boolean';
    case 'date':
      return typeof v === 'string' && ISO.test(v) && Number.isFinite(Date.parse(v)) ? null : 'an ISO 8601 date';
    case 'ip':
      return typeof v === 'string' && isIP(v) !== 0 ? null : 'an IP address';
    default:
      return `a value this checker knows (${type})`;
  }
}

/** `namespace`: the top-level key for fields ECS does not define (ECS asks custom fields to live apart). */
export function ecsProblems(doc: Record<string, unknown>, namespace: string): string[] {
  const out: string[] = [];
  if (Object.keys(FIELDS).some((k) => k === namespace || k.startsWith(`${namespace}.`))) out.push(`${namespace}: is an ECS field set, not a custom namespace`);
  const seen = new Map<string, unknown>();
  const walk = (value: unknown, path: string) => {
    const field = FIELDS[path];
    if (field !== undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
      if (!field) return void out.push(`${path}: not an ECS field`);
      seen.set(path, value);
      return;
    }
    for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  for (const [k, v] of Object.entries(doc)) if (k !== namespace) walk(v, k);

  for (const [path, value] of seen) {
    const f = FIELDS[path] as Field;
    const isArray = f.normalize?.includes('array') ?? false;
    if (Array.isArray(value) !== isArray) out.push(`${path}: ${isArray ? 'must be an array' : 'must not be an array'}`);
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (f.type === 'object' || f.type === 'flattened') {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) out.push(`${path}: must be an object`);
        else for (const [k, x] of Object.entries(v)) {
          const p = typeProblem(f.object_type ?? 'keyword', x);
          if (p) out.push(`${path}.${k}: must be ${p}`);
        }
        continue;
      }
      const p = typeProblem(f.type, v);
      if (p) out.push(`${path}: must be ${p}, not ${JSON.stringify(v)}`);
      if (f.allowed_values && !f.allowed_values.some((a) => a.name === v)) out.push(`${path}: ${JSON.stringify(v)} is not one of ECS's allowed values`);
    }
  }

  const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]) as string[];
  const categories = list(seen.get('event.category'));
  const types = list(seen.get('event.type'));
  for (const c of categories) {
    const expected = FIELDS['event.category']?.allowed_values?.find((a) => a.name === c)?.expected_event_types ?? [];
    for (const t of types) if (!expected.includes(t)) out.push(`event.type: ${t} is not a type event.category ${c} expects (${expected.join(', ')})`);
  }
  for (const [path, f] of Object.entries(FIELDS)) if (f.required && !seen.has(path)) out.push(`${path}: required by ECS`);
  if (seen.has('ecs.version') && seen.get('ecs.version') !== EcsVersion) out.push(`ecs.version: ${String(seen.get('ecs.version'))}, but the definitions checked are ECS ${EcsVersion}`);
  return out;
}
