// One end-to-end run of the installed launcher (bin/spinal.js over dist/, built by `npm test`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../support/samples.js';

const ROOT = join(SAMPLES_DIR, '..');

describe('node bin/spinal.js', () => {
  it('counts a sample and fails cleanly on a bad file', () => {
    const ok = spawnSync(process.execPath, ['bin/spinal.js', 'macs', '--json', 'samples/mnist_cnn.spinal'], { cwd: ROOT, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const models = (JSON.parse(ok.stdout) as { models: { name: string; macs: number }[] }).models;
    expect(models.map((m) => [m.name, m.macs])).toEqual([['mnist_cnn_spinal', 8_480], ['mnist_cnn_default', 16_500]]);

    const bad = spawnSync(process.execPath, ['bin/spinal.js', 'check', 'samples/nothere.spinal'], { cwd: ROOT, encoding: 'utf8' });
    expect([bad.status, bad.stdout, bad.stderr]).toEqual([1, '', "spinal: cannot read 'samples/nothere.spinal': no such file\n"]);
  });
});
