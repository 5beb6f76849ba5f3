// The weights loader of the generated TypeScript modules, tested as itself: every shared hostile
// file refused with a WeightsError naming the tensor, the one policy for tensors (exactly the
// canonical ones; a dropped sub-layer's must be there and is not used), the folding arithmetic
// on numbers worked by hand, and the file copied byte for byte into the tfjs module and the
// WGSL host.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldLinear, readWeights, WeightsError, type LinearSpec, type TensorSpec } from '../../../src/runtime/safetensors-loader.js';
import { LOADER_PATH, loaderSource } from '../../../src/backends/runtime/embed.js';
import { emitTfjs } from '../../../src/backends/tfjs/index.js';
import { emitWgsl } from '../../../src/backends/wgsl/index.js';
import { tensorSpecs } from '../../../src/ir/tensors.js';
import { optimize } from '../../../src/passes/optimize.js';
import { readSafetensors, writeSafetensors } from '../../../src/weights/safetensors.js';
import type { Tensor, Weights } from '../../../src/tensor/tensor.js';
import { onlyModel } from '../../support/front.js';
import { hostileCases } from '../../support/hostile-weights.js';
import { randomWeights } from '../../support/random-weights.js';

const graph = optimize(onlyModel('model l { input 6 batchnorm spinal { split 1:2 width 3 layers 2 batchnorm } output 2 }').graph);
const specs: TensorSpec[] = tensorSpecs(graph).map((t) => ({ name: t.name, shape: t.shape }));
const weights = randomWeights(graph, 4);

/** What a generated module does at load: read the file, then fold every Linear of the graph. */
function load(bytes: Uint8Array, tensors: readonly TensorSpec[]): void {
  const file = readWeights(bytes, tensors);
  for (const node of graph.nodes) {
    if (node.op === 'dense') foldLinear({ ...node, units: node.shape[0] }, (name) => file.get(name)!);
  }
}

function refusal(bytes: Uint8Array, tensors: readonly TensorSpec[] = specs): WeightsError {
  try {
    load(bytes, tensors);
  } catch (e) {
    expect(e).toBeInstanceOf(WeightsError);
    return e as WeightsError;
  }
  throw new Error('the file was accepted');
}

describe('readWeights', () => {
  it('reads a canonical file as the compiler does, in float32', () => {
    const bytes = writeSafetensors(weights);
    const read = readWeights(bytes, specs);
    const reference = readSafetensors(bytes);
    expect([...read.keys()].sort()).toEqual([...reference.keys()].sort());
    for (const [name, values] of read) expect(Float64Array.from(values)).toEqual(Float64Array.from(reference.get(name)!.data));
  });

  it.each(hostileCases(weights).map((c) => [c.title, c] as const))('refuses %s, naming the tensor at fault', (_, c) => {
    const error = refusal(c.bytes);
    expect(error.name).toBe('WeightsError');
    expect(error.message).toMatch(/^weights: /);
    if (c.tensor) expect(error.message).toContain(`'${c.tensor}'`);
    if (c.phrase) expect(error.message).toContain(c.phrase);
  });

  it('names every missing, misshapen and unexpected tensor at once', () => {
    const edited = new Map<string, Tensor>(weights);
    edited.delete('output.bias');
    edited.set('spinal1.sub1.weight', { shape: [3, 1], data: new Float64Array(3) });
    edited.set('spinal1.sub3.weight', { shape: [1], data: new Float64Array(1) });
    const message = refusal(writeSafetensors(edited)).message;
    expect(message.split('\n').slice(1)).toEqual([
      "  missing tensor 'output.bias' (expected shape [2])",
      "  tensor 'spinal1.sub1.weight': expected shape [3, 2], found [3, 1]",
      "  unexpected tensor 'spinal1.sub3.weight' (shape [1]): the model has no tensor of that name",
    ]);
  });

  it("wants the tensors of a sub-layer the optimizer dropped, and does not use them", () => {
    const dead = onlyModel('model dead { input 6 spinal { width 3 layers 2 } spinal { split 1:1 width 2 layers 1 } output 2 }').graph;
    const optimized = optimize(dead);
    expect(optimized.nodes.some((n) => n.id === 'spinal1.sub2')).toBe(false);
    const all = tensorSpecs(optimized);
    const file = randomWeights(dead, 1);
    expect(readWeights(writeSafetensors(file), all).size).toBe(all.length);
    const without: Weights = new Map([...file].filter(([name]) => !name.startsWith('spinal1.sub2.')));
    expect(() => readWeights(writeSafetensors(without), all)).toThrow(WeightsError);
    expect(() => readWeights(writeSafetensors(without), all)).toThrow("missing tensor 'spinal1.sub2.weight'");
  });
});

describe('foldLinear', () => {
  // W = [[1, 2], [3, 4]], b = [1, -1]; a batchnorm before column 1 (feature 0 of a 1-feature
  // batchnorm: scale 2, shift 1), then one after (scale 0.5 and 3, shift 0 and -2).
  const values: Record<string, number[]> = {
    w: [1, 2, 3, 4], b: [1, -1],
    g1: [2], b1: [1], m1: [0], v1: [1],
    g2: [0.5, 3], b2: [0, -2], m2: [0, 0], v2: [1, 1],
  };
  const tensor = (name: string) => values[name]!;
  const bn = (k: 1 | 2) => ({ gamma: `g${k}`, beta: `b${k}`, mean: `m${k}`, variance: `v${k}`, eps: 0 });
  const spec: LinearSpec = { weight: 'w', bias: 'b', units: 2, inFeatures: 2, foldIn: [{ column: 1, count: 1, feature: 0, stride: 1, bn: bn(1) }], foldOut: [bn(2)] };

  it('folds a batchnorm before and one after, as materialize.ts documents', () => {
    // Before: b += W[:, 1] * 1 -> [3, 3]; W[:, 1] *= 2 -> [[1, 4], [3, 8]].
    // After: W[o, :] *= scale[o] -> [[0.5, 2], [9, 24]]; b = b * scale + shift -> [1.5, 7].
    const { weight, bias } = foldLinear(spec, tensor);
    expect([...weight]).toEqual([0.5, 2, 9, 24]);
    expect([...bias]).toEqual([1.5, 7]);
  });

  it('refuses a running variance with var + eps <= 0, naming the tensor and the index', () => {
    values.v2 = [1, -0];
    expect(() => foldLinear(spec, tensor)).toThrow("weights: tensor 'v2' holds 0 at index 1: a running variance must be greater than -eps (0)");
    values.v2 = [1, 1];
  });
});

describe('the loader in generated code', () => {
  it('is the file itself, byte for byte, at the end of the tfjs module and of the WGSL host', () => {
    const source = loaderSource();
    expect(source).toBe(`${readFileSync(join(import.meta.dirname, '..', '..', '..', LOADER_PATH), 'utf8').trimEnd()}\n`);
    const tfjs = emitTfjs(graph)[0]!.contents as string;
    const host = emitWgsl(graph).find((f) => f.path.endsWith('.ts'))!.contents as string;
    for (const text of [tfjs, host]) {
      expect(text.endsWith(`\n${source}`)).toBe(true);
      expect(text.indexOf('function readWeights(')).toBe(text.length - source.length + source.indexOf('function readWeights('));
    }
  });
});
