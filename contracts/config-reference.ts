/**
 * The configuration reference (docs/config.md), written from the config schema by
 * `npm run contracts` so it cannot drift from what the loader accepts; a test compares them.
 * One table per section: option, its LOWSLOW_* variable, type, default and description.
 */
import { ConfigSchema } from './config.v1.js';

interface Node {
  type?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, Node>;
  items?: Node;
  anyOf?: Array<{ const?: unknown }>;
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

interface Row {
  path: string[];
  node: Node;
}

function typeOf(node: Node): string {
  if (node.anyOf) return node.anyOf.map((a) => JSON.stringify(a.const)).join(' | ');
  if (node.type === 'array') return `array of ${node.items ? typeOf(node.items) : 'any'}`;
  const range = node.minimum !== undefined || node.maximum !== undefined ? ` (${node.minimum ?? '…'}–${node.maximum ?? '…'})` : '';
  return `${node.type ?? 'any'}${range}`;
}

function defaultOf(node: Node): string {
  if (node.default === undefined) return '(none)';
  const text = JSON.stringify(node.default);
  return text === '""' ? '`""`' : `\`${text}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function leaves(node: Node, path: string[], out: Row[]): void {
  if (node.type === 'object' && node.properties) {
    for (const [k, child] of Object.entries(node.properties)) leaves(child, [...path, k], out);
    return;
  }
  out.push({ path, node });
}

function table(rows: Row[], withEnv: boolean): string[] {
  const head = withEnv ? '| option | variable | type | default | description |' : '| field | type | default | description |';
  const lines = [head, withEnv ? '| --- | --- | --- | --- | --- |' : '| --- | --- | --- | --- |'];
  for (const { path, node } of rows) {
    const env = `\`LOWSLOW_${path.join('_').toUpperCase()}\``;
    const cols = [`\`${path.join('.')}\``, ...(withEnv ? [env] : []), cell(typeOf(node)), cell(defaultOf(node)), cell(node.description ?? '')];
    lines.push(`| ${cols.join(' | ')} |`);
  }
  return lines;
}

export function configReference(): string {
  const root = ConfigSchema as unknown as Node;
  const out = [
    '# Configuration reference',
    '',
    'Generated from `contracts/config.v1.ts` by `npm run contracts`; do not edit by hand.',
    '',
    'Every part of lowslow (`lowslow agent`, `lowslow detector`, `lowslow replay`) reads one config:',
    'a YAML or JSON file given with `--config`, then `LOWSLOW_*` environment variables, which',
    'override the file (arrays comma-separated). Unknown keys are refused; a bad value stops the',
    'command with one line naming the field.',
    '',
  ];
  for (const [section, node] of Object.entries(root.properties ?? {})) {
    const rows: Row[] = [];
    leaves(node, [section], rows);
    out.push(`## ${section}`, '');
    out.push(...table(rows, true), '');
    for (const { path, node: leaf } of rows) {
      const item = leaf.items;
      if (leaf.type !== 'array' || item?.type !== 'object' || !item.properties) continue;
      out.push(`Each entry of \`${path.join('.')}\`:`, '');
      const fields: Row[] = [];
      for (const [k, child] of Object.entries(item.properties)) fields.push({ path: [k], node: child });
      out.push(...table(fields, false), '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
