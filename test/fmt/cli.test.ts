// `spinal fmt` on the command line: print, --check and --write, and what each refuses.
import { readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, runWithInput } from '../support/cli.js';
import { scratch } from '../support/scratch.js';
import { sampleFiles } from '../support/samples.js';

const dir = scratch('fmt');
const MESSY = 'model m(a=1){input 4;output a # out\n}\nmodel v=m(a=2)';
const TIDY = 'model m(a = 1) {\n  input 4\n  output a  # out\n}\n\nmodel v = m(a = 2)\n';

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('spinal fmt', () => {
  it('prints the formatted file and leaves it as it was', async () => {
    const path = file('print.spinal', MESSY);
    const r = await run('fmt', path);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(TIDY);
    expect(readFileSync(path, 'utf8')).toBe(MESSY);
  });

  it("reads standard input from '-'", async () => {
    const r = await runWithInput(MESSY, 'fmt', '-');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(TIDY);
  });

  it('--check exits 0 on formatted files and names the others with exit 1', async () => {
    expect((await run('fmt', '--check', ...sampleFiles())).code).toBe(0);
    const messy = file('check.spinal', MESSY);
    const r = await run('fmt', '--check', sampleFiles()[0], messy);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${messy}: not formatted`);
    expect(r.stderr).not.toContain(`${sampleFiles()[0]}: not formatted`);
    expect(readFileSync(messy, 'utf8')).toBe(MESSY);
  });

  it('--write rewrites what is not formatted, keeping the file mode, and leaves the rest alone', async () => {
    const messy = file('write.spinal', MESSY);
    chmodSync(messy, 0o640);
    const tidy = file('tidy.spinal', TIDY);
    const before = statSync(tidy).mtimeMs;
    const r = await run('fmt', '--write', messy, tidy);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('1 file formatted, 1 already formatted');
    expect(readFileSync(messy, 'utf8')).toBe(TIDY);
    expect(statSync(messy).mode & 0o777).toBe(0o640);
    expect(statSync(tidy).mtimeMs).toBe(before);
  });

  it('a file with syntax errors is reported with its diagnostics and left as it was; the others are formatted', async () => {
    const broken = file('broken.spinal', 'model m {\n  dens 10\n}\n');
    const messy = file('with-broken.spinal', MESSY);
    const r = await run('fmt', '--write', broken, messy);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[SPN003]');
    expect(r.stderr).toContain("did you mean 'dense'?");
    expect(r.stderr).toContain(`could not be formatted: ${broken}`);
    expect(readFileSync(broken, 'utf8')).toBe('model m {\n  dens 10\n}\n');
    expect(readFileSync(messy, 'utf8')).toBe(TIDY);
  });

  it('usage errors: --check with --write, --write on standard input, a missing file', async () => {
    expect((await run('fmt', '--check', '--write', sampleFiles()[0])).code).toBe(2);
    expect((await runWithInput(MESSY, 'fmt', '--write', '-')).code).toBe(2);
    const missing = await run('fmt', join(dir, 'nope.spinal'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
  });
});
