/** Writes the contract JSON Schema files from the TypeBox modules: `npm run contracts`. */
import { writeFileSync } from 'node:fs';
import { contractFiles } from './files.js';

for (const [file, text] of contractFiles()) writeFileSync(new URL(file, import.meta.url), text);
