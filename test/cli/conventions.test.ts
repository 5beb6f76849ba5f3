// Command-line conventions: check --json, --passes naming every pass the README lists, verify
// --json's seed as a number.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
import { scratch } from '../support/scratch.js';
import { reportJson } from '../../src/cli/actions/verify.js';
import type { VerifyReport } from '../../src/verify/run.js';
import { compileText } from '../support/front.js';
import { DEFAULT_LIMITS } from '../../src/check/limits.js';
import { checkOptionsFrom } from '../../src/cli/options.js';

const dir = scratch('conventions');
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface CheckJson {
  ok: boolean;
  errors: number;
  warnings: number;
  files: { path: string; models: string[]; diagnostics: { code: string; severity: string; start: { line: number; column: number }; end: { line: number; column: number }; hint?: string }[]; problem?: string }[];
}

describe('check --json', () => {
  it('prints every file with its models and diagnostics, exit 0 when there is no error', async () => {
    const warned = file('warned.spinal', 'model m { input 8 spinal { split 1:1:1 width 2 layers 2 } output 2 }');
    const r = await run('check', '--json', 'samples/three_rows.spinal', warned);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const json = JSON.parse(r.stdout) as CheckJson;
    expect([json.ok, json.errors, json.warnings]).toEqual([true, 0, 1]);
    expect(json.files.map((f) => [f.path, f.models])).toEqual([['samples/three_rows.spinal', ['three_rows', 'three_rows_interleaved']], [warned, ['m']]]);
    expect(json.files[1].diagnostics).toEqual([{
      code: 'SPN060', severity: 'warning', message: '2 sub-layers read only the first 2 of 3 rows: row 3 (2 features) feeds nothing',
      start: { line: 1, column: 48 }, end: { line: 1, column: 56 }, hint: "use 'layers 3' or more, or split into 2 rows",
    }]);
  });

  it('reports errors and unreadable files in the JSON, exit 1, no diagnostics on stderr', async () => {
    const bad = file('bad.spinal', 'model m { input 4 dens 3 output 2 }');
    const missing = join(dir, 'missing.spinal');
    const r = await run('check', '--json', bad, missing);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('spinal: 1 error, 1 file unusable\n');
    const json = JSON.parse(r.stdout) as CheckJson;
    expect([json.ok, json.errors]).toEqual([false, 1]);
    expect(json.files[0].diagnostics.map((d) => [d.code, d.start, d.end])).toEqual([['SPN003', { line: 1, column: 19 }, { line: 1, column: 23 }]]);
    expect(json.files[1]).toEqual({ path: missing, models: [], diagnostics: [], problem: `cannot read '${missing}': no such file` });
  });
});

describe('--passes', () => {
  it('accepts every pass the README lists, plan-memory included', async () => {
    for (const pass of ['drop-dropout', 'fold-batchnorm', 'fuse-activation', 'fuse-concat', 'plan-memory']) {
      const r = await run('ir', 'samples/three_rows.spinal', '--passes', pass);
      expect(r.code, `${pass}: ${r.stderr}`).toBe(0);
    }
    expect((await run('ir', 'samples/three_rows.spinal', '--passes', 'plan-memroy')).code).toBe(2);
  });

  it('plan-memory: ir prints each model\'s arena and buffers, as text and JSON', async () => {
    const r = await run('ir', 'samples/three_rows.spinal', '--passes', 'drop-dropout,fuse-concat,plan-memory');
    expect(r.stdout).toMatch(/^ {2}memory: arena \d+ floats per sample, peak \d+ bytes, \d+ bytes copied$/m);
    const json = JSON.parse((await run('ir', 'samples/three_rows.spinal', '--json', '--passes', 'fuse-concat,plan-memory')).stdout) as { models: { memory: { peakBytes: number; buffers: unknown[] } }[] };
    expect(json.models).toHaveLength(2);
    for (const m of json.models) expect(m.memory.peakBytes).toBeGreaterThan(0);
    // Without it, no plan is shown.
    expect((await run('ir', 'samples/three_rows.spinal')).stdout).not.toContain('memory:');
  });

  it('graph takes the same list', async () => {
    expect((await run('graph', 'samples/three_rows.spinal', '--model', 'three_rows', '--format', 'dot', '--passes', 'fuse-concat,plan-memory')).code).toBe(0);
  });
});

describe('verify --json', () => {
  const report: VerifyReport = { model: 'm', batch: 2, seed: '18446744073709551615', tolerance: 1e-4, targets: { tfjs: { maxAbsError: 0, maxRelError: 0, ok: true } } };

  it('writes the seed as a number, digit for digit, even past 2^53', () => {
    const text = reportJson(report);
    expect(text).toContain('\n  "seed": 18446744073709551615,\n');
    expect(typeof (JSON.parse(text) as { seed: unknown }).seed).toBe('number');
  });

  it('on the command line', async () => {
    const weights = join(dir, 'w.safetensors');
    expect((await run('init', 'samples/three_rows.spinal', '--model', 'three_rows', '--seed', '1', '--out', weights)).code).toBe(0);
    const r = await run('verify', 'samples/three_rows.spinal', '--model', 'three_rows', '--weights', weights, '--seed', '42', '--batch', '2', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { seed: unknown }).seed).toBe(42);
  });
});

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('pictures: .png, - and refused formats', () => {
  it('graph --out x.png renders the SVG as a PNG', async () => {
    const out = join(dir, 'three_rows.png');
    const r = await run('graph', 'samples/three_rows.spinal', '--model', 'three_rows', '--out', out);
    expect([r.code, r.stderr]).toEqual([0, `wrote '${out}'\n`]);
    const png = readFileSync(out);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    // IHDR: width and height, big-endian, at bytes 16 and 20; a picture of a model, not a dot.
    expect(png.readUInt32BE(16)).toBeGreaterThan(200);
    expect(png.readUInt32BE(20)).toBeGreaterThan(200);
  });

  it('graph --out - writes to stdout; a PNG of dot text, or a JPEG, is refused', async () => {
    const r = await run('graph', 'samples/three_rows.spinal', '--model', 'three_rows', '--format', 'dot', '--out', '-');
    expect([r.code, r.stdout.startsWith('digraph'), r.stderr]).toEqual([0, true, '']);
    const dotPng = await run('graph', 'samples/three_rows.spinal', '--model', 'three_rows', '--format', 'dot', '--out', join(dir, 'x.png'));
    expect([dotPng.code, dotPng.stderr]).toEqual([2, `spinal: --out ${join(dir, 'x.png')}: a PNG is drawn from the SVG; drop --format dot\n(run with --help for usage)\n`]);
    const jpeg = await run('graph', 'samples/three_rows.spinal', '--model', 'three_rows', '--out', join(dir, 'x.jpg'));
    expect([jpeg.code, jpeg.stderr]).toEqual([2, `spinal: --out ${join(dir, 'x.jpg')}: spinal writes .svg or .png pictures, not .jpg\n(run with --help for usage)\n`]);
    expect(existsSync(join(dir, 'x.jpg'))).toBe(false);
  });

  it('macs --plot x.png renders PNG; --plot - prints the SVG instead of the table', async () => {
    const sweep = ['macs', 'samples/vgg19_cifar10.spinal', '--model', 'vgg19_spinal', '--sweep', 'w=64:128:64'];
    const out = join(dir, 'sweep.png');
    expect((await run(...sweep, '--plot', out)).code).toBe(0);
    expect([...readFileSync(out).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const r = await run(...sweep, '--plot', '-');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<svg')).toBe(true);
    expect(r.stdout).not.toContain('MACs ratio');
  });
});

describe('messages', () => {
  it('SPN050 names the limit that was passed: multiply-accumulates, or parameters', () => {
    const text = 'model m { input 1000 dense 1000 output 2 }';
    const macs = compileText(text, { limits: { ...DEFAULT_LIMITS, maxMacs: 1000 } }).diagnostics[0];
    expect([macs.code, macs.message]).toEqual(['SPN050', "model 'm' needs 1002000 multiply-accumulates, more than the limit 1000"]);
    expect(macs.hint).toBe('use smaller sizes or widths: the limit on multiply-accumulates keeps every count exact, and limits.maxParameters does not change it');
    const params = compileText(text, { limits: { ...DEFAULT_LIMITS, maxParameters: 1000 } }).diagnostics[0];
    expect(params.hint).toBe('use smaller sizes or widths, or raise the limit with limits.maxParameters');
    // The library names its option; the command line names its flag.
    const cli = compileText(text, checkOptionsFrom({ maxParameters: 1000 })).diagnostics[0];
    expect(cli.hint).toBe('use smaller sizes or widths, or raise the limit with --max-parameters');
  });

  it('the top-level help names every target, ONNX included', async () => {
    const r = await run('--help');
    expect(r.stdout).toContain('TensorFlow.js, WGSL, C++ and ONNX');
    expect(r.stdout).toContain('--no-color');
  });
});
