// The language server's answers computed directly from a document: each feature on texts whose
// answers are known from the compiler's own reports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent } from 'vscode-languageserver';
import { Analysis } from '../../src/lsp/analysis.js';
import * as F from '../../src/lsp/features.js';
import { semanticTokens, LEGEND } from '../../src/lsp/semantic-tokens.js';
import { compile } from '../../src/compile.js';
import { modelReport } from '../../src/report/model-report.js';
import { int } from '../../src/report/format.js';
import { SAMPLES_DIR } from '../support/samples.js';

const MNIST = readFileSync(join(SAMPLES_DIR, 'mnist_pixels.spinal'), 'utf8');
const ARCH2 = readFileSync(join(SAMPLES_DIR, 'mnist_arch2.spinal'), 'utf8');
const VARIANTS = [
  'model base(w = 8, depth = 3) {',
  '  input 20',
  '  spinal {',
  '    split 1:1',
  '    width w',
  '    layers depth',
  '  }',
  '  dense w tanh',
  '  output 4',
  '}',
  'model wide = base(w = 16)',
  'model deeper = wide(depth = 5)',
  '',
].join('\n');

function open(text: string): { a: Analysis; doc: TextDocument; at: (needle: string, skip?: number) => number } {
  const doc = TextDocument.create('file:///m.spinal', 'spinal', 1, text);
  return { a: new Analysis('m.spinal', text), doc, at: (needle, skip = 0) => text.indexOf(needle) + skip };
}

const hoverText = (h: ReturnType<typeof F.hover>): string => (h?.contents as MarkupContent | undefined)?.value ?? '';

describe('lsp features', () => {
  it('diagnostics: the codes, severities and messages of the compiler, warnings included, with their hints', () => {
    const text = 'model m {\n  input 4\n  spinal { split 1:5 width 2 layers 1 }\n  dens 3\n  output 2\n}\n';
    const { a, doc } = open(text);
    const compiled = compile({ path: 'm.spinal', text });
    const got = F.diagnostics(a, doc);
    expect(got.map((d) => d.code)).toEqual(compiled.diagnostics.map((d) => d.code));
    expect(String(got[0].message).split('\n')[0]).toBe(compiled.diagnostics[0].message);
    expect(got[0].message).toContain("hint: did you mean 'dense'?");
    expect(got[0].range).toEqual({ start: { line: 3, character: 2 }, end: { line: 3, character: 6 } });
    const warnings = F.diagnostics(new Analysis('w', 'model m {\n  input 12\n  spinal { split 1:5 width 2 layers 1 }\n  output 2\n}\n'), doc);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((d) => d.severity === 2 && /^SPN06/.test(String(d.code)))).toBe(true);
  });

  it('hover on a model: its totals and ratio to the dense baseline, from the report', () => {
    const { a, doc, at } = open(MNIST);
    const r = modelReport(compile({ path: 'x', text: MNIST }).models[0]);
    const h = hoverText(F.hover(a, doc, at('mnist_spinal', 3)));
    expect(h).toContain('**model mnist_spinal** (w = 32, depth = 4)');
    expect(h).toContain(`| mnist_spinal | ${int(r.macs)} | ${int(r.parameters)} |`);
    expect(h).toContain(`| dense baseline | ${int(r.baseline.macs)} | ${int(r.baseline.parameters)} |`);
    expect(h).toContain(`**${r.ratio.toFixed(3)}x** the dense baseline's MACs`);
  });

  it('hover on a layer: sizes, MACs and parameters; a spinal block with its rows and sub-layers', () => {
    const { a, doc, at } = open(MNIST);
    expect(hoverText(F.hover(a, doc, at('dense 128')))).toBe('**dense** (dense1): 784 → 128 features\n\n100,352 MACs · 100,480 parameters');
    const spinal = hoverText(F.hover(a, doc, at('spinal {', 2)));
    expect(spinal).toContain('784 features in 2 rows (392, 392) → 4 sub-layers × 32 = 128 features');
    expect(spinal).toContain('| sub2 | 424 → 32 | 13,568 | 13,600 |');
    // A setting of the block is the block too.
    expect(hoverText(F.hover(a, doc, at('width w')))).toBe(spinal);
    expect(hoverText(F.hover(a, doc, at('output 10')))).toBe('**output** (output): 128 → 10 features\n\n1,280 MACs · 1,290 parameters');
  });

  it('hover on a variant counts the variant; on a parameter, its model and default', () => {
    const { a, doc, at } = open(VARIANTS);
    const deeper = modelReport(compile({ path: 'x', text: VARIANTS }).models.find((m) => m.spec.name === 'deeper')!);
    const h = hoverText(F.hover(a, doc, at('deeper')));
    expect(h).toContain('**variant deeper** (w = 16, depth = 5), a variant of wide');
    expect(h).toContain(`| deeper | ${int(deeper.macs)} |`);
    expect(hoverText(F.hover(a, doc, at('width w', 6)))).toBe('**parameter w** of model base, default 8\n\nnamed 3 times in the file');
  });

  it('hover on a model that does not compile says so instead of counting', () => {
    const { a, doc, at } = open('model m {\n  input 4\n  output 0\n}\n');
    expect(hoverText(F.hover(a, doc, at('m {')))).toContain('not counted');
  });

  it('completion: what is valid at the cursor', () => {
    const labels = (text: string, offset = text.length): string[] => F.completion(new Analysis('c', text), offset).map((c) => c.label);
    expect(labels('')).toEqual(['model']);
    expect(labels('model m(w = 1) {\n  ')).toEqual(F.BODY_KEYWORDS);
    expect(labels('model m(w = 1) {\n  de')).toEqual(F.BODY_KEYWORDS);
    expect(labels('model m(w = 1, d = 2) {\n  dense ')).toEqual(['w', 'd']);
    expect(labels('model m(w = 1) {\n  dense 4 ')).toEqual(['relu', 'tanh', 'sigmoid', 'gelu', 'leaky_relu', 'linear', 'softmax', 'log_softmax', 'from', ...F.BODY_KEYWORDS]);
    expect(labels('model m {\n  input 4\n  spinal {\n    ')).toEqual(F.SPINAL_KEYWORDS);
    expect(labels('model m {\n  input 4\n  spinal {\n    split 1:1 ')).toEqual(['interleaved', ...F.SPINAL_KEYWORDS]);
    expect(labels('model m {\n  input 4\n  spinal {\n    activation ')).toContain('gelu');
    expect(labels('model m(w = 1) {\n  input 4\n  spinal {\n    split 1:')).toEqual(['w']);
    expect(labels(`${VARIANTS}model v = `)).toEqual(['base', 'wide', 'deeper']);
    expect(labels(`${VARIANTS}model v = wide(`)).toEqual(['w', 'depth']);
    expect(labels(`${VARIANTS}model v = wide(w = 3, `)).toEqual(['depth']);
    expect(labels(`${VARIANTS}model `)).toEqual([]);
    expect(labels('model m { input 4 output 2 }\n')).toEqual(['model']);
  });

  it('definition, references and rename of a parameter follow it into variants', () => {
    const { a, doc, at } = open(VARIANTS);
    const def = F.definition(a, doc, at('layers depth', 8));
    expect(def?.range.start).toEqual(doc.positionAt(at('depth')));
    const refs = F.references(a, doc, at('depth'), true).map((l) => doc.offsetAt(l.range.start));
    expect(refs).toEqual([at('depth'), at('layers depth', 7), at('(depth = 5', 1)]);
    const edit = F.rename(a, doc, at('depth = 5', 1), 'd');
    if ('refused' in edit) throw new Error(edit.refused);
    const renamed = TextDocument.applyEdits(doc, edit.changes![doc.uri]);
    expect(renamed).toContain('model base(w = 8, d = 3)');
    expect(renamed).toContain('layers d\n');
    expect(renamed).toContain('model deeper = wide(d = 5)');
    expect(compile({ path: 'r', text: renamed }).diagnostics).toEqual([]);
  });

  it('rename of a model renames the variants\' bases; bad names are refused', () => {
    const { a, doc, at } = open(VARIANTS);
    const edit = F.rename(a, doc, at('base('), 'head');
    if ('refused' in edit) throw new Error(edit.refused);
    const renamed = TextDocument.applyEdits(doc, edit.changes![doc.uri]);
    expect(renamed).toContain('model head(w = 8');
    expect(renamed).toContain('model wide = head(w = 16)');
    expect(compile({ path: 'r', text: renamed }).models.map((m) => m.spec.name)).toEqual(['head', 'wide', 'deeper']);
    expect(F.rename(a, doc, at('base('), 'dense')).toEqual({ refused: "'dense' is a reserved keyword" });
    expect(F.rename(a, doc, at('base('), '9x')).toHaveProperty('refused');
    expect(F.rename(a, doc, at('base('), 'wide')).toEqual({ refused: "'wide' is already the name of a model here" });
    expect(F.rename(a, doc, at('input'), 'x')).toHaveProperty('refused');
  });

  it('document symbols: models and variants with their parameters and statements', () => {
    const { a, doc } = open(VARIANTS);
    const symbols = F.documentSymbols(a, doc);
    expect(symbols.map((s) => [s.name, s.detail])).toEqual([['base', 'model'], ['wide', 'variant of base'], ['deeper', 'variant of wide']]);
    expect(symbols[0].children!.map((c) => c.name)).toEqual(['w', 'depth', 'input 20', 'spinal', 'dense w tanh', 'output 4']);
    expect(symbols[1].children!.map((c) => c.name)).toEqual(['w']);
    const arch2 = open(ARCH2);
    expect(F.documentSymbols(arch2.a, arch2.doc)[0].children!.map((c) => c.name)).toEqual([
      'w', 'pixels = input 784', 'conv1 = input 1440', 'conv2 = input 320', 'a = spinal from pixels', 'b = spinal from conv1',
      'c = spinal from conv2', 'dense 50 relu from a, b, c', 'output 10 log_softmax',
    ]);
  });

  it('semantic tokens: every token, models, parameters and declarations told apart', () => {
    const { a, doc } = open('# c\nmodel m(w = 2) { input w output 3 relu }\nmodel v = m()\n');
    const data = semanticTokens(a, doc).data;
    const kinds: string[] = [];
    for (let i = 0; i < data.length; i += 5) kinds.push(`${LEGEND.tokenTypes[data[i + 3]]}${data[i + 4] ? '*' : ''}`);
    expect(kinds).toEqual([
      'comment', 'keyword', 'class*', 'operator', 'parameter*', 'operator', 'number', 'operator', 'operator',
      'keyword', 'parameter', 'keyword', 'number', 'enumMember', 'operator',
      'keyword', 'class*', 'operator', 'class', 'operator', 'operator',
    ]);
    expect(data.slice(0, 5)).toEqual([0, 0, 3, 1, 0]);
  });

  it('semantic tokens: value names are variables, apart from parameters; where they are named is a declaration', () => {
    const { a, doc } = open('model m(w = 2) { x = input 4 y = input 3 b = dense w from x, y output 1 from b }\n');
    const data = semanticTokens(a, doc).data;
    const kinds: string[] = [];
    for (let i = 0; i < data.length; i += 5) kinds.push(`${LEGEND.tokenTypes[data[i + 3]]}${data[i + 4] ? '*' : ''}`);
    expect(kinds).toEqual([
      'keyword', 'class*', 'operator', 'parameter*', 'operator', 'number', 'operator', 'operator',
      'variable*', 'operator', 'keyword', 'number', 'variable*', 'operator', 'keyword', 'number',
      'variable*', 'operator', 'keyword', 'parameter', 'keyword', 'variable', 'operator', 'variable',
      'keyword', 'number', 'keyword', 'variable', 'operator',
    ]);
    expect(LEGEND.tokenTypes).toContain('variable');
  });

  it('values: definition and references from a `from` name, rename of every use', () => {
    const { a, doc, at } = open(ARCH2);
    const use = at('from a, b', 5);
    expect(F.definition(a, doc, use)?.range.start).toEqual(doc.positionAt(at('a = spinal')));
    expect(F.references(a, doc, use, true).map((l) => doc.offsetAt(l.range.start))).toEqual([at('a = spinal'), use]);
    expect(F.references(a, doc, at('pixels ='), false).map((l) => doc.offsetAt(l.range.start))).toEqual([at('from pixels', 5)]);
    const edit = F.rename(a, doc, at('conv1 = input'), 'features1');
    if ('refused' in edit) throw new Error(edit.refused);
    const renamed = TextDocument.applyEdits(doc, edit.changes![doc.uri]);
    expect(renamed).toContain('  features1 = input 1440\n');
    expect(renamed).toContain('b = spinal from features1 {');
    // The comments name the script's tensors, not the value: they stay.
    expect(renamed).toContain('after the first convolution');
    expect(compile({ path: 'r', text: renamed }).diagnostics).toEqual([]);
    expect(F.rename(a, doc, use, 'conv2')).toEqual({ refused: "'conv2' is already the name of a value here" });
    expect(F.rename(a, doc, use, 'w')).toEqual({ refused: "'w' is already the name of a parameter here" });
    expect(F.rename(a, doc, at('(w = 30', 1), 'b')).toEqual({ refused: "'b' is already the name of a value here" });
  });

  it('values: hover shows the size and what the value reads; inputs and the model show every input', () => {
    const { a, doc, at } = open(ARCH2);
    expect(hoverText(F.hover(a, doc, at('conv1 = input')))).toBe('**value conv1** of model mnist_arch2: input 2 of 3, 1,440 features');
    expect(hoverText(F.hover(a, doc, at('from a, b', 5)))).toBe('**value a** of model mnist_arch2: spinal (spinal1), 300 features\n\nreads pixels (784)');
    const joined = open('model m {\n  x = input 4\n  y = input 6\n  h = dense 5 from y, x\n  d = dropout 0.5 from h, x\n  output 2 from d\n}\n');
    expect(hoverText(F.hover(joined.a, joined.doc, joined.at('d = ')))).toBe('**value d** of model m: dropout, 9 features\n\nreads h (5) + x (4), 9 features side by side');
    expect(hoverText(F.hover(joined.a, joined.doc, joined.at('h = ')))).toBe('**value h** of model m: dense (dense1), 5 features\n\nreads y (6) + x (4), 10 features side by side');
    expect(hoverText(F.hover(a, doc, at('input 1440')))).toBe('**input** conv1: 1,440 features');
    expect(hoverText(F.hover(a, doc, at('from a,')))).toContain('**from** a, b, …: the statement reads the named values side by side');
    expect(hoverText(F.hover(a, doc, at('dense 50')))).toBe('**dense** (dense1): 780 → 50 features\n\n39,000 MACs · 39,050 parameters');
    expect(hoverText(F.hover(a, doc, at('mnist_arch2(')))).toContain('pixels 784 + conv1 1,440 + conv2 320 → 10 features');
    const unknown = open('model m {\n  x = input 4\n  output 2 from z\n}\n');
    expect(hoverText(F.hover(unknown.a, unknown.doc, unknown.at('from z', 5)))).toBe('**value z** of model m\n\nnot declared in the model');
  });

  it('values: completion after `from` and after a comma of its list, without the names already there', () => {
    const labels = (text: string): string[] => F.completion(new Analysis('c', text), text.length).map((c) => c.label);
    const head = 'model m(w = 1) {\n  x = input 4\n  y = input 3\n  z = input 2\n';
    expect(labels(`${head}  h = dense 4 from `)).toEqual(['x', 'y', 'z']);
    expect(labels(`${head}  h = dense 4 from y, `)).toEqual(['x', 'z']);
    // A name being typed is the prefix the editor filters by: it is offered.
    expect(labels(`${head}  h = dense 4 relu from y, x`)).toEqual(['x', 'z']);
    expect(labels(`${head}  h = spinal from x, y, `)).toEqual(['z']);
    expect(labels(`${head}  h = dense 4 from x\n  output 2 from `)).toEqual(['x', 'y', 'z', 'h']);
    const item = F.completion(new Analysis('c', `${head}  output 2 from `), `${head}  output 2 from `.length)[0];
    expect(item.detail).toBe('value of m: input');
    // After a name of the list, a comma or a new statement follows, not another name.
    expect(labels(`${head}  h = dense 4 from x `)).toEqual(F.BODY_KEYWORDS);
    expect(labels(`${head}  h = `)).toEqual(F.BODY_KEYWORDS);
    // `from` where a statement may still take it.
    for (const stmt of ['dense 4 relu ', 'output 2 log_softmax ', 'dropout 0.5 ', 'batchnorm ']) expect(labels(`${head}  ${stmt}`), stmt).toEqual(['from', ...F.BODY_KEYWORDS]);
    expect(labels(`${head}  h = spinal `)).toEqual(['from']);
  });

  it('diagnostics of several inputs and named values reach the editor with their codes', () => {
    const cases: [string, string][] = [
      ['model m {\n  x = input 4\n  output 2 from z\n}\n', 'SPN070'],
      ['model m {\n  x = input 4\n  x = dense 3\n  output 2\n}\n', 'SPN071'],
      ['model m {\n  x = input 4\n  y = input 3\n  output 2 from x\n}\n', 'SPN072'],
      ['model m {\n  x = input 4\n  h = dense 3\n  output 2 from x\n}\n', 'SPN073'],
      ['model m {\n  x = input 4\n  a = dense 3 from x, b\n  b = dense 3 from a\n  output 2 from b\n}\n', 'SPN074'],
      ['model m {\n  x = input 4\n  output 2 from x, x\n}\n', 'SPN075'],
      ['model m {\n  x = input 4\n  o = output 2\n}\n', 'SPN076'],
      ['model m {\n  x = input 4\n  input 3\n  output 2 from x\n}\n', 'SPN077'],
    ];
    for (const [text, code] of cases) {
      const { a, doc } = open(text);
      const got = F.diagnostics(a, doc);
      expect(got.map((d) => d.code), text).toContain(code);
      expect(got.map((d) => d.code)).toEqual(compile({ path: 'm.spinal', text }).diagnostics.map((d) => d.code));
    }
  });

  it('code lenses: MACs, parameters and ratio above each model that compiles', () => {
    const { a, doc } = open(VARIANTS);
    const reports = compile({ path: 'x', text: VARIANTS }).models.map(modelReport);
    const lenses = F.codeLenses(a, doc);
    expect(lenses.map((l) => l.command!.title)).toEqual(reports.map((r) => `${int(r.macs)} MACs · ${int(r.parameters)} parameters · ${r.ratio.toFixed(3)}x the dense baseline's MACs`));
    expect(lenses.map((l) => l.range.start.line)).toEqual([0, 10, 11]);
  });

  it('formatting: the formatter\'s text as one edit; nothing for formatted or broken text', () => {
    const doc = TextDocument.create('file:///f.spinal', 'spinal', 1, 'model v=m()');
    expect(TextDocument.applyEdits(doc, F.formatting(doc))).toBe('model v = m()\n');
    expect(F.formatting(TextDocument.create('file:///f.spinal', 'spinal', 1, 'model v = m()\n'))).toEqual([]);
    expect(F.formatting(TextDocument.create('file:///f.spinal', 'spinal', 1, 'model v = m('))).toEqual([]);
  });
});
