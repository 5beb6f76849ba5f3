// Every sample model, run by its generated WGSL on a real (software) WebGPU device, against the
// float64 interpreter: at batch 1 (matrix-vector kernels) and at a batch that leaves partial
// tiles, with each of the two batch kernels forced, and batchnorm statistics far from the identity.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpret } from '../../../src/ir/interpret.js';
import { VERIFY_TARGETS } from '../../../src/verify/targets.js';
import { hostInputs } from '../../../src/verify/wgsl.js';
import { readSafetensors, writeSafetensors } from '../../../src/weights/safetensors.js';
import { randomInput, randomWeights } from '../../support/random-weights.js';
import { openTestDevice, type TestDevice } from '../../support/webgpu.js';
import { BATCH_KERNELS, buildHost, optimizedGraphs, worstError } from './helpers.js';

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
  const cases = graphs.flatMap((g) => BATCH_KERNELS.map((kernel) => [g.name, kernel, g] as const));
  it.each(cases)('%s matches the interpreter (%s batch kernel)', async (_name, kernel, graph) => {
    const bytes = writeSafetensors(randomWeights(graph, 7));
    const weights = readSafetensors(bytes);
    const host = await buildHost(graph);
    expect(host.inputSize).toBe(graph.inputSize);
    expect(host.outputSize).toBe(graph.outputSize);
    const model = await host.createModel(gpu.device, bytes, { batchKernel: kernel });
    expect(model.batchKernel).toBe(kernel);
    try {
      // A partial tile of samples; small for the big models, where the float64 interpreter is slow.
      const macs = graph.nodes.reduce((n, node) => n + (node.op === 'dense' ? node.shape[0] * node.inFeatures : 0), 0);
      for (const batch of [1, macs > 1_000_000 ? 9 : 70]) {
        const x = Float32Array.from(randomInput(graph.inputSize, batch, batch));
        const expected = interpret(graph, weights, x, batch);
        const actual = await model.predict(hostInputs(graph, x, batch), batch);
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

describe('batch kernel choice', () => {
  const info = (fields: Partial<GPUAdapterInfo>) =>
    ({ vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: false, ...fields }) as GPUAdapterInfo;

  it('is register on a software adapter, tiled elsewhere, unless the caller says', async () => {
    const [graph] = graphs.filter((g) => g.name === 'three_rows');
    const host = (await buildHost(graph)) as Awaited<ReturnType<typeof buildHost>> & {
      isSoftwareAdapter(info: GPUAdapterInfo | undefined): boolean;
    };
    expect(host.isSoftwareAdapter(info({ isFallbackAdapter: true }))).toBe(true);
    expect(host.isSoftwareAdapter(info({ vendor: 'mesa', device: 'llvmpipe-llvm-15' }))).toBe(true);
    expect(host.isSoftwareAdapter(info({ description: 'Google SwiftShader' }))).toBe(true);
    expect(host.isSoftwareAdapter(info({ architecture: 'cpu' }))).toBe(true);
    expect(host.isSoftwareAdapter(info({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100 80GB HBM3' }))).toBe(false);
    expect(host.isSoftwareAdapter(info({ vendor: 'amd', architecture: 'rdna-3' }))).toBe(false);
    expect(host.isSoftwareAdapter(undefined)).toBe(false);

    const bytes = writeSafetensors(randomWeights(graph, 5));
    // This machine has no GPU: Dawn runs on lavapipe or llvmpipe, both software.
    const chosen = await host.createModel(gpu.device, bytes);
    expect(chosen.batchKernel).toBe('register');
    chosen.destroy();
    const forced = await host.createModel(gpu.device, bytes, { batchKernel: 'tiled' });
    expect(forced.batchKernel).toBe('tiled');
    forced.destroy();
    await expect(host.createModel(gpu.device, bytes, { batchKernel: 'shared' as 'tiled' })).rejects.toThrow(/batchKernel must be 'tiled' or 'register'/);
    expect(gpu.errors).toEqual([]);
  });
});
