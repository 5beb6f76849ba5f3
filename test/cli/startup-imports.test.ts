// What the command line loads before it does anything: a command's own dependencies are loaded
// when it runs, never at start-up (bench/startup.ts measures the time). Runs bin/spinal.js over
// dist/ (built by `npm test`) under a resolve hook that lists every module Node loads.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../support/samples.js';
import { scratch } from '../support/scratch.js';

const ROOT = join(SAMPLES_DIR, '..');
const dir = scratch('startup');

/** The modules `node bin/spinal.js ...args` loads: packages by name, spinal's own files by path. */
function loaded(name: string, ...args: string[]): { packages: string[]; own: string[] } {
  const trace = join(dir, `${name}.txt`);
  const r = spawnSync(process.execPath, ['--import', './test/support/trace-imports.mjs', 'bin/spinal.js', ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, SPINAL_TRACE_IMPORTS: trace },
  });
  expect(r.status, r.stderr).toBe(0);
  const urls = [...new Set(readFileSync(trace, 'utf8').split('\n').filter((u) => u.startsWith('file:')))];
  const packages = new Set<string>();
  const own: string[] = [];
  for (const url of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m) packages.add(m[1]);
    else own.push(url.slice(url.indexOf('/dist/') + 1));
  }
  return { packages: [...packages].sort(), own };
}

/** spinal's own modules that only other commands need: code generation, verification, training, reports, pictures. */
const HEAVY = /^dist\/(report\/(?!sweep)|backends\/(?!index)|verify\/(?!targets|compare|limits)|weights|train|data|graph|output|evaluate|sweep)/;

describe('start-up', () => {
  it('--version loads commander and the command definitions only', () => {
    const { packages, own } = loaded('version', '--version');
    expect(packages).toEqual(['commander']);
    // Option parsers may read constants (limits, pass names); nothing that compiles or runs a model.
    expect(own.filter((f) => HEAVY.test(f) || /^dist\/(syntax|compile|check\/(?!limits))/.test(f))).toEqual([]);
  });

  it('check loads the front half and nothing of the other commands', () => {
    const { packages, own } = loaded('check', 'check', 'samples/mnist_cnn.spinal');
    const front = ['@babel/code-frame', 'commander', 'fastest-levenshtein'];
    expect(packages.filter((p) => !front.includes(p))).toEqual([]);
    expect(own.filter((f) => HEAVY.test(f))).toEqual([]);
    // chevrotain is loaded from the one-file bundle the build makes, not as ~200 modules.
    expect(own).toContain('dist/syntax/chevrotain.js');
    expect(readFileSync(join(ROOT, 'dist/syntax/chevrotain.js'), 'utf8')).not.toMatch(/from\s*["']chevrotain["']/);
  });
});
