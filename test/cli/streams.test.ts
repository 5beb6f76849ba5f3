// Output that cannot be written never ends in a stack trace: a reader that stops early (`| head`)
// ends the command quietly, a full disk (`> /dev/full`) is one line naming the file, exit 1.
// Runs bin/spinal.js over dist/ (built by `npm test`) in a shell, as a user's pipeline does.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../support/samples.js';
import { scratch } from '../support/scratch.js';

const ROOT = join(SAMPLES_DIR, '..');
const dir = scratch('streams');
const big = join(dir, 'big.spinal');
// Its `ir --json` is megabytes: far more than a pipe holds, so the writer meets the closed pipe.
writeFileSync(big, 'model big { input 4096 spinal { width 8 layers 2000 } output 10 }\n');

function shell(script: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const spinal = `'${process.execPath}' bin/spinal.js`;

describe('a reader that closes the pipe', () => {
  it.each([
    ['ir --json', `ir --json '${big}'`],
    ['graph --format dot', `graph '${big}' --format dot`],
    ['macs', `macs samples/*.spinal`],
  ])('%s | head: exit 0, nothing on stderr', (_, args) => {
    const r = shell(`${spinal} ${args} 2>"${dir}/err" | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"; cat "${dir}/err"`);
    expect(r.stdout).toBe('0\n');
  });
});

describe.runIf(existsSync('/dev/full'))('a full disk', () => {
  it.each([
    ['ir', 'ir samples/three_rows.spinal'],
    ['macs', 'macs samples/three_rows.spinal'],
    ['macs --json', 'macs --json samples/three_rows.spinal'],
    ['graph', 'graph samples/three_rows.spinal --model three_rows --format mermaid'],
    ['--help', '--help'],
    ['check --help', 'check --help'],
  ])('%s > /dev/full: one line naming it, exit 1', (_, args) => {
    const r = shell(`${spinal} ${args} > /dev/full`);
    expect([r.status, r.stderr]).toEqual([1, "spinal: cannot write to '/dev/full' (standard output): no space left on device\n"]);
  });
});

// `script` (util-linux) gives the command a terminal for stderr; without one there is no colour to turn off.
const hasScript = spawnSync('bash', ['-c', 'command -v script']).status === 0;

describe.runIf(hasScript)('colour', () => {
  const bad = join(dir, 'bad.spinal');
  writeFileSync(bad, 'model m { input 4 dens 3 output 2 }\n');

  it('NO_COLOR and --no-color turn it off on a terminal; it is on otherwise', () => {
    const onTty = (env: string, flags: string) =>
      shell(`${env} script -qec "${spinal} check ${flags} '${bad}'" /dev/null`).stdout;
    expect(onTty('', '')).toContain('\u001b[');
    expect(onTty('NO_COLOR=1', '')).not.toContain('\u001b[');
    expect(onTty('', '--no-color')).not.toContain('\u001b[');
    expect(onTty('', '--no-color')).toContain("error[SPN003]: unknown keyword 'dens'");
  });
});
