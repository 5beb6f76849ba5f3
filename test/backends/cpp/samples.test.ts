// Every sample through the C++ backend against the float64 interpreter: through the verify
// target (the path `spinal verify --targets cpp` takes), then at batch sizes that reach every
// kernel path (matrix-vector, tiles with partial rows and panels, blocks of rows and of
// inputs), in chunks of a small Workspace, on several threads sharing one Model, with the
// weights compiled in, and on the AVX2 and portable paths as well as the machine's own.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cppTarget } from '../../../src/verify/cpp.js';
import { verify } from '../../../src/verify/run.js';
import { buildDriver, runDriver } from '../../../src/backends/cpp/toolchain.js';
import { count } from '../../../src/passes/count.js';
import { randomInput } from '../../support/random-weights.js';
import { scratch } from '../../support/scratch.js';
import { errorOf, optimizedSamples, TOLERANCE, withWeights } from './helpers.js';

const graphs = optimizedSamples();

describe('cpp verify target', () => {
  const dir = scratch('cpp-verify');
  it.each(withWeights(dir, graphs.filter((g) => g.name === 'mnist_vgg5_spinal')).map((m) => [m.graph.name, m] as const))(
    '%s passes spinal verify',
    async (_name, m) => {
      const report = await verify({ graph: m.graph, weights: m.weights, weightsBytes: readFileSync(m.path), targets: [cppTarget], batch: 9, seed: 1n });
      expect(report.targets.cpp.error).toBeUndefined();
      expect(report.targets.cpp.ok).toBe(true);
    },
  );
});

describe('cpp backend on every sample (-march=native)', () => {
  const dir = scratch('cpp-samples');
  const models = withWeights(dir, graphs);
  /** Compiling weights in is slow for big models: the small ones show it works. */
  const embedded = (m: (typeof models)[number]) => ['mnist_cnn_spinal', 'three_rows', 'three_rows_interleaved'].includes(m.graph.name);
  let bin = '';
  beforeAll(async () => {
    bin = await buildDriver(dir, models.map((m) => ({ graph: m.graph, weights: embedded(m) ? m.weights : undefined })), { flags: ['-march=native'] });
  });

  // 130 rows: more than one block of rows. The interpreter is slow on the biggest model.
  const batches = (m: (typeof models)[number]) => (count(m.graph).macs < 5_000_000n ? [1, 5, 97, 130] : [1, 5, 33]);
  it.each(models.map((m, i) => [m.graph.name, i] as const))('%s matches the interpreter at batch 1, 5, 33 or 97 and 130', async (_name, i) => {
    for (const batch of batches(models[i])) expect(await errorOf(bin, i, models[i], batch)).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each(models.map((m, i) => [m.graph.name, i] as const))('%s: chunks of a small workspace and 3 threads give the same numbers', async (_name, i) => {
    const m = models[i];
    // Chunks of 8 rows (a whole tile) take the tiled path, as the whole batch does: the same
    // sums in the same order, so the same bits. Chunks of 1 take the matrix-vector path: within
    // tolerance.
    const x = Float32Array.from(randomInput(m.graph.inputSize, 24, 5));
    const whole = await runDriver(bin, i, x, 24, { weightsPath: m.path });
    expect(await runDriver(bin, i, x, 24, { weightsPath: m.path, capacity: 8, threads: 3 })).toEqual(whole);
    expect(await errorOf(bin, i, m, 23, { capacity: 1 })).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each(models.map((m, i) => [m.graph.name, i] as const).filter(([, i]) => embedded(models[i])))('%s: compiled-in weights give the numbers of the file', async (_name, i) => {
    const m = models[i];
    const x = Float32Array.from(randomInput(m.graph.inputSize, 7, 3));
    expect(await runDriver(bin, i, x, 7)).toEqual(await runDriver(bin, i, x, 7, { weightsPath: m.path }));
  });
});

describe.each([
  ['AVX2 + FMA', ['-mavx2', '-mfma', '-mno-avx512f']],
  ['portable', []],
])('cpp backend, %s path', (label, flags) => {
  const dir = scratch('cpp-' + label.replace(/\W+/g, '-'));
  const models = withWeights(dir, graphs.filter((g) => ['mnist_vgg5_spinal', 'cifar10_cnn_spinal', 'three_rows_interleaved'].includes(g.name)));
  let bin = '';
  beforeAll(async () => {
    bin = await buildDriver(dir, models.map((m) => ({ graph: m.graph })), { flags });
  });
  it.each(models.map((m, i) => [m.graph.name, i] as const))('%s matches the interpreter', async (_name, i) => {
    for (const batch of [1, 3, 41]) expect(await errorOf(bin, i, models[i], batch, { capacity: 32 })).toBeLessThanOrEqual(TOLERANCE);
  });
});
