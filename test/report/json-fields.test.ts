// docs/macs.md lists every field of `spinal macs --json`: each key the command prints, at any
// depth (training's fields included), is named there in backquotes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
import { comparisonJson } from '../../src/report/render-json.js';
import type { ComparisonRow } from '../../src/report/compare.js';

const DOC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'macs.md'), 'utf8');

/** Every key of a JSON value, at any depth; the keys of `params` and `sweep` are the user's parameter names. */
function keys(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keys(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      if (k !== 'params' && k !== 'sweep') keys(v, into);
    }
  }
  return into;
}

const undocumented = (json: unknown) => [...keys(json)].filter((k) => !DOC.includes(`\`${k}\``));

describe('docs/macs.md', () => {
  it('names every field of a comparison with variants and a --vs model', async () => {
    const r = await run('macs', '--json', 'samples/three_rows.spinal', 'samples/mnist_cnn.spinal', '--vs', 'mnist_cnn_default');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { models: unknown[] };
    expect(json.models.length).toBeGreaterThan(2);
    expect(undocumented(json)).toEqual([]);
  });

  it('names the fields of a model with several inputs', async () => {
    const r = await run('macs', '--json', 'samples/mnist_arch2.spinal');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).models[0].inputSizes).toHaveLength(3);
    expect(undocumented(JSON.parse(r.stdout))).toEqual([]);
  });

  it('names the fields a sweep and training add', async () => {
    const r = await run('macs', '--json', 'samples/vgg19_cifar10.spinal', '--model', 'vgg19_spinal', '--sweep', 'w=64:128:64');
    const swept = JSON.parse(r.stdout) as { models: Record<string, unknown>[] };
    expect(swept.models[0].sweep).toEqual({ w: 64 });
    expect(undocumented(swept)).toEqual([]);
    // Training's fields, on a row of the same shape as `macs --train` prints.
    const row = { file: 'x', report: { name: 'm' }, peakActivationBytes: 0, vs: {}, pareto: true,
      accuracy: { metric: 'validation', epochs: 1, runs: [{ seed: '1', accuracy: 0.5 }], mean: 0.5, std: null } } as unknown as ComparisonRow;
    expect(undocumented(JSON.parse(comparisonJson([row])))).toEqual([]);
  });
});
