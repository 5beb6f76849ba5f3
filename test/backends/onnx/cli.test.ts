// `spinal build --target onnx` and `spinal verify --targets onnx`, end to end.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../support/cli.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'spinal-onnx-cli-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('spinal build --target onnx', () => {
  it('writes DIR/<model>.onnx that ONNX Runtime loads with a symbolic batch', async () => {
    const weights = join(dir, 'w.safetensors');
    expect((await run('init', 'samples/mnist_vgg5.spinal', '--seed', '4', '--random-batchnorm', '--out', weights)).code).toBe(0);
    const out = join(dir, 'build');
    const r = await run('build', 'samples/mnist_vgg5.spinal', '--target', 'onnx', '--out', out, '--weights', weights);
    expect(r.code).toBe(0);
    const session = await ort.InferenceSession.create(readFileSync(join(out, 'mnist_vgg5_spinal.onnx')));
    for (const batch of [1, 7]) {
      const y = await session.run({ input: new ort.Tensor('float32', new Float32Array(batch * 256).fill(0.5), [batch, 256]) });
      expect(y.output.dims).toEqual([batch, 10]);
    }
    await session.release();
  });
});

describe('spinal verify --targets onnx', () => {
  it.each([['samples/three_rows.spinal', 'three_rows_interleaved'], ['samples/mnist_vgg5.spinal', 'mnist_vgg5_spinal']])('%s %s agrees with the interpreter', async (file, model) => {
    const weights = join(dir, 'w.safetensors');
    expect((await run('init', file, '--model', model, '--seed', '2', '--random-batchnorm', '--out', weights)).code).toBe(0);
    const r = await run('verify', file, '--model', model, '--weights', weights, '--targets', 'onnx', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).targets.onnx.ok).toBe(true);
  });
});
