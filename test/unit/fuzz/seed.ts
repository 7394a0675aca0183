/**
 * The fuzzers' seeds: fixed, so every CI run makes the same lines; LOWSLOW_FUZZ_SEED picks
 * another (every failure message prints the one to rerun with).
 */
export const FUZZ_SEED = Number.parseInt(process.env.LOWSLOW_FUZZ_SEED ?? '20261201', 10);

/** A full garbage collection, when one can be had (V8's flag set at run time); else undefined. */
export async function exposeGc(): Promise<(() => void) | undefined> {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    const v8 = await import('node:v8');
    const vm = await import('node:vm');
    v8.setFlagsFromString('--expose-gc');
    const fn = vm.runInNewContext('gc') as unknown;
    return typeof fn === 'function' ? (fn as () => void) : undefined;
  } catch {
    return undefined;
  }
}
