/**
 * Checks an OCSF Detection Finding the way OCSF's own validators do, against the checked-in JSON
 * Schema file (contracts/ocsf-1.3.0-detection-finding.json, read from disk, not the TypeBox module):
 * every attribute defined by class 2004 or its objects, required ones present, types and enum ids
 * right (JSON Schema, ajv); every sibling string equal to its enum id's caption (`severity` for
 * `severity_id`, `type_name` for `type_uid`, …); `type_uid = class_uid * 100 + activity_id`.
 * Answers the problems found, empty when there are none.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

interface Node {
  type?: string;
  properties?: Record<string, Node>;
  items?: Node;
  anyOf?: Array<{ const?: unknown; title?: string }>;
}

const schema = JSON.parse(readFileSync(new URL('../../contracts/ocsf-1.3.0-detection-finding.json', import.meta.url), 'utf8')) as Node;
const validate: ValidateFunction = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(schema);

/** The attribute that carries the caption of an enum attribute, by OCSF's naming convention. */
function siblingOf(name: string): string | null {
  if (name === 'class_uid' || name === 'category_uid' || name === 'type_uid') return `${name.slice(0, -4)}_name`;
  if (name === 'activity_id') return 'activity_name';
  if (name === 'confidence_id') return 'confidence';
  if (name.endsWith('_id')) return name.slice(0, -3);
  return null;
}

function siblings(node: Node, value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => node.items && siblings(node.items, v, `${path}[${i}]`, out));
    return;
  }
  if (value === null || typeof value !== 'object' || !node.properties) return;
  const obj = value as Record<string, unknown>;
  for (const [k, child] of Object.entries(node.properties)) {
    if (!(k in obj)) continue;
    const captions = child.anyOf?.filter((a) => 'const' in a);
    const sib = siblingOf(k);
    if (captions && captions.length > 0 && sib !== null && sib in obj) {
      const caption = captions.find((a) => a.const === obj[k])?.title;
      if (obj[sib] !== caption) out.push(`${path}${sib}: ${JSON.stringify(obj[sib])} is not the caption of ${k} ${String(obj[k])} (${caption ?? 'no such id'})`);
    }
    siblings(child, obj[k], `${path}${k}.`, out);
  }
}

export function ocsfProblems(finding: unknown): string[] {
  const out: string[] = [];
  if (!validate(finding)) for (const e of validate.errors ?? []) out.push(`${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  siblings(schema, finding, '', out);
  const f = finding as { class_uid?: number; activity_id?: number; type_uid?: number };
  if (typeof f.class_uid === 'number' && typeof f.activity_id === 'number' && f.type_uid !== f.class_uid * 100 + f.activity_id) {
    out.push(`type_uid: ${String(f.type_uid)} is not class_uid * 100 + activity_id (${f.class_uid * 100 + f.activity_id})`);
  }
  return out;
}
