// The formatter's layout, rule by rule, and what it refuses.
import { describe, expect, it } from 'vitest';
import { format, isFormatted } from '../../src/fmt/format.js';
import { meaning } from './strip.js';

function fmt(text: string): string {
  const r = format(text);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.text;
}

describe('fmt: the canonical layout', () => {
  it('one statement a line, two spaces a block, spacing around = , and :, no semicolons', () => {
    const text = 'model m(a=1,b = 2){input 784;spinal{split 1 : 1:2 interleaved; width a\nlayers b;}output 10 relu}';
    expect(fmt(text)).toBe([
      'model m(a = 1, b = 2) {',
      '  input 784',
      '  spinal {',
      '    split 1:1:2 interleaved',
      '    width a',
      '    layers b',
      '  }',
      '  output 10 relu',
      '}',
      '',
    ].join('\n'));
  });

  it('a tie a line, its range written without spaces', () => {
    expect(fmt('model m { input 8 spinal { width 2 layers 8 tie 3 .. 8 to 2; } output 2 }')).toBe([
      'model m {', '  input 8', '  spinal {', '    width 2', '    layers 8', '    tie 3..8 to 2', '  }', '  output 2', '}', '',
    ].join('\n'));
    expect(fmt('model m { input 8 spinal { width 2 layers 6 tie 3..4 to 2 tie 6 to 2 } output 2 }')).toContain('    tie 3..4 to 2\n    tie 6 to 2\n');
  });

  it('variants stay together, a model with a body is set off by a blank line', () => {
    const text = 'model v=m(a=3)\nmodel w = v( )\nmodel m(a = 1) { input 4 output 2 }\nmodel x=m()';
    expect(fmt(text)).toBe([
      'model v = m(a = 3)',
      'model w = v()',
      '',
      'model m(a = 1) {',
      '  input 4',
      '  output 2',
      '}',
      '',
      'model x = m()',
      '',
    ].join('\n'));
  });

  it('keeps comments on their own line or after the code, and blank lines (one at most, none inside braces)', () => {
    const text = [
      '# header',
      '',
      '',
      '// second',
      'model m { # opens',
      '',
      '  input 4   # features   ',
      '',
      '',
      '      # own line, re-indented',
      '  dense 3',
      '',
      '}  # closes',
      'model v = m()',
    ].join('\n');
    expect(fmt(text)).toBe([
      '# header',
      '',
      '// second',
      'model m {  # opens',
      '  input 4  # features',
      '',
      '  # own line, re-indented',
      '  dense 3',
      '}  # closes',
      '',
      'model v = m()',
      '',
    ].join('\n'));
  });

  it('named values: `name = statement` on one line, `from a, b` before a block\'s brace', () => {
    const text = 'model m{p=input 3;q = input 2 a=dense 2 relu from p,q\n b = spinal from q,p{ width 2 layers 2 } output 2 from a , b }';
    expect(fmt(text)).toBe([
      'model m {',
      '  p = input 3',
      '  q = input 2',
      '  a = dense 2 relu from p, q',
      '  b = spinal from q, p {',
      '    width 2',
      '    layers 2',
      '  }',
      '  output 2 from a, b',
      '}',
      '',
    ].join('\n'));
  });

  it('a comment between a value\'s name and its statement keeps them one statement', () => {
    const text = 'model m { x = # the pixels\n input 4\n y = input 2 dense 3 from x, # first\n y output 1 }';
    const out = fmt(text);
    expect(out).toBe([
      'model m {',
      '  x =  # the pixels',
      '      input 4',
      '  y = input 2',
      '  dense 3 from x,  # first',
      '      y',
      '  output 1',
      '}',
      '',
    ].join('\n'));
    expect(meaning(out)).toEqual(meaning(text));
    expect(fmt(out)).toBe(out);
  });

  it('a comment inside a statement breaks it onto a continuation line', () => {
    const text = 'model m(a = 1, # first\n b = 2) { input a output # size next\n b }';
    const out = fmt(text);
    expect(out).toBe([
      'model m(a = 1,  # first',
      '    b = 2) {',
      '  input a',
      '  output  # size next',
      '      b',
      '}',
      '',
    ].join('\n'));
    expect(meaning(out)).toEqual(meaning(text));
  });

  it('empty braces, CRLF and lone CR line breaks, an empty file', () => {
    expect(fmt('model e {\r\n}\r\nmodel s { input 3 spinal { } output 1 }')).toBe('model e {}\n\nmodel s {\n  input 3\n  spinal {}\n  output 1\n}\n');
    expect(fmt('# a\r# b\rmodel v = m()')).toBe('# a\n# b\nmodel v = m()\n');
    expect(fmt('')).toBe('');
    expect(fmt(' \n\n ')).toBe('');
    expect(fmt('# only a comment')).toBe('# only a comment\n');
  });

  it('keeps numbers as written', () => {
    expect(fmt('model m(p = 0.50) { input 007 dropout p output 1e1 }')).toBe('model m(p = 0.50) {\n  input 007\n  dropout p\n  output 1e1\n}\n');
  });

  it('isFormatted says whether the text is already canonical', () => {
    expect(isFormatted('model v = m()\n')).toBe(true);
    expect(isFormatted('model v = m()')).toBe(false);
    expect(isFormatted('model v = m(\n')).toBe(false);
  });
});

describe('fmt: refuses what it cannot format without changing the meaning', () => {
  it('a syntax error gives the parser\'s diagnostics', () => {
    const r = format('model m {\n  dens 10\n}\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.map((d) => d.code)).toEqual(['SPN003']);
  });

  it('a character outside the language gives SPN001', () => {
    const r = format('model m { input 4 $ }');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0].code).toBe('SPN001');
  });

  it('a semantic error is no syntax error: the file is formatted', () => {
    expect(fmt('model m { output 2 input 4 }')).toBe('model m {\n  output 2\n  input 4\n}\n');
  });
});
