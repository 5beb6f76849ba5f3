import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/parse.js';
import type { FileAst, ModelDef, SpinalStmt, VariantDef } from '../../src/syntax/ast.js';

function ast(text: string): FileAst {
  const r = parse(text);
  expect(r.diagnostics).toEqual([]);
  return r.ast!;
}

function firstModel(text: string): ModelDef {
  const m = ast(text).models[0];
  expect(m.kind).toBe('model');
  return m as ModelDef;
}

describe('parser: every construct', () => {
  it('parses an empty file and a file of comments to no models', () => {
    expect(ast('').models).toEqual([]);
    expect(ast('# only a comment\n// and another\n').models).toEqual([]);
  });

  it('skips # and // comments anywhere, including after a statement', () => {
    const m = firstModel('model m { # c1\n input 4 // c2\n output 2 # c3\n}');
    expect(m.body.map((s) => s.kind)).toEqual(['input', 'output']);
  });

  it('accepts optional semicolons after statements and spinal settings', () => {
    const m = firstModel('model m { input 4; spinal { width 2; layers 1; }; output 2; }');
    expect(m.body.map((s) => s.kind)).toEqual(['input', 'spinal', 'output']);
    expect((m.body[1] as SpinalStmt).items.map((i) => i.kind)).toEqual(['width', 'layers']);
  });

  it('parses parameters with their default values', () => {
    const m = firstModel('model m(a = 1, b_2 = 0.5, c = 1e3) { input a output 2 }');
    expect(m.params.map((p) => [p.name.name, p.value.value, p.value.text])).toEqual([
      ['a', 1, '1'],
      ['b_2', 0.5, '0.5'],
      ['c', 1000, '1e3'],
    ]);
  });

  it('parses variants with and without arguments', () => {
    const models = ast('model m(w = 1) { input 4 output 2 }\nmodel v = m(w = 3)\nmodel u = v()').models;
    const v = models[1] as VariantDef;
    const u = models[2] as VariantDef;
    expect([v.kind, v.name.name, v.base.name, v.args.map((a) => [a.name.name, a.value.value])]).toEqual(['variant', 'v', 'm', [['w', 3]]]);
    expect([u.kind, u.base.name, u.args]).toEqual(['variant', 'v', []]);
  });

  it('parses every statement with and without an activation', () => {
    const m = firstModel('model m { input n dense 8 dense 4 tanh dropout 0.25 batchnorm spinal { width 2 layers 1 } output 3 softmax }');
    expect(m.body).toMatchObject([
      { kind: 'input', size: { kind: 'name', name: 'n' } },
      { kind: 'dense', units: { kind: 'number', value: 8 }, activation: undefined },
      { kind: 'dense', units: { value: 4 }, activation: { name: 'tanh' } },
      { kind: 'dropout', p: { value: 0.25 } },
      { kind: 'batchnorm' },
      { kind: 'spinal' },
      { kind: 'output', size: { value: 3 }, activation: { name: 'softmax' } },
    ]);
    expect(firstModel('model m { input 4 output 2 }').body[1]).toMatchObject({ kind: 'output', activation: undefined });
  });

  it('parses every spinal setting', () => {
    const m = firstModel('model m { input 8 spinal { split 1:2:w interleaved width w layers 3 activation gelu dropout 0.1 batchnorm } output 2 }');
    expect((m.body[1] as SpinalStmt).items).toMatchObject([
      { kind: 'split', ratios: [{ value: 1 }, { value: 2 }, { kind: 'name', name: 'w' }], interleaved: true },
      { kind: 'width', value: { kind: 'name', name: 'w' } },
      { kind: 'layers', value: { value: 3 } },
      { kind: 'activation', activation: { name: 'gelu' } },
      { kind: 'dropout', p: { value: 0.1 } },
      { kind: 'batchnorm' },
    ]);
    const plain = firstModel('model m { input 8 spinal { split 3 width 2 layers 1 } output 2 }');
    expect((plain.body[1] as SpinalStmt).items[0]).toMatchObject({ kind: 'split', ratios: [{ value: 3 }], interleaved: false });
  });

  it('accepts every activation after dense, output and activation', () => {
    for (const act of ['relu', 'tanh', 'sigmoid', 'gelu', 'leaky_relu', 'linear', 'softmax']) {
      const m = firstModel(`model m { input 4 dense 3 ${act} spinal { width 1 layers 1 activation ${act} } output 2 ${act} }`);
      expect(m.body[1]).toMatchObject({ activation: { name: act } });
      expect((m.body[2] as SpinalStmt).items[2]).toMatchObject({ activation: { name: act } });
      expect(m.body[3]).toMatchObject({ activation: { name: act } });
    }
  });

  it('reads number forms as the language defines them', () => {
    const m = firstModel('model m(a = 0, b = 007, c = 1.5e-3, d = 2E+2) { input 4 output 2 }');
    expect(m.params.map((p) => p.value.value)).toEqual([0, 7, 0.0015, 200]);
  });

  it('treats names that start with a keyword as names', () => {
    const m = firstModel('model dense_head(widths = 3, modeler = 2) { input widths output modeler }');
    expect(m.name.name).toBe('dense_head');
    expect(m.params.map((p) => p.name.name)).toEqual(['widths', 'modeler']);
  });

  it('keeps names case-sensitive', () => {
    const models = ast('model M { input 4 output 2 }\nmodel m { input 4 output 2 }').models;
    expect(models.map((m) => m.name.name)).toEqual(['M', 'm']);
  });
});

describe('parser: source ranges', () => {
  const text = 'model mnist(w = 50) {\n  input 784\n  spinal {\n    split 1:1 interleaved\n    width w\n  }\n  output 10 softmax\n}\nmodel v = mnist(w = 2)';
  const models = ast(text).models;
  const m = models[0] as ModelDef;

  it('locates the model, its name and its parameter', () => {
    expect(m.range.start).toEqual({ offset: 0, line: 1, column: 1 });
    expect(m.range.end).toMatchObject({ line: 8, column: 2 });
    expect(m.name.range).toEqual({ start: { offset: 6, line: 1, column: 7 }, end: { offset: 11, line: 1, column: 12 } });
    expect(m.params[0].range.start).toMatchObject({ line: 1, column: 13 });
    expect(m.params[0].value.range).toEqual({ start: { offset: 16, line: 1, column: 17 }, end: { offset: 18, line: 1, column: 19 } });
  });

  it('locates statements from keyword to last token', () => {
    const input = m.body[0];
    expect(input.range).toEqual({ start: { offset: 24, line: 2, column: 3 }, end: { offset: 33, line: 2, column: 12 } });
    const spinal = m.body[1] as SpinalStmt;
    expect([spinal.range.start.line, spinal.range.start.column, spinal.range.end.line, spinal.range.end.column]).toEqual([3, 3, 6, 4]);
    const split = spinal.items[0];
    expect([split.range.start.line, split.range.start.column, split.range.end.line, split.range.end.column]).toEqual([4, 5, 4, 26]);
    const output = m.body[2];
    expect([output.range.start.column, output.range.end.column]).toEqual([3, 20]);
  });

  it('locates a variant and its base', () => {
    const v = models[1] as VariantDef;
    expect([v.range.start.line, v.range.start.column, v.range.end.line, v.range.end.column]).toEqual([9, 1, 9, 23]);
    expect([v.base.range.start.column, v.base.range.end.column]).toEqual([11, 16]);
  });
});
