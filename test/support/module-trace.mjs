// Loaded with `node --import`: reports on stderr every package an ES module import resolves to
// (`PKG <name>`), and at exit every CommonJS module loaded (`CJS <path>`), for tests of what a
// command loads as it starts.
import { createRequire, register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(r.url);
  if (m) process.stderr.write('PKG ' + m[1] + '\\n');
  return r;
}`),
);

process.on('exit', () => {
  const cache = createRequire(import.meta.url).cache;
  for (const path of Object.keys(cache)) process.stderr.write(`CJS ${path}\n`);
});
