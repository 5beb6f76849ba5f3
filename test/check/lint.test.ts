// Lint warnings: models that compile but are likely not what was meant. A warning keeps the
// model; `--deny-warnings` makes it an error; every command prints it; `macs` marks the ratio
// of a model that leaves input features unread.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileText } from '../support/front.js';
import { run } from '../support/cli.js';
import { scratch } from '../support/scratch.js';
import { MAX_ROW_RATIO } from '../../src/check/check.js';

const warnings = (text: string) => compileText(text).diagnostics.map((d) => `${d.severity} ${d.code}`);

describe('SPN060: rows no sub-layer reads', () => {
  it('warns when a block has fewer sub-layers than rows, naming the rows and their features', () => {
    const r = compileText('model m { input 8 spinal { split 1:1:1:1 width 2 layers 2 } output 2 }');
    expect(r.models).toHaveLength(1);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual([
      ['warning', 'SPN060', '2 sub-layers read only the first 2 of 4 rows: rows 3 to 4 (4 features) feed nothing'],
    ]);
    expect(r.diagnostics[0].hint).toBe("use 'layers 4' or more, or split into 2 rows");
  });

  it('is quiet when every row is read, with as many sub-layers as rows or more', () => {
    expect(warnings('model m { input 8 spinal { split 1:1:1:1 width 2 layers 4 } output 2 }')).toEqual([]);
    expect(warnings('model m { input 8 spinal { split 1:1 width 2 layers 1 } output 2 }')).toEqual(['warning SPN060']);
    expect(warnings('model m { input 8 spinal { width 2 layers 3 } output 2 }')).toEqual([]);
  });

  it('follows the parameters: a variant with enough layers is quiet, one with too few warns', () => {
    const text = 'model m(d = 4) { input 8 spinal { split 1:1:1 width 2 layers d } output 2 }\nmodel short = m(d = 2)';
    expect(compileText(text).diagnostics.map((d) => d.message)).toEqual(['2 sub-layers read only the first 2 of 3 rows: row 3 (2 features) feeds nothing']);
  });
});

describe('SPN061: softmax before the output layer', () => {
  it('warns on a dense layer and a spinal block with softmax, not on the output', () => {
    expect(warnings('model m { input 8 dense 4 softmax output 2 }')).toEqual(['warning SPN061']);
    expect(warnings('model m { input 8 spinal { width 2 layers 2 activation softmax } output 2 }')).toEqual(['warning SPN061']);
    expect(warnings('model m { input 8 dense 4 relu output 2 softmax }')).toEqual([]);
  });

  it('warns on log_softmax the same way, saying what it does, and not on the output', () => {
    const dense = compileText('model m { input 8 dense 4 log_softmax output 2 }').diagnostics;
    expect(dense.map((d) => [d.code, d.message, d.hint])).toEqual([['SPN061',
      'log_softmax on dense 1, before the output layer: its outputs are log-probabilities, all at most 0, which squeezes what the next layer sees',
      "use relu (or another activation) here; log_softmax belongs on 'output', or in the loss"]]);
    expect(dense[0].range.start.column).toBe(27);
    expect(warnings('model m { input 8 spinal { width 2 layers 2 activation log_softmax } output 2 }')).toEqual(['warning SPN061']);
    expect(warnings('model m { input 8 dense 4 relu output 2 log_softmax }')).toEqual([]);
  });
});

describe('SPN062: split rows of very unequal size', () => {
  it(`warns above ${MAX_ROW_RATIO}:1 between the largest and smallest row, by their sizes`, () => {
    expect(warnings('model m { input 10 spinal { split 1:4 width 2 layers 2 } output 2 }')).toEqual([]);
    const r = compileText('model m { input 12 spinal { split 1:5 width 2 layers 2 } output 2 }');
    expect(r.diagnostics.map((d) => d.message)).toEqual(['rows of very unequal size: 2, 10 features (the largest is 5.0 times the smallest)']);
    // 9 features split 1:1:1:1:1:1:1:1 gives one row of 2 and seven of 1: within 4:1.
    expect(warnings('model m { input 9 spinal { split 1:1:1:1:1:1:1:1 width 2 layers 8 } output 2 }')).toEqual([]);
  });
});

describe('denyWarnings', () => {
  it('turns every warning into an error, saying it was a warning', () => {
    const r = compileText('model m { input 8 dense 4 softmax output 2 }', { denyWarnings: true });
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([['error', 'SPN061']]);
    expect(r.diagnostics[0].message).toMatch(/\(a warning, denied\)$/);
  });
});

describe('on the command line', () => {
  const dir = scratch('lint');
  const file = join(dir, 'unread.spinal');
  writeFileSync(file, 'model m { input 8 spinal { split 1:1:1:1 width 2 layers 2 } output 2 }\n');

  it.each([
    ['check', []],
    ['macs', []],
    ['ir', []],
    ['graph', ['--format', 'dot']],
  ])('%s prints the warning and succeeds; --deny-warnings fails it', async (command, extra) => {
    const r = await run(command, file, ...extra);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${file}:1:50: warning[SPN060]:`);
    const denied = await run(command, file, ...extra, '--deny-warnings');
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain(`${file}:1:50: error[SPN060]:`);
    expect(denied.stderr).toContain('spinal: 1 error found');
  });

  it('macs marks the ratio of a model that leaves inputs unread, and counts them', async () => {
    const r = await run('macs', file, '--no-layers');
    const row = r.stdout.split('\n').find((l) => l.includes(' m_dense '))!;
    expect(row).toMatch(/ 0\.500x\* .* \*4 /);
    expect(r.stdout.split('\n')[2]).toContain(' unread inputs ');
    const json = JSON.parse((await run('macs', file, '--json')).stdout) as { models: { unreadFeatures: number }[] };
    expect(json.models[0].unreadFeatures).toBe(4);
    const csv = (await run('macs', file, '--csv')).stdout.split('\r\n');
    expect(csv[0].split(',')).toContain('unread inputs');
  });

  it('macs adds no column for models that read every input', async () => {
    const r = await run('macs', 'samples/three_rows.spinal', '--csv');
    expect(r.stdout).not.toContain('unread');
  });
});
