// `spinal verify`: error measures, the JSON report, exit codes, and a target that is wrong.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../support/cli.js';
import { onlyModel } from '../support/front.js';
import { initWeights } from '../../src/weights/init.js';
import { writeSafetensors } from '../../src/weights/safetensors.js';
import { optimize } from '../../src/passes/optimize.js';
import { compareOutputs } from '../../src/verify/compare.js';
import { randomBatch, verify } from '../../src/verify/run.js';
import { tfjsCpuTarget } from '../../src/verify/tfjs.js';
import type { VerifyTarget } from '../../src/verify/target.js';

const SOURCE = 'model tiny { input 8 batchnorm spinal { split 1:1:1 interleaved; width 3; layers 4; batchnorm; activation gelu } output 3 softmax }\n';
const graph = onlyModel(SOURCE).graph;
const weights = initWeights(graph, 2n, { batchnorm: 'random' });
const roots: string[] = [];

function files(): { spinal: string; weights: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'spinal-verify-test-'));
  roots.push(root);
  writeFileSync(join(root, 'm.spinal'), SOURCE);
  writeFileSync(join(root, 'w.safetensors'), writeSafetensors(weights));
  return { root, spinal: join(root, 'm.spinal'), weights: join(root, 'w.safetensors') };
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('compareOutputs', () => {
  it('measures small values against a tenth of the largest', () => {
    expect(compareOutputs([1.0001, 0], [1, 0])).toEqual({ maxAbsError: expect.closeTo(1e-4, 12), maxRelError: expect.closeTo(1e-4, 12) });
    expect(compareOutputs([10, 0.001], [10, 0]).maxRelError).toBeCloseTo(0.001, 12);
    expect(compareOutputs([2, 0.5], [2, 1]).maxRelError).toBeCloseTo(0.5, 12);
  });

  it('takes NaN against NaN and an infinity against the same one as exact, and measures the rest on the finite values', () => {
    expect(compareOutputs([NaN, Infinity, -Infinity, 1.0001], [NaN, Infinity, -Infinity, 1])).toEqual({ maxAbsError: expect.closeTo(1e-4, 12), maxRelError: expect.closeTo(1e-4, 12) });
    expect(compareOutputs([Infinity, 1], [-Infinity, 1]).maxRelError).toBe(Infinity);
    expect(compareOutputs([1, 1], [Infinity, 1]).maxRelError).toBe(Infinity);
    expect(compareOutputs([Infinity, 1], [NaN, 1]).maxRelError).toBe(Infinity);
  });

  it('counts NaN as an infinite error', () => {
    expect(compareOutputs([NaN], [1]).maxRelError).toBe(Infinity);
  });
});

describe('verify()', () => {
  it('passes the tfjs target and fails a target whose numbers are off', async () => {
    const offByOnePercent: VerifyTarget = {
      name: 'skewed',
      run: async (input) => Float32Array.from(await tfjsCpuTarget.run(input), (v) => v * 1.01),
    };
    const report = await verify({
      graph: optimize(graph), weights, weightsBytes: writeSafetensors(weights),
      targets: [tfjsCpuTarget, offByOnePercent], batch: 4, seed: 9n,
    });
    expect(report.targets.tfjs.ok).toBe(true);
    expect(report.targets.tfjs.maxRelError).toBeLessThan(1e-5);
    expect(report.targets.skewed.ok).toBe(false);
    expect(report.targets.skewed.maxRelError).toBeGreaterThan(5e-3);
  });

  it('reports a target that throws as failed, with its message', async () => {
    const broken: VerifyTarget = { name: 'broken', run: async () => { throw new Error('no device'); } };
    const report = await verify({ graph: optimize(graph), weights, weightsBytes: new Uint8Array(), targets: [broken], batch: 1, seed: 0n });
    expect(report.targets.broken).toEqual({ maxAbsError: null, maxRelError: null, ok: false, error: 'no device' });
  });

  it('draws the same batch for the same seed', () => {
    expect(randomBatch(5, 2, 3n)).toEqual(randomBatch(5, 2, 3n));
    expect(randomBatch(5, 2, 3n)).not.toEqual(randomBatch(5, 2, 4n));
  });
});

describe('spinal verify', () => {
  it('prints the JSON report and exits 0 when every target agrees', async () => {
    const f = files();
    const result = await run('verify', f.spinal, '--weights', f.weights, '--targets', 'tfjs,tfjs-wasm', '--batch', '3', '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    for (const name of ['tfjs', 'tfjs-wasm']) {
      expect(json.targets[name]).toEqual({ maxAbsError: expect.any(Number), maxRelError: expect.any(Number), ok: true });
      expect(json.targets[name].maxRelError).toBeLessThan(1e-4);
    }
  });

  it('prints a table by default', async () => {
    const f = files();
    const result = await run('verify', f.spinal, '--weights', f.weights);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/tfjs\s+ok\s+max abs error \S+\s+max rel error \S+/);
  });

  it('exits 1 on a weights file that does not fit, naming the tensor', async () => {
    const f = files();
    const wrong = new Map(weights);
    wrong.set('output.weight', { shape: [3, 11], data: new Float32Array(33) });
    writeFileSync(f.weights, writeSafetensors(wrong));
    const result = await run('verify', f.spinal, '--weights', f.weights, '--json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("tensor 'output.weight': expected shape [3, 12], found [3, 11]");
  });

  it('exits 1 when a tolerance is missed, and 2 for an unknown target', async () => {
    const f = files();
    const strict = await run('verify', f.spinal, '--weights', f.weights, '--tolerance', '1e-30', '--json');
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout).targets.tfjs.ok).toBe(false);
    expect(strict.stderr).toContain('verification failed: tfjs');
    expect((await run('verify', f.spinal, '--weights', f.weights, '--targets', 'nope')).code).toBe(2);
  });

  it('refuses a batch past its limits before allocating it: a usage error past 65,536, a user error past the model\'s share of memory', async () => {
    const f = files();
    const over = await run('verify', f.spinal, '--weights', f.weights, '--batch', '65537');
    expect(over.code).toBe(2);
    expect(over.stderr).toContain("expected at most 65536, got '65537'");
    const wide = join(f.root, 'wide.spinal');
    writeFileSync(wide, 'model wide { input 4000 output 2 }\n');
    const wideWeights = join(f.root, 'wide.safetensors');
    writeFileSync(wideWeights, writeSafetensors(initWeights(onlyModel('model wide { input 4000 output 2 }').graph, 1n)));
    const big = await run('verify', wide, '--weights', wideWeights, '--batch', '65536');
    expect(big.code).toBe(1);
    expect(big.stderr).toBe("spinal: --batch 65536: a batch of 65536 samples of model 'wide' holds 262406144 activation values, more than the 67108864 verify allows: choose --batch 16760 or less\n");
    await expect(verify({ graph: optimize(onlyModel('model wide { input 4000 output 2 }').graph), weights, weightsBytes: new Uint8Array(), targets: [], batch: 65536, seed: 0n }))
      .rejects.toThrow(RangeError);
  });
});
