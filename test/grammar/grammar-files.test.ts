// The editor grammar and the language reference stay in step with the compiler.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEYWORDS } from '../../src/syntax/tokens.js';
import { ACTIVATIONS } from '../../src/syntax/ast.js';
import { DEFAULT_LIMITS } from '../../src/check/limits.js';
import { MAX_SOURCE_BYTES } from '../../src/syntax/parse.js';
import { compile } from '../../src/compile.js';
import { count } from '../../src/passes/count.js';

const GRAMMAR_DIR = join(import.meta.dirname, '..', '..', 'grammar');
const read = (name: string) => readFileSync(join(GRAMMAR_DIR, name), 'utf8');

interface Rule { name?: string; match?: string; patterns?: Rule[] }
const tm = JSON.parse(read('spinal.tmLanguage.json')) as { scopeName: string; repository: Record<string, Rule> };

/** Every `match` regex of the grammar with the scope it gives. */
function rules(): { scope: string; regex: RegExp }[] {
  const out: { scope: string; regex: RegExp }[] = [];
  const walk = (r: Rule, scope?: string) => {
    if (r.match) out.push({ scope: r.name ?? scope ?? '', regex: new RegExp(r.match) });
    r.patterns?.forEach((p) => walk(p, r.name ?? scope));
  };
  Object.values(tm.repository).forEach((r) => walk(r));
  return out;
}

/** The scope of the first rule (in repository order, names last) that matches all of `word`. */
function scopeOf(word: string): string | undefined {
  const all = rules();
  const ordered = [...all.filter((r) => !r.scope.startsWith('variable')), ...all.filter((r) => r.scope.startsWith('variable'))];
  return ordered.find((r) => r.regex.exec(word)?.[0] === word)?.scope;
}

interface TopRule { name?: string; match?: string; include?: string; patterns?: TopRule[]; captures?: Record<string, { name: string }> }

/**
 * A line as an editor colours it with the grammar's top-level patterns: at each point the rule
 * whose match starts first wins (the earlier rule on a tie), as TextMate does; captures give
 * their groups' scopes. Blanks are left out.
 */
function tokenize(line: string): [string, string][] {
  const top = (JSON.parse(read('spinal.tmLanguage.json')) as { patterns: TopRule[]; repository: Record<string, TopRule> });
  const flat = (r: TopRule): TopRule[] => (r.include ? flat(top.repository[r.include.slice(1)]) : r.match ? [r] : (r.patterns ?? []).flatMap(flat));
  const all = top.patterns.flatMap(flat).map((r) => ({ rule: r, regex: new RegExp(r.match!, 'g') }));
  const out: [string, string][] = [];
  for (let at = 0; at < line.length;) {
    let best: { rule: TopRule; m: RegExpExecArray } | undefined;
    for (const { rule, regex } of all) {
      regex.lastIndex = at;
      const m = regex.exec(line);
      if (m && m[0].length > 0 && (!best || m.index < best.m.index)) best = { rule, m };
    }
    if (!best) break;
    const { rule, m } = best;
    if (rule.captures) {
      for (const [group, { name }] of Object.entries(rule.captures)) if (m[Number(group)] !== undefined) out.push([m[Number(group)], name]);
    } else {
      out.push([m[0], rule.name!]);
    }
    at = m.index + m[0].length;
  }
  return out;
}

describe('grammar/spinal.tmLanguage.json', () => {
  it('colours a named value, a named input and a `from` list', () => {
    expect(tokenize('  pixels = input 3')).toEqual([
      ['pixels', 'variable.other.parameter.spinal'], ['=', 'keyword.operator.assignment.spinal'],
      ['input', 'keyword.other.layer.spinal'], ['3', 'constant.numeric.spinal'],
    ]);
    expect(tokenize('  dense 50 relu from a, b')).toEqual([
      ['dense', 'keyword.other.layer.spinal'], ['50', 'constant.numeric.spinal'], ['relu', 'support.function.activation.spinal'],
      ['from', 'keyword.other.flow.spinal'], ['a', 'variable.other.parameter.spinal'], [',', 'punctuation.separator.comma.spinal'],
      ['b', 'variable.other.parameter.spinal'],
    ]);
    expect(tokenize('  a = spinal from pixels, conv_1 {  # two inputs')).toEqual([
      ['a', 'variable.other.parameter.spinal'], ['=', 'keyword.operator.assignment.spinal'], ['spinal', 'keyword.other.layer.spinal'],
      ['from', 'keyword.other.flow.spinal'], ['pixels', 'variable.other.parameter.spinal'], [',', 'punctuation.separator.comma.spinal'],
      ['conv_1', 'variable.other.parameter.spinal'], ['{', 'punctuation.section.block.spinal'], ['# two inputs', 'comment.line.number-sign.spinal'],
    ]);
    // A name that starts with a keyword is a name.
    expect(tokenize('from_x = input 3')[0]).toEqual(['from_x', 'variable.other.parameter.spinal']);
    expect(tokenize('model mnist_arch2(w = 30) {').slice(0, 2)).toEqual([['model', 'keyword.declaration.model.spinal'], ['mnist_arch2', 'entity.name.type.model.spinal']]);
  });


  it('is scoped source.spinal', () => {
    expect(tm.scopeName).toBe('source.spinal');
  });

  it.each(KEYWORDS)('highlights the keyword %s as a keyword or an activation', (keyword) => {
    const scope = scopeOf(keyword);
    expect(scope).toMatch((ACTIVATIONS as readonly string[]).includes(keyword) ? /^support\.function\.activation/ : /^keyword\./);
  });

  it('highlights comments, numbers and names', () => {
    expect(scopeOf('# a comment')).toBe('comment.line.number-sign.spinal');
    expect(scopeOf('// a comment')).toBe('comment.line.double-slash.spinal');
    for (const n of ['784', '0.5', '1e-3', '2E+2']) expect(scopeOf(n)).toBe('constant.numeric.spinal');
    for (const n of ['w', 'dense_head', 'x_1']) expect(scopeOf(n)).toBe('variable.other.parameter.spinal');
  });
});

describe('grammar/LANGUAGE.md', () => {
  const doc = read('LANGUAGE.md');

  it('opens with an example that compiles to the 87,900 MACs it states', () => {
    const example = /```spinal\n([\s\S]*?)```/.exec(doc)![1];
    const compiled = compile({ path: 'LANGUAGE.md', text: example });
    expect(compiled.diagnostics).toEqual([]);
    expect(compiled.models.map((m) => [m.spec.name, count(m.graph).macs])).toEqual([['mnist_spinal', 87_900n], ['mnist_narrow', BigInt(392 * 20 + 3 * 412 * 20 + 80 * 10)]]);
    expect(doc).toContain('87,900 MACs');
  });

  it('lists every keyword', () => {
    for (const k of KEYWORDS) expect(doc).toContain(k);
  });

  it('states the limits the checker enforces', () => {
    const n = (x: number) => x.toLocaleString('en-US');
    expect(doc).toContain(`${n(MAX_SOURCE_BYTES)} characters`);
    expect(doc).toContain(`| a size, width or split ratio | ${n(DEFAULT_LIMITS.maxSize)} `);
    expect(doc).toContain(`| sub-layers of one spinal block | ${n(DEFAULT_LIMITS.maxLayers)} `);
    expect(doc).toContain(`| parameters of one model | ${n(DEFAULT_LIMITS.maxParameters)} `);
    expect(doc).toContain(`| MACs of one model for one sample | ${n(DEFAULT_LIMITS.maxMacs)} `);
    expect(doc).toContain(`| layers of all the models of one file | ${n(DEFAULT_LIMITS.maxFileLayers!)} `);
  });
});
