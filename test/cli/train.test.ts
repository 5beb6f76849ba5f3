// `spinal train` and `spinal evaluate` through the command line: a short MNIST run that clears a
// conservative bar, determinism by seed, metadata and logs, fine-tuning from given weights, MSE,
// every class of bad data refused with nothing written, and every target agreeing on real data.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dump } from 'npyjs';
import { run } from '../support/cli.js';
import { scratch } from '../support/scratch.js';
import { readSafetensorsWithMetadata } from '../../src/weights/safetensors.js';
import { Random } from '../../src/weights/prng.js';

const dir = scratch('train');
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const MNIST_SMALL = ['samples/mnist_pixels.spinal', '--model', 'mnist_spinal', '--set', 'w=16', '--set', 'depth=2'];

/** A small separable problem: 6 features, 3 classes, the label the argmax of a fixed projection. */
function blobs(n: number, seed: bigint): { x: Float32Array; y: Int32Array } {
  const random = Random.fromSeed(seed);
  const x = Float32Array.from({ length: n * 6 }, () => random.uniform(-1, 1));
  const y = Int32Array.from({ length: n }, (_, i) => {
    const s = [x[i * 6] + x[i * 6 + 1], x[i * 6 + 2] - x[i * 6 + 3], x[i * 6 + 4] * 2];
    return s.indexOf(Math.max(...s));
  });
  return { x, y };
}

function writeNpy(name: string, data: Float32Array | Int32Array, shape: number[]): string {
  const path = join(dir, name);
  writeFileSync(path, new Uint8Array(dump(data, shape)));
  return path;
}

const HEAD = join(dir, 'head.spinal');
writeFileSync(HEAD, `model head {
  input 6
  spinal { split 1:1:1 interleaved; width 4; layers 3; activation tanh; dropout 0.2; batchnorm }
  output 3
}
`);
const data = blobs(300, 3n);
const X = writeNpy('x.npy', data.x, [300, 6]);
const Y = writeNpy('y.npy', data.y, [300]);

describe('spinal train on the embedded MNIST digits', () => {
  it('learns: a short run with a fixed seed clears a conservative bar, and evaluate agrees', async () => {
    const out = join(dir, 'mnist.safetensors');
    const log = join(dir, 'mnist.jsonl');
    const r = await run('train', ...MNIST_SMALL, '--data', 'mnist', '--epochs', '2', '--seed', '1', '--out', out, '--log', log);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^epoch 1: train loss [\d.]+ accuracy [\d.]+%, validation loss [\d.]+ accuracy [\d.]+%, [\d,]+ samples\/s\nepoch 2: .*\nwrote '.*mnist\.safetensors': model 'mnist_spinal', epoch 2: /);
    const { metadata } = readSafetensorsWithMetadata(readFileSync(out));
    expect(metadata).toMatchObject({ model: 'mnist_spinal', seed: '1', epochs: '2', data: 'mnist', settings: '{"w":16,"depth":2}' });
    expect(metadata.data_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(metadata.val_accuracy)).toBeGreaterThan(0.85);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; valAccuracy: number });
    expect(lines.map((l) => l.epoch)).toEqual([1, 2]);
    expect(lines[1].valAccuracy).toBe(Number(metadata.val_accuracy));

    const e = await run('evaluate', ...MNIST_SMALL, '--weights', out, '--data', 'mnist:test', '--json');
    expect(e.code, e.stderr).toBe(0);
    const report = JSON.parse(e.stdout) as { accuracy: number; samples: number; perClass: number[]; confusion: number[][]; targets: Record<string, { agreement: number }> };
    expect(report.samples).toBe(2000);
    // The held-out digits are the validation set training reported on: the same accuracy.
    expect(report.accuracy).toBeCloseTo(Number(metadata.val_accuracy), 3);
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(2000);
    expect(report.perClass).toHaveLength(10);
    expect(report.targets.interp.agreement).toBe(1);
  });
});

describe('spinal train on user data', () => {
  it('gives the same bytes for the same seed, and other bytes for another seed (dropout, batchnorm, interleaved rows)', async () => {
    const outs = ['a', 'b', 'c'].map((n) => join(dir, `${n}.safetensors`));
    for (const [out, seed] of [[outs[0], '5'], [outs[1], '5'], [outs[2], '6']]) {
      const r = await run('train', HEAD, '--data', X, '--labels', Y, '--epochs', '3', '--batch', '16', '--seed', seed, '--out', out);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(sha(outs[0])).toBe(sha(outs[1]));
    expect(sha(outs[0])).not.toBe(sha(outs[2]));
  });

  it('starts from given weights with --init, and updates batchnorm running statistics', async () => {
    const init = join(dir, 'init.safetensors');
    expect((await run('init', HEAD, '--seed', '9', '--out', init)).code).toBe(0);
    const out = join(dir, 'tuned.safetensors');
    const r = await run('train', HEAD, '--data', X, '--labels', Y, '--epochs', '1', '--init', init, '--optimizer', 'sgd', '--momentum', '0.9', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const before = readSafetensorsWithMetadata(readFileSync(init)).weights;
    const { weights, metadata } = readSafetensorsWithMetadata(readFileSync(out));
    expect(JSON.parse(metadata.training)).toMatchObject({ optimizer: 'sgd', momentum: 0.9, lr: 0.01, init });
    expect([...weights.keys()].sort()).toEqual([...before.keys()].sort());
    expect(Array.from(weights.get('spinal1.sub1.weight')!.data)).not.toEqual(Array.from(before.get('spinal1.sub1.weight')!.data));
    expect(Array.from(weights.get('spinal1.sub2.bn.running_mean')!.data).every((v) => v !== 0)).toBe(true);
  });

  it('trains a regression head with --loss mse, and evaluate reports its error', async () => {
    const file = join(dir, 'reg.spinal');
    writeFileSync(file, 'model reg { input 6 spinal { split 1:1; width 8; layers 2; activation relu } output 1 }\n');
    const csv = join(dir, 'reg.csv');
    writeFileSync(csv, ['a,b,c,d,e,f,target', ...Array.from({ length: 200 }, (_, i) => {
      const row = Array.from(data.x.subarray(i * 6, i * 6 + 6));
      return [...row, row[0] * 0.5 - row[3] + 0.25].join(',');
    })].join('\n'));
    const out = join(dir, 'reg.safetensors');
    const r = await run('train', file, '--data', csv, '--loss', 'mse', '--epochs', '30', '--batch', '20', '--lr', '0.01', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const losses = [...r.stderr.matchAll(/train loss ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 4);
    expect(r.stderr).not.toMatch(/accuracy/);
    const e = await run('evaluate', file, '--weights', out, '--data', csv, '--loss', 'mse', '--json');
    expect(e.code, e.stderr).toBe(0);
    expect(JSON.parse(e.stdout)).toMatchObject({ samples: 200, accuracy: null });
    expect(JSON.parse(e.stdout).loss).toBeLessThan(0.05);
  });

  it('refuses a one-output model with cross-entropy, and a diverging run, writing nothing', async () => {
    const file = join(dir, 'one.spinal');
    writeFileSync(file, 'model one { input 6 output 1 }\n');
    const out = join(dir, 'never.safetensors');
    const r = await run('train', file, '--data', X, '--labels', Y, '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cross-entropy needs at least 2 classes \(use --loss mse/);
    const linear = join(dir, 'linear.spinal');
    writeFileSync(linear, 'model plain { input 6 output 3 }\n');
    const d = await run('train', linear, '--data', X, '--labels', Y, '--optimizer', 'sgd', '--lr', '1e38', '--out', out);
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/the training loss became (NaN|Infinity) in epoch 1, batch \d+: lower the learning rate/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('bad data is refused naming the file, and nothing is written', () => {
  const out = join(dir, 'kept.safetensors');
  writeFileSync(out, 'an existing file');
  const nan = Float32Array.from(data.x);
  nan[7 * 6 + 2] = NaN;
  const cases: [string, string[], RegExp][] = [
    ['feature width', ['--data', writeNpy('x5.npy', data.x.subarray(0, 250), [50, 5]), '--labels', writeNpy('y50.npy', data.y.subarray(0, 50), [50])], /x5\.npy.*5 features.*'head' reads 6/],
    ['labels out of range', ['--data', X, '--labels', writeNpy('y9.npy', Int32Array.from(data.y, (v, i) => (i === 4 ? 9 : v)), [300])], /y9\.npy.*9/],
    ['NaN features', ['--data', writeNpy('nan.npy', nan, [300, 6]), '--labels', Y], /nan\.npy.*NaN/i],
    ['N differs', ['--data', X, '--labels', writeNpy('y299.npy', data.y.subarray(0, 299), [299])], /299.*300|300.*299/],
    ['empty set', ['--data', writeNpy('x0.npy', new Float32Array(0), [0, 6]), '--labels', writeNpy('y0.npy', new Int32Array(0), [0])], /x0\.npy.*(empty|no sample)/i],
    ['missing file', ['--data', join(dir, 'nope.npy'), '--labels', Y], /nope\.npy.*no such file/],
    ['corrupt file', ['--data', HEAD], /head\.spinal/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const r = await run('train', HEAD, ...args, '--out', out);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(out, 'utf8')).toBe('an existing file');
  });
});

describe('spinal evaluate --targets', () => {
  it("runs every target's generated code on the whole set: same accuracy, full agreement, float32 error", async () => {
    const weights = join(dir, 'eval.safetensors');
    expect((await run('train', HEAD, '--data', X, '--labels', Y, '--epochs', '2', '--out', weights)).code).toBe(0);
    const r = await run('evaluate', HEAD, '--weights', weights, '--data', X, '--labels', Y, '--targets', 'all', '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { accuracy: number; samples: number; targets: Record<string, { accuracy: number; agreement: number; maxError: number }> };
    expect(Object.keys(report.targets).sort()).toEqual(['cpp', 'interp', 'onnx', 'tfjs', 'tfjs-wasm', 'wgsl']);
    for (const [name, t] of Object.entries(report.targets)) {
      expect(t.agreement, name).toBe(1);
      expect(t.accuracy, name).toBe(report.accuracy);
      expect(t.maxError, name).toBeLessThan(1e-4);
    }
  });
});
