/**
 * Who reports the alert, as SIEM formats name it: the product, its vendor and its version. The
 * version is read once from the package.json above this file (the same from source and from dist/).
 */
import { existsSync, readFileSync } from 'node:fs';

function packageVersion(): string {
  let dir = new URL('./', import.meta.url);
  for (let i = 0; i < 5; i++) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'lowslow' && pkg.version) return pkg.version;
    }
    dir = new URL('../', dir);
  }
  return '0.0.0';
}

export const PRODUCT = { name: 'lowslow', vendor: 'lowslow', version: packageVersion() } as const;
