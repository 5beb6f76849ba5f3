import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { grid, parseSweep, SweepError } from '../../src/report/sweep.js';
import { runSweep, SweepPointError } from '../../src/report/run-sweep.js';

const vgg = { path: 'samples/vgg19_cifar10.spinal', text: readFileSync('samples/vgg19_cifar10.spinal', 'utf8') };
const mnist = { path: 'samples/mnist_cnn.spinal', text: readFileSync('samples/mnist_cnn.spinal', 'utf8') };

describe('parseSweep', () => {
  it('includes the end and defaults the step to 1', () => {
    expect(parseSweep('w=8:64:8').values).toEqual([8, 16, 24, 32, 40, 48, 56, 64]);
    expect(parseSweep('depth=2:5')).toEqual({ name: 'depth', values: [2, 3, 4, 5] });
    expect(parseSweep('w=8:60:8').values.at(-1)).toBe(56);
    expect(parseSweep('p=0.1:0.5:0.1').values).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(parseSweep('w=3:3').values).toEqual([3]);
  });

  it.each(['w', 'w=1', 'w=a:b', 'w=5:1', 'w=1:5:0', 'w=1:5:-1', 'w=-1:5', '1w=1:2', 'w=0:1e9'])('refuses %s', (text) => {
    expect(() => parseSweep(text)).toThrow(SweepError);
  });
});

describe('grid', () => {
  it('is the cross product, first axis slowest', () => {
    expect(grid([parseSweep('a=1:2'), parseSweep('b=10:30:10')])).toEqual([
      { a: 1, b: 10 }, { a: 1, b: 20 }, { a: 1, b: 30 }, { a: 2, b: 10 }, { a: 2, b: 20 }, { a: 2, b: 30 },
    ]);
    expect(grid([])).toEqual([{}]);
    expect(() => grid([parseSweep('a=1:2'), parseSweep('a=3:4')])).toThrow(/swept twice/);
    expect(() => grid([parseSweep('a=1:1000'), parseSweep('b=1:1000')])).toThrow(/grid points/);
  });
});

describe('runSweep', () => {
  it('evaluates every grid point with exact counts', () => {
    const rows = runSweep({ sources: [vgg], model: 'vgg19_spinal', axes: [parseSweep('w=64:512:64')] });
    expect(rows.map((r) => r.point)).toEqual([64, 128, 192, 256, 320, 384, 448, 512].map((w) => ({ w })));
    for (const r of rows) {
      const w = r.point!.w;
      // 256w + 3 (256 + w) w + 4w * 10 MACs; the baseline 512 * 4w + 4w * 10
      expect(r.report.macs).toBe(3 * w * w + 1064 * w);
      expect(r.report.parameters).toBe(3 * w * w + 1064 * w + 4 * w + 10);
      expect(r.vs).toMatchObject({ kind: 'dense baseline', macs: 2088 * w });
    }
  });

  it('crosses two parameters, keeps --set values, and compares with a --vs model at each point', () => {
    const rows = runSweep({ sources: [mnist], model: 'mnist_cnn_spinal', axes: [parseSweep('w=4:8:4'), parseSweep('depth=2:4')], vs: ['mnist_cnn_default'] });
    expect(rows).toHaveLength(6);
    const at = rows.find((r) => r.point!.w === 8 && r.point!.depth === 3)!;
    expect(at.report.params).toEqual({ w: 8, depth: 3 });
    expect(at.report.macs).toBe(160 * 8 + 2 * 168 * 8 + 24 * 10);
    expect(at.vs).toMatchObject({ name: 'mnist_cnn_default', macs: 16500 });
    const fixed = runSweep({ sources: [mnist], model: 'mnist_cnn_spinal', axes: [parseSweep('w=4:5')], set: { depth: 2 } });
    expect(fixed.map((r) => r.report.params)).toEqual([{ w: 4, depth: 2 }, { w: 5, depth: 2 }]);
  });

  it('reports progress once per point', () => {
    const calls: number[][] = [];
    runSweep({ sources: [mnist], model: 'mnist_cnn_spinal', axes: [parseSweep('w=1:3')], progress: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([[1, 3], [2, 3], [3, 3]]);
  });

  it('refuses a parameter the model lacks and a point that does not compile', () => {
    expect(() => runSweep({ sources: [mnist], model: 'mnist_cnn_spinal', axes: [parseSweep('width=1:2')] })).toThrow(/no parameter 'width'; it has w, depth/);
    expect(() => runSweep({ sources: [mnist], model: 'mnist_cnn_spinal', axes: [parseSweep('w=0:1')] })).toThrow(SweepPointError);
    expect(() => runSweep({ sources: [mnist], model: 'nope', axes: [parseSweep('w=1:2')] })).toThrow(/no model 'nope'/);
  });
});
