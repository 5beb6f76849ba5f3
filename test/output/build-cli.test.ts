// `spinal build`: the output folder is written only by a build that succeeds.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../support/cli.js';
import { onlyModel } from '../support/front.js';
import { initWeights } from '../../src/weights/init.js';
import { writeSafetensors } from '../../src/weights/safetensors.js';

const SOURCE = 'model tiny { input 6 spinal { split 1:1; width 2; layers 2 } output 2 }\nmodel other { input 3 output 1 }\n';
const roots: string[] = [];

function setup(): { root: string; spinal: string; weights: string } {
  const root = mkdtempSync(join(tmpdir(), 'spinal-build-'));
  roots.push(root);
  const spinal = join(root, 'm.spinal');
  writeFileSync(spinal, SOURCE);
  const weights = join(root, 'w.safetensors');
  writeFileSync(weights, writeSafetensors(initWeights(onlyModel(SOURCE.split('\n')[0]).graph, 1n)));
  return { root, spinal, weights };
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('spinal build --target tfjs', () => {
  it('writes the module and the weights, and rebuilds over its own output', async () => {
    const { root, spinal, weights } = setup();
    const out = join(root, 'out');
    expect((await run('build', spinal, '--model', 'tiny', '--target', 'tfjs', '--out', out, '--weights', weights)).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['.spinal-manifest.json', 'tiny.safetensors', 'tiny.ts']);
    expect(readFileSync(join(out, 'tiny.ts'), 'utf8')).toContain('export function load(weights: Uint8Array): Model');
    expect((await run('build', spinal, '--model', 'tiny', '--target', 'tfjs', '--out', out)).code).toBe(0);
  });

  it('needs --model when the file has several models', async () => {
    const { root, spinal } = setup();
    const result = await run('build', spinal, '--target', 'tfjs', '--out', join(root, 'out'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('choose one with --model NAME');
  });

  it('leaves the folder as it was when the weights do not fit', async () => {
    const { root, spinal } = setup();
    const out = join(root, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'x');
    const wrong = join(root, 'wrong.safetensors');
    writeFileSync(wrong, writeSafetensors(new Map([['output.weight', { shape: [2, 3], data: new Float32Array(6) }]])));
    const result = await run('build', spinal, '--model', 'tiny', '--target', 'tfjs', '--out', out, '--weights', wrong);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("tensor 'output.weight': expected shape [2, 4], found [2, 3]");
    expect(readdirSync(out)).toEqual(['keep.txt']);
  });

  it('refuses to overwrite a foreign file without --force', async () => {
    const { root, spinal } = setup();
    const out = join(root, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'tiny.ts'), '// mine');
    const refused = await run('build', spinal, '--model', 'tiny', '--target', 'tfjs', '--out', out);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(join(out, 'tiny.ts'), 'utf8')).toBe('// mine');
    expect((await run('build', spinal, '--model', 'tiny', '--target', 'tfjs', '--out', out, '--force')).code).toBe(0);
    expect(readFileSync(join(out, 'tiny.ts'), 'utf8')).toContain('tf.tidy');
  });

  it('refuses an unknown target as a usage error', async () => {
    const { root, spinal } = setup();
    const result = await run('build', spinal, '--model', 'tiny', '--target', 'nope', '--out', join(root, 'out'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown target 'nope'");
  });
});
