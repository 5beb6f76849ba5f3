import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
import { readSafetensorsWithMetadata } from '../../src/weights/safetensors.js';
import { checkWeights } from '../../src/weights/validate.js';
import { tensorSpecs } from '../../src/ir/tensors.js';
import { sampleGraph } from '../weights/helpers.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'spinal-init-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('spinal init', () => {
  it('writes the same bytes on every machine (golden SHA-256 for seed 1)', async () => {
    const out = join(dir, 'w.safetensors');
    const r = await run('init', 'samples/mnist_cnn.spinal', '--model', 'mnist_cnn_spinal', '--seed', '1', '--out', out);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toBe(`wrote '${out}': 14 tensors, 8,538 numbers of model 'mnist_cnn_spinal' (seed 1)\n`);
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe('e42453e146eb8eed36810a7d5e1ff0acee6a0186188cd08ec90dac7a87493f15');
  });

  it('writes weights that fit the model, with the model and seed in the metadata', async () => {
    const out = join(dir, 'w.safetensors');
    expect((await run('init', 'samples/mnist_vgg5.spinal', '--set', 'w=16', '--seed', '18446744073709551615', '--out', out, '--random-batchnorm')).code).toBe(0);
    const { weights, metadata } = readSafetensorsWithMetadata(readFileSync(out));
    expect(metadata).toEqual({ model: 'mnist_vgg5_spinal', init: 'seed=18446744073709551615 random-batchnorm' });
    expect(weights.get('spinal1.sub1.weight')!.shape).toEqual([16, 128]);
    expect(Array.from(weights.get('spinal1.sub1.bn.running_var')!.data).some((v) => v !== 1)).toBe(true);
  });

  it('matches the model it was made for', async () => {
    const out = join(dir, 'w.safetensors');
    await run('init', 'samples/cifar10_cnn.spinal', '--seed', '0', '--out', out);
    const graph = sampleGraph('cifar10_cnn.spinal');
    expect(() => checkWeights(readSafetensorsWithMetadata(readFileSync(out)).weights, tensorSpecs(graph))).not.toThrow();
  });

  it('prints its help', async () => {
    const r = await run('init', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: spinal init \[options\] <file>/);
    for (const option of ['--model <name>', '--seed <n>', '--out <path>', '--random-batchnorm']) expect(r.stdout).toContain(option);
  });

  it.each([
    [['--out', 'x.safetensors'], /required option '--seed <n>' not specified/],
    [['--seed', '1'], /required option '--out <path>' not specified/],
    [['--seed', '-1', '--out', 'x'], /expected an integer from 0 to 2\^64-1, got '-1'/],
    [['--seed', '18446744073709551616', '--out', 'x'], /expected an integer from 0 to 2\^64-1/],
    [['--seed', '1.5', '--out', 'x'], /expected an integer/],
  ])('is a usage error (exit 2) with %j', async (args, message) => {
    const r = await run('init', 'samples/mnist_cnn.spinal', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('asks for --model when the file declares several', async () => {
    const r = await run('init', 'samples/mnist_cnn.spinal', '--seed', '1', '--out', join(dir, 'w.safetensors'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/declares 2 models \(mnist_cnn_spinal, mnist_cnn_default\): choose one with --model NAME/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a folder that does not exist, without a stack trace', async () => {
    const out = join(dir, 'missing', 'w.safetensors');
    const r = await run('init', 'samples/mnist_vgg5.spinal', '--seed', '1', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`spinal: cannot write '${out}': the folder '${join(dir, 'missing')}' does not exist\n`);
  });

  it('refuses to write over a folder', async () => {
    const r = await run('init', 'samples/mnist_vgg5.spinal', '--seed', '1', '--out', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/it is a directory/);
  });

  it('refuses to replace an existing file without --force, and leaves it as it was', async () => {
    const out = join(dir, 'w.safetensors');
    writeFileSync(out, 'old contents');
    const r = await run('init', 'samples/mnist_vgg5.spinal', '--seed', '1', '--out', out);
    expect([r.code, r.stderr]).toEqual([1, `spinal: '${out}' exists; add --force to replace it\n`]);
    expect(readFileSync(out, 'utf8')).toBe('old contents');
  });

  it('with --force, replaces an existing file whole and leaves no temporary file behind', async () => {
    const out = join(dir, 'w.safetensors');
    writeFileSync(out, 'old contents');
    expect((await run('init', 'samples/mnist_vgg5.spinal', '--seed', '1', '--out', out, '--force')).code).toBe(0);
    expect(readdirSync(dir)).toEqual(['w.safetensors']);
    expect(readSafetensorsWithMetadata(readFileSync(out)).weights.size).toBe(26);
  });

  it('leaves an existing file as it was when the command fails', async () => {
    const out = join(dir, 'w.safetensors');
    writeFileSync(out, 'old contents');
    expect((await run('init', 'samples/mnist_vgg5.spinal', '--model', 'nope', '--seed', '1', '--out', out, '--force')).code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('old contents');
    expect(readdirSync(dir)).toEqual(['w.safetensors']);
  });
});
