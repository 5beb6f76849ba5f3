// Partial and broken text is what an editor sends while the user types: every feature must
// answer on it without throwing. Every prefix of every sample (the cursor at its end and in
// its middle), and the front-half fuzzers' inputs.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../../src/lsp/analysis.js';
import * as F from '../../src/lsp/features.js';
import { semanticTokens } from '../../src/lsp/semantic-tokens.js';
import { decodeSource } from '../../src/cli/load.js';
import { sampleFiles } from '../support/samples.js';
import { runs } from '../fuzz/invariants.js';
import { gap, mutate, mutation, token } from '../fuzz/mutations.js';

const SAMPLES = sampleFiles().map((f) => readFileSync(f, 'utf8'));

/** Every feature at `offsets`; returns how many answers were not empty, so the work is real. */
function everything(text: string, offsets: readonly number[]): number {
  const doc = TextDocument.create('file:///p.spinal', 'spinal', 1, text);
  const a = new Analysis('p.spinal', text);
  let answers = F.diagnostics(a, doc).length + F.documentSymbols(a, doc).length + F.codeLenses(a, doc).length;
  answers += semanticTokens(a, doc).data.length > 0 ? 1 : 0;
  answers += F.formatting(doc).length;
  for (const offset of offsets) {
    answers += F.completion(a, offset).length;
    answers += F.hover(a, doc, offset) ? 1 : 0;
    answers += F.definition(a, doc, offset) ? 1 : 0;
    answers += F.references(a, doc, offset, true).length;
    answers += F.prepareRename(a, doc, offset) ? 1 : 0;
    const renamed = F.rename(a, doc, offset, 'renamed_');
    answers += 'refused' in renamed ? 0 : 1;
  }
  return answers;
}

describe('lsp: never throws on partial or broken text', () => {
  it.each(SAMPLES.map((text, i) => [sampleFiles()[i].split('/').pop()!, text]))('every prefix of %s', (_name, text) => {
    let answers = 0;
    for (let end = 0; end <= text.length; end++) {
      const prefix = text.slice(0, end);
      answers += everything(prefix, [end, Math.floor(end / 2), Math.max(0, end - 1)]);
    }
    expect(answers).toBeGreaterThan(text.length);
  });

  it('every sample with one character deleted, the cursor where it was', () => {
    for (const text of SAMPLES) {
      for (let at = 0; at < text.length; at += 3) everything(text.slice(0, at) + text.slice(at + 1), [at]);
    }
  });

  it('the fuzzers\' inputs: random token sequences', () => {
    fc.assert(fc.property(fc.array(fc.tuple(token, gap), { maxLength: 60 }), fc.nat(), (tokens, at) => {
      const text = tokens.map(([t, g]) => `${t}${g || ' '}`).join('');
      everything(text, [at % (text.length + 1), text.length]);
    }), { numRuns: runs(400) });
  });

  it('the fuzzers\' inputs: mutated samples, random bytes and code points', () => {
    fc.assert(fc.property(fc.constantFrom(...SAMPLES), fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.nat(), (sample, ms, at) => {
      const text = mutate(sample, ms);
      everything(text, [at % (text.length + 1)]);
    }), { numRuns: runs(300) });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (bytes, at) => {
      const text = decodeSource(bytes);
      everything(text, [at % (text.length + 1)]);
    }), { numRuns: runs(200) });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.nat(), (text, at) => {
      everything(text, [at % (text.length + 1)]);
    }), { numRuns: runs(200) });
  });
});
