// Holding out validation samples by a fixed rule, the same for every training seed, so that
// runs with different seeds are measured on the same samples: a permutation of 0..n-1 from
// the project's PRNG with a constant seed (Fisher-Yates, unbiased bounded integers); its last
// round(fraction * n) entries are the validation samples. Both parts keep the dataset's order.
import { Random } from '../weights/prng.js';
import { DataError } from './errors.js';
import { subset, type Dataset } from './dataset.js';

/** The split's seed: a constant, not the training seed. */
export const SPLIT_SEED = 0x73706c6974n; // "split"

export function splitValidation(ds: Dataset, fraction: number): { train: Dataset; validation: Dataset | undefined } {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new DataError(`${ds.source}: a validation fraction must be at least 0 and below 1, not ${fraction}`);
  }
  if (fraction === 0) return { train: ds, validation: undefined };
  const held = Math.round(fraction * ds.n);
  if (held === 0 || held === ds.n) {
    throw new DataError(`${ds.source}: a validation fraction of ${fraction} of ${ds.n} samples leaves ${held === 0 ? 'no validation samples' : 'no training samples'}`);
  }
  const order = permutation(ds.n, Random.fromSeed(SPLIT_SEED));
  const ascending = (a: number, b: number) => a - b;
  const validation = order.subarray(ds.n - held).sort(ascending);
  const train = order.subarray(0, ds.n - held).sort(ascending);
  return { train: subset(ds, train), validation: subset(ds, validation) };
}

/** A uniformly random permutation of 0..n-1. */
export function permutation(n: number, random: Random): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = below(i + 1, random);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** Uniform in [0, bound) for bound <= 2^32, by rejection (no modulo bias). */
function below(bound: number, random: Random): number {
  const limit = 2 ** 32 - (2 ** 32 % bound);
  for (;;) {
    const r = random.nextUint32();
    if (r < limit) return r % bound;
  }
}
