/**
 * The Lua tools the Kong plugin's tests run (Debian packages luajit and lua-busted), and the
 * plugin folder they run in. `missingLuaTools()` names what is absent so a test can skip with a
 * message that says how to install it.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KONG_PLUGIN_DIR = fileURLToPath(new URL('../../gateway-plugins/kong', import.meta.url));

function onPath(name: string): boolean {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (!d) continue;
    try {
      accessSync(join(d, name), constants.X_OK);
      return true;
    } catch {
      // next
    }
  }
  return false;
}

/** Debian packages to install for the Lua tests; empty when luajit and busted are on PATH. */
export function missingLuaTools(): string[] {
  const missing: string[] = [];
  if (!onPath('luajit')) missing.push('luajit');
  if (!onPath('busted')) missing.push('lua-busted');
  return missing;
}
