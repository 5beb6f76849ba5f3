import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/parse.js';
import { MAX_SYNTAX_ERRORS } from '../../src/syntax/parser.js';

function errors(text: string) {
  const r = parse(text);
  expect(r.ast).toBeUndefined();
  return r.diagnostics;
}

describe('syntax errors', () => {
  it('reports several syntax errors in one run, each at its own place', () => {
    const ds = errors('model a { input 4 output }\nmodel b { input 4 $ output 2 }\nmodel c { input 4 dense output 2 }');
    expect(ds.map((d) => [d.code, d.range.start.line, d.range.start.column])).toEqual([
      ['SPN002', 1, 26],
      ['SPN001', 2, 19],
      ['SPN002', 3, 25],
    ]);
    expect(ds[0].message).toBe("expected a number or a name, found '}'");
    expect([ds[2].message, ds[2].hint]).toEqual(["expected a number or a name, found 'output'", "'output' is a keyword; a number or a parameter's name goes here"]);
  });

  it('says that a parameter list needs a parameter when it is empty', () => {
    const [d] = errors('model m() { input 4 output 2 }');
    expect([d.code, d.range.start.column, d.message]).toEqual([
      'SPN002', 9, "a parameter list needs at least one parameter ('name = value'), found ')'; a model without parameters has no '()'",
    ]);
  });

  it('reports every misspelled statement keyword of a file, in blocks and bodies alike', () => {
    const ds = errors('model m {\n  input 4\n  spinal {\n    widht 2\n    layres 1\n  }\n  dens 3 relu\n  output 2\n}');
    expect(ds.map((d) => [d.code, d.range.start.line, d.hint])).toEqual([
      ['SPN003', 4, "did you mean 'width'?"],
      ['SPN003', 5, "did you mean 'layers'?"],
      ['SPN003', 7, "did you mean 'dense'?"],
    ]);
  });

  it.each([
    ['dens', 'dense', 'model m { input 4 dens 3 output 2 }'],
    ['widht', 'width', 'model m { input 4 spinal { widht 2 layers 1 } output 2 }'],
    ['layres', 'layers', 'model m { input 4 spinal { width 2 layres 1 } output 2 }'],
    ['ouptut', 'output', 'model m { input 4 ouptut 2 }'],
    ['spinl', 'spinal', 'model m { input 4 spinl { width 2 layers 1 } output 2 }'],
    ['activaton', 'activation', 'model m { input 4 spinal { width 2 layers 1 activaton relu } output 2 }'],
  ])('a misspelled keyword %s gets SPN003 with the hint %s', (word, keyword, text) => {
    const d = errors(text).find((e) => e.code === 'SPN003');
    expect(d?.message).toBe(`unknown keyword '${word}'`);
    expect(d?.hint).toBe(`did you mean '${keyword}'?`);
    expect(d!.range.end.offset - d!.range.start.offset).toBe(word.length);
    expect(text.slice(d!.range.start.offset, d!.range.end.offset)).toBe(word);
  });

  it.each([
    ['model m { input 4 dense 3 tahn output 2 }', 'tanh'],
    ['model m { input 4 dense 3 relu output 2 sigmiod }', 'sigmoid'],
    ['model m { input 4 spinal { width 2 layers 1 activation rleu } output 2 }', 'relu'],
  ])('a misspelled activation names the nearest activation (%s)', (text, act) => {
    const d = errors(text)[0];
    expect([d.code, d.hint]).toEqual(['SPN003', `did you mean '${act}'?`]);
  });

  it('a word far from every keyword is a plain syntax error', () => {
    const d = errors('model m { input 4 xylophone 3 output 2 }')[0];
    expect(d.code).toBe('SPN002');
    expect(d.message).toBe("expected 'input', 'dense', 'dropout', 'batchnorm', 'spinal', 'output' or '}', found 'xylophone'");
  });

  it.each([
    ['model input { input 4 output 2 }', 'input', 7],
    ['model m(width = 3) { input 4 output 2 }', 'width', 9],
    ['model m(w = 1) { input 4 output 2 }\nmodel relu = m()', 'relu', 7],
    ['model m(w = 1) { input 4 output 2 }\nmodel v = m(layers = 2)', 'layers', 13],
  ])('a keyword used as a name gets SPN004 (%s)', (text, word, column) => {
    const d = errors(text)[0];
    expect(d.code).toBe('SPN004');
    expect(d.message).toBe(`'${word}' is a reserved keyword and cannot be used as a name`);
    expect(d.range.start.column).toBe(column);
  });

  it('reports an unexpected character with its code point when not printable', () => {
    const [nul] = errors('model m {\0 input 4 output 2 }');
    expect([nul.code, nul.message, nul.range.start.column]).toEqual(['SPN001', 'unexpected character U+0000', 10]);
    const [minus] = errors('model m { input -4 output 2 }');
    expect([minus.message, minus.hint]).toEqual(["unexpected character '-'", 'numbers are never negative in a .spinal file']);
  });

  it('places an error at the end of the file after the last token', () => {
    const [d] = errors('model m {\n  input 4\n  output 2\n\n');
    expect(d.code).toBe('SPN002');
    expect(d.message).toBe("expected 'input', 'dense', 'dropout', 'batchnorm', 'spinal', 'output' or '}', found the end of the file");
    expect([d.range.start.line, d.range.start.column]).toEqual([3, 11]);
  });

  it('counts a lone carriage return as a line break, as the lexer does', () => {
    const [d] = errors('model m {\r  input 4\r\n  output $ }');
    expect([d.range.start.line, d.range.start.column]).toEqual([3, 10]);
  });

  it('refuses a file over the size cap before lexing it', () => {
    const [d] = errors(`# ${'x'.repeat(1 << 20)}`);
    expect(d.code).toBe('SPN006');
    expect(d.range.start).toEqual({ offset: 0, line: 1, column: 1 });
  });

  it('reports a negative-looking number and a stray token after a model', () => {
    const ds = errors('model m { input 4 output 2 } 7');
    expect(ds.map((d) => d.code)).toEqual(['SPN002']);
    expect(ds[0].message).toBe("expected 'model' to start a new model, found '7'");
  });

  it('stops after MAX_SYNTAX_ERRORS, reporting the first ones, and the next parse starts afresh', () => {
    const ds = errors(`model m { input 4 ${'spinal { '.repeat(5000)}`);
    expect(ds.length).toBe(MAX_SYNTAX_ERRORS);
    expect(ds[0].range.start.column).toBe(28);
    expect(errors(`model m { ${'dens 3 '.repeat(3000)}`).length).toBe(MAX_SYNTAX_ERRORS);
    expect(errors('$ '.repeat(3000)).length).toBe(MAX_SYNTAX_ERRORS);
    expect(parse('model m { input 4 output 2 }').diagnostics).toEqual([]);
  });
});
