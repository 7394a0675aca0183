/**
 * Writes the contract JSON Schema files and compiled validators from the TypeBox modules, and the
 * configuration reference (docs/config.md) from the config schema: `npm run contracts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { configReference } from './config-reference.js';
import { contractFiles } from './files.js';

mkdirSync(new URL('compiled/', import.meta.url), { recursive: true });
for (const [file, text] of contractFiles()) writeFileSync(new URL(file, import.meta.url), text);
mkdirSync(new URL('../docs/', import.meta.url), { recursive: true });
writeFileSync(new URL('../docs/config.md', import.meta.url), configReference());
