// NaN and infinity through every target, against the interpreter, which follows PyTorch: NaN
// goes through every activation (relu(NaN) is NaN, not 0), a row of softmax with a NaN or an
// infinity in it is NaN throughout, relu(-inf) is 0, sigmoid(-inf) 0, tanh(+-inf) +-1. A target
// must put NaN and each infinity exactly where the interpreter does, and agree elsewhere within
// the usual tolerance.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onlyModel } from '../support/front.js';
import { optimize } from '../../src/passes/optimize.js';
import { initWeights } from '../../src/weights/init.js';
import { writeSafetensors } from '../../src/weights/safetensors.js';
import { interpret } from '../../src/ir/interpret.js';
import { activate } from '../../src/ir/activations.js';
import { compareOutputs, DEFAULT_TOLERANCE } from '../../src/verify/compare.js';
import { VERIFY_TARGETS } from '../../src/verify/targets.js';

/** Every activation, one layer each, so a special value meets each of them. */
const SOURCE = `model special {
  input 6
  dense 5 relu
  dense 5 leaky_relu
  spinal { width 3 layers 2 activation relu }
  dense 5 tanh
  dense 5 sigmoid
  dense 5 gelu
  dense 5 log_softmax
  output 4 softmax
}`;
const graph = optimize(onlyModel(SOURCE).graph);
const weights = initWeights(onlyModel(SOURCE).graph, 3n);
const weightsBytes = writeSafetensors(weights);

const rows: number[][] = [
  [0.5, -0.25, 0.75, -1, 0.1, 0.3],
  [NaN, -0.25, 0.75, -1, 0.1, 0.3],
  [0.5, Infinity, 0.75, -1, 0.1, 0.3],
  [0.5, -0.25, -Infinity, -1, 0.1, 0.3],
  [Infinity, -Infinity, 0.75, -1, 0.1, 0.3],
  [0.5, -0.25, 0.75, -1, 0.1, NaN],
];
const x = Float32Array.from(rows.flat());
const batch = rows.length;

/** The kinds of value at each place: 'nan', '+inf', '-inf' or 'finite'. */
function kinds(values: ArrayLike<number>): string[] {
  return Array.from(values, (v) => (Number.isNaN(v) ? 'nan' : v === Infinity ? '+inf' : v === -Infinity ? '-inf' : 'finite'));
}

describe('the interpreter follows PyTorch on NaN and infinity', () => {
  it('in every activation', () => {
    const apply = (activation: Parameters<typeof activate>[3], values: number[]) => {
      const v = Float64Array.from(values);
      activate(v, 1, v.length, activation);
      return [...v];
    };
    expect(apply('relu', [NaN, Infinity, -Infinity, -1, 2])).toEqual([NaN, Infinity, 0, 0, 2]);
    expect(apply('leaky_relu', [NaN, Infinity, -Infinity])).toEqual([NaN, Infinity, -Infinity]);
    expect(apply('tanh', [NaN, Infinity, -Infinity])).toEqual([NaN, 1, -1]);
    expect(apply('sigmoid', [NaN, Infinity, -Infinity])).toEqual([NaN, 1, 0]);
    expect(apply('gelu', [NaN, Infinity])).toEqual([NaN, Infinity]);
    expect(apply('softmax', [1, NaN, 2])).toEqual([NaN, NaN, NaN]);
    expect(apply('softmax', [1, Infinity, 2])).toEqual([NaN, NaN, NaN]);
    expect(apply('softmax', [1, -Infinity])).toEqual([1, 0]);
    // torch.log_softmax: NaN and +inf poison the row as in softmax; -inf is log 0; all -inf is NaN
    expect(apply('log_softmax', [1, NaN, 2])).toEqual([NaN, NaN, NaN]);
    expect(apply('log_softmax', [1, Infinity, 2])).toEqual([NaN, NaN, NaN]);
    expect(apply('log_softmax', [1, -Infinity])).toEqual([0, -Infinity]);
    expect(apply('log_softmax', [-Infinity, -Infinity])).toEqual([NaN, NaN]);
    expect(apply('softmax', [-Infinity, -Infinity])).toEqual([NaN, NaN]);
  });

  it('through the model: a NaN anywhere in a sample makes its whole output NaN', () => {
    const y = interpret(graph, weights, x, batch);
    const perRow = (r: number) => kinds(y.subarray(r * 4, r * 4 + 4));
    expect(perRow(0)).toEqual(['finite', 'finite', 'finite', 'finite']);
    expect(perRow(1)).toEqual(['nan', 'nan', 'nan', 'nan']);
    expect(perRow(5)).toEqual(['nan', 'nan', 'nan', 'nan']);
  });
});

describe.each(Object.keys(VERIFY_TARGETS))('target %s on NaN and infinite inputs', (name) => {
  const workRoot = mkdtempSync(join(tmpdir(), `spinal-special-${name}-`));
  afterAll(() => rmSync(workRoot, { recursive: true, force: true }));

  it('puts NaN and infinities where the interpreter does, and agrees elsewhere', async () => {
    const target = await VERIFY_TARGETS[name]();
    const got = await target.run({ graph, weightsBytes, x, batch, workDir: workRoot });
    const want = interpret(graph, weights, x, batch);
    expect(kinds(got)).toEqual(kinds(want));
    const finite = [...want.keys()].filter((i) => Number.isFinite(want[i]));
    expect(compareOutputs(finite.map((i) => got[i]), finite.map((i) => want[i])).maxRelError).toBeLessThanOrEqual(DEFAULT_TOLERANCE);
  }, 240_000);
});
