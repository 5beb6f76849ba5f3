// The package as a user gets it: `npm pack` of the repository (dist/ built by `npm test`),
// installed into an empty folder without the optional packages, then `npx spinal` run there.
// The install reads npm's cache first (--prefer-offline) and the registry for what it lacks.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../support/samples.js';
import { scratch } from '../support/scratch.js';

const ROOT = join(SAMPLES_DIR, '..');
const dir = scratch('packed');
const app = join(dir, 'app');
/** The goal for an install without the optional packages, in KiB (bench/RESULTS.md has the sizes). */
const MAX_INSTALLED_KIB = 150 * 1024;

/** The environment less what `npm test` sets for its script, which would point npm at this repository. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD'));
  return { ...env, NO_COLOR: '1' };
}

function npm(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('npm', args, { cwd, encoding: 'utf8', env: cleanEnv(), timeout: 300_000 });
}

let files: string[] = [];

beforeAll(() => {
  const packed = npm(ROOT, 'pack', '--ignore-scripts', '--json', '--pack-destination', dir);
  expect(packed.status, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  files = info.files.map((f) => f.path).sort();
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'app', private: true }, null, 2)}\n`);
  const installed = npm(app, 'install', '--omit=optional', '--prefer-offline', '--no-audit', '--no-fund', join(dir, info.filename));
  expect(installed.status, installed.stderr).toBe(0);
}, 360_000);

function spinal(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('npx', ['--no-install', 'spinal', ...args], { cwd: app, encoding: 'utf8', env: cleanEnv(), timeout: 120_000 });
}

describe('the packed package', () => {
  it('ships the command, dist/ with the playground, templates, grammar, samples and README, and nothing of the repository else', () => {
    for (const f of ['bin/spinal.js', 'dist/cli/run.js', 'dist/index.js', 'dist/index.d.ts', 'dist/web/index.html', 'templates/cpp/runtime.hpp', 'grammar/LANGUAGE.md', 'samples/mnist_cnn.spinal', 'README.md', 'LICENSE', 'package.json']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.endsWith('.map') || /^(test|bench|docs|web|editors|scripts|\.ci|node_modules)\//.test(f))).toEqual([]);
    // Of src/, only the runtime sources generated code embeds (read at build time from the package).
    expect(files.filter((f) => f.startsWith('src/')).sort()).toEqual(['src/backends/runtime/tfjs-helpers.ts', 'src/runtime/safetensors-loader.ts']);
  });

  it(`installs without the optional packages in under ${MAX_INSTALLED_KIB / 1024} MB`, () => {
    const optional = ['onnxruntime-node', 'webgpu', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', 'mnist', '@resvg/resvg-js', 'bullmq', 'ioredis', 'vscode-languageserver'];
    expect(optional.filter((name) => existsSync(join(app, 'node_modules', name)))).toEqual([]);
    const kib = Number(execFileSync('du', ['-sk', join(app, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]);
    expect(kib).toBeLessThan(MAX_INSTALLED_KIB);
  });

  it('runs `npx spinal macs` on a sample, with no npm warning', () => {
    const r = spinal('macs', 'node_modules/spinal/samples/mnist_cnn.spinal', '--csv');
    expect(r.stderr).not.toMatch(/npm warn/i);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^mnist_cnn_spinal,/m);
  });

  it('names the package to install for a command that needs a missing one', () => {
    const r = spinal('train', 'node_modules/spinal/samples/mnist_pixels.spinal', '--model', 'mnist_spinal', '--data', 'mnist', '--out', join(dir, 'w.safetensors'));
    expect(r.stderr).toMatch(/^spinal: train needs the packages @tensorflow\/tfjs-core, .* npm install @tensorflow\/tfjs-core@\S+ /m);
    expect(r.status).toBe(1);
    const v = spinal('verify', 'node_modules/spinal/samples/mnist_pixels.spinal', '--model', 'mnist_spinal', '--weights', join(dir, 'none.safetensors'), '--targets', 'onnx');
    expect(v.stderr).toBe("spinal: target 'onnx' needs the package onnxruntime-node, which is not installed: npm install onnxruntime-node@^1.30.0\n");
    expect(v.status).toBe(1);
  });
});

describe('the repository', () => {
  it('runs `npx spinal` with no npm warning about its configuration', () => {
    const r = spawnSync('npx', ['--no-install', 'spinal', '--version'], { cwd: ROOT, encoding: 'utf8', env: cleanEnv() });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/Unknown (project|user|env) config/);
  });
});
