/**
 * The public data sets shared with the project (see SOURCES.md in each folder). They are not
 * copied into the repository: they sit in shared/data beside the checkout, or in /work/shared/data;
 * set LOWSLOW_SHARED_DATA to read them elsewhere. Tests that need them skip when it is absent.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BESIDE = fileURLToPath(new URL('../../../shared/data', import.meta.url));

export const SHARED_DATA = process.env.LOWSLOW_SHARED_DATA ?? (existsSync(BESIDE) ? BESIDE : '/work/shared/data');

export function sharedFile(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}

export const hasShared = (...parts: string[]): boolean => existsSync(sharedFile(...parts));
