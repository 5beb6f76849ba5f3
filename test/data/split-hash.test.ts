// The validation split's fixed rule, subsets, and the dataset hash: the same numbers hash the
// same from every format, and anything else changes it.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { makeDataset, subset } from '../../src/data/dataset.js';
import { permutation, splitValidation } from '../../src/data/split.js';
import { Random } from '../../src/weights/prng.js';
import { scratch } from '../support/scratch.js';
import { classify, errorOf, npy, put, regress, safetensors } from './helpers.js';

const dir = scratch('data-split');

/** n samples whose single feature is the sample's index, labels index % 3. */
function indexed(n: number, source = 'indexed.npy'): ReturnType<typeof makeDataset> {
  return makeDataset(source, 1, Float32Array.from({ length: n }, (_, i) => i), Int32Array.from({ length: n }, (_, i) => i % 3));
}

describe('splitValidation', () => {
  it('holds out round(fraction * n) samples, disjoint from the rest, both in dataset order', () => {
    for (const [n, fraction] of [[10, 0.3], [101, 0.1], [1000, 0.25], [7, 0.5]] as const) {
      const { train, validation } = splitValidation(indexed(n), fraction);
      expect(validation?.n).toBe(Math.round(fraction * n));
      expect(train.n).toBe(n - Math.round(fraction * n));
      const t = Array.from(train.x);
      const v = Array.from(validation!.x);
      expect([...t, ...v].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(t).toEqual([...t].sort((a, b) => a - b));
      expect(v).toEqual([...v].sort((a, b) => a - b));
      expect(Array.from(validation!.y)).toEqual(v.map((i) => i % 3));
    }
  });

  it('is a fixed rule: the same samples every time (pinned), whatever the training seed', () => {
    const { train, validation } = splitValidation(indexed(10), 0.3);
    expect(Array.from(validation!.x)).toEqual([0, 3, 9]);
    expect(Array.from(train.x)).toEqual([1, 2, 4, 5, 6, 7, 8]);
    const again = splitValidation(indexed(10), 0.3);
    expect(again.validation!.hash).toBe(validation!.hash);
  });

  it('keeps the dataset whole at fraction 0', () => {
    const ds = indexed(5);
    const { train, validation } = splitValidation(ds, 0);
    expect(train).toBe(ds);
    expect(validation).toBeUndefined();
  });

  it('refuses a fraction that leaves either side empty or is not one, naming the source', () => {
    expect(errorOf(() => splitValidation(indexed(10), 0.01))).toBe('indexed.npy: a validation fraction of 0.01 of 10 samples leaves no validation samples');
    expect(errorOf(() => splitValidation(indexed(10), 0.97))).toBe('indexed.npy: a validation fraction of 0.97 of 10 samples leaves no training samples');
    for (const bad of [1, 1.5, -0.1, NaN]) {
      expect(errorOf(() => splitValidation(indexed(10), bad))).toBe(`indexed.npy: a validation fraction must be at least 0 and below 1, not ${bad}`);
    }
  });

  it('draws permutations of every index, different for different generators', () => {
    for (const n of [0, 1, 2, 17, 1000]) {
      const p = Array.from(permutation(n, Random.fromSeed(1n)));
      expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
    expect(Array.from(permutation(50, Random.fromSeed(1n)))).not.toEqual(Array.from(permutation(50, Random.fromSeed(2n))));
  });

  it('puts each element in each place about equally often', () => {
    const counts = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
    const random = Random.fromSeed(7n);
    for (let trial = 0; trial < 8000; trial++) permutation(4, random).forEach((value, place) => counts[value][place]++);
    for (const row of counts) for (const c of row) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });
});

describe('subset', () => {
  it('takes the rows at the indices, in that order, with its own hash', () => {
    const ds = makeDataset('r', 2, Float32Array.of(0, 1, 10, 11, 20, 21), Float32Array.of(0.5, 1.5, 2.5, 3.5, 4.5, 5.5));
    const part = subset(ds, [2, 0]);
    expect([part.n, part.features, part.source]).toEqual([2, 2, 'r']);
    expect(Array.from(part.x)).toEqual([20, 21, 0, 1]);
    expect(Array.from(part.y)).toEqual([4.5, 5.5, 0.5, 1.5]);
    expect(part.hash).toBe(makeDataset('r', 2, Float32Array.of(20, 21, 0, 1), Float32Array.of(4.5, 5.5, 0.5, 1.5)).hash);
    expect(() => subset(ds, [3])).toThrow(/index 3 at position 0 is not a sample \(0 to 2\)/);
  });
});

describe('the dataset hash', () => {
  const x = Float32Array.of(0.5, -1.75, 3, 0.25);

  it('is SHA-256 over the documented header, then x and y little-endian (pinned)', () => {
    const ds = makeDataset('c', 2, x, Int32Array.of(1, 0));
    expect(ds.hash).toBe('7a527f7ae0ce09b1075cf865ee24bbcddf9a65a4bd1de982597158bb15a2ed59');
    const bytes = Buffer.alloc(16 + 8);
    [0.5, -1.75, 3, 0.25].forEach((v, i) => bytes.writeFloatLE(v, 4 * i));
    bytes.writeInt32LE(1, 16);
    bytes.writeInt32LE(0, 20);
    const expected = createHash('sha256').update('spinal dataset 1\nsamples 2\nfeatures 2\ntask classification\n').update(bytes).digest('hex');
    expect(ds.hash).toBe(expected);
    expect(makeDataset('r', 2, x, Float32Array.of(1.5, -2)).hash).toBe('5660d98510e0b45937f708e37692c62bd58de2b116d0eb3ffd053a99223af157');
  });

  it('is the same for the same numbers from .npy, CSV and safetensors, whatever their dtypes', () => {
    const csv = put(dir, 'same.csv', 'a,b,label\n0.5,-1.75,1\n3,0.25,0\n');
    const npyX = put(dir, 'same-x.npy', npy(Float64Array.from(x), [2, 2]));
    const npyY = put(dir, 'same-y.npy', npy(BigInt64Array.of(1n, 0n), [2]));
    const st = put(dir, 'same.safetensors', safetensors({ x: { dtype: 'F32', shape: [2, 2], data: x }, y: { dtype: 'U8', shape: [2], data: Uint8Array.of(1, 0) } }));
    const hashes = [{ data: csv }, { data: npyX, labels: npyY }, { data: st }].map((r) => loadDataset(r, classify(2, 2)).hash);
    expect(hashes).toEqual(new Array(3).fill(makeDataset('c', 2, x, Int32Array.of(1, 0)).hash));
    const regressionCsv = put(dir, 'same-reg.csv', '0.5,-1.75,1.5\n3,0.25,-2\n');
    expect(loadDataset({ data: regressionCsv }, regress(2, 1)).hash).toBe('5660d98510e0b45937f708e37692c62bd58de2b116d0eb3ffd053a99223af157');
  });

  it('changes with any value, the labels, the task or the shape', () => {
    const base = makeDataset('c', 2, x, Int32Array.of(1, 0)).hash;
    const others = [
      makeDataset('c', 2, Float32Array.of(0.5, -1.75, 3, 0.5), Int32Array.of(1, 0)),
      makeDataset('c', 2, x, Int32Array.of(1, 1)),
      makeDataset('c', 2, x, Float32Array.of(1, 0)),
      makeDataset('c', 1, Float32Array.of(0.5, -1.75), Int32Array.of(1, 0)),
      makeDataset('c', 4, x, Int32Array.of(1)),
    ].map((d) => d.hash);
    expect(new Set([base, ...others]).size).toBe(6);
    expect(makeDataset('other name', 2, x, Int32Array.of(1, 0)).hash).toBe(base);
  });
});
