// Every sample model, run by its generated WGSL on a real (software) WebGPU device, against the
// float64 interpreter: at batch 1 (matrix-vector kernels) and at a batch that leaves partial
// tiles (tiled kernels), with batchnorm statistics far from the identity.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpret } from '../../../src/ir/interpret.js';
import { VERIFY_TARGETS } from '../../../src/verify/targets.js';
import { readSafetensors, writeSafetensors } from '../../../src/weights/safetensors.js';
import { randomInput, randomWeights } from '../../support/random-weights.js';
import { openTestDevice, type TestDevice } from '../../support/webgpu.js';
import { buildHost, optimizedGraphs, worstError } from './helpers.js';

const SAMPLES = join(process.cwd(), 'samples');
const graphs = readdirSync(SAMPLES)
  .filter((f) => f.endsWith('.spinal'))
  .sort()
  .flatMap((file) => optimizedGraphs(file, readFileSync(join(SAMPLES, file), 'utf8')));

let gpu: TestDevice;
beforeAll(async () => {
  gpu = await openTestDevice();
});
afterAll(() => gpu?.destroy());

describe('wgsl backend on the samples', () => {
  it.each(graphs.map((g) => [g.name, g] as const))('%s matches the interpreter', async (_name, graph) => {
    const bytes = writeSafetensors(randomWeights(graph, 7));
    const weights = readSafetensors(bytes);
    const host = await buildHost(graph);
    expect(host.inputSize).toBe(graph.inputSize);
    expect(host.outputSize).toBe(graph.outputSize);
    const model = await host.createModel(gpu.device, bytes);
    try {
      // A partial tile of samples; small for the big models, where the float64 interpreter is slow.
      const macs = graph.nodes.reduce((n, node) => n + (node.op === 'dense' ? node.shape[0] * node.inFeatures : 0), 0);
      for (const batch of [1, macs > 1_000_000 ? 9 : 70]) {
        const x = Float32Array.from(randomInput(graph.inputSize, batch, batch));
        const expected = interpret(graph, weights, x, batch);
        const actual = await model.predict(x, batch);
        expect(worstError(actual, expected)).toBeLessThanOrEqual(1);
      }
    } finally {
      model.destroy();
    }
    expect(gpu.errors).toEqual([]);
  });
});

describe('verify target wgsl', () => {
  it('runs the generated host on its own device and returns the batch', async () => {
    const target = await VERIFY_TARGETS.wgsl();
    const [graph] = graphs.filter((g) => g.name === 'three_rows_interleaved');
    const bytes = writeSafetensors(randomWeights(graph, 11));
    const x = Float32Array.from(randomInput(graph.inputSize, 5, 3));
    mkdirSync(join('test', '.out', 'wgsl'), { recursive: true });
    const workDir = mkdtempSync(join('test', '.out', 'wgsl', 'verify-'));
    const y = await target.run({ graph, weightsBytes: bytes, x, batch: 5, workDir });
    expect(worstError(y, interpret(graph, readSafetensors(bytes), x, 5))).toBeLessThanOrEqual(1);
    expect(readdirSync(workDir).sort()).toEqual(['three_rows_interleaved.mjs', 'three_rows_interleaved.ts', 'three_rows_interleaved.wgsl']);
  });
});
