import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compile } from '../../src/compile.js';
import { compareModels } from '../../src/report/compare.js';
import { modelReport } from '../../src/report/model-report.js';
import { comparisonCsv } from '../../src/report/render-csv.js';
import { comparisonMarkdown } from '../../src/report/render-markdown.js';
import { comparisonJson } from '../../src/report/render-json.js';
import { comparisonTable, layersTable } from '../../src/report/render-terminal.js';

function rows(path: string, text = readFileSync(path, 'utf8')) {
  return compareModels(compile({ path, text }).models.map((m) => ({ file: path, report: modelReport(m) })));
}

describe('comparison formats', () => {
  const threeRows = rows('samples/three_rows.spinal');

  it('CSV: exact numbers, one row per model', () => {
    expect(comparisonCsv(threeRows)).toBe(
      'model,settings,MACs,parameters,deployed,peak memory,vs,vs MACs,MACs ratio,params ratio\r\n' +
      `three_rows,w=4,104,118,118,96,three_rows_dense,168,${104 / 168},${118 / 182}\r\n` +
      `three_rows_interleaved,,104,118,118,96,three_rows_interleaved_dense,168,${104 / 168},${118 / 182}\r\n`,
    );
  });

  it('CSV quotes fields holding commas or quotes', () => {
    const [row] = threeRows;
    const odd = { ...row, report: { ...row.report, name: 'a,"b"' } };
    expect(comparisonCsv([odd]).split('\r\n')[1]).toMatch(/^"a,""b""",w=4,/);
  });

  it('markdown: a table with thousands separators and ratios', () => {
    const md = comparisonMarkdown(rows('samples/vgg19_cifar10.spinal'));
    expect(md.split('\n')).toEqual([
      '| model | settings | MACs | parameters | deployed | peak memory | vs | vs MACs | MACs ratio | params ratio |',
      '| :--- | :--- | ---: | ---: | ---: | ---: | :--- | ---: | ---: | ---: |',
      '| vgg19_spinal | w=512 | 1,331,200 | 1,333,258 | 1,333,258 | 10.0 KiB | vgg19_spinal_dense | 1,069,056 | 1.245x | 1.245x |',
      '| vgg19_default |  | 18,915,328 | 18,923,530 | 18,923,530 | 32.0 KiB | vgg19_default_dense | 18,915,328 | 1.000x | 1.000x |',
      '',
    ]);
  });

  it('markdown escapes pipes in cells', () => {
    const [row] = threeRows;
    expect(comparisonMarkdown([{ ...row, report: { ...row.report, name: 'a|b' } }])).toContain('| a\\|b |');
  });

  it('JSON keeps the report shape and adds the comparison fields', () => {
    const json = JSON.parse(comparisonJson(threeRows));
    expect(json.models).toHaveLength(2);
    expect(json.models[0]).toMatchObject({
      name: 'three_rows', macs: 104, parameters: 118, baseline: { macs: 168, parameters: 182 },
      deployedParameters: 118, peakActivationBytes: 96, file: 'samples/three_rows.spinal',
      vs: { name: 'three_rows_dense', kind: 'dense baseline', macs: 168 },
    });
    expect(json.models[0].layers.map((l: { layer: string }) => l.layer)).toEqual(['spinal1.sub1', 'spinal1.sub2', 'spinal1.sub3', 'output']);
  });

  it('terminal: the comparison table and the per-layer table', () => {
    const table = comparisonTable(threeRows);
    expect(table).toMatch(/three_rows_interleaved.*104.*118.*96 B.*0\.619x/);
    const layers = layersTable(threeRows[0].report);
    expect(layers).toMatch(/spinal1\.sub2\s*│\s*8 -> 4\s*│\s*32/);
    expect(layers).toMatch(/total\s*│\s*12 -> 2\s*│\s*104\s*│\s*118/);
    expect(layers).toMatch(/dense baseline.*168.*182/);
  });
});
