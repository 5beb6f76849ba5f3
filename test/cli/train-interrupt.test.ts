// Ctrl-C during `spinal train`: training stops after the current batch, the command exits 130
// and the output file is left as it was. Runs the built command line (dist/, made by `npm test`)
// as a real process, since a signal is what is being tested.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../support/samples.js';
import { scratch } from '../support/scratch.js';

const ROOT = join(SAMPLES_DIR, '..');
const dir = scratch('interrupt');

describe('spinal train interrupted', () => {
  it('stops after the batch, exits 130 and leaves the existing output intact', async () => {
    const out = join(dir, 'w.safetensors');
    writeFileSync(out, 'previous weights');
    const child = spawn(process.execPath, ['bin/spinal.js', 'train', 'samples/mnist_pixels.spinal', '--model', 'mnist_mlp', '--data', 'mnist', '--epochs', '1000', '--out', out], { cwd: ROOT });
    let stderr = '';
    const firstEpoch = new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('epoch 1:')) resolve();
      });
    });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await Promise.race([firstEpoch, exit]);
    child.kill('SIGINT');
    expect(await exit, stderr).toBe(130);
    expect(stderr).toMatch(/spinal: interrupted: nothing written, '.*w\.safetensors' is as it was\n$/);
    expect(stderr).not.toMatch(/epoch 3:/);
    expect(readFileSync(out, 'utf8')).toBe('previous weights');
  });
});
