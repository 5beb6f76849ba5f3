// Fuzzing the front half: random bytes, random token sequences and mutations of the
// samples through compile. More cases with SPINAL_FUZZ_RUNS=N.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { decodeSource } from '../../src/cli/load.js';
import { sampleFiles } from '../support/samples.js';
import { compileChecked, runs, timeBound } from './invariants.js';
import { gap, mutate, mutation, NUMBERS, token } from './mutations.js';

const TIME_BOUND_MS = 20_000;

const SAMPLES = sampleFiles().map((f) => readFileSync(f, 'utf8'));

describe('fuzz: compile never throws and locates every diagnostic', () => {
  it('random bytes, decoded as the CLI decodes files', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
      compileChecked(decodeSource(bytes));
    }), { numRuns: runs(1500) });
  }, timeBound(1500, TIME_BOUND_MS));

  it('random bytes inside a valid model', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), fc.constantFrom(...SAMPLES), fc.nat(), (bytes, sample, at) => {
      const cut = at % (sample.length + 1);
      compileChecked(`${sample.slice(0, cut)}${decodeSource(bytes)}${sample.slice(cut)}`);
    }), { numRuns: runs(800) });
  }, timeBound(800, TIME_BOUND_MS));

  it('random strings of any code points', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
      compileChecked(text);
    }), { numRuns: runs(500) });
  }, timeBound(500, TIME_BOUND_MS));

  it('random token sequences', () => {
    fc.assert(fc.property(fc.array(fc.tuple(token, gap), { maxLength: 80 }), (tokens) => {
      compileChecked(tokens.map(([t, g]) => `${t}${g || ' '}`).join(''));
    }), { numRuns: runs(2000) });
  }, timeBound(2000, TIME_BOUND_MS));

  it('token sequences that start like a model', () => {
    fc.assert(fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
      compileChecked(`model m(w = 2) { input 8 ${tokens.join(' ')} }`);
    }), { numRuns: runs(1500) });
  }, timeBound(1500, TIME_BOUND_MS));

  it('samples with deleted, duplicated, swapped and replaced tokens', () => {
    fc.assert(fc.property(fc.constantFrom(...SAMPLES), fc.array(mutation, { minLength: 1, maxLength: 6 }), (sample, mutations) => {
      compileChecked(mutate(sample, mutations));
    }), { numRuns: runs(1000) });
  }, timeBound(1000, TIME_BOUND_MS));

  it('very long lines, many models and many errors', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 150 }), fc.constantFrom(...SAMPLES), fc.boolean(), (n, sample, oneLine) => {
      const many = Array.from({ length: n }, (_, i) => sample.replace(/model (\w+)/g, `model $1_${i}`)).join('\n');
      compileChecked(oneLine ? many.replace(/#[^\n]*/g, '').replace(/\n/g, ' ') : many);
      compileChecked(sample.repeat(n)); // every model declared n times
    }), { numRuns: runs(20) });
  }, timeBound(20, TIME_BOUND_MS));

  it('long chains of variants and huge numbers everywhere', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2000 }), fc.constantFrom(...NUMBERS), (n, value) => {
      const chain = Array.from({ length: n }, (_, i) => `model v${i} = ${i ? `v${i - 1}` : 'm'}(w = ${value})`).join('\n');
      compileChecked(`model m(w = 2) { input 8 spinal { width w layers w } dense w output w }\n${chain}`);
    }), { numRuns: runs(8) });
  }, timeBound(8, TIME_BOUND_MS));
});
