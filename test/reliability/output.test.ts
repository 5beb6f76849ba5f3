// Output folders under faults, with real processes: a build killed with SIGKILL at every one of
// its file-system calls, then the next build; two builds into one folder at once; and every
// kind of --out that cannot be written, each a one-line refusal with exit 1.
//
// CI runs each class at a small size. SPINAL_RELIABILITY=long runs them at full size: builds
// killed at random moments as well as at each call (SPINAL_RELIABILITY_KILLS, 200 by default),
// and 20 rounds of concurrent builds.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acquireLock, recover, siblingsOf, writeOutput } from '../../src/output/index.js';
import { run } from '../support/cli.js';
import { runCli, startCli } from '../support/cli-process.js';
import { onlyModel } from '../support/front.js';
import { initWeights } from '../../src/weights/init.js';
import { officialStateDict } from '../weights/torch-layout.js';
import { scratch } from '../support/scratch.js';
import { snapshot } from '../support/folders.js';
import { filesOf, wholeBuild } from './folder-builds.js';

const LONG = process.env.SPINAL_RELIABILITY === 'long';
const CHILD = fileURLToPath(new URL('./kill-child.ts', import.meta.url));
const root = scratch('reliability');

function child(dir: string, variant: string, killAt: number) {
  return spawnSync(process.execPath, ['--import', 'tsx', CHILD, dir, variant, String(killAt)], { encoding: 'utf8' });
}

describe('a build killed with SIGKILL at any moment', () => {
  it('leaves the folder as it was or as the new build, never a mix, and the next build puts it right', () => {
    const dir = join(root, 'killed');
    writeOutput(dir, filesOf('a'));
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const full = child(join(root, 'probe'), 'b', 0);
    writeOutput(join(root, 'probe2'), filesOf('a'));
    const probe = child(join(root, 'probe2'), 'b', 0);
    expect(probe.status).toBe(0);
    const steps = (JSON.parse(probe.stdout) as { calls: number }).calls;
    expect(full.status).toBe(0);
    expect(steps).toBeGreaterThan(10);
    for (let killAt = 1; killAt <= steps; killAt++) {
      const before = wholeBuild(dir);
      const killed = child(dir, before === 'a' ? 'b' : 'a', killAt);
      expect(killed.signal).toBe('SIGKILL');
      // Right after the kill: the folder is one build whole, or missing between the two renames.
      if (existsSync(dir)) expect(['a', 'b']).toContain(wholeBuild(dir));
      recover(dir, siblingsOf(dir));
      expect(['a', 'b']).toContain(wholeBuild(dir));
      // The killed build's lock is stale: the next build takes it over.
      acquireLock(siblingsOf(dir).lock, { waitMs: 0 }).release();
      expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
      expect(readdirSync(root).filter((n) => n.startsWith('.killed'))).toEqual([]);
    }
  }, 240_000);

  const kills = Number(process.env.SPINAL_RELIABILITY_KILLS ?? 200);
  it.runIf(LONG)(`at random moments of a real spinal build, ${kills} times`, async () => {
    const spinal = join(root, 'm.spinal');
    writeFileSync(spinal, 'model m(w = 3) { input 8 spinal { width w layers 2 } output 2 }\n');
    const dir = join(root, 'random-kill');
    expect((await runCli(['build', spinal, '--target', 'wgsl', '--out', dir])).code).toBe(0);
    const reference = snapshot(dir);
    for (let round = 0; round < kills; round++) {
      const started = startCli(['build', spinal, '--target', 'wgsl', '--out', dir, '--set', `w=${4 + (round % 3)}`]);
      setTimeout(() => started.child.kill('SIGKILL'), 300 + Math.floor(Math.random() * 900));
      await started.done;
      const next = await runCli(['build', spinal, '--target', 'wgsl', '--out', dir]);
      expect([next.code, next.stderr]).toEqual([0, expect.stringMatching(/^(note: an interrupted build was found and (completed|undone) in '.*'\n)?wrote /)]);
      expect(snapshot(dir)).toEqual(reference);
    }
  }, 3_600_000);
});

describe('the build after one that was killed', () => {
  it('completes or undoes it, and says so', async () => {
    const spinal = join(root, 'after.spinal');
    writeFileSync(spinal, 'model m { input 4 output 2 }\n');
    const dir = join(root, 'after');
    expect((await run('build', spinal, '--target', 'tfjs', '--out', dir)).code).toBe(0);
    const s = siblingsOf(dir);
    renameSync(dir, s.old);
    mkdirSync(s.staging);
    writeFileSync(join(s.staging, 'left.txt'), 'a staged build that was complete');
    const r = await run('build', spinal, '--target', 'tfjs', '--out', dir);
    expect([r.code, r.stderr]).toEqual([0, `note: an interrupted build was found and completed in '${dir}'\nwrote 'm.ts' into '${dir}' (model 'm', target tfjs)\n`]);
    expect(readFileSync(join(dir, 'left.txt'), 'utf8')).toBe('a staged build that was complete');
    expect(readdirSync(root).filter((n) => n.startsWith('.after.'))).toEqual([]);
  });
});

describe('two builds into one folder at once', () => {
  const rounds = LONG ? 20 : 2;
  it(`wait for each other, and the folder holds one build whole (${rounds} rounds)`, async () => {
    const spinal = join(root, 'two.spinal');
    writeFileSync(spinal, 'model m(w = 3) { input 8 spinal { width w layers 2 } output 2 }\n');
    const expected: Record<string, Record<string, string>> = {};
    for (const w of ['3', '5']) {
      const alone = join(root, `alone-${w}`);
      expect((await run('build', spinal, '--target', 'wgsl', '--out', alone, '--set', `w=${w}`)).code).toBe(0);
      expected[w] = snapshot(alone);
    }
    for (let round = 0; round < rounds; round++) {
      const dir = join(root, `together-${round}`);
      const results = await Promise.all(['3', '5'].map((w) => runCli(['build', spinal, '--target', 'wgsl', '--out', dir, '--set', `w=${w}`])));
      for (const r of results) expect([r.code, r.stderr]).toEqual([0, expect.stringMatching(/^(waiting for another spinal build \(process \d+\) writing into '.*'\n)?wrote /)]);
      const found = snapshot(dir);
      expect([expected['3'], expected['5']]).toContainEqual(found);
      expect(readdirSync(root).filter((n) => n.startsWith(`.together-${round}.`))).toEqual([]);
    }
  }, 240_000);
});

describe('a build that finds the folder locked', () => {
  it('waits for the lock, then builds', async () => {
    const spinal = join(root, 'wait.spinal');
    writeFileSync(spinal, 'model m { input 4 output 2 }\n');
    const dir = join(root, 'waited');
    const held = acquireLock(siblingsOf(dir).lock);
    const started = startCli(['build', spinal, '--target', 'tfjs', '--out', dir]);
    // The build says it waits; until the lock is released it writes nothing.
    await new Promise<void>((said) => started.child.stderr!.on('data', (d: Buffer) => { if (d.toString().includes('waiting for another')) said(); }));
    const waiting = started.child.exitCode === null && !existsSync(dir);
    held.release();
    const result = await started.done;
    expect(waiting).toBe(true);
    expect([result.code, result.stderr]).toEqual([0, expect.stringMatching(new RegExp(`^waiting for another spinal build \\(process ${process.pid}\\) writing into '.*waited'\\nwrote 'm\\.ts'`))]);
  }, 60_000);
});

describe('an --out that cannot be written: one line, exit 1', () => {
  const spinal = join(root, 'ok.spinal');
  writeFileSync(spinal, 'model m { input 4 output 2 }\n');
  const build = (out: string) => run('build', spinal, '--target', 'tfjs', '--out', out);
  const oneLine = (r: { code: number; stdout: string; stderr: string }) => {
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    return r.stderr;
  };

  it('under a regular file', async () => {
    writeFileSync(join(root, 'plain'), '');
    expect(oneLine(await build(join(root, 'plain', 'out')))).toBe(`spinal: cannot write into '${join(root, 'plain', 'out')}': '${join(root, 'plain')}' is a file, not a folder; the folder was left as it was\n`);
  });

  it('under /proc, which takes no new folders', async () => {
    for (const out of ['/proc/spinal-out', '/proc/self/spinal-out', '/proc/self/fd/0/spinal-out']) {
      expect(oneLine(await build(out))).toMatch(new RegExp(`^spinal: cannot write into '${out}': `));
    }
  });

  it('a missing folder on a read-only file system, or one we may not write', async () => {
    const sys = '/sys/spinal-missing/out';
    if (existsSync('/sys')) expect(oneLine(await build(sys))).toMatch(/^spinal: cannot write into '\/sys\/spinal-missing\/out': (the file system is read-only|operation not permitted|permission denied|no such file or folder);/);
    if (process.getuid?.() !== 0) {
      const locked = join(root, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o500);
      expect(oneLine(await build(join(locked, 'out')))).toMatch(/permission denied/);
    }
  });

  it('a model name of 10,000 characters', async () => {
    const long = join(root, 'long.spinal');
    writeFileSync(long, `model ${'m'.repeat(10_000)} { input 4 output 2 }\n`);
    const r = await run('build', long, '--target', 'tfjs', '--out', join(root, 'long-out'));
    expect(oneLine(r)).toMatch(/^spinal: the file name 'm{40}\.\.\.' is 10003 bytes long, more than the 255 file systems allow: give the model a shorter name\n$/);
    expect(existsSync(join(root, 'long-out'))).toBe(false);
  });

  it('a symbolic link, and a folder holding the working folder', async () => {
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'link'));
    expect(oneLine(await build(join(root, 'link')))).toMatch(/is a symbolic link; spinal replaces the output folder as a whole and does not follow links/);
    expect(oneLine(await build(process.cwd()))).toMatch(/holds the current folder/);
  });

  it.skipIf(!isMountPoint('/dev/shm'))('a mount point', async () => {
    expect(oneLine(await build('/dev/shm'))).toMatch(/is a mount point/);
  });
});

describe('init, import, graph --out and macs --plot at a device, a named pipe or a link', () => {
  const spinal = join(root, 'small.spinal');
  writeFileSync(spinal, 'model m(w = 2) { input 4 spinal { width w layers 2 } output 2 }\n');
  const weights = join(root, 'small.safetensors');

  it('refuse it, leave it as it was, and say why in one line', async () => {
    writeFileSync(weights, officialStateDict(initWeights(onlyModel(readFileSync(spinal, 'utf8')).graph, 1), { dropout: false }));
    const fifo = join(root, 'pipe');
    spawnSync('mkfifo', [fifo]);
    const target = join(root, 'target.svg');
    writeFileSync(target, 'keep');
    const link = join(root, 'link.svg');
    symlinkSync(target, link);
    const commands = (out: string) => [
      ['init', spinal, '--seed', '1', '--out', out],
      ['import', spinal, '--from-torch', weights, '--out', out],
      ['graph', spinal, '--out', out],
      ['macs', spinal, '--model', 'm', '--sweep', 'w=2:4', '--plot', out],
    ];
    for (const [out, why] of [['/dev/null', 'it is a device'], [fifo, 'it is a named pipe'], [link, 'it is a symbolic link']]) {
      for (const argv of commands(out)) {
        const r = await run(...argv);
        // init refuses any file that exists unless --force; a link to one is refused either way.
        const said = argv[0] === 'init' && out === link ? new RegExp(`spinal: ('${link}' exists; add --force|cannot write '${link}': ${why})`) : new RegExp(`^spinal: cannot write '${out}': ${why}`);
        expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(said)]);
      }
    }
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readFileSync(link, 'utf8')).toBe('keep');
  });
});

describe('reading without bound', () => {
  it('check and --weights read /dev/zero only up to a limit, and a pipe likewise', async () => {
    const spinal = join(root, 'zero.spinal');
    writeFileSync(spinal, 'model m { input 4 output 2 }\n');
    expect(await run('check', '/dev/zero')).toEqual({ code: 1, stdout: '', stderr: "spinal: '/dev/zero' holds more than 4194304 bytes; a .spinal file may have at most 1048576 characters\n" });
    const out = join(root, 'zero-out');
    expect(await run('build', spinal, '--target', 'tfjs', '--out', out, '--weights', '/dev/zero'))
      .toEqual({ code: 1, stdout: '', stderr: "spinal: '/dev/zero': the header length 0 is too small to hold a JSON object\n" });
    // A named pipe whose writer would go on for ever: read 8 bytes, then refused.
    const fifo = join(root, 'weights-pipe');
    spawnSync('mkfifo', [fifo]);
    const writer = spawn(process.execPath, ['-e', `const fs = require('fs'); const fd = fs.openSync(${JSON.stringify(fifo)}, 'w'); const b = Buffer.alloc(1 << 16, 0xff); try { for (;;) fs.writeSync(fd, b); } catch {}`]);
    const piped = await run('build', spinal, '--target', 'tfjs', '--out', out, '--weights', fifo);
    writer.kill('SIGKILL');
    expect(piped).toEqual({ code: 1, stdout: '', stderr: `spinal: '${fifo}': the header length 18446744073709551615 is more than the limit of 100000000 bytes\n` });
    expect(existsSync(out)).toBe(false);
  });
});

function isMountPoint(path: string): boolean {
  const st = statSync(path, { throwIfNoEntry: false });
  return st !== undefined && st.isDirectory() && st.dev !== statSync(join(path, '..')).dev;
}


