/**
 * One fuzz line for a format: 60 % a mutated seed line, 25 % a generated request rendered as the
 * gateway writes it, 15 % such a rendering mutated in turn.
 */
import type { Rng } from '../../sim/prng.js';
import type { Corpus, Format } from './corpus.js';
import type { Mutated, Mutator } from './mutate.js';
import { render } from './render.js';
import { randomLayout, randomRequest } from './requests.js';

export function fuzzLine(rng: Rng, format: Format, mutator: Mutator, corpus: Corpus): Mutated {
  const kind = rng.next();
  if (kind < 0.6) return mutator.mutate(rng.pick(corpus.lines[format]));
  const line = render(format, randomRequest(rng, format, corpus.attackTargets, corpus.userAgents), randomLayout(rng));
  if (kind < 0.85) return { line, ops: ['render'] };
  const m = mutator.mutate(line);
  return { line: m.line, ops: ['render', ...m.ops] };
}
