// `spinal train`, `evaluate`, `verify` and `macs --train` on a model with several inputs: data as
// one .npy file per input (`--data a=A.npy,b=B.npy`) or one safetensors file with a tensor per
// input, the trained weights evaluated to the numbers training reported, names checked as usage.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dump } from 'npyjs';
import { run } from '../support/cli.js';
import { scratch } from '../support/scratch.js';
import { readSafetensorsWithMetadata } from '../../src/weights/safetensors.js';
import { encodeSafetensors } from '../../src/weights/safetensors.js';
import { Random } from '../../src/weights/prng.js';

const dir = scratch('train-inputs');

// Three inputs, declared in an order other than the one the data argument names them in.
const MODEL = join(dir, 'three.spinal');
writeFileSync(MODEL, `model three(w = 3) {
  img = input 6
  aux = input 2
  extra = input 4
  a = spinal from img { split 1:1; width w; layers 2; activation relu }
  b = dense 3 tanh from extra
  dense 5 relu from a, aux, b
  output 3
}
`);

/** 120 samples; the label is the argmax of sums over all three inputs, so each input matters. */
function samples(n: number): { img: Float32Array; aux: Float32Array; extra: Float32Array; y: Int32Array } {
  const random = Random.fromSeed(18n);
  const img = Float32Array.from({ length: n * 6 }, () => random.uniform(-1, 1));
  const aux = Float32Array.from({ length: n * 2 }, () => random.uniform(-1, 1));
  const extra = Float32Array.from({ length: n * 4 }, () => random.uniform(-1, 1));
  const y = Int32Array.from({ length: n }, (_, i) => {
    const s = [img[i * 6] + img[i * 6 + 3], aux[i * 2] - aux[i * 2 + 1], extra[i * 4 + 2] * 2];
    return s.indexOf(Math.max(...s));
  });
  return { img, aux, extra, y };
}

const N = 120;
const data = samples(N);
const npy = (name: string, array: Float32Array | Int32Array, shape: number[]) => {
  const path = join(dir, name);
  writeFileSync(path, new Uint8Array(dump(array, shape)));
  return path;
};
const IMG = npy('img.npy', data.img, [N, 6]);
const AUX = npy('aux.npy', data.aux, [N, 2]);
const EXTRA = npy('extra.npy', data.extra, [N, 4]);
const Y = npy('y.npy', data.y, [N]);
const DATA = `aux=${AUX},extra=${EXTRA},img=${IMG}`;
const bytes = (a: Float32Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const SAFETENSORS = join(dir, 'd.safetensors');
writeFileSync(SAFETENSORS, encodeSafetensors([
  { name: 'img', dtype: 'F32', shape: [N, 6], bytes: bytes(data.img) },
  { name: 'aux', dtype: 'F32', shape: [N, 2], bytes: bytes(data.aux) },
  { name: 'extra', dtype: 'F32', shape: [N, 4], bytes: bytes(data.extra) },
  { name: 'y', dtype: 'I32', shape: [N], bytes: bytes(data.y) },
]));

interface Report { accuracy: number; loss: number; samples: number; targets: Record<string, { accuracy: number | null; agreement: number | null; maxError: number | null; error?: string }> }

describe('spinal train and evaluate with several inputs', () => {
  const weights = join(dir, 'w.safetensors');

  it('trains on one .npy file per input; evaluate on the same data reports what training measured', async () => {
    // The training data is the validation data too: the last epoch's validation numbers are the final weights' on it.
    const r = await run('train', MODEL, '--data', DATA, '--labels', Y, '--val', DATA, '--val-labels', Y, '--epochs', '8', '--batch', '16', '--lr', '0.01', '--seed', '5', '--backend', 'cpu', '--out', weights);
    expect(r.code, r.stderr).toBe(0);
    const { metadata } = readSafetensorsWithMetadata(readFileSync(weights));
    expect(metadata).toMatchObject({ model: 'three', epochs: '8', data: DATA });
    const e = await run('evaluate', MODEL, '--weights', weights, '--data', DATA, '--labels', Y, '--json');
    expect(e.code, e.stderr).toBe(0);
    const report = JSON.parse(e.stdout) as Report;
    expect(report.samples).toBe(N);
    expect(report.accuracy).toBe(Number(metadata.val_accuracy));
    expect(report.loss).toBeCloseTo(Number(metadata.val_loss), 5);
    // Accuracy above chance (a third): the inputs reach the output in the right places.
    expect(report.accuracy).toBeGreaterThan(0.5);
  });

  it('reads the same samples from one safetensors file with a tensor per input: the same hash and numbers', async () => {
    const out = join(dir, 'w2.safetensors');
    const r = await run('train', MODEL, '--data', SAFETENSORS, '--val', DATA, '--val-labels', Y, '--epochs', '8', '--batch', '16', '--lr', '0.01', '--seed', '5', '--backend', 'cpu', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const a = readSafetensorsWithMetadata(readFileSync(weights));
    const b = readSafetensorsWithMetadata(readFileSync(out));
    expect(b.metadata.data_sha256).toBe(a.metadata.data_sha256);
    expect(b.metadata.val_accuracy).toBe(a.metadata.val_accuracy);
    const e = await run('evaluate', MODEL, '--weights', weights, '--data', SAFETENSORS, '--json');
    const d = await run('evaluate', MODEL, '--weights', weights, '--data', DATA, '--labels', Y, '--json');
    expect(e.code, e.stderr).toBe(0);
    expect((JSON.parse(e.stdout) as Report).loss).toBe((JSON.parse(d.stdout) as Report).loss);
  });

  it('refuses an unknown or missing input name as a usage error naming the model\'s inputs; a wrong size names the input, the file and both sizes', async () => {
    const out = join(dir, 'never.safetensors');
    const inputs = "model 'three' has 3 inputs (img 6, aux 2, extra 4), a file each: img=FILE.npy,aux=FILE.npy,extra=FILE.npy";
    const unknown = await run('train', MODEL, '--data', `img=${IMG},aux=${AUX},extras=${EXTRA}`, '--labels', Y, '--out', out);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`--data names input 'extras', which 'three' does not have; ${inputs}`);
    const missing = await run('evaluate', MODEL, '--weights', weights, '--data', `img=${IMG},aux=${AUX}`, '--labels', Y);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`--data gives no file for input 'extra'; ${inputs}`);
    const val = await run('train', MODEL, '--data', DATA, '--labels', Y, '--val', `img=${IMG}`, '--val-labels', Y, '--out', out);
    expect(val.code).toBe(2);
    expect(val.stderr).toContain("--val gives no file for input");
    const wrong = await run('train', MODEL, '--data', `img=${IMG},aux=${EXTRA},extra=${AUX}`, '--labels', Y, '--out', out);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`'${EXTRA}' (input 'aux') has 4 features per sample; model 'three' reads 2 in input 'aux'`);
    const mnist = await run('train', MODEL, '--data', 'mnist', '--out', out);
    expect(mnist.code).toBe(1);
    expect(mnist.stderr).toContain("mnist is one input of 784 pixels per sample, but model 'three' has 3 inputs (img 6, aux 2, extra 4)");
    const csv = join(dir, 'd.csv');
    writeFileSync(csv, '1,2,3,4,5,6,7,8,9,10,11,12,0\n');
    const fromCsv = await run('evaluate', MODEL, '--weights', weights, '--data', csv);
    expect(fromCsv.code).toBe(1);
    expect(fromCsv.stderr).toContain(`'${csv}': CSV data are for a model with one input, but model 'three' has 3 inputs`);
  });

  it("evaluate --targets all runs every target's generated code on the whole set: full agreement, float32 error", async () => {
    const r = await run('evaluate', MODEL, '--weights', weights, '--data', DATA, '--labels', Y, '--targets', 'all', '--json');
    const report = JSON.parse(r.stdout) as Report;
    expect(Object.keys(report.targets).sort()).toEqual(['cpp', 'interp', 'onnx', 'tfjs', 'tfjs-wasm', 'wgsl']);
    for (const [name, t] of Object.entries(report.targets)) {
      expect(t.error, name).toBeUndefined();
      expect(t.agreement, name).toBe(1);
      expect(t.accuracy, name).toBe(report.accuracy);
      expect(t.maxError, name).toBeLessThan(1e-4);
    }
    expect(r.code, r.stderr).toBe(0);
  }, 180_000); // g++ compiles the driver once

  it('verify runs every target against the interpreter on a packed random batch', async () => {
    const r = await run('verify', MODEL, '--weights', weights, '--targets', 'all', '--batch', '4', '--json');
    const report = JSON.parse(r.stdout) as { targets: Record<string, { ok: boolean; error?: string }> };
    expect(Object.keys(report.targets).sort()).toEqual(['cpp', 'onnx', 'tfjs', 'tfjs-wasm', 'wgsl']);
    for (const [name, t] of Object.entries(report.targets)) {
      expect(t.error, name).toBeUndefined();
      expect(t.ok, name).toBe(true);
    }
    expect(r.code, r.stderr).toBe(0);
  }, 180_000);
});

describe('spinal macs --train with several inputs', () => {
  it('trains each row on one .npy file per input, and refuses names a row\'s model lacks', async () => {
    const r = await run('macs', MODEL, '--train', DATA, '--labels', Y, '--epochs', '2', '--batch', '16', '--seeds', '1', '--jobs', '1', '--csv');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\r\n').slice(1);
    expect(lines.map((l) => l.split(',').slice(0, 2))).toEqual([['three', 'w=3']]);
    expect(Number(lines[0].split(',').at(-3))).toBeGreaterThan(0);
    const bad = await run('macs', MODEL, '--train', `img=${IMG}`, '--labels', Y, '--epochs', '1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--train gives no file for inputs 'aux', 'extra'; model 'three' has 3 inputs");
  });
});
