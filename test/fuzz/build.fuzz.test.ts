// Fuzzing the back half: `spinal build` for every target on random valid models and on
// token-level mutations of the samples. Every run ends in exit 0 with the files written, exit 1
// with a located diagnostic or a one-line `spinal: ...` message, or exit 2 for a usage mistake:
// never an internal error, never a stack trace. More cases with SPINAL_FUZZ_RUNS=N.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import { count } from '../../src/passes/count.js';
import { MANIFEST_NAME } from '../../src/output/index.js';
import { run, type CliResult } from '../support/cli.js';
import { randomModel } from '../support/random-model.js';
import { sampleFiles } from '../support/samples.js';
import { runs, timeBound } from './invariants.js';
import { mutate, mutation } from './mutations.js';
import { scratch } from '../support/scratch.js';

const TARGETS = ['tfjs', 'wgsl', 'onnx', 'cpp'] as const;
const SAMPLES = sampleFiles().map((f) => readFileSync(f, 'utf8'));
/** Weights are only made for models this small: `init` of a model the checker still allows
 *  (2^31 parameters) would take gigabytes, which is not what this test is about. */
const MAX_INIT_PARAMETERS = 2_000_000n;

const dir = scratch('build-fuzz');
let cases = 0;

/** Builds `text` for `target` the way a user would: --model when it compiles, weights from `spinal init` for onnx. */
async function build(text: string, target: string): Promise<{ result: CliResult; out: string; path: string }> {
  const n = cases++;
  const path = join(dir, `case${n}.spinal`);
  const out = join(dir, `out${n}`);
  writeFileSync(path, text);
  const args = ['build', path, '--target', target, '--out', out];
  const compiled = compile({ path, text });
  const [model] = compiled.models;
  if (model && compiled.diagnostics.length === 0) {
    args.push('--model', model.spec.name);
    if (target === 'onnx' && count(model.graph).parameters <= MAX_INIT_PARAMETERS) {
      const weights = join(dir, `w${n}.safetensors`);
      const init = await run('init', path, '--model', model.spec.name, '--seed', String(n), '--out', weights);
      expect(init.code, init.stderr).toBe(0);
      args.push('--weights', weights);
    }
  }
  return { result: await run(...args), out, path };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function expectCleanEnd({ result, out, path }: Awaited<ReturnType<typeof build>>): void {
  const { code, stderr } = result;
  expect(stderr).not.toContain('internal error');
  expect(stderr).not.toMatch(/^\s+at .+[:(]\d+:\d+\)?$/m); // a stack frame
  expect([0, 1, 2], stderr).toContain(code);
  const located = new RegExp(`^${escape(path)}:\\d+:\\d+: (error|warning)\\[SPN\\d{3}\\]: `);
  if (code === 0) {
    // Lint warnings, located, may come first.
    expect(stderr).toMatch(/(^|\n)wrote '.+' into '.+' \(model '\w+', target \w+\)\n$/);
    if (!stderr.startsWith('wrote ')) expect(located.test(stderr), stderr).toBe(true);
    expect(existsSync(join(out, MANIFEST_NAME))).toBe(true);
    return;
  }
  // Exit 2: a usage mistake (onnx without --weights, several models and no --model), one message.
  if (code === 2) {
    // (after the file's lint warnings, when it was compiled before the mistake showed)
    expect(stderr).toMatch(/(^|\n)spinal: [^\n]+\n\(run with --help for usage\)\n$/);
    if (!stderr.startsWith('spinal: ')) expect(located.test(stderr), stderr).toBe(true);
    expect(existsSync(out)).toBe(false);
    return;
  }
  // Exit 1: located diagnostics, or one clear message; the output folder never made.
  expect(located.test(stderr) || /^spinal: [^\n]+\n$/.test(stderr), stderr).toBe(true);
  expect(existsSync(out)).toBe(false);
}

describe('fuzz: spinal build', () => {
  it('random valid models build for every target, exit 0', async () => {
    await fc.assert(fc.asyncProperty(randomModel, fc.constantFrom(...TARGETS), async (m, target) => {
      const outcome = await build(m.text, target);
      expectCleanEnd(outcome);
      expect(outcome.result.code, outcome.result.stderr).toBe(0);
    }), { numRuns: runs(120), timeout: 10_000 });
  }, timeBound(120, 30_000));

  it('mutated samples end in exit 0 or a clear user error, for every target', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...SAMPLES), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.constantFrom(...TARGETS), async (sample, mutations, target) => {
      expectCleanEnd(await build(mutate(sample, mutations), target));
    }), { numRuns: runs(200), timeout: 10_000 });
  }, timeBound(200, 40_000));
});
