import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseSweep } from '../../src/report/sweep.js';
import { runSweep } from '../../src/report/run-sweep.js';
import { summarize, withAccuracy } from '../../src/report/accuracy.js';
import { accuracyPlotSvg, accuracyPoints } from '../../src/report/accuracy-plot.js';
import { svgProblems, svgTexts } from '../support/svg.js';

const mnist = { path: 'samples/mnist_cnn.spinal', text: readFileSync('samples/mnist_cnn.spinal', 'utf8') };
const costs = runSweep({ sources: [mnist], model: 'mnist_cnn_spinal', axes: [parseSweep('w=4:8:2')] });
const runs = (...accuracies: number[]) => summarize('validation', 2, accuracies.map((accuracy, i) => ({ seed: String(i + 1), accuracy })));
// w=4, 6, 8: MACs grow with w; w=6 is less accurate than w=4, so it is off the frontier.
const rows = withAccuracy(costs, [runs(0.9, 0.92, 0.94), runs(0.88, 0.9, 0.86), runs(0.95, 0.96, 0.97)]);

/** The elements of one vega mark group, by its role and name. */
function markGroup(svg: string, type: string, name: string): string {
  const m = new RegExp(`<g class="mark-${type} role-mark ${name}"[^>]*>([\\s\\S]*?)</g>`).exec(svg);
  if (!m) throw new Error(`no ${type} marks named ${name}`);
  return m[1];
}

describe('accuracy plot', () => {
  it('has one point per trained row, an error bar of one sample std and the frontier flag', () => {
    const points = accuracyPoints(rows);
    expect(points.map((p) => [p.label, p.macs, p.pareto])).toEqual([
      ['w=4', costs[0].report.macs, true], ['w=6', costs[1].report.macs, false], ['w=8', costs[2].report.macs, true],
    ]);
    expect(points[0].mean).toBeCloseTo(0.92, 12);
    expect(points[0].low).toBeCloseTo(0.90, 12);
    expect(points[0].high).toBeCloseTo(0.94, 12);
    expect(accuracyPoints(costs)).toEqual([]);
  });

  it('draws points, error bars with caps, the dashed frontier through the Pareto rows, labels and titles', async () => {
    const svg = await accuracyPlotSvg(rows);
    expect(svgProblems(svg)).toEqual([]);
    const texts = svgTexts(svg);
    expect(texts).toContain('accuracy against MACs');
    expect(texts).toContain('final validation accuracy after 2 epochs, mean and ±1 sample std over seeds 1..3; dashed: the Pareto frontier');
    expect(texts).toContain('validation accuracy');
    expect(texts).toContain('MACs per sample');
    for (const label of ['w=4', 'w=6', 'w=8']) expect(texts).toContain(label);
    // three error bars: vertical lines from mean - std to mean + std
    expect(markGroup(svg, 'rule', 'layer_1_layer_0_marks').match(/<line /g)).toHaveLength(3);
    // caps at both ends
    expect(markGroup(svg, 'rect', 'layer_1_layer_1_marks').match(/<path /g)).toHaveLength(3);
    expect(markGroup(svg, 'rect', 'layer_1_layer_2_marks').match(/<path /g)).toHaveLength(3);
    // the frontier: one dashed path through w=4 and w=8, two points, so one segment
    const frontier = markGroup(svg, 'line', 'layer_0_marks');
    expect(frontier).toContain('stroke-dasharray="6,4"');
    const path = / d="M([-\d.]+),([-\d.]+)L([-\d.]+),([-\d.]+)"/.exec(frontier)!.slice(1).map(Number);
    const symbols = markGroup(svg, 'symbol', 'layer_1_layer_3_marks');
    const centres = [...symbols.matchAll(/transform="translate\(([-\d.]+),([-\d.]+)\)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(centres).toHaveLength(3);
    for (const [got, want] of [[path.slice(0, 2), centres[0]], [path.slice(2), centres[2]]]) {
      expect(got[0]).toBeCloseTo(want[0], 2);
      expect(got[1]).toBeCloseTo(want[1], 2);
    }
    // more accurate is higher on the page
    expect(centres[2][1]).toBeLessThan(centres[0][1]);
    expect(centres[1][1]).toBeGreaterThan(centres[0][1]);
  });

  it('refuses rows that were not trained', async () => {
    await expect(accuracyPlotSvg(costs)).rejects.toThrow('no trained rows to plot');
  });
});
