import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../support/cli.js';
import { WeightsError } from '../../src/tensor/errors.js';
import { describe, expect, it } from 'vitest';
import { initMemoryProblem, initWeights, randomizeBatchnorm } from '../../src/weights/init.js';
import { writeSafetensors } from '../../src/weights/safetensors.js';
import { checkWeights } from '../../src/weights/validate.js';
import { tensorSpecs } from '../../src/ir/tensors.js';
import { graphOf, sampleGraph } from './helpers.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('initWeights', () => {
  const graph = sampleGraph('mnist_cnn.spinal', 'mnist_cnn_spinal');

  it('gives every tensor the model needs, with its shape', () => {
    const weights = initWeights(graph, 1);
    expect(() => checkWeights(weights, tensorSpecs(graph))).not.toThrow();
    expect(weights.get('spinal1.sub2.weight')!.shape).toEqual([8, 168]);
  });

  it("draws a Linear's weight and bias uniformly within 1/sqrt(in)", () => {
    const weights = initWeights(graph, 1);
    for (const [name, fanIn] of [['spinal1.sub1.weight', 160], ['spinal1.sub3.weight', 168], ['output.weight', 48], ['output.bias', 48]] as const) {
      const data = Array.from(weights.get(name)!.data);
      const bound = 1 / Math.sqrt(fanIn);
      expect(data.every((v) => Math.abs(v) <= Math.fround(bound))).toBe(true);
      expect(Math.max(...data.map(Math.abs))).toBeGreaterThan(0.7 * bound);
      expect(data.some((v) => v < 0) && data.some((v) => v > 0)).toBe(true);
    }
  });

  it('is deterministic: the same seed gives the same bytes, another seed others', () => {
    expect(writeSafetensors(initWeights(graph, 1))).toEqual(writeSafetensors(initWeights(graph, 1n)));
    expect(writeSafetensors(initWeights(graph, 2))).not.toEqual(writeSafetensors(initWeights(graph, 1)));
  });

  it('gives the same bytes on every machine (golden hash)', () => {
    expect(sha256(writeSafetensors(initWeights(graph, 1)))).toBe('b72a0ccde8f966bcc4c4d94a2e3ba28fd9d1a388ea56d62e7f5829367ec414a2');
  });

  it('draws the values the algorithm gives when worked out independently (a Python transcription)', () => {
    // splitmix64(seed ^ fnv1a64("output.bias")) seeds xoshiro128**; u = (next >>> 8) / 2^24;
    // value = float32(-b + 2b u) with b = 1/sqrt(48).
    expect(Array.from(initWeights(graph, 1).get('output.bias')!.data.slice(0, 3))).toEqual([0.13135257363319397, 0.13512936234474182, -0.02938290312886238]);
  });

  it("keeps a tensor's values when another layer of the model changes", () => {
    const wide = graphOf('model m { input 320\n spinal { width 8\n layers 6 }\n output 12 }');
    expect(initWeights(wide, 1).get('spinal1.sub4.weight')).toEqual(initWeights(graph, 1).get('spinal1.sub4.weight'));
  });

  it("sets batchnorm to PyTorch's defaults", () => {
    const weights = initWeights(sampleGraph('mnist_vgg5.spinal'), 3);
    expect(Array.from(new Set(weights.get('spinal1.sub1.bn.weight')!.data))).toEqual([1]);
    expect(Array.from(new Set(weights.get('spinal1.sub4.bn.bias')!.data))).toEqual([0]);
    expect(Array.from(new Set(weights.get('spinal1.sub2.bn.running_mean')!.data))).toEqual([0]);
    expect(Array.from(new Set(weights.get('spinal1.sub3.bn.running_var')!.data))).toEqual([1]);
  });

  it('initializes standalone batchnorm and dense layers too', () => {
    const g = graphOf('model m { input 6\n dense 5 tanh\n batchnorm\n output 2 }');
    const weights = initWeights(g, 4);
    expect([...weights.keys()].sort()).toEqual(tensorSpecs(g).map((s) => s.name).sort());
    expect(Array.from(weights.get('batchnorm1.running_var')!.data)).toEqual([1, 1, 1, 1, 1]);
    expect(Array.from(weights.get('dense1.weight')!.data).every((v) => Math.abs(v) <= 1 / Math.sqrt(6))).toBe(true);
  });

  it('refuses seeds that are not integers in [0, 2^64)', () => {
    expect(() => initWeights(graph, -1)).toThrow(RangeError);
    expect(() => initWeights(graph, 1.5)).toThrow(RangeError);
    expect(() => initWeights(graph, 1n << 64n)).toThrow(RangeError);
    expect(() => initWeights(graph, (1n << 64n) - 1n)).not.toThrow();
  });
});

describe('random batchnorm statistics', () => {
  const graph = sampleGraph('mnist_vgg5.spinal');

  it('are non-trivial and plausible: gamma around 1, beta and mean around 0, variance positive', () => {
    const weights = initWeights(graph, 5, { batchnorm: 'random' });
    const values = (name: string) => Array.from(weights.get(name)!.data);
    for (let j = 1; j <= 4; j++) {
      const gamma = values(`spinal1.sub${j}.bn.weight`);
      const beta = values(`spinal1.sub${j}.bn.bias`);
      const mean = values(`spinal1.sub${j}.bn.running_mean`);
      const variance = values(`spinal1.sub${j}.bn.running_var`);
      expect(gamma.every((v) => v >= 0.5 && v <= 1.5) && new Set(gamma).size > 100).toBe(true);
      expect(beta.every((v) => v >= -0.5 && v <= 0.5) && beta.some((v) => v !== 0)).toBe(true);
      expect(mean.every((v) => v >= -0.5 && v <= 0.5) && mean.some((v) => v !== 0)).toBe(true);
      expect(variance.every((v) => v >= 0.5 && v <= 2) && variance.some((v) => v !== 1)).toBe(true);
    }
    expect(values('spinal1.sub1.bn.weight')).not.toEqual(values('spinal1.sub2.bn.weight'));
  });

  it('leave the Linear tensors alone and the originals untouched', () => {
    const base = initWeights(graph, 5);
    const randomized = randomizeBatchnorm(base, graph, 9);
    expect(randomized.get('spinal1.sub1.weight')).toBe(base.get('spinal1.sub1.weight'));
    expect(Array.from(new Set(base.get('spinal1.sub1.bn.weight')!.data))).toEqual([1]);
    expect(randomizeBatchnorm(base, graph, 9)).toEqual(randomized);
  });
});

describe('the memory init needs, checked before allocating', () => {
  it('refuses a file past what one buffer holds, and a model past the machine\'s memory', () => {
    const huge = graphOf('model big { input 2147483646 output 1 }');
    expect(initMemoryProblem(huge)).toBe("model 'big' has 2,147,483,647 parameters: its weights file would be 8.0 GiB, more than the 4.0 GiB spinal writes and reads in one piece");
    expect(() => initWeights(huge, 1)).toThrow(WeightsError);
    const large = graphOf('model large { input 100000000 output 2 }');
    expect(initMemoryProblem(large, 2 ** 31)).toBe("model 'large' has 200,000,002 parameters: making its 0.7 GiB weights file takes about 2.2 GiB of memory, and this machine has 2.0 GiB");
    expect(initMemoryProblem(large, 2 ** 34)).toBeUndefined();
  });

  it('makes init exit 1 with that message, after a moment, not gigabytes later', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spinal-init-big-'));
    try {
      writeFileSync(join(dir, 'big.spinal'), 'model big { input 2147483646 output 1 }\n');
      const r = await run('init', join(dir, 'big.spinal'), '--seed', '1', '--out', join(dir, 'w.safetensors'));
      expect(r).toEqual({ code: 1, stdout: '', stderr: "spinal: model 'big' has 2,147,483,647 parameters: its weights file would be 8.0 GiB, more than the 4.0 GiB spinal writes and reads in one piece\n" });
      expect(readdirSync(dir)).toEqual(['big.spinal']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

