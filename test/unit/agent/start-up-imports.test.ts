import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Packages (ES imports) and CommonJS files a process loads when it imports `modules`. */
function loaded(modules: string[]): { packages: Set<string>; cjs: string[] } {
  const script = modules.map((m) => `await import(${JSON.stringify(new URL(m, `file://${root}`).href)});`).join('\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', `${root}test/support/module-trace.mjs`, '--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stderr.split('\n');
  return {
    packages: new Set(lines.filter((l) => l.startsWith('PKG ')).map((l) => l.slice(4))),
    cjs: lines.filter((l) => l.startsWith('CJS ')).map((l) => l.slice(4)),
  };
}

describe('agent start-up', () => {
  // TypeBox took 70-140 ms of the agent's start-up, ajv and a schema compile another ~150 ms.
  it('loads neither the schema builders nor ajv: only the compiled validators', () => {
    const { packages, cjs } = loaded(['bin/agent-command.ts', 'agent/inputs/file/index.ts', 'bin/config.ts']);
    expect(packages.has('@nats-io/jetstream'), [...packages].join(' ')).toBe(true);
    expect(packages.has('@sinclair/typebox')).toBe(false);
    expect(cjs.filter((p) => p.includes('/node_modules/@sinclair/typebox/') || p.endsWith('/node_modules/ajv/dist/ajv.js'))).toEqual([]);
  });

  it('sees them where they are loaded (the check can fail)', () => {
    const { packages, cjs } = loaded(['contracts/index.ts', 'contracts/compiled-validators.ts']);
    expect(packages.has('@sinclair/typebox')).toBe(true);
    expect(cjs.some((p) => p.endsWith('/node_modules/ajv/dist/ajv.js'))).toBe(true);
  });
});
