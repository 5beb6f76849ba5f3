// The generated module's own checks: a weights file that does not fit is refused with the
// tensor named, expected and found; predict refuses a wrong input; dispose frees everything.
import { beforeAll, describe, expect, it } from 'vitest';
import { onlyModel } from '../../support/front.js';
import { optimize } from '../../../src/passes/optimize.js';
import { encodeSafetensors, writeSafetensors } from '../../../src/weights/safetensors.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import type { TfjsModule } from '../../../src/verify/tfjs-module.js';
import { moduleFor, testWeights, useBackend, type Tf } from './harness.js';
import { hostileCases } from '../../support/hostile-weights.js';

const graph = onlyModel('model small { input 6 spinal { split 1:2; width 2; layers 2; batchnorm } output 3 }').graph;
const good = testWeights(graph, 1);
let tf: Tf;
let module: TfjsModule;

beforeAll(async () => {
  tf = await useBackend('cpu');
  module = await moduleFor(optimize(graph));
});

function withTensor(name: string, tensor: Tensor | undefined): Uint8Array {
  const weights = new Map(good);
  if (tensor) weights.set(name, tensor);
  else weights.delete(name);
  return writeSafetensors(weights);
}

describe('load() refuses weights that do not fit', () => {
  it('names a missing tensor and its shape', () => {
    expect(() => module.load(withTensor('spinal1.sub2.weight', undefined))).toThrow("weights: missing tensor 'spinal1.sub2.weight' (expected shape [2, 6])");
  });

  it('names a misshapen tensor, the shape expected and the shape found', () => {
    const bad = withTensor('spinal1.sub1.weight', { shape: [2, 3], data: new Float32Array(6) });
    expect(() => module.load(bad)).toThrow("weights: tensor 'spinal1.sub1.weight': expected shape [2, 2], found [2, 3]");
  });

  it('refuses a dtype other than F32', () => {
    const tensors = [...good].map(([name, t]) => ({
      name, dtype: name === 'output.bias' ? 'F64' : 'F32', shape: t.shape,
      bytes: new Uint8Array(t.data.length * (name === 'output.bias' ? 8 : 4)),
    }));
    expect(() => module.load(encodeSafetensors(tensors))).toThrow("weights: tensor 'output.bias': expected dtype F32, found 'F64'");
  });

  it('refuses a truncated file, a header running past the end, and a header that is not JSON', () => {
    const bytes = writeSafetensors(good);
    expect(() => module.load(bytes.subarray(0, 5))).toThrow('too short for the 8 bytes of its header length');
    expect(() => module.load(bytes.subarray(0, 40))).toThrow('runs past the end of the file');
    const garbled = bytes.slice();
    garbled[8] = 0x7b + 1;
    expect(() => module.load(garbled)).toThrow('the header is not valid JSON');
    expect(() => module.load(bytes.subarray(0, bytes.length - 4))).toThrow(/data_offsets .* run past the end of the data section/);
  });

  it('leaves no tensor behind when it refuses', () => {
    const before = tf.memory().numTensors;
    expect(() => module.load(withTensor('output.weight', undefined))).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('load() refuses every hostile weights file, naming the tensor at fault', () => {
  it.each(hostileCases(good).map((c) => [c.title, c] as const))('%s', (_, c) => {
    const before = tf.memory().numTensors;
    expect(() => module.load(c.bytes)).toThrow(/^weights: /);
    if (c.tensor) expect(() => module.load(c.bytes)).toThrow(`'${c.tensor}'`);
    if (c.phrase) expect(() => module.load(c.bytes)).toThrow(c.phrase);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the loaded model', () => {
  it('refuses an input of the wrong width, and predict after dispose', () => {
    const model = module.load(writeSafetensors(good));
    const x = tf.zeros([2, 5]) as import('@tensorflow/tfjs-core').Tensor2D;
    expect(() => model.predict(x)).toThrow('predict: expected a tensor of shape [batch, 6], got [2, 5]');
    x.dispose();
    model.dispose();
    const y = tf.zeros([1, 6]) as import('@tensorflow/tfjs-core').Tensor2D;
    expect(() => model.predict(y)).toThrow('the model was disposed');
    y.dispose();
  });

  it('refuses a batch whose widest tensor would pass 2^31 - 1 values, before computing anything', async () => {
    const wide = onlyModel('model wide { input 1 dense 1000 output 1 }').graph;
    const model = (await moduleFor(optimize(wide))).load(writeSafetensors(testWeights(wide, 1)));
    const batch = Math.floor((2 ** 31 - 1) / 1000) + 1;
    const x = tf.zeros([batch, 1]) as import('@tensorflow/tfjs-core').Tensor2D;
    const before = tf.memory().numTensors;
    expect(() => model.predict(x)).toThrow(`predict: a batch of ${batch} needs ${batch * 1000} values in one tensor, more than 2^31 - 1: split the batch`);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });

  it('exports its sizes and its MACs', () => {
    // rows 2 and 4; sub1 2*2, sub2 (4+2)*2, output 4*3
    expect([module.inputSize, module.outputSize, module.macs]).toEqual([6, 3, 4 + 12 + 12]);
  });
});
