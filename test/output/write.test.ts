// Atomic output folders: all files or none, the folder byte for byte as it was after any
// failure, files spinal did not write left alone unless forced, an interrupted build finished or
// undone by the next run, and one build at a time.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_NAME, NODE_OPS, OutputError, acquireLock, recover, siblingsOf, writeOutput, type FileOps } from '../../src/output/index.js';
import { errnoError, snapshot } from '../support/folders.js';

const roots: string[] = [];

function freshRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'spinal-output-'));
  roots.push(root);
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const files = [
  { path: 'model.ts', contents: 'export const a = 1;\n' },
  { path: 'model.safetensors', contents: new Uint8Array([1, 2, 3]) },
];
const next = [{ path: 'model.ts', contents: 'new' }, { path: 'model.safetensors', contents: 'new' }, { path: 'extra/new.txt', contents: 'new' }];

/** Every FileOps call counted; the one numbered `failAt` throws `error` instead of running. */
function failingOps(failAt: number, error: Error): { ops: FileOps; calls: () => number } {
  let calls = 0;
  const wrap = <K extends keyof FileOps>(name: K): FileOps[K] => ((...args: unknown[]) => {
    if (++calls === failAt) throw error;
    return (NODE_OPS[name] as (...a: unknown[]) => unknown)(...args);
  }) as FileOps[K];
  const ops = { rename: wrap('rename'), writeFile: wrap('writeFile'), mkdir: wrap('mkdir'), carry: wrap('carry'), symlink: wrap('symlink'), remove: wrap('remove') };
  return { ops, calls: () => calls };
}

describe('writeOutput', () => {
  it('creates the folder with the files and a manifest, and leaves nothing beside it', () => {
    const root = freshRoot();
    const dir = join(root, 'out', 'nested');
    writeOutput(dir, files);
    expect(readFileSync(join(dir, 'model.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect([...readFileSync(join(dir, 'model.safetensors'))]).toEqual([1, 2, 3]);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, MANIFEST_NAME), 'utf8')).files)).toEqual(['model.safetensors', 'model.ts']);
    expect(readdirSync(join(root, 'out'))).toEqual(['nested']);
  });

  it('overwrites its own files, carries over unrelated files, folders and links, and writes nested paths', () => {
    const root = freshRoot();
    const dir = join(root, 'out');
    writeOutput(dir, files);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    mkdirSync(join(dir, 'docs', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'docs', 'deep', 'a.md'), 'deep');
    symlinkSync('notes.txt', join(dir, 'link'));
    const result = writeOutput(dir, [{ path: 'model.ts', contents: 'export const a = 2;\n' }, { path: 'sub/x.h', contents: 'x' }]);
    expect(result.recovered).toBeUndefined();
    expect(readFileSync(join(dir, 'model.ts'), 'utf8')).toBe('export const a = 2;\n');
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(dir, 'docs', 'deep', 'a.md'), 'utf8')).toBe('deep');
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'sub', 'x.h'), 'utf8')).toBe('x');
    expect(Object.keys(JSON.parse(readFileSync(join(dir, MANIFEST_NAME), 'utf8')).files).sort()).toEqual(['model.safetensors', 'model.ts', 'sub/x.h']);
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('keeps the folder\'s permissions', () => {
    const dir = join(freshRoot(), 'out');
    mkdirSync(dir, { mode: 0o750 });
    writeOutput(dir, files);
    expect(statSync(dir).mode & 0o777).toBe(0o750);
  });

  it('refuses to overwrite a file it did not write, naming it, and changes nothing', () => {
    const dir = join(freshRoot(), 'out');
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.ts'), 'hand written');
    const before = snapshot(dir);
    expect(() => writeOutput(dir, files)).toThrow(OutputError);
    expect(() => writeOutput(dir, files)).toThrow(/did not write[\s\S]*model\.ts[\s\S]*`force`/);
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

  it('leaves the folder byte for byte as it was when any file-system call fails, and nothing beside it', () => {
    const root = freshRoot();
    const dir = join(root, 'out');
    writeOutput(dir, files);
    writeFileSync(join(dir, 'other.txt'), 'keep');
    mkdirSync(join(dir, 'kept'));
    writeFileSync(join(dir, 'kept', 'x'), 'keep');
    const before = snapshot(dir);
    let failAt = 1;
    for (; ; failAt++) {
      const { ops, calls } = failingOps(failAt, errnoError('ENOSPC'));
      let threw = false;
      try {
        writeOutput(dir, next, { ops });
      } catch (e) {
        threw = true;
        expect((e as Error).message).toMatch(/^cannot write into '.*out': no space left on the device; the folder was left as it was$/);
      }
      if (!threw) {
        // The last call, removing the old folder after the commit, is the one whose failure
        // leaves the build in place; the next run removes what it left.
        expect(calls()).toBe(failAt);
        expect(readFileSync(join(dir, 'extra', 'new.txt'), 'utf8')).toBe('new');
        expect(readFileSync(join(dir, 'kept', 'x'), 'utf8')).toBe('keep');
        expect(readdirSync(root).sort()).toEqual(['.out.spinal-old', 'out']);
        expect(writeOutput(dir, next).recovered).toBe('an interrupted build was found and completed');
        expect(readdirSync(root)).toEqual(['out']);
        break;
      }
      expect(snapshot(dir)).toEqual(before);
      expect(readdirSync(root)).toEqual(['out']);
    }
    expect(failAt).toBeGreaterThan(8);
  });

  it('leaves a missing folder missing when any call fails', () => {
    const root = freshRoot();
    for (let failAt = 1; failAt <= 5; failAt++) {
      const { ops } = failingOps(failAt, errnoError('EIO'));
      expect(() => writeOutput(join(root, 'out'), files, { ops })).toThrow(/input\/output error; the folder was left as it was/);
      expect(readdirSync(root)).toEqual([]);
    }
  });

  it('refuses paths outside the folder, a file where the folder should be, and a folder where a file should be', () => {
    const root = freshRoot();
    expect(() => writeOutput(join(root, 'out'), [{ path: '../x', contents: '' }])).toThrow(/inside the folder/);
    writeFileSync(join(root, 'file'), '');
    expect(() => writeOutput(join(root, 'file'), files)).toThrow(/not a folder/);
    mkdirSync(join(root, 'out2', 'model.ts'), { recursive: true });
    expect(() => writeOutput(join(root, 'out2'), files, { force: true })).toThrow(/not a file/);
  });

  it('refuses a symbolic link, and the folder it runs in or one above it', () => {
    const root = freshRoot();
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'link'));
    expect(() => writeOutput(join(root, 'link'), files)).toThrow(/'.*link' is a symbolic link; .* pass the folder it points to/);
    expect(readdirSync(join(root, 'real'))).toEqual([]);
    const cwd = process.cwd();
    try {
      process.chdir(join(root, 'real'));
      expect(() => writeOutput('.', files)).toThrow(/holds the current folder/);
      expect(() => writeOutput(root, files)).toThrow(/holds the current folder/);
    } finally {
      process.chdir(cwd);
    }
  });

  it.skipIf(!isMountPoint('/dev/shm'))('refuses a mount point, before writing anything beside it', () => {
    const before = readdirSync('/dev');
    expect(() => writeOutput('/dev/shm', files)).toThrow("'/dev/shm' is a mount point; spinal replaces the output folder as a whole by renaming it, which a mount point does not allow: build into a folder inside it");
    expect(readdirSync('/dev')).toEqual(before);
  });

  it('refuses a folder holding a named pipe, which it could not carry over', async () => {
    const dir = join(freshRoot(), 'out');
    mkdirSync(dir);
    await new Promise((done) => spawn('mkfifo', [join(dir, 'pipe')]).on('exit', done));
    expect(() => writeOutput(dir, files)).toThrow(/'.*pipe' is a named pipe; .* move it out of the folder/);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  it('refuses a file name longer than file systems allow, before writing anything', () => {
    const root = freshRoot();
    expect(() => writeOutput(join(root, 'out'), [{ path: `${'a'.repeat(10_000)}.ts`, contents: '' }])).toThrow(/is 10003 bytes long, more than the 255/);
    expect(readdirSync(root)).toEqual([]);
  });

  it('gives short names to its siblings whatever the folder is called', () => {
    const long = join(freshRoot(), 'x'.repeat(250));
    writeOutput(long, files);
    expect(readdirSync(long).sort()).toEqual([MANIFEST_NAME, 'model.safetensors', 'model.ts']);
    for (const sibling of Object.values(siblingsOf(long))) expect(Buffer.byteLength(sibling.split('/').pop()!)).toBeLessThanOrEqual(200);
  });
});

describe('recovery from a build killed in the middle', () => {
  function interrupted(state: 'staged' | 'between renames' | 'old not removed' | 'new folder staged') {
    const root = freshRoot();
    const dir = join(root, 'out');
    const s = siblingsOf(dir);
    if (state !== 'new folder staged') writeOutput(dir, files);
    const before = existsSync(dir) ? snapshot(dir) : undefined;
    writeOutput(join(root, 'built'), next);
    const after = snapshot(join(root, 'built'));
    if (state === 'staged' || state === 'new folder staged') renameSync(join(root, 'built'), s.staging);
    if (state === 'between renames') {
      renameSync(dir, s.old);
      renameSync(join(root, 'built'), s.staging);
    }
    if (state === 'old not removed') {
      renameSync(dir, s.old);
      renameSync(join(root, 'built'), dir);
    }
    return { root, dir, before, after };
  }

  it('undoes a build killed before its commit', () => {
    const { root, dir, before } = interrupted('staged');
    expect(recover(dir, siblingsOf(dir))).toBe('an interrupted build was found and undone');
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('undoes the build of a new folder killed before its commit', () => {
    const { root, dir } = interrupted('new folder staged');
    expect(recover(dir, siblingsOf(dir))).toBe('an interrupted build was found and undone');
    expect(readdirSync(root)).toEqual([]);
  });

  it('completes a build killed between the two renames of its commit', () => {
    const { root, dir, after } = interrupted('between renames');
    expect(existsSync(dir)).toBe(false);
    expect(recover(dir, siblingsOf(dir))).toBe('an interrupted build was found and completed');
    expect(snapshot(dir)).toEqual(after);
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('completes a build killed before it removed the old folder', () => {
    const { root, dir, after } = interrupted('old not removed');
    expect(recover(dir, siblingsOf(dir))).toBe('an interrupted build was found and completed');
    expect(snapshot(dir)).toEqual(after);
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('is run by the next build, which then proceeds and says so', () => {
    const { dir } = interrupted('between renames');
    const result = writeOutput(dir, next);
    expect(result.recovered).toBe('an interrupted build was found and completed');
    expect(readFileSync(join(dir, 'extra', 'new.txt'), 'utf8')).toBe('new');
  });
});

describe('the lock beside the folder', () => {
  it('makes a build refuse while a live process holds it, naming the process and the lock', async () => {
    const root = freshRoot();
    const dir = join(root, 'out');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      await new Promise((done) => holder.on('spawn', done));
      writeFileSync(siblingsOf(dir).lock, JSON.stringify({ pid: holder.pid, host: hostname() }));
      let waited = 0;
      expect(() => writeOutput(dir, files, { lock: { waitMs: 0, onWait: () => waited++ } }))
        .toThrow(new RegExp(`another spinal build \\(process ${holder.pid} on .*\\) is writing into '.*out'; try again when it ends \\(if no build runs, remove '.*\\.out\\.spinal-lock'\\)`));
      expect(existsSync(dir)).toBe(false);
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((done) => holder.on('exit', done));
    // Its holder is gone now: the lock is stale and taken over.
    writeOutput(dir, files, { lock: { waitMs: 0 } });
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('takes over a lock that no live process holds, or that holds garbage', () => {
    const root = freshRoot();
    const lock = siblingsOf(join(root, 'out')).lock;
    for (const text of [JSON.stringify({ pid: 999_999_999, host: hostname() }), JSON.stringify({ pid: process.pid, host: hostname(), start: 'earlier' })]) {
      writeFileSync(lock, text);
      writeOutput(join(root, 'out'), files, { lock: { waitMs: 0 } });
      expect(existsSync(lock)).toBe(false);
    }
    writeFileSync(lock, 'garbage');
    utimesSync(lock, new Date(0), new Date(0));
    writeOutput(join(root, 'out'), files, { lock: { waitMs: 0 } });
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('is released even when the build fails', () => {
    const root = freshRoot();
    expect(() => writeOutput(join(root, 'out'), files, { ops: { writeFile: () => { throw errnoError('EIO'); } } })).toThrow(OutputError);
    const held = acquireLock(siblingsOf(join(root, 'out')).lock, { waitMs: 0 });
    held.release();
    expect(readdirSync(root)).toEqual([]);
  });
});

function isMountPoint(path: string): boolean {
  const st = statSync(path, { throwIfNoEntry: false });
  return st !== undefined && st.isDirectory() && st.dev !== statSync(join(path, '..')).dev;
}
