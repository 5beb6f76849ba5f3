// Models with several inputs through the WGSL backend on a real device, against the interpreter:
// random models with branches and joins (fast-check), and the layouts the planner falls back to
// when one buffer per input or per concatenation would bind more storage buffers than a shader
// may (activations in one buffer, inputs packed side by side by the host, or both). The host
// takes one array per input, by name, and refuses a batch that lacks one or has the wrong size;
// verify target wgsl splits its packed batch into them.
import fc from 'fast-check';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpret } from '../../../src/ir/interpret.js';
import { optimize } from '../../../src/passes/optimize.js';
import { MAX_SOURCE_BUFFERS, planModel } from '../../../src/backends/wgsl/plan.js';
import { hostInputs, wgslTarget } from '../../../src/verify/wgsl.js';
import { readSafetensors, writeSafetensors } from '../../../src/weights/safetensors.js';
import type { Graph } from '../../../src/ir/graph.js';
import { compileModel, randomMultiInputModel } from '../../support/random-model.js';
import { randomInput, randomWeights } from '../../support/random-weights.js';
import { openTestDevice, type TestDevice } from '../../support/webgpu.js';
import { BATCH_KERNELS, buildHost, optimizedGraphs, worstError } from './helpers.js';

const RUNS = Number(process.env.SPINAL_PROPERTY_RUNS ?? 15);

let gpu: TestDevice;
beforeAll(async () => {
  gpu = await openTestDevice();
});
afterAll(() => gpu?.destroy());

/** Runs the graph's host at batch 1 and at a partial tile, against the interpreter. */
async function expectInterpreterNumbers(graph: Graph, batchKernel: (typeof BATCH_KERNELS)[number], seed: number, batch = 37): Promise<void> {
  const bytes = writeSafetensors(randomWeights(graph, seed));
  const weights = readSafetensors(bytes);
  const model = await (await buildHost(graph)).createModel(gpu.device, bytes, { batchKernel });
  try {
    for (const n of [1, batch]) {
      const x = Float32Array.from(randomInput(graph.inputSize, n, seed + n));
      const actual = await model.predict(hostInputs(graph, x, n), n);
      expect(worstError(actual, interpret(graph, weights, x, n))).toBeLessThanOrEqual(1);
    }
  } finally {
    model.destroy();
  }
  expect(gpu.errors).toEqual([]);
}

it('random models with several inputs agree with the interpreter', async () => {
  await fc.assert(
    fc.asyncProperty(randomMultiInputModel, fc.constantFrom(...BATCH_KERNELS), fc.integer({ min: 5, max: 40 }), fc.nat(1000), async (m, kernel, batch, seed) => {
      await expectInterpreterNumbers(optimize(compileModel(m)), kernel, seed, batch);
    }),
    { numRuns: RUNS, seed: Number(process.env.SPINAL_PROPERTY_SEED ?? 20261202) },
  );
}, 600_000);

/**
 * Inputs (sizes 2, 3, ...) and `blocks` spinal blocks on them (each placed in a buffer of its
 * own); the last layer reads all of them: with one buffer per input and per block, it would
 * bind inputs + blocks storage buffers besides its parameters and output.
 */
function crowded(name: string, inputs: readonly string[], blocks: number): string {
  const lines = inputs.map((x, k) => `  ${x} = input ${k + 2}`);
  const values = [...inputs];
  for (let k = 0; k < blocks; k++) {
    lines.push(`  s${k} = spinal from ${inputs[k % inputs.length]} { split 1; width 1; layers 2; activation tanh }`);
    values.push(`s${k}`);
  }
  lines.push(`  dense 3 relu from ${values.join(', ')}`, '  output 2 softmax');
  return `model ${name} {\n${lines.join('\n')}\n}\n`;
}

describe('layouts within the storage buffers a shader may bind', () => {
  const six = ['a', 'b', 'c', 'd', 'e', 'f'];
  const cases = [
    // Six inputs: they are packed into one buffer.
    { name: 'six_inputs', text: crowded('six_inputs', six, 0), kernel: 'tiled', labels: ['inputs', 'hidden'], inputBuffers: [0, 0, 0, 0, 0, 0] },
    // One input and five blocks: the activations share one buffer.
    { name: 'five_blocks', text: crowded('five_blocks', ['x'], 5), kernel: 'register', labels: ['input', 'activations'], inputBuffers: [0] },
    // Six inputs and five blocks: both.
    { name: 'both', text: crowded('both', six, 5), kernel: 'register', labels: ['inputs', 'activations'], inputBuffers: [0, 0, 0, 0, 0, 0] },
  ] as const;

  it.each(cases)('$name: no layer binds more than the limit', ({ text, labels, inputBuffers }) => {
    const [graph] = optimizedGraphs('crowded.spinal', text);
    const plan = planModel(graph);
    expect(Math.max(...plan.layers.map((l) => l.sources.length))).toBeLessThanOrEqual(MAX_SOURCE_BUFFERS);
    expect(plan.buffers.map((b) => b.label)).toEqual(expect.arrayContaining([...labels]));
    expect(plan.inputs.map((i) => i.buffer)).toEqual(inputBuffers);
    // Packed inputs lie side by side in declaration order.
    expect(plan.inputs.map((i) => i.column)).toEqual(graph.inputs.map((_, k) => graph.inputs.slice(0, k).reduce((n, i) => n + i.size, 0)));
  });

  // On the device: packed inputs alone, and with one activation buffer (what five_blocks uses).
  it.each(cases.filter((c) => c.name !== 'five_blocks'))('$name: runs as the interpreter does ($kernel batch kernel)', async ({ text, kernel }) => {
    const [graph] = optimizedGraphs('crowded.spinal', text);
    await expectInterpreterNumbers(graph, kernel, 5);
  }, 240_000);

  it('gives each input a buffer of its own while they fit', () => {
    const [graph] = optimizedGraphs('crowded.spinal', crowded('three', ['a', 'b', 'c'], 1));
    const plan = planModel(graph);
    expect(plan.inputs).toEqual([
      { name: 'a', size: 2, buffer: 0, column: 0 },
      { name: 'b', size: 3, buffer: 1, column: 0 },
      { name: 'c', size: 4, buffer: 2, column: 0 },
    ]);
    expect(plan.buffers.slice(0, 3)).toEqual([{ label: 'input.a', width: 2 }, { label: 'input.b', width: 3 }, { label: 'input.c', width: 4 }]);
    expect(plan.buffers.map((b) => b.label)).not.toContain('activations');
  });
});

describe('the host of a model with two inputs', () => {
  const [graph] = optimizedGraphs('two.spinal', 'model two { image = input 6\n meta = input 3\n a = spinal from image { split 1:1; width 2; layers 2 }\n dense 4 relu from a, meta\n output 2 }');

  it('takes one array per input by name and refuses a batch that lacks one or has the wrong size', async () => {
    const host = await buildHost(graph);
    expect(host.inputs).toEqual([{ name: 'image', size: 6 }, { name: 'meta', size: 3 }]);
    expect(host.inputSize).toBe(9);
    const model = await host.createModel(gpu.device, writeSafetensors(randomWeights(graph, 2)));
    try {
      const image = new Float32Array(12);
      const meta = new Float32Array(6);
      expect((await model.predict({ image, meta }, 2)).length).toBe(4);
      await expect(model.predict({ image }, 2)).rejects.toThrow("predict: input 'meta' must be a Float32Array, got undefined");
      await expect(model.predict({ image, meta: new Float32Array(5) }, 2)).rejects.toThrow("predict: input 'meta' expected 2 x 3 = 6 values, got 5");
      await expect(model.predict(new Float32Array(18), 2)).rejects.toThrow("predict: input 'image' must be a Float32Array, got undefined");
    } finally {
      model.destroy();
    }
    expect(gpu.errors).toEqual([]);
  }, 120_000);

  it('runs in verify target wgsl, which splits the packed batch into the inputs', async () => {
    const bytes = writeSafetensors(randomWeights(graph, 4));
    const x = Float32Array.from(randomInput(graph.inputSize, 6, 9));
    mkdirSync(join('test', '.out', 'wgsl'), { recursive: true });
    const workDir = mkdtempSync(join('test', '.out', 'wgsl', 'verify-'));
    const y = await wgslTarget.run({ graph, weightsBytes: bytes, x, batch: 6, workDir });
    expect(worstError(y, interpret(graph, readSafetensors(bytes), x, 6))).toBeLessThanOrEqual(1);
  }, 120_000);
});
