import { describe, expect, it } from 'vitest';
import { importTorchWeights } from '../../src/weights/torch-import.js';
import { mapTorchNames } from '../../src/weights/torch-names.js';
import { initWeights } from '../../src/weights/init.js';
import { checkWeights, weightProblems } from '../../src/weights/validate.js';
import { tensorSpecs } from '../../src/ir/tensors.js';
import type { Tensor, Weights } from '../../src/tensor/tensor.js';
import { encodeSafetensors } from '../../src/weights/safetensors.js';
import { f32Bytes, graphOf, refusal } from './helpers.js';
import { officialStateDict } from './torch-layout.js';

const model = (dropout: boolean, batchnorm: boolean) =>
  graphOf(`model head { input 10\n spinal { split 1:1\n width 4\n layers 3\n ${dropout ? 'dropout 0.5' : ''}\n ${batchnorm ? 'batchnorm' : ''} }\n output 3 }`);

function expectSameWeights(actual: Weights, expected: Weights): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, t] of expected) {
    expect(actual.get(name)!.shape, name).toEqual(t.shape);
    expect(Array.from(actual.get(name)!.data), name).toEqual(Array.from(t.data));
  }
}

describe('importing the official PyTorch layout', () => {
  it.each([
    ['Dropout, Linear, BatchNorm1d, ReLU (the paper\'s VGG code: Linear at 1, batchnorm at 2)', true, true],
    ['Linear, BatchNorm1d, ReLU (Linear at 0, batchnorm at 1)', false, true],
    ['Dropout, Linear, ReLU (Linear at 1)', true, false],
    ['Linear, ReLU (Linear at 0)', false, false],
  ])('maps %s onto canonical names', (_, dropout, batchnorm) => {
    const graph = model(dropout, batchnorm);
    const canonical = initWeights(graph, 11, { batchnorm: 'random' });
    const imported = importTorchWeights(officialStateDict(canonical, { dropout }));
    expectSameWeights(imported.weights, canonical);
    expect(imported.prefix).toBe('');
    expect(imported.unmapped).toEqual([]);
    expect(imported.ignored).toHaveLength(batchnorm ? 3 : 0);
    expect(() => checkWeights(imported.weights, tensorSpecs(graph))).not.toThrow();
  });

  it('maps the batchnorm tensors of the VGG layout to the bn names', () => {
    const graph = model(true, true);
    const imported = importTorchWeights(officialStateDict(initWeights(graph, 1), { dropout: true }));
    expect(imported.weights.has('spinal1.sub2.bn.running_mean')).toBe(true);
    expect(imported.ignored).toContain('fc_spinal_layer2.2.num_batches_tracked');
  });

  it('detects a prefix such as classifier. and accepts it given with or without the dot', () => {
    const canonical = initWeights(model(true, true), 2);
    const file = officialStateDict(canonical, { dropout: true, prefix: 'classifier.' });
    expect(importTorchWeights(file).prefix).toBe('classifier.');
    expectSameWeights(importTorchWeights(file).weights, canonical);
    expectSameWeights(importTorchWeights(file, { prefix: 'classifier' }).weights, canonical);
    expectSameWeights(importTorchWeights(file, { prefix: 'classifier.' }).weights, canonical);
  });

  it('with a nested prefix, leaves the backbone and foreign positions unmapped and names them', () => {
    const canonical = initWeights(model(true, false), 2);
    const file = officialStateDict(canonical, {
      dropout: true,
      prefix: 'module.fc.',
      extra: [
        { name: 'module.features.0.weight', dtype: 'F32', shape: [1, 1, 1, 1], bytes: f32Bytes([1]) },
        { name: 'module.features.1.num_batches_tracked', dtype: 'I64', shape: [], bytes: new Uint8Array(8) },
        { name: 'module.fc.fc_spinal_layer1.4.scale', dtype: 'F32', shape: [1], bytes: f32Bytes([1]) },
        { name: 'module.fc.fc_out.1.scale', dtype: 'F32', shape: [1], bytes: f32Bytes([1]) },
        { name: 'module.fc.fc_spinal_layer01.1.weight', dtype: 'F32', shape: [1, 1], bytes: f32Bytes([1]) },
      ],
    });
    const imported = importTorchWeights(file);
    expect(imported.prefix).toBe('module.fc.');
    expect(imported.unmapped).toEqual([
      'module.fc.fc_out.1.scale',
      'module.fc.fc_spinal_layer01.1.weight',
      'module.fc.fc_spinal_layer1.4.scale',
      'module.features.0.weight',
      'module.features.1.num_batches_tracked',
    ]);
    expectSameWeights(imported.weights, canonical);
  });

  it('does not mistake canonical names for official ones', () => {
    const names = mapTorchNames([{ name: 'spinal1.sub1.weight', shape: [2, 2] }, { name: 'fc_out.0.weight', shape: [2, 2] }]);
    expect([...names.mapping]).toEqual([['fc_out.0.weight', 'output.weight']]);
    expect(names.unmapped).toEqual(['spinal1.sub1.weight']);
  });

  it('accepts modules outside a Sequential (fc_out.weight)', () => {
    const file = encodeSafetensors([
      { name: 'fc_out.weight', dtype: 'F32', shape: [1, 2], bytes: f32Bytes([1, 2]) },
      { name: 'fc_out.bias', dtype: 'F32', shape: [1], bytes: f32Bytes([3]) },
    ]);
    expect([...importTorchWeights(file).weights.keys()].sort()).toEqual(['output.bias', 'output.weight']);
  });

  it('leaves a batchnorm not right after the Linear unmapped', () => {
    const file = encodeSafetensors([
      { name: 'fc_spinal_layer1.0.weight', dtype: 'F32', shape: [1, 1], bytes: f32Bytes([1]) },
      { name: 'fc_spinal_layer1.2.weight', dtype: 'F32', shape: [1], bytes: f32Bytes([1]) },
      { name: 'fc_spinal_layer1.2.running_mean', dtype: 'F32', shape: [1], bytes: f32Bytes([1]) },
    ]);
    const imported = importTorchWeights(file);
    expect(imported.unmapped).toEqual(['fc_spinal_layer1.2.running_mean', 'fc_spinal_layer1.2.weight']);
    expect([...imported.weights.keys()]).toEqual(['spinal1.sub1.weight']);
  });

  it('then lets validation name what the model misses or does not have', () => {
    const graph = model(true, true);
    const canonical = new Map(initWeights(graph, 3));
    canonical.delete('spinal1.sub3.bn.running_var');
    canonical.set('spinal1.sub4.weight', { shape: [4, 9], data: new Float32Array(36) });
    const imported = importTorchWeights(officialStateDict(canonical, { dropout: true }));
    expect(weightProblems(imported.weights, tensorSpecs(graph))).toEqual([
      "missing tensor 'spinal1.sub3.bn.running_var' (shape [4])",
      "unexpected tensor 'spinal1.sub4.weight' (shape [4, 9]): the model has no tensor of that name",
    ]);
  });
});

describe('dtypes of a torch file', () => {
  const graph = model(false, true);

  it('converts F64 (rounded), F16 and BF16 to float32 and says so', () => {
    const canonical = initWeights(graph, 4, { batchnorm: 'random' });
    const f64 = importTorchWeights(officialStateDict(canonical, { dropout: false, dtype: 'F64' }));
    expectSameWeights(f64.weights, canonical);
    expect(new Set(f64.converted.values())).toEqual(new Set(['F64']));
    expect(f64.converted.size).toBe(canonical.size);

    const bf16 = importTorchWeights(officialStateDict(canonical, { dropout: false, dtype: 'BF16' }));
    const w = canonical.get('spinal1.sub1.weight')!.data;
    const back = bf16.weights.get('spinal1.sub1.weight')!.data;
    for (let i = 0; i < w.length; i++) expect(Math.abs(back[i] - w[i])).toBeLessThanOrEqual(Math.abs(w[i]) * 2 ** -7);
  });

  it('decodes F16 values exactly', () => {
    const exact = new Map<string, Tensor>([...initWeights(graph, 4)].map(([name, t]) =>
      [name, { shape: t.shape, data: t.data.map((v) => Math.round(v * 256) / 256) }]));
    expectSameWeights(importTorchWeights(officialStateDict(exact, { dropout: false, dtype: 'F16' })).weights, exact);
  });

  it('refuses an integer tensor where a weight belongs, naming it', () => {
    const file = encodeSafetensors([{ name: 'fc_out.0.weight', dtype: 'I32', shape: [1, 1], bytes: new Uint8Array(4) }]);
    expect(refusal(() => importTorchWeights(file))).toMatch(/tensor 'fc_out.0.weight' has dtype I32/);
  });

  it('refuses NaN naming the source tensor and index, unless allowed', () => {
    const file = encodeSafetensors([{ name: 'fc_out.0.bias', dtype: 'F32', shape: [3], bytes: f32Bytes([0, 1, NaN]) }]);
    expect(refusal(() => importTorchWeights(file))).toMatch(/tensor 'fc_out.0.bias' holds NaN at index 2/);
    expect(importTorchWeights(file, { allowNonFinite: true }).weights.get('output.bias')!.data[2]).toBeNaN();
  });
});

describe('prefixes and ambiguity', () => {
  const raw = (name: string, shape = [1, 1]) => ({ name, dtype: 'F32', shape, bytes: f32Bytes(Array(shape.reduce((a, d) => a * d, 1)).fill(1)) });

  it('refuses a file with no official name at all', () => {
    expect(refusal(() => importTorchWeights(encodeSafetensors([raw('dense.weight')])))).toMatch(/no tensor is named like the official SpinalNet code/);
  });

  it('asks for --prefix when the head appears under several prefixes', () => {
    const file = encodeSafetensors([raw('a.fc_out.0.weight'), raw('b.fc_out.0.weight')]);
    expect(refusal(() => importTorchWeights(file))).toMatch(/several prefixes \('a\.', 'b\.'\); choose one with `prefix`/);
    expect([...importTorchWeights(file, { prefix: 'b.' }).weights.keys()]).toEqual(['output.weight']);
    expect(importTorchWeights(file, { prefix: 'b.' }).unmapped).toEqual(['a.fc_out.0.weight']);
  });

  it('refuses a prefix no tensor has', () => {
    expect(refusal(() => importTorchWeights(encodeSafetensors([raw('fc.fc_out.0.weight')]), { prefix: 'head' }))).toMatch(/no tensor name starts with the prefix 'head\.'/);
  });

  it('refuses a module with a Linear at two positions', () => {
    const file = encodeSafetensors([raw('fc_out.0.weight'), raw('fc_out.1.weight')]);
    expect(refusal(() => importTorchWeights(file))).toMatch(/module 'fc_out' has a Linear at more than one position \('fc_out.0.weight' \[1, 1\], 'fc_out.1.weight' \[1, 1\]\); the official layout has one: name the right ones with `map`/);
  });
});
