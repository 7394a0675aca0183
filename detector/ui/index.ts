/**
 * The dashboard: static pages in public/ (plain ES modules and classic scripts, no build step)
 * that call the public API with a bearer token, and the vendored chart library (Chart.js with
 * the matrix controller for heatmaps) served from node_modules. The API serves them at /ui/
 * (detector/api/ui-routes.ts); the replay report (report/) inlines the same chart code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** public/ beside this file, from source (tsx) or from dist/ (tsc does not copy assets). */
export function publicRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, 'public'), join(here, '..', '..', '..', 'detector', 'ui', 'public')]) {
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  throw new Error(`dashboard assets not found beside ${here} (detector/ui/public)`);
}

/** The vendored browser builds (UMD), by file name: package and the file beside its main entry. */
export const VENDOR_FILES = {
  'chart.umd.min.js': ['chart.js', 'chart.umd.min.js'],
  'chartjs-chart-matrix.min.js': ['chartjs-chart-matrix', 'chartjs-chart-matrix.min.js'],
} as const;

export type VendorFile = keyof typeof VENDOR_FILES;

export function vendorPath(name: VendorFile): string {
  const [pkg, file] = VENDOR_FILES[name];
  // Both packages keep their browser build in dist/ beside the CommonJS entry.
  return join(dirname(require.resolve(pkg)), file);
}

/** Folders holding the vendored files (the static route serves only the files named above). */
export function vendorRoots(): string[] {
  return [...new Set(Object.keys(VENDOR_FILES).map((n) => dirname(vendorPath(n as VendorFile))))];
}

/** A text asset of the dashboard or a vendored file, for inlining into the report. */
export function readAsset(name: string): string {
  if (name in VENDOR_FILES) return readFileSync(vendorPath(name as VendorFile), 'utf8');
  return readFileSync(join(publicRoot(), name), 'utf8');
}
