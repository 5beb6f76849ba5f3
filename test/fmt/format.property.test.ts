// Properties of the formatter on every sample and on random programs: idempotent, the same
// meaning (the AST without ranges, and the same lowered graph), every comment kept, and one
// layout whatever the spacing was.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { format } from '../../src/fmt/format.js';
import { lexWithComments } from '../../src/fmt/lex.js';
import { compile } from '../../src/compile.js';
import { sampleFiles } from '../support/samples.js';
import { randomModel, randomMultiInputModel } from '../support/random-model.js';
import { runs } from '../fuzz/invariants.js';
import { comments, meaning } from './strip.js';

const SAMPLES = sampleFiles().map((path) => ({ path, text: readFileSync(path, 'utf8') }));

function fmt(text: string): string {
  const r = format(text);
  if (!r.ok) throw new Error(`not formatted:\n${text}\n${r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n')}`);
  return r.text;
}

function graphs(text: string): unknown {
  return compile({ path: 'x.spinal', text }).models.map((m) => m.graph);
}

function expectLaws(text: string): string {
  const once = fmt(text);
  expect(fmt(once)).toBe(once);
  expect(meaning(once)).toEqual(meaning(text));
  expect(graphs(once)).toEqual(graphs(text));
  expect(comments(once)).toEqual(comments(text).filter((c) => c !== ''));
  return once;
}

/** The tokens of a text (comments included) joined again by the given separators. */
function respaced(text: string, separators: readonly string[]): string {
  const pieces = lexWithComments(text).pieces;
  return pieces.map((p, i) => {
    const sep = separators[i % separators.length];
    // A comment runs to the end of its line: what follows it must start on another.
    return p.token.image + (p.comment && !/^[\r\n]/.test(sep) ? `\n${sep}` : sep);
  }).join('');
}

const blank = fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\n    ', '\r');
const anySeparator = fc.oneof(blank, fc.constantFrom('\n\n', '\n\n\n\t', ' # note\n', ' // trailing  \n', '\n# own line\n  ', '\n\n// after a blank\n'));

describe('fmt: laws on the samples', () => {
  it.each(SAMPLES.map((s) => [s.path.split('/').pop()!, s.text]))('%s: idempotent, same model, comments kept', (_name, text) => {
    expectLaws(text);
  });

  it('the samples are formatted already', () => {
    for (const s of SAMPLES) expect(fmt(s.text), s.path).toBe(s.text);
  });
});

describe('fmt: laws on random programs', () => {
  it('random models (test/support/random-model.ts)', () => {
    fc.assert(fc.property(randomModel, (m) => {
      expectLaws(m.text);
    }), { numRuns: runs(150) });
  });

  it('random models with several inputs, named values and `from` lists', () => {
    fc.assert(fc.property(randomMultiInputModel, (m) => {
      expectLaws(m.text);
    }), { numRuns: runs(60) });
  });

  it('samples and random models respaced with comments and blank lines anywhere', () => {
    const source = fc.oneof(fc.constantFrom(...SAMPLES.map((s) => s.text)), randomModel.map((m) => m.text), randomMultiInputModel.map((m) => m.text));
    fc.assert(fc.property(source, fc.array(anySeparator, { minLength: 1, maxLength: 40 }), (text, seps) => {
      expectLaws(respaced(text, seps));
    }), { numRuns: runs(300) });
  });

  it('one layout: spacing without blank lines or comments does not change the output', () => {
    const source = fc.oneof(fc.constantFrom(...SAMPLES.map((s) => s.text)), randomModel.map((m) => m.text), randomMultiInputModel.map((m) => m.text));
    fc.assert(fc.property(source, fc.array(blank, { minLength: 1, maxLength: 40 }), (text, seps) => {
      const bare = respaced(text.replace(/(?:#|\/\/)[^\n\r]*/g, ''), [' ']);
      expect(fmt(respaced(bare, seps))).toBe(fmt(bare));
    }), { numRuns: runs(300) });
  });
});
