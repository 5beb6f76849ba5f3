// What the commands do with unusual input: empty and comment-only files, standard input, binary
// files, several files with one missing, a fraction without its leading 0, non-ASCII names.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, runWithInput } from '../support/cli.js';
import { scratch } from '../support/scratch.js';
import { writeSafetensors } from '../../src/weights/safetensors.js';
import { binaryKind } from '../../src/cli/binary.js';

const dir = scratch('input');
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const empty = file('empty.spinal', '');
const comments = file('comments.spinal', '# a head to come\n// later\n');
const COMMANDS: string[][] = [
  ['check'], ['macs'], ['ir'], ['graph'],
  ['init', '--seed', '1', '--out', join(dir, 'w.safetensors')],
  ['import', '--from-torch', join(dir, 'none.safetensors'), '--out', join(dir, 'w.safetensors')],
  ['build', '--target', 'cpp', '--out', join(dir, 'out')],
  ['verify', '--weights', join(dir, 'none.safetensors')],
];

describe('a file that declares no model', () => {
  it.each(COMMANDS)('%s says so, exit 1', async (command, ...rest) => {
    for (const [path, why] of [[empty, 'it is empty'], [comments, 'it holds only comments']]) {
      const r = await run(command, path, ...rest);
      expect([r.code, r.stdout, r.stderr]).toEqual([1, '', `spinal: '${path}' declares no model (${why})\n`]);
    }
  });
});

describe('standard input', () => {
  it("'-' reads it, named <stdin> in diagnostics", async () => {
    const ok = await runWithInput('model m { input 4 output 2 }', 'check', '-');
    expect([ok.code, ok.stderr]).toEqual([0, '1 file ok, 1 model\n']);
    const bad = await runWithInput('model m { input 4 dens 3 output 2 }', 'check', '-');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("<stdin>:1:19: error[SPN003]: unknown keyword 'dens'");
  });

  it('works with the other commands and beside files', async () => {
    const r = await runWithInput('model m { input 4 output 2 }', 'macs', '--json', '-', 'samples/three_rows.spinal');
    const models = (JSON.parse(r.stdout) as { models: { name: string; file: string }[] }).models;
    expect(models.map((m) => [m.name, m.file])).toEqual([['m', '<stdin>'], ['three_rows', 'samples/three_rows.spinal'], ['three_rows_interleaved', 'samples/three_rows.spinal']]);
  });

  it("'-' twice is a usage error", async () => {
    const r = await runWithInput('', 'check', '-', '-');
    expect([r.code, r.stderr]).toEqual([2, "spinal: '-' (standard input) can be read only once\n(run with --help for usage)\n"]);
  });
});

describe('a binary file', () => {
  it('a safetensors file given as a .spinal file is named as such, with no syntax errors', async () => {
    const weights = file('w.spinal', writeSafetensors(new Map([['x', { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) }]]), {}));
    const r = await run('check', weights);
    expect([r.code, r.stderr]).toEqual([1, `spinal: '${weights}' is a safetensors weights file, not a .spinal source file\n`]);
  });

  it('recognises archives and arrays by their first bytes, other binaries by a NUL byte', () => {
    expect(binaryKind(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0]))).toMatch(/^a zip archive/);
    expect(binaryKind(new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]))).toBe('a NumPy .npy array');
    expect(binaryKind(new Uint8Array([1, 2, 0, 3]))).toBe('a binary file');
    expect(binaryKind(new TextEncoder().encode('model m { input 4 output 2 }'))).toBeUndefined();
    // Text that happens to start with 8 bytes a safetensors length could be is still text.
    expect(binaryKind(new TextEncoder().encode('model m {{ input 4 output 2 }'))).toBeUndefined();
  });
});

describe('several files, one of them missing', () => {
  it("reports every file's diagnostics and every missing file, then fails", async () => {
    const bad = file('bad.spinal', 'model a { input 0 output 2 }');
    const missing = join(dir, 'missing.spinal');
    const r = await run('check', bad, missing, 'samples/three_rows.spinal', empty);
    expect(r.code).toBe(1);
    const at = (s: string) => r.stderr.indexOf(s);
    expect(at(`${bad}:1:17: error[SPN030]`)).toBeGreaterThanOrEqual(0);
    expect(at(`spinal: cannot read '${missing}': no such file`)).toBeGreaterThan(at(`${bad}:1:17`));
    expect(at(`spinal: '${empty}' declares no model (it is empty)`)).toBeGreaterThan(at(missing));
    expect(r.stderr.endsWith('spinal: 1 error found; 2 of 4 files unusable\n')).toBe(true);
  });
});

describe('lexing hints', () => {
  it('dropout .5 hints 0.5', async () => {
    const r = await run('check', file('frac.spinal', 'model m { input 4 dropout .5 output 2 }'));
    expect(r.stderr).toContain("error[SPN001]: unexpected character '.'");
    expect(r.stderr).toContain('hint: a number starts with a digit: write 0.5');
  });

  it('a non-ASCII letter is shown as itself, with its code point; a direction mark only by code point', async () => {
    const r = await run('check', file('name.spinal', 'model café { input 4 output 2 }'));
    expect(r.stderr).toContain("error[SPN001]: unexpected character 'é' (U+00E9)");
    expect(r.stderr).toContain('hint: names are ASCII letters, digits and _');
    const bidi = await run('check', file('bidi.spinal', 'model m { input 4 \u202e output 2 }'));
    expect(bidi.stderr).toContain('error[SPN001]: unexpected character U+202E\n');
  });
});

describe('usage mistakes', () => {
  it('a file with several models and no --model exits 2', async () => {
    const r = await run('graph', 'samples/three_rows.spinal');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('choose one with --model NAME');
  });
});
