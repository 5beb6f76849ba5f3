import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compile } from '../../src/compile.js';
import { compareModels, type ComparisonRow } from '../../src/report/compare.js';
import { modelReport } from '../../src/report/model-report.js';
import { mean, paretoFlags, sampleStd, summarize, withAccuracy } from '../../src/report/accuracy.js';
import { comparisonCsv } from '../../src/report/render-csv.js';
import { comparisonMarkdown } from '../../src/report/render-markdown.js';
import { comparisonJson } from '../../src/report/render-json.js';
import { comparisonTable } from '../../src/report/render-terminal.js';

describe('accuracy statistics', () => {
  it('the standard deviation is the sample one (divisor n - 1), none for one seed', () => {
    expect(mean([0.9, 0.92, 0.94])).toBeCloseTo(0.92, 15);
    // deviations -0.02, 0, 0.02: squares sum to 8e-4, over n - 1 = 2 gives 4e-4 (the population std would be 0.01633)
    expect(sampleStd([0.9, 0.92, 0.94])).toBeCloseTo(0.02, 15);
    expect(sampleStd([0.5, 0.7])).toBeCloseTo(Math.SQRT2 * 0.1, 15);
    expect(sampleStd([0.25, 0.25, 0.25, 0.25])).toBe(0);
    expect(sampleStd([0.9])).toBeNull();
    expect(() => mean([])).toThrow(RangeError);
    expect(summarize('validation', 3, [{ seed: '1', accuracy: 0.5 }, { seed: '2', accuracy: 0.7 }])).toEqual({
      metric: 'validation', epochs: 3, runs: [{ seed: '1', accuracy: 0.5 }, { seed: '2', accuracy: 0.7 }], mean: 0.6, std: sampleStd([0.5, 0.7]),
    });
  });

  it('Pareto: on the frontier unless another point is as cheap and as accurate, better in one', () => {
    const points = [
      { macs: 100, accuracy: 0.9 }, // frontier
      { macs: 200, accuracy: 0.95 }, // frontier
      { macs: 150, accuracy: 0.85 }, // fewer MACs and more accurate: 100 / 0.9
      { macs: 200, accuracy: 0.93 }, // same MACs, less accurate than 200 / 0.95
      { macs: 300, accuracy: 0.95 }, // more MACs for the same accuracy as 200 / 0.95
      { macs: 50, accuracy: 0.5 }, // the cheapest is always on it
      { macs: 400, accuracy: 0.97 }, // the most accurate is always on it
      { macs: 400, accuracy: 0.97 }, // and so is its twin
    ];
    expect(paretoFlags(points)).toEqual([true, true, false, false, false, true, true, true]);
    expect(paretoFlags([])).toEqual([]);
  });
});

describe('the comparison with accuracy', () => {
  const path = 'samples/mnist_cnn.spinal';
  const base = compareModels(compile({ path, text: readFileSync(path, 'utf8') }).models.map((m) => ({ file: path, report: modelReport(m) })));
  // mnist_cnn_spinal: 8,480 MACs; mnist_cnn_default: 16,500 MACs
  const rows: ComparisonRow[] = withAccuracy(base, [
    summarize('validation', 2, [{ seed: '1', accuracy: 0.9 }, { seed: '2', accuracy: 0.92 }, { seed: '3', accuracy: 0.94 }]),
    summarize('validation', 2, [{ seed: '1', accuracy: 0.91 }, { seed: '2', accuracy: 0.91 }, { seed: '3', accuracy: 0.91 }]),
  ]);

  it('flags the rows over MACs and mean accuracy', () => {
    expect(rows.map((r) => r.pareto)).toEqual([true, false]);
    const cheaperWorse = withAccuracy(base, [summarize('validation', 2, [{ seed: '1', accuracy: 0.8 }]), summarize('validation', 2, [{ seed: '1', accuracy: 0.9 }])]);
    expect(cheaperWorse.map((r) => r.pareto)).toEqual([true, true]);
    expect(() => withAccuracy(base, [])).toThrow(/0 accuracy summaries for 2 rows/);
  });

  it('CSV: mean and std as fractions, the flag as true or false', () => {
    const lines = comparisonCsv(rows).split('\r\n');
    expect(lines[0]).toBe('model,settings,MACs,parameters,deployed,peak memory,vs,vs MACs,MACs ratio,params ratio,val acc mean,val acc std,Pareto');
    expect(lines[1].split(',').slice(-3)).toEqual([String(mean([0.9, 0.92, 0.94])), String(sampleStd([0.9, 0.92, 0.94])), 'true']);
    expect(lines[2].split(',').slice(-3)).toEqual([String(mean([0.91, 0.91, 0.91])), '0', 'false']);
    const single = withAccuracy(base.slice(0, 1), [summarize('train', 1, [{ seed: '1', accuracy: 0.5 }])]);
    expect(comparisonCsv(single).split('\r\n')[0]).toMatch(/,train acc mean,train acc std,Pareto$/);
    expect(comparisonCsv(single).split('\r\n')[1]).toMatch(/,0\.5,,true$/);
  });

  it('markdown and terminal: percentages, the flag as yes', () => {
    const md = comparisonMarkdown(rows).split('\n');
    expect(md[0]).toMatch(/\| MACs ratio \| params ratio \| val acc mean \| val acc std \| Pareto \|$/);
    expect(md[1]).toMatch(/\| ---: \| ---: \| ---: \| :--- \|$/);
    expect(md[2]).toMatch(/^\| mnist_cnn_spinal \| w=8 depth=6 \| 8,480 \|.* \| 92\.00% \| 2\.00% \| yes \|$/);
    expect(md[3]).toMatch(/^\| mnist_cnn_default \|.* \| 91\.00% \| 0\.00% \|  \|$/);
    const table = comparisonTable(rows);
    expect(table).toMatch(/val acc mean\s*│\s*val acc std\s*│\s*Pareto/);
    expect(table).toMatch(/mnist_cnn_spinal .*│\s*92\.00% │\s*2\.00% │ yes/);
    expect(table).toMatch(/mnist_cnn_default .*│\s*91\.00% │\s*0\.00% │ {8}│\n/);
  });

  it('JSON: every seed\'s accuracy, the summary and the flag', () => {
    const json = JSON.parse(comparisonJson(rows));
    expect(json.models[0].accuracy).toEqual({
      metric: 'validation', epochs: 2, mean: mean([0.9, 0.92, 0.94]), std: sampleStd([0.9, 0.92, 0.94]),
      runs: [{ seed: '1', accuracy: 0.9 }, { seed: '2', accuracy: 0.92 }, { seed: '3', accuracy: 0.94 }],
    });
    expect(json.models.map((m: { pareto: boolean }) => m.pareto)).toEqual([true, false]);
  });

  it('rows without training keep the columns and JSON of the cost comparison', () => {
    expect(comparisonCsv(base).split('\r\n')[0]).toBe('model,settings,MACs,parameters,deployed,peak memory,vs,vs MACs,MACs ratio,params ratio');
    expect(JSON.parse(comparisonJson(base)).models[0]).not.toHaveProperty('accuracy');
    expect(JSON.parse(comparisonJson(base)).models[0]).not.toHaveProperty('pareto');
  });
});
