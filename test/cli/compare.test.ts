import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
import { svgProblems, svgTexts } from '../support/svg.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'spinal-macs-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const MNIST = 'samples/mnist_cnn.spinal';
const VGG = 'samples/vgg19_cifar10.spinal';

describe('spinal macs: comparison', () => {
  it('prints one comparison of every model of every file, then each model\'s layers', async () => {
    const r = await run('macs', MNIST, VGG);
    expect(r.code).toBe(0);
    const [comparison] = r.stdout.split('\nmodel ');
    expect(comparison).toMatch(/^4 models; ratios against each model's dense baseline\n/);
    expect(comparison).toMatch(/mnist_cnn_spinal\s*│ w=8 depth=6\s*│\s*8,480 │\s*8,538 │\s*8,538 │.*mnist_cnn_spinal_dense\s*│\s*15,840 │\s*0\.535x/);
    expect(comparison).toMatch(/vgg19_default\s*│\s*│\s*18,915,328 │\s*18,923,530 │/);
    expect(r.stdout).toContain('model vgg19_spinal (w=512)');
    expect(r.stdout).toMatch(/spinal1\.sub2\s*│\s*768 -> 512\s*│\s*393,216/);
    expect(r.stdout).toMatch(/total\s*│\s*512 -> 10\s*│\s*1,331,200/);
    expect(r.stdout).toMatch(/spinal \/ baseline\s*│\s*│\s*1\.245x/);
  });

  it('--no-layers prints the comparison only; --model picks one model', async () => {
    const r = await run('macs', MNIST, VGG, '--no-layers', '--model', 'vgg19_spinal');
    expect(r.stdout).not.toContain('spinal1.sub2');
    expect(r.stdout).toMatch(/^1 model; /);
    expect(r.stdout).toContain('vgg19_spinal');
    expect(r.stdout).not.toContain('mnist');
  });

  it('--vs compares with the named models of the same shape', async () => {
    const r = await run('macs', MNIST, VGG, '--vs', 'mnist_cnn_default', '--vs', 'vgg19_default', '--csv');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(`mnist_cnn_spinal,w=8 depth=6,8480,8538,8538,${lines[1].split(',')[5]},mnist_cnn_default,16500,${8480 / 16500},${8538 / 16560}`);
    expect(lines[3].split(',').slice(6, 8)).toEqual(['vgg19_default', '18915328']);
  });

  it('--vs with a model name that is not there exits 1', async () => {
    const r = await run('macs', MNIST, '--vs', 'vgg19_default');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--vs names no model 'vgg19_default'; the models are mnist_cnn_spinal, mnist_cnn_default");
  });

  it('--json keeps the models shape and adds the comparison', async () => {
    const json = JSON.parse((await run('macs', VGG, '--json', '--vs', 'vgg19_default')).stdout);
    expect(json.models.map((m: { name: string }) => m.name)).toEqual(['vgg19_spinal', 'vgg19_default']);
    expect(json.models[0]).toMatchObject({ macs: 1331200, parameters: 1333258, baseline: { macs: 1069056 }, vs: { name: 'vgg19_default', macs: 18915328 } });
    expect(json.models[0].layers).toHaveLength(5);
  });

  it('--markdown prints a table', async () => {
    const r = await run('macs', VGG, '--markdown');
    expect(r.stdout.split('\n')[2]).toBe('| vgg19_spinal | w=512 | 1,331,200 | 1,333,258 | 1,333,258 | 10.0 KiB | vgg19_spinal_dense | 1,069,056 | 1.245x | 1.245x |');
  });

  it('refuses two output formats at once', async () => {
    expect((await run('macs', VGG, '--json', '--csv')).code).toBe(2);
    expect((await run('macs', VGG, '--csv', '--markdown')).code).toBe(2);
  });
});

describe('spinal macs --sweep', () => {
  it('prints one row per grid point with exact counts', async () => {
    const r = await run('macs', VGG, '--model', 'vgg19_spinal', '--sweep', 'w=64:512:64', '--csv');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\r\n').slice(1).map((l) => l.split(','));
    expect(lines.map((l) => l[1])).toEqual([64, 128, 192, 256, 320, 384, 448, 512].map((w) => `w=${w}`));
    expect(lines.map((l) => Number(l[2]))).toEqual([64, 128, 192, 256, 320, 384, 448, 512].map((w) => 3 * w * w + 1064 * w));
  });

  it('--json: one entry per point with its parameter values', async () => {
    const r = await run('macs', MNIST, '--model', 'mnist_cnn_spinal', '--sweep', 'w=4:8:2', '--sweep', 'depth=1:2', '--json');
    const models = JSON.parse(r.stdout).models;
    expect(models).toHaveLength(6);
    expect(models.map((m: { sweep: object }) => m.sweep)).toEqual([
      { w: 4, depth: 1 }, { w: 4, depth: 2 }, { w: 6, depth: 1 }, { w: 6, depth: 2 }, { w: 8, depth: 1 }, { w: 8, depth: 2 },
    ]);
    expect(models[5]).toMatchObject({ params: { w: 8, depth: 2 }, macs: 160 * 8 + 168 * 8 + 16 * 10 });
  });

  it('--set fixes a parameter under the sweep; the table has no layers by default', async () => {
    const r = await run('macs', MNIST, '--model', 'mnist_cnn_spinal', '--sweep', 'w=2:3', '--set', 'depth=1');
    expect(r.stdout).toMatch(/w=2 depth=1/);
    expect(r.stdout).toMatch(/w=3 depth=1/);
    expect(r.stdout).not.toContain('spinal1.sub1');
  });

  it('--plot writes an SVG chart of MACs and parameters', async () => {
    const out = join(dir, 'sweep.svg');
    const r = await run('macs', VGG, '--model', 'vgg19_spinal', '--vs', 'vgg19_default', '--sweep', 'w=64:512:64', '--plot', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`wrote '${out}'`);
    const svg = readFileSync(out, 'utf8');
    expect(svgProblems(svg)).toEqual([]);
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['vgg19_spinal', 'dense baseline', 'vgg19_default', 'MACs (log scale)', 'w']));
  });

  it('needs one model, a known parameter and a valid range', async () => {
    expect((await run('macs', MNIST, '--sweep', 'w=1:2')).code).toBe(2);
    const unknown = await run('macs', MNIST, '--model', 'mnist_cnn_spinal', '--sweep', 'q=1:2');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("model 'mnist_cnn_spinal' has no parameter 'q'; it has w, depth");
    expect((await run('macs', MNIST, '--model', 'mnist_cnn_spinal', '--sweep', 'w=5:1')).code).toBe(2);
    const bad = await run('macs', MNIST, '--model', 'mnist_cnn_spinal', '--sweep', 'w=0:1');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('SPN030');
    expect(bad.stderr).toContain("at w=0, 'samples/mnist_cnn.spinal' does not compile");
    expect((await run('macs', MNIST, '--plot', join(dir, 'x.svg'))).code).toBe(2);
  });
});
