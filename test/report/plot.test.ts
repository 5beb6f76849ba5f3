import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseSweep } from '../../src/report/sweep.js';
import { runSweep } from '../../src/report/run-sweep.js';
import { plotPoints, sweepPlotSvg } from '../../src/report/plot.js';
import { svgProblems, svgTexts } from '../support/svg.js';

const vgg = { path: 'samples/vgg19_cifar10.spinal', text: readFileSync('samples/vgg19_cifar10.spinal', 'utf8') };

describe('sweep plot', () => {
  const rows = runSweep({ sources: [vgg], model: 'vgg19_spinal', axes: [parseSweep('w=128:512:128')], vs: ['vgg19_default'] });

  it('has the model, its dense baseline and the --vs model as series, with exact values', () => {
    const points = plotPoints(rows, ['w']);
    expect(new Set(points.map((p) => p.series))).toEqual(new Set(['vgg19_spinal', 'dense baseline', 'vgg19_default']));
    expect(points.filter((p) => p.series === 'vgg19_spinal').map((p) => [p.x, p.macs])).toEqual([128, 256, 384, 512].map((w) => [w, 3 * w * w + 1064 * w]));
    expect(points.find((p) => p.series === 'dense baseline' && p.x === 256)!.parameters).toBe(2088 * 256 + 1024 + 10);
  });

  it('is well-formed SVG with the titles, axes and legend', async () => {
    const svg = await sweepPlotSvg('vgg19_spinal', rows, ['w']);
    expect(svgProblems(svg)).toEqual([]);
    const texts = svgTexts(svg);
    expect(texts).toContain('vgg19_spinal: cost against w');
    expect(texts).toContain('MACs (log scale)');
    expect(texts).toContain('parameters (log scale)');
    expect(texts.filter((t) => t === 'w')).toHaveLength(2);
    for (const series of ['vgg19_spinal', 'dense baseline', 'vgg19_default']) expect(texts).toContain(series);
    // one line per series in each of the two panels
    expect(svg.match(/class="mark-line role-mark concat_0_/g)).toHaveLength(3);
    expect(svg.match(/class="mark-line role-mark concat_1_/g)).toHaveLength(3);
  });

  it('labels the other swept parameters in the series and keeps a linear scale for narrow ranges', async () => {
    const mnist = { path: 'samples/mnist_cnn.spinal', text: readFileSync('samples/mnist_cnn.spinal', 'utf8') };
    const two = runSweep({ sources: [mnist], model: 'mnist_cnn_spinal', axes: [parseSweep('w=8:10'), parseSweep('depth=2:3')] });
    expect(new Set(plotPoints(two, ['w', 'depth']).map((p) => p.series))).toEqual(
      new Set(['mnist_cnn_spinal (depth=2)', 'mnist_cnn_spinal (depth=3)', 'dense baseline (depth=2)', 'dense baseline (depth=3)']),
    );
    const texts = svgTexts(await sweepPlotSvg('mnist_cnn_spinal', two, ['w', 'depth']));
    expect(texts).toContain('MACs');
    expect(texts).toContain('mnist_cnn_spinal (depth=3)');
  });
});
