// The tfjs helpers of generated modules, tested as themselves on the cpu backend: upload folds
// and transposes each part, relu keeps NaN, gelu is the erf form, inputBatch checks a model's
// several inputs; and the module carries them
// verbatim, after its own code and before the loader.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { gelu, inputBatch, relu, upload } from '../../../src/backends/runtime/tfjs-helpers.js';
import { loaderSource, tfjsHelpersSource } from '../../../src/backends/runtime/embed.js';
import { emitTfjs } from '../../../src/backends/tfjs/index.js';
import { optimize } from '../../../src/passes/optimize.js';
import { onlyModel } from '../../support/front.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the tfjs helpers', () => {
  it('upload: one [count, units] block of W per part, transposed, with the folded bias', () => {
    // W = [[1, 2, 3], [4, 5, 6]], b = [1, 2], a batchnorm after it with scale 2 and shift 1.
    const file = new Map(Object.entries({ w: [1, 2, 3, 4, 5, 6], b: [1, 2], g: [2, 2], be: [1, 1], m: [0, 0], v: [1, 1] }).map(([k, v]) => [k, Float32Array.from(v)]));
    const bn = { gamma: 'g', beta: 'be', mean: 'm', variance: 'v', eps: 0 };
    const params = upload({ weight: 'w', bias: 'b', units: 2, inFeatures: 3, foldIn: [], foldOut: [bn] }, file, [[0, 1], [1, 2]] as const);
    expect(params.parts[0].arraySync()).toEqual([[2, 8]]);
    expect(params.parts[1].arraySync()).toEqual([[4, 10], [6, 12]]);
    expect(Array.from(params.bias.dataSync())).toEqual([3, 5]);
    tf.dispose([...params.parts, params.bias]);
  });

  it('relu keeps NaN and gelu is 0.5 x (1 + erf(x / sqrt 2))', () => {
    const x = tf.tensor2d([[-1, 0, 2, NaN]]);
    expect(Array.from(relu(x).dataSync())).toEqual([0, 0, 2, NaN]);
    const g = Array.from(gelu(x).dataSync());
    expect(g[0]).toBeCloseTo(-0.158655, 5);
    expect(g[2]).toBeCloseTo(1.954500, 5);
    x.dispose();
  });

  it('inputBatch: the one batch of several named [batch, size] inputs, or an error naming the input', () => {
    const inputs = [{ name: 'a', size: 2 }, { name: 'b', size: 3 }] as const;
    const [a, b, b4, b5, a3d] = [tf.zeros([4, 2]), tf.zeros([4, 3]), tf.zeros([4, 4]), tf.zeros([5, 3]), tf.zeros([4, 2, 1])];
    const t2 = (t: tf.Tensor) => t as tf.Tensor2D;
    expect(inputBatch({ a: t2(a), b: t2(b) }, inputs)).toBe(4);
    expect(() => inputBatch({ a: t2(a), b: t2(b4) }, inputs)).toThrow('predict: expected x.b of shape [4, 3], got [4, 4]');
    expect(() => inputBatch({ a: t2(a3d), b: t2(b) }, inputs)).toThrow('predict: expected x.a of shape [batch, 2], got [4, 2, 1]');
    expect(() => inputBatch({ a: t2(a), b: t2(b5) }, inputs)).toThrow('predict: expected x.b of shape [4, 3], got [5, 3]');
    expect(() => inputBatch({ a: t2(a) } as unknown as { a: tf.Tensor2D; b: tf.Tensor2D }, inputs)).toThrow('predict: expected x.b of shape [4, 3], got no tensor');
    tf.dispose([a, b, b4, b5, a3d]);
  });

  it('are carried verbatim by every tfjs module, before the loader', () => {
    const module = emitTfjs(optimize(onlyModel('model h { input 4 dense 3 gelu output 2 }').graph))[0]!.contents as string;
    expect(module.endsWith(`\n${tfjsHelpersSource()}\n${loaderSource()}`)).toBe(true);
    expect(tfjsHelpersSource()).toMatch(/^\/\/ ---- the tfjs helpers /);
  });
});
