/**
 * The public data sets shared with the project (see SOURCES.md in each folder). They are not
 * copied into the repository; set LOWSLOW_SHARED_DATA to read them elsewhere. Tests that need
 * them skip when the folder is absent.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const SHARED_DATA = process.env.LOWSLOW_SHARED_DATA ?? '/work/shared/data';

export function sharedFile(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}

export const hasShared = (...parts: string[]): boolean => existsSync(sharedFile(...parts));
