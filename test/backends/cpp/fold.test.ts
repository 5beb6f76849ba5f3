// Batchnorm folding is written once for TypeScript (foldLinear in
// src/runtime/safetensors-loader.ts: the interpreter, the tfjs module and the WGSL host
// all run it) and mirrored in the C++ runtime (build_dense in templates/cpp/runtime.hpp). Here
// both fold the same model, with batchnorms before a Linear (interleaved rows: a stride) and
// after it, and statistics far from the identity, and give the same numbers.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDriver } from '../../../src/backends/cpp/toolchain.js';
import type { DenseNode } from '../../../src/ir/graph.js';
import { optimize } from '../../../src/passes/optimize.js';
import { onlyModel } from '../../support/front.js';
import { scratch } from '../../support/scratch.js';
import { errorOf, TOLERANCE, withWeights } from './helpers.js';

const graph = optimize(onlyModel(`model folds {
  input 12
  batchnorm
  spinal { split 1:1:1 interleaved; width 5; layers 3; activation linear; batchnorm }
  dense 7 linear
  batchnorm
  output 3
}`).graph);

describe('batchnorm folding, TypeScript and C++', () => {
  const dense = graph.nodes.filter((n): n is DenseNode => n.op === 'dense');
  const dir = scratch('cpp-fold');
  const [model] = withWeights(dir, [graph], 11);
  let bin = '';
  beforeAll(async () => {
    bin = await buildDriver(dir, [{ graph }]);
  });

  it('has folds before a Linear with a stride, and after one', () => {
    expect(dense.some((n) => n.foldIn.some((f) => f.stride > 1))).toBe(true);
    expect(dense.some((n) => n.foldOut.length > 0)).toBe(true);
  });

  it('gives the numbers of foldLinear (through the interpreter) on both paths of the C++ kernels', async () => {
    for (const batch of [1, 9, 40]) expect(await errorOf(bin, 0, model!, batch)).toBeLessThanOrEqual(TOLERANCE);
  });
});
