import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accuracyMetric, trainTargets, type FinishedRun } from '../../src/sweep/train-sweep.js';
import { sampleStd } from '../../src/report/accuracy.js';
import { scratch } from '../support/scratch.js';

const dir = scratch('train-sweep');
const data = join(dir, 'd.csv');
// 64 samples, 4 features, 2 classes by the sign of the first feature
writeFileSync(data, Array.from({ length: 64 }, (_, n) => {
  const x = [Math.sin(n * 1.7), Math.cos(n * 0.9), Math.sin(n * 0.3), Math.cos(n * 2.3)];
  return `${x.map((v) => v.toFixed(4)).join(',')},${x[0] > 0 ? 1 : 0}`;
}).join('\n'));
const source = { path: 'two.spinal', text: 'model two {\n  input 4\n  spinal {\n    width 2\n    layers 2\n  }\n  output 2\n}\n' };
const settings = { epochs: 3, batch: 8, optimizer: 'adam', lr: 1e-2, momentum: 0, weightDecay: 0, loss: 'cross-entropy', backend: 'wasm' } as const;

describe('training every target over seeds', () => {
  it('reports progress up to the number of runs, each finished run, and summaries in target order', async () => {
    const progress: number[] = [];
    const finished: FinishedRun[] = [];
    const summaries = await trainTargets({
      targets: [{ sources: [source], model: 'two', label: 'two' }],
      data: { data },
      validation: { kind: 'split', fraction: 0 },
      settings,
      seeds: 3,
      workers: 2,
      onProgress: (done, total) => {
        expect(total).toBe(3);
        progress.push(done);
      },
      onRun: (run) => finished.push(run),
    });
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1] - 1e-12)).toBe(true);
    expect(progress[progress.length - 1]).toBeCloseTo(3, 12);
    expect(finished.map((r) => r.finished)).toEqual([1, 2, 3]);
    expect(finished.map((r) => r.seed).sort()).toEqual([1n, 2n, 3n]);
    expect(finished.every((r) => r.metric === 'train' && r.total === 3)).toBe(true);
    // nothing held out: the accuracy is the training accuracy, in seed order
    expect(summaries).toHaveLength(1);
    const [summary] = summaries;
    expect(summary.metric).toBe('train');
    expect(summary.epochs).toBe(3);
    expect(summary.runs.map((r) => r.seed)).toEqual(['1', '2', '3']);
    const bySeed = (seed: bigint) => finished.find((r) => r.seed === seed)!.accuracy;
    expect(summary.runs.map((r) => r.accuracy)).toEqual([bySeed(1n), bySeed(2n), bySeed(3n)]);
    expect(summary.std).toBe(sampleStd(summary.runs.map((r) => r.accuracy)));
  });

  it('validation accuracy whenever anything is held out', () => {
    expect(accuracyMetric({ kind: 'split', fraction: 0 })).toBe('train');
    expect(accuracyMetric({ kind: 'split', fraction: 0.1 })).toBe('validation');
    expect(accuracyMetric({ kind: 'data', data: { data: 'mnist:test' } })).toBe('validation');
  });
});
