// The random-model generators the backend property suites share draw every activation, so a new
// activation added to ACTIVATIONS is exercised by every backend without touching their suites.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../../src/syntax/ast.js';
import { randomModel, randomMultiInputModel } from './random-model.js';
import { randomSpec } from './random-spec.js';

describe('the random-model generators', () => {
  it('randomModel (tfjs, wgsl, training) puts every activation on the output layer', () => {
    const outputs = new Set(fc.sample(randomModel, { numRuns: 300, seed: 1 }).map((m) => /output \d+ ?(\w*)/.exec(m.text)![1] || 'linear'));
    expect([...outputs].sort()).toEqual([...ACTIVATIONS].sort());
  });

  it('randomSpec (C++, ONNX) puts every activation on the output and log_softmax on hidden layers', () => {
    const specs = fc.sample(randomSpec, { numRuns: 300, seed: 1 });
    expect(new Set(specs.map((s) => s.output.activation))).toEqual(new Set(ACTIVATIONS));
    const hidden = new Set(specs.flatMap((s) => s.layers.flatMap((l) => (l.kind === 'dense' || l.kind === 'spinal' ? [l.activation] : []))));
    expect(hidden).toEqual(new Set(ACTIVATIONS.filter((a) => a !== 'softmax')));
  });
});

describe('the random-model generators tie sub-layers', () => {
  it('randomModel and randomSpec both draw blocks with a tie', () => {
    expect(fc.sample(randomModel, { numRuns: 200, seed: 1 }).filter((m) => /tie \d+ to 2/.test(m.text)).length).toBeGreaterThan(5);
    expect(fc.sample(randomSpec, { numRuns: 200, seed: 1 }).filter((s) => s.layers.some((l) => l.kind === 'spinal' && l.ties)).length).toBeGreaterThan(5);
  });
});

describe('the multi-input generator', () => {
  it('draws 2 and 3 inputs, blocks over two branches, joins declared before their branches, and the output reading branches directly', () => {
    const texts = fc.sample(randomMultiInputModel, { numRuns: 200, seed: 1 }).map((m) => m.text);
    expect(texts.filter((t) => /x3 = input/.test(t)).length).toBeGreaterThan(20);
    expect(texts.filter((t) => !/x3 = input/.test(t)).length).toBeGreaterThan(20);
    expect(texts.filter((t) => /m = spinal from \w+, \w+/.test(t)).length).toBeGreaterThan(10);
    expect(texts.filter((t) => /j = dense .*\n(.*\n)*\s+b\d = /.test(t)).length).toBeGreaterThan(10);
    expect(texts.filter((t) => /output \d+( \w+)? from \w+, /.test(t)).length).toBeGreaterThan(10);
  });
});
