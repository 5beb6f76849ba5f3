import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, type CompiledModel } from '../../src/compile.js';
import { count } from '../../src/passes/count.js';
import { modelReport } from '../../src/report/model-report.js';
import { onlyModel } from '../support/front.js';
import { SAMPLES_DIR } from '../support/samples.js';

function sample(file: string, name: string): CompiledModel {
  const compiled = compile({ path: file, text: readFileSync(join(SAMPLES_DIR, file), 'utf8') });
  expect(compiled.diagnostics).toEqual([]);
  return compiled.models.find((m) => m.spec.name === name)!;
}

const LANGUAGE_EXAMPLE = `model mnist_spinal(w = 50, depth = 4) {
  input 784
  spinal { split 1:1 width w layers depth activation relu dropout 0.5 }
  output 10
}`;

describe('MAC counts of the samples', () => {
  it.each([
    ['mnist_cnn.spinal', 'mnist_cnn_spinal', 8_480],
    ['mnist_vgg5.spinal', 'mnist_vgg5_spinal', 119_808],
    ['cifar10_cnn.spinal', 'cifar10_cnn_spinal', 1_102_848],
    ['cifar100_cnn.spinal', 'cifar100_cnn_spinal', 2_396_160],
    ['vgg19_cifar10.spinal', 'vgg19_spinal', 1_331_200],
    ['mnist_cnn.spinal', 'mnist_cnn_default', 16_500],
    ['vgg19_cifar10.spinal', 'vgg19_default', 18_915_328],
    ['mnist_pixels.spinal', 'mnist_spinal', 392 * 32 + 3 * (392 + 32) * 32 + 128 * 10],
    ['mnist_pixels.spinal', 'mnist_dense', 784 * 128 + 128 * 10],
    ['mnist_pixels.spinal', 'mnist_mlp', 784 * 69 + 69 * 10],
  ])('%s %s: %i MACs', (file, name, macs) => {
    expect(count(sample(file, name).graph).macs).toBe(BigInt(macs));
  });

  it("the three-row figure: rows of 4, sub-layers 4*4 + 2 * (4+4)*4, output 12*2", () => {
    expect(count(sample('three_rows.spinal', 'three_rows').graph).macs).toBe(BigInt(4 * 4 + 2 * (8 * 4) + 12 * 2));
  });

  it('the example of LANGUAGE.md: 392*50 + 3*(392+50)*50 + 200*10 = 87,900', () => {
    // The figure LANGUAGE.md states, written out: the test fails if the document or the count is wrong.
    expect(count(onlyModel(LANGUAGE_EXAMPLE).graph).macs).toBe(87_900n);
  });
});

describe('parameters and the dense baseline', () => {
  it('counts weights and biases of the LANGUAGE.md example, and its baseline 784 -> 200 -> 10', () => {
    const r = modelReport(onlyModel(LANGUAGE_EXAMPLE));
    expect(r.parameters).toBe(392 * 50 + 50 + 3 * (442 * 50 + 50) + 200 * 10 + 10);
    expect(r.baseline).toEqual({ macs: 784 * 200 + 200 * 10, parameters: 784 * 200 + 200 + 200 * 10 + 10 });
    expect(r.flops).toBe(2 * 87_900);
    expect(r.ratio).toBeCloseTo(87_900 / 158_800, 12);
  });

  it('counts batchnorm as 2 parameters a feature and no MACs; the baseline keeps the batchnorm', () => {
    const r = modelReport(sample('mnist_vgg5.spinal', 'mnist_vgg5_spinal'));
    const sub = (inputs: number) => inputs * 128 + 128 + 2 * 128;
    expect(r.parameters).toBe(sub(128) + 3 * sub(256) + 512 * 10 + 10);
    expect(r.baseline).toEqual({ macs: 256 * 512 + 512 * 10, parameters: 256 * 512 + 512 + 2 * 512 + 512 * 10 + 10 });
  });

  it('a model without spinal blocks is its own baseline', () => {
    const r = modelReport(sample('vgg19_cifar10.spinal', 'vgg19_default'));
    expect(r.baseline).toEqual({ macs: r.macs, parameters: r.parameters });
    expect(r.parameters).toBe(512 * 4096 + 4096 + 4096 * 4096 + 4096 + 4096 * 10 + 10);
  });

  it('the baseline of a block after a dense layer reads the dense output', () => {
    const r = modelReport(onlyModel('model m { input 10 dense 6 spinal { split 1:2 width 3 layers 2 } output 2 }'));
    // spinal rows of 2 and 4: 2*3 + (4+3)*3; baseline 6 -> 6
    expect(r.macs).toBe(10 * 6 + 2 * 3 + 7 * 3 + 6 * 2);
    expect(r.baseline.macs).toBe(10 * 6 + 6 * 6 + 6 * 2);
  });
});

describe('per-layer rows', () => {
  const models: [string, string][] = [
    ['mnist_cnn.spinal', 'mnist_cnn_spinal'],
    ['mnist_vgg5.spinal', 'mnist_vgg5_spinal'],
    ['vgg19_cifar10.spinal', 'vgg19_default'],
    ['three_rows.spinal', 'three_rows_interleaved'],
  ];

  it.each(models)('%s %s: rows add up to the totals', (file, name) => {
    const r = modelReport(sample(file, name));
    expect(r.layers.reduce((a, l) => a + l.macs, 0)).toBe(r.macs);
    expect(r.layers.reduce((a, l) => a + l.parameters, 0)).toBe(r.parameters);
  });

  it('lists one row per Linear, a spinal batchnorm merged into its sub-layer', () => {
    const r = modelReport(sample('mnist_vgg5.spinal', 'mnist_vgg5_spinal'));
    expect(r.layers.map((l) => [l.layer, l.kind, l.inFeatures, l.outFeatures, l.macs, l.parameters])).toEqual([
      ['spinal1.sub1', 'spinal', 128, 128, 16_384, 16_768],
      ['spinal1.sub2', 'spinal', 256, 128, 32_768, 33_152],
      ['spinal1.sub3', 'spinal', 256, 128, 32_768, 33_152],
      ['spinal1.sub4', 'spinal', 256, 128, 32_768, 33_152],
      ['output', 'output', 512, 10, 5_120, 5_130],
    ]);
  });

  it('a standalone batchnorm is its own row', () => {
    const r = modelReport(onlyModel('model m { input 4 dense 3 batchnorm output 2 }'));
    expect(r.layers.map((l) => [l.layer, l.kind, l.macs, l.parameters])).toEqual([
      ['dense1', 'dense', 12, 15],
      ['batchnorm1', 'batchnorm', 0, 6],
      ['output', 'output', 6, 8],
    ]);
  });

  it('counts exactly beyond 2^32 (BigInt sums)', () => {
    const g = onlyModel('model m { input 2000000000 output 3 }', { limits: { maxSize: 2 ** 31 - 1, maxLayers: 4096, maxParameters: 2 ** 40, maxMacs: 2 ** 53 - 1 } }).graph;
    expect(count(g).macs).toBe(6_000_000_000n);
    expect(count(g).parameters).toBe(6_000_000_003n);
  });
});
