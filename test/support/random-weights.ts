// Random weights for any graph, with batchnorm statistics far from the identity so that
// folding mistakes show up. Deterministic for a given seed.
import type { Graph } from '../../src/ir/graph.js';
import { tensorSpecs } from '../../src/ir/tensors.js';
import type { Tensor } from '../../src/tensor/tensor.js';

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomWeights(graph: Graph, seed: number): Map<string, Tensor> {
  const rand = prng(seed);
  const weights = new Map<string, Tensor>();
  for (const spec of tensorSpecs(graph)) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const fanIn = spec.shape.length === 2 ? spec.shape[1] : 1;
    const bound = 1 / Math.sqrt(fanIn);
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = rand() * 2 - 1;
      if (spec.name.endsWith('running_var')) data[i] = 0.25 + 2 * rand();
      else if (spec.name.endsWith('bn.weight') || /^batchnorm\d+\.weight$/.test(spec.name)) data[i] = 0.5 + rand();
      else data[i] = u * (spec.name.endsWith('running_mean') ? 0.5 : bound * 2);
    }
    weights.set(spec.name, { shape: spec.shape, data });
  }
  return weights;
}

export function randomInput(size: number, batch: number, seed: number): Float64Array {
  const rand = prng(seed);
  return Float64Array.from({ length: size * batch }, () => rand() * 4 - 2);
}
