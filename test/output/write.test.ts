// Atomic output folders: all files or none, the folder byte for byte as it was after any
// failure, and files spinal did not write left alone unless forced.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renameSync } from 'node:fs';
import { MANIFEST_NAME, OutputError, writeOutput } from '../../src/output/index.js';

const roots: string[] = [];

function freshRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'spinal-output-'));
  roots.push(root);
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Every file under dir with its bytes, for byte-for-byte comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out[path.slice(dir.length + 1)] = readFileSync(path, 'base64');
    }
  }
  return out;
}

const files = [
  { path: 'model.ts', contents: 'export const a = 1;\n' },
  { path: 'model.safetensors', contents: new Uint8Array([1, 2, 3]) },
];

describe('writeOutput', () => {
  it('creates the folder with the files and a manifest, and leaves no staging folder behind', () => {
    const root = freshRoot();
    const dir = join(root, 'out', 'nested');
    writeOutput(dir, files);
    expect(readFileSync(join(dir, 'model.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect([...readFileSync(join(dir, 'model.safetensors'))]).toEqual([1, 2, 3]);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, MANIFEST_NAME), 'utf8')).files)).toEqual(['model.safetensors', 'model.ts']);
    expect(readdirSync(join(root, 'out'))).toEqual(['nested']);
  });

  it('overwrites its own files, keeps unrelated ones, and writes nested paths', () => {
    const dir = join(freshRoot(), 'out');
    writeOutput(dir, files);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    writeOutput(dir, [{ path: 'model.ts', contents: 'export const a = 2;\n' }, { path: 'sub/x.h', contents: 'x' }]);
    expect(readFileSync(join(dir, 'model.ts'), 'utf8')).toBe('export const a = 2;\n');
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(dir, 'sub', 'x.h'), 'utf8')).toBe('x');
    expect(Object.keys(JSON.parse(readFileSync(join(dir, MANIFEST_NAME), 'utf8')).files).sort()).toEqual(['model.safetensors', 'model.ts', 'sub/x.h']);
  });

  it('refuses to overwrite a file it did not write, naming it, and changes nothing', () => {
    const dir = join(freshRoot(), 'out');
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.ts'), 'hand written');
    const before = snapshot(dir);
    expect(() => writeOutput(dir, files)).toThrow(OutputError);
    expect(() => writeOutput(dir, files)).toThrow(/did not write[\s\S]*model\.ts[\s\S]*--force/);
    expect(snapshot(dir)).toEqual(before);
    writeOutput(dir, files, { force: true });
    expect(readFileSync(join(dir, 'model.ts'), 'utf8')).toBe('export const a = 1;\n');
  });

  it('treats its own file edited since as foreign', () => {
    const dir = join(freshRoot(), 'out');
    writeOutput(dir, files);
    writeFileSync(join(dir, 'model.ts'), 'edited by hand');
    expect(() => writeOutput(dir, files)).toThrow(/did not write \(or that changed since\)/);
    expect(readFileSync(join(dir, 'model.ts'), 'utf8')).toBe('edited by hand');
  });

  it('undoes every step when a rename fails halfway, leaving the folder byte for byte as it was', () => {
    const root = freshRoot();
    const dir = join(root, 'out');
    writeOutput(dir, files);
    writeFileSync(join(dir, 'other.txt'), 'keep');
    const before = snapshot(dir);
    for (let failAt = 1; failAt <= 7; failAt++) { // every rename: 3 files, the manifest, 3 of them replacing
      let calls = 0;
      const ops = {
        rename(from: string, to: string) {
          if (++calls === failAt) throw new Error('disk full');
          renameSync(from, to);
        },
      };
      const next = [{ path: 'model.ts', contents: 'new' }, { path: 'model.safetensors', contents: 'new' }, { path: 'extra/new.txt', contents: 'new' }];
      expect(() => writeOutput(dir, next, { ops })).toThrow(/disk full; the folder was left as it was/);
      expect(snapshot(dir)).toEqual(before);
      expect(existsSync(join(dir, 'extra'))).toBe(false);
      expect(readdirSync(root)).toEqual(['out']);
    }
  });

  it('leaves the folder byte for byte as it was when a write fails after writing started', () => {
    const root = freshRoot();
    const dir = join(root, 'out');
    writeOutput(dir, files);
    writeFileSync(join(dir, 'other.txt'), 'keep');
    const before = snapshot(dir);
    for (let failAt = 1; failAt <= 4; failAt++) { // every write: 3 files and the manifest
      let calls = 0;
      const ops = {
        writeFile(path: string, contents: string | Uint8Array) {
          writeFileSync(path, contents);
          if (++calls === failAt) throw new Error('no space left on device');
        },
      };
      const next = [{ path: 'model.ts', contents: 'new' }, { path: 'model.safetensors', contents: 'new' }, { path: 'extra/new.txt', contents: 'new' }];
      expect(() => writeOutput(dir, next, { ops })).toThrow(/no space left on device; the folder was left as it was/);
      expect(calls).toBe(failAt);
      expect(snapshot(dir)).toEqual(before);
      expect(readdirSync(root)).toEqual(['out']);
    }
    expect(() => writeOutput(join(root, 'new'), files, { ops: { writeFile: () => { throw new Error('EIO'); } } })).toThrow(OutputError);
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('leaves a missing folder missing when the final rename fails', () => {
    const root = freshRoot();
    const ops = { rename: () => { throw new Error('no'); } };
    expect(() => writeOutput(join(root, 'out'), files, { ops })).toThrow(OutputError);
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses paths outside the folder, a file where the folder should be, and a folder where a file should be', () => {
    const root = freshRoot();
    expect(() => writeOutput(join(root, 'out'), [{ path: '../x', contents: '' }])).toThrow(/inside the folder/);
    writeFileSync(join(root, 'file'), '');
    expect(() => writeOutput(join(root, 'file'), files)).toThrow(/not a folder/);
    mkdirSync(join(root, 'out2', 'model.ts'), { recursive: true });
    expect(() => writeOutput(join(root, 'out2'), files, { force: true })).toThrow(/not a file/);
  });
});
