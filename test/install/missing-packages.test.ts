// The optional packages (package.json: optionalDependencies and optional peerDependencies) made
// absent one by one: runs bin/spinal.js over dist/ (built by `npm test`) with a resolve hook that
// makes the named packages fail to resolve as uninstalled ones do (hide-packages.mjs), the
// packages themselves untouched. A command or target that needs a missing package exits 1 with
// one line naming it and the install command; everything else works without any of them.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../support/samples.js';
import { scratch } from '../support/scratch.js';

const ROOT = join(SAMPLES_DIR, '..');
const dir = scratch('missing-packages');
const PIXELS = join(SAMPLES_DIR, 'mnist_pixels.spinal');
const WEIGHTS = join(dir, 'w.safetensors');

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  optionalDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};
const OPTIONAL = [...Object.keys(manifest.optionalDependencies), ...Object.keys(manifest.peerDependencies)].sort();

function spinal(hidden: readonly string[], ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--import', './test/install/hide-packages.mjs', 'bin/spinal.js', ...args], {
    cwd: ROOT, encoding: 'utf8', input: '', timeout: 60_000,
    env: { ...process.env, SPINAL_HIDE_PACKAGES: hidden.join(','), NO_COLOR: '1' },
  });
}

/** The one line a missing package gives, with `npm install name@range` for each package. */
function missing(what: string, ...packages: string[]): string {
  const ranges = { ...manifest.peerDependencies, ...manifest.optionalDependencies };
  const one = packages.length === 1;
  return `spinal: ${what} needs the package${one ? '' : 's'} ${packages.join(', ')}, which ${one ? 'is' : 'are'} not installed: npm install ${packages.map((p) => `${p}@${ranges[p]}`).join(' ')}\n`;
}

beforeAll(() => {
  const r = spinal([], 'init', PIXELS, '--model', 'mnist_spinal', '--seed', '1', '--out', WEIGHTS);
  expect(r.status, r.stderr).toBe(0);
});

describe('package.json', () => {
  it('makes the native verification runtimes optional peers and the rest optional dependencies', () => {
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['onnxruntime-node', 'webgpu']);
    for (const name of Object.keys(manifest.peerDependencies)) expect(manifest.peerDependenciesMeta[name]?.optional).toBe(true);
    expect(OPTIONAL).toEqual([
      '@resvg/resvg-js', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-layers', 'bullmq', 'ioredis', 'mnist', 'onnxruntime-node', 'vscode-languageserver',
      'vscode-languageserver-textdocument', 'webgpu',
    ]);
  });
});

describe('a missing optional package', () => {
  const cases: Array<{ name: string; hidden: string[]; args: string[]; line: string }> = [
    { name: 'verify --targets onnx', hidden: ['onnxruntime-node'], args: ['verify', PIXELS, '--model', 'mnist_spinal', '--weights', WEIGHTS, '--targets', 'onnx'], line: missing("target 'onnx'", 'onnxruntime-node') },
    { name: 'verify --targets wgsl', hidden: ['webgpu'], args: ['verify', PIXELS, '--model', 'mnist_spinal', '--weights', WEIGHTS, '--targets', 'cpp,wgsl'], line: missing("target 'wgsl'", 'webgpu') },
    { name: 'verify --targets tfjs-wasm', hidden: ['@tensorflow/tfjs-backend-wasm'], args: ['verify', PIXELS, '--model', 'mnist_spinal', '--weights', WEIGHTS, '--targets', 'tfjs-wasm'], line: missing("target 'tfjs-wasm'", '@tensorflow/tfjs-backend-wasm') },
    { name: 'verify --targets all', hidden: OPTIONAL, args: ['verify', PIXELS, '--model', 'mnist_spinal', '--weights', WEIGHTS, '--targets', 'all'], line: missing("target 'tfjs'", '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu') },
    { name: 'evaluate --targets onnx', hidden: ['onnxruntime-node'], args: ['evaluate', PIXELS, '--model', 'mnist_spinal', '--weights', WEIGHTS, '--data', 'mnist:test', '--targets', 'onnx'], line: missing("target 'onnx'", 'onnxruntime-node') },
    { name: 'evaluate --data mnist', hidden: ['mnist'], args: ['evaluate', PIXELS, '--model', 'mnist_spinal', '--weights', WEIGHTS, '--data', 'mnist:test'], line: missing('--data mnist', 'mnist') },
    { name: 'train', hidden: ['@tensorflow/tfjs-layers'], args: ['train', PIXELS, '--model', 'mnist_spinal', '--data', 'mnist', '--out', join(dir, 'trained.safetensors')], line: missing('train', '@tensorflow/tfjs-layers') },
    { name: 'train --data mnist', hidden: ['mnist'], args: ['train', PIXELS, '--model', 'mnist_spinal', '--data', 'mnist', '--epochs', '1', '--out', join(dir, 'trained.safetensors')], line: missing('--data mnist', 'mnist') },
    { name: 'macs --train', hidden: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm'], args: ['macs', PIXELS, '--train', 'mnist'], line: missing('macs --train', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm') },
    { name: 'macs --train mnist', hidden: ['mnist'], args: ['macs', PIXELS, '--model', 'mnist_spinal', '--train', 'mnist', '--epochs', '1', '--seeds', '1'], line: missing('--data mnist', 'mnist') },
    { name: 'macs --train --queue', hidden: ['bullmq', 'ioredis'], args: ['macs', PIXELS, '--train', 'mnist', '--queue', 'redis://127.0.0.1:1'], line: missing('macs --train', 'bullmq', 'ioredis') },
    { name: 'worker', hidden: ['ioredis'], args: ['worker', '--queue', 'redis://127.0.0.1:1'], line: missing('worker', 'ioredis') },
    { name: 'macs --plot out.png', hidden: ['@resvg/resvg-js'], args: ['macs', PIXELS, '--model', 'mnist_spinal', '--sweep', 'w=8:16:8', '--plot', join(dir, 'sweep.png')], line: missing(`PNG output (--plot ${join(dir, 'sweep.png')})`, '@resvg/resvg-js') },
    { name: 'graph --out out.png', hidden: ['@resvg/resvg-js'], args: ['graph', PIXELS, '--model', 'mnist_spinal', '--out', join(dir, 'graph.png')], line: missing(`PNG output (--out ${join(dir, 'graph.png')})`, '@resvg/resvg-js') },
    { name: 'lsp', hidden: ['vscode-languageserver', 'vscode-languageserver-textdocument'], args: ['lsp'], line: missing('lsp', 'vscode-languageserver', 'vscode-languageserver-textdocument') },
  ];
  for (const c of cases) {
    it(`${c.name}: exit 1 naming ${c.hidden.length === OPTIONAL.length ? 'the first target\'s packages' : c.hidden.join(', ')}`, () => {
      const r = spinal(c.hidden, ...c.args);
      expect(r.stderr).toBe(c.line);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
    });
  }
});

describe('without any optional package', () => {
  it('check, macs, ir, graph as SVG, a sweep plot as SVG, init, build, fmt and verify --targets cpp work', () => {
    const run = (...args: string[]): string => {
      const r = spinal(OPTIONAL, ...args);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('spinal:')), args.join(' ')).toEqual([]);
      expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(0);
      return r.stdout;
    };
    run('check', PIXELS);
    expect(run('macs', PIXELS, '--csv')).toContain('mnist_spinal');
    run('ir', PIXELS, '--json');
    run('graph', PIXELS, '--model', 'mnist_spinal', '--out', join(dir, 'graph.svg'));
    run('macs', PIXELS, '--model', 'mnist_spinal', '--sweep', 'w=8:16:8', '--plot', join(dir, 'sweep.svg'));
    run('init', PIXELS, '--model', 'mnist_spinal', '--seed', '2', '--out', join(dir, 'w2.safetensors'));
    for (const target of ['tfjs', 'wgsl', 'cpp']) run('build', PIXELS, '--model', 'mnist_spinal', '--target', target, '--out', join(dir, `build-${target}`));
    run('build', PIXELS, '--model', 'mnist_spinal', '--target', 'onnx', '--weights', WEIGHTS, '--out', join(dir, 'build-onnx'));
    run('fmt', PIXELS);
    expect(run('verify', PIXELS, '--model', 'mnist_spinal', '--weights', WEIGHTS, '--targets', 'cpp')).toMatch(/cpp\s+ok/);
  });
});
