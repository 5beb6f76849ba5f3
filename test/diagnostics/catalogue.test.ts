import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, PHRASES, severityOf, type Code, type Entry, type Templates } from '../../src/diagnostics/catalogue.js';
import { fill, placeholders, wording } from '../../src/diagnostics/wording.js';
import { MAX_SOURCE_BYTES } from '../../src/syntax/parse.js';
import { codesOf, compileText } from '../support/front.js';
import { DEFAULT_LIMITS } from '../../src/check/limits.js';
import type { CheckOptions } from '../../src/check/check.js';
import { checkOptionsFrom } from '../../src/cli/options.js';
import { compile } from '../../src/compile.js';
import { renderDiagnostic } from '../../src/diagnostics/render.js';

const entries = Object.entries(CATALOGUE) as [Code, Entry][];
const ERRORS_MD = readFileSync(join(import.meta.dirname, '..', '..', 'grammar', 'ERRORS.md'), 'utf8');

describe('the diagnostic catalogue', () => {
  it('has stable, well-formed codes', () => {
    for (const [code, entry] of entries) {
      expect(code).toMatch(/^SPN\d{3}$/);
      expect(entry.title.length).toBeGreaterThan(0);
    }
  });

  it.each(entries.filter(([, e]) => e.example !== ''))('the example of %s produces that code', (code, entry) => {
    expect(codesOf(entry.example)).toContain(code);
  });

  it('SPN006: a file over the size cap', () => {
    expect(codesOf(`model m { input 4 output 2 }\n${' '.repeat(MAX_SOURCE_BYTES)}`)).toEqual(['SPN006']);
    expect(codesOf(`model m { input 4 output 2 }${' '.repeat(MAX_SOURCE_BYTES - 28)}`)).toEqual([]);
  });

  it('only SPN006 has no example, because its example is a megabyte', () => {
    expect(entries.filter(([, e]) => e.example === '').map(([code]) => code)).toEqual(['SPN006']);
  });
});

describe('grammar/ERRORS.md', () => {
  it.each(entries)('documents %s with its title', (code, entry) => {
    expect(ERRORS_MD).toContain(`## ${code}: ${entry.title}`);
  });

  it.each(entries.filter(([, e]) => e.example !== ''))('shows the example of %s and what spinal prints for it', (code, entry) => {
    const section = ERRORS_MD.split(`## ${code}:`)[1].split('\n## ')[0];
    expect(section).toContain(`\`\`\`spinal\n${entry.example}\n\`\`\``);
    // What the command line prints: its options name the limits by their flags.
    const compiled = compile({ path: 'example.spinal', text: entry.example }, checkOptionsFrom({}));
    const first = compiled.diagnostics.find((d) => d.code === code)!;
    expect(section).toContain(`\`\`\`text\n${renderDiagnostic(first, compiled.source)}\n\`\`\``);
  });

  it('documents no code the catalogue lacks', () => {
    const documented = [...ERRORS_MD.matchAll(/^## (SPN\d{3}):/gm)].map((m) => m[1]);
    expect(documented).toEqual(entries.map(([code]) => code));
  });
});

describe('severities', () => {
  it.each(entries.filter(([, e]) => e.example !== ''))('the example of %s reports it with the catalogue\'s severity', (code, entry) => {
    const compiled = compile({ path: 'example.spinal', text: entry.example });
    expect(compiled.diagnostics.find((d) => d.code === code)!.severity).toBe(severityOf(code));
  });

  it('a warning keeps its model; an error does not', () => {
    for (const [code, entry] of entries.filter(([, e]) => e.example !== '')) {
      const compiled = compile({ path: 'example.spinal', text: entry.example });
      if (severityOf(code) === 'warning') expect(compiled.models.length, code).toBeGreaterThan(0);
    }
    expect(entries.filter(([code]) => severityOf(code) === 'warning').map(([code]) => code)).toEqual(['SPN060', 'SPN061', 'SPN062']);
  });
});

describe('the wording of the catalogue', () => {
  type Kind = 'message' | 'hint';
  const named = (templates: Templates | undefined): [string | undefined, string][] =>
    templates === undefined ? [] : typeof templates === 'string' ? [[undefined, templates]] : Object.entries(templates);
  const every: [string, string][] = [
    ...entries.flatMap(([code, e]) => [...named(e.message), ...named(e.hint), ...Object.entries(e.parts ?? {})].map(([, t]): [string, string] => [code, t])),
    ...Object.entries(PHRASES).map(([name, t]): [string, string] => [name, t]),
  ];

  it('fills placeholders and plurals, and throws on a placeholder without an argument', () => {
    expect(fill("model '{name}' on line {line}", { name: 'm', line: 3 })).toBe("model 'm' on line 3");
    expect(fill('{n} {n|row|rows}', { n: 1 })).toBe('1 row');
    expect(fill('{n} {n|row|rows}', { n: 2n })).toBe('2 rows');
    expect(fill("declare 'model {name} { ... }' first", { name: 'b' })).toBe("declare 'model b { ... }' first");
    expect(() => fill("model '{name}' on line {line}", { name: 'm' })).toThrow(/no argument 'line'/);
    expect(() => wording('SPN010', { name: 'm' })).toThrow(/no argument 'line'/);
    expect(() => wording('SPN045', { sub: 1, layers: 2 })).toThrow(/no variant/);
  });

  it.each(every)('%s: a template filled with its own placeholders has none left', (_, template) => {
    const args = Object.fromEntries(placeholders(template).map((p) => [p, 1]));
    expect(fill(template, args)).not.toMatch(/\{\w+(\|[^{}|]*\|[^{}|]*)?\}/);
  });

  // One source for every named message and hint: each is reported, every placeholder filled.
  const MAX_PARAMS = { limits: { ...DEFAULT_LIMITS, maxParameters: 10 } };
  const SPINAL = (items: string, input = 8) => `model m { input ${input} spinal { ${items} } output 2 }`;
  const VARIANTS: Record<string, { text: string; options?: CheckOptions }> = {
    'SPN001 hint negative': { text: 'model m { input -4 output 2 }' },
    'SPN001 hint fraction': { text: 'model m { input .5 output 2 }' },
    'SPN001 hint nonAscii': { text: 'model m { input 4 dénse 3 output 2 }' },
    'SPN001 hint other': { text: 'model m { input 4 $ output 2 }' },
    'SPN002 message expected': { text: 'model m { input 4 output }' },
    'SPN002 message newModel': { text: 'model m { input 4 output 2 } }' },
    'SPN002 message emptyParams': { text: 'model m() { input 4 output 2 }' },
    'SPN002 hint keyword': { text: 'model m { input dense output 2 }' },
    'SPN011 hint didYouMean': { text: 'model base { input 4 output 2 }\nmodel v = bse()' },
    'SPN011 hint declare': { text: 'model v = nothere()' },
    'SPN012 message short': { text: 'model a = b()\nmodel b = a()' },
    'SPN012 message long': { text: 'model a = b()\nmodel b = c()\nmodel c = d()\nmodel d = e()\nmodel e = a()' },
    'SPN013 hint didYouMean': { text: 'model m(size = 3) { input 4 dense size output 2 }\nmodel v = m(sise = 1)' },
    'SPN013 hint parameters': { text: 'model m(size = 3) { input 4 dense size output 2 }\nmodel v = m(other = 1)' },
    'SPN013 hint none': { text: 'model m { input 4 output 2 }\nmodel v = m(x = 1)' },
    'SPN015 hint didYouMean': { text: 'model m(size = 3) { input 4 dense sise output 2 }' },
    'SPN015 hint inScope': { text: 'model m(w = 3) { input 4 dense zzz output 2 }' },
    'SPN015 hint declare': { text: 'model m { input 4 dense zzz output 2 }' },
    'SPN030 hint round': { text: 'model m { input 4 dense 2.5 output 2 }' },
    'SPN045 message outOfRange': { text: SPINAL('width 2 layers 4 tie 2..5 to 1') },
    'SPN045 message empty': { text: SPINAL('width 2 layers 4 tie 3..2 to 1') },
    'SPN045 message self': { text: SPINAL('width 2 layers 4 tie 2..3 to 3') },
    'SPN045 message twice': { text: SPINAL('width 2 layers 4 tie 3 to 2 tie 3..4 to 2') },
    'SPN045 message chained': { text: SPINAL('width 2 layers 4 tie 3 to 2 tie 4 to 3') },
    'SPN046 hint firstSubLayer': { text: SPINAL('width 2 layers 3 tie 2 to 1') },
    'SPN046 hint rows': { text: SPINAL('split 1:3 width 2 layers 4 tie 3 to 2') },
    'SPN050 message macs': { text: 'model m { input 4 dense 4 output 2 }', options: { limits: { ...DEFAULT_LIMITS, maxMacs: 10 } } },
    'SPN050 message parameters': { text: 'model m { input 4 dense 4 output 2 }', options: MAX_PARAMS },
    'SPN060 message lastRow': { text: SPINAL('split 1:1:1 width 2 layers 2', 9) },
    'SPN060 message lastRows': { text: SPINAL('split 1:1:1:1 width 2 layers 2') },
    'SPN070 hint didYouMean': { text: 'model m { pixels = input 4 output 2 from pixel }' },
    'SPN070 hint values': { text: 'model m { x = input 4 output 2 from x, conv }' },
    'SPN070 hint none': { text: 'model m { input 4 output 2 from conv }' },
    'SPN071 message value': { text: 'model m { x = input 4 x = dense 2 output 2 }' },
    'SPN071 message parameter': { text: 'model m(w = 2) { x = input 4 w = dense 2 from x output 2 }' },
  };
  /** Variants no source reaches: the parser words the early exit of a parameter list as emptyParams. */
  const UNREACHED = ['SPN002 message atLeastOne'];

  // A hint named like a message variant goes with it, and is tested with it.
  const variants = entries.flatMap(([code, e]) => (['message', 'hint'] as Kind[]).flatMap((kind) =>
    typeof e[kind] === 'object' ? Object.keys(e[kind]).map((name) => `${code} ${kind} ${name}`) : []))
    .filter((v) => {
      const [code, kind, name] = v.split(' ');
      const messages: Templates = CATALOGUE[code as Code].message;
      return !(kind === 'hint' && typeof messages === 'object' && Object.hasOwn(messages, name));
    });

  it('the table below names every variant of a message or hint', () => {
    expect(Object.keys(VARIANTS).sort()).toEqual(variants.filter((v) => !UNREACHED.includes(v)).sort());
  });

  /** A template as a pattern: each placeholder some text, each plural one of its forms. */
  const pattern = (template: string) => new RegExp(`^${template.replace(/[.*+?^$()[\]\\/]|\{(?!\w)|(?<!\w)\}/g, '\\$&')
    .replace(/\{(\w+)\|([^{}|]*)\|([^{}|]*)\}/g, (_, _n, one: string, other: string) => `(?:${one}|${other})`)
    .replace(/\{\w+\}/g, '.+?')}$`);

  it.each(Object.entries(VARIANTS))('%s is reported, filled', (variant, { text, options }) => {
    const [code, kind, name] = variant.split(' ') as [Code, Kind, string];
    const entry: Entry = CATALOGUE[code];
    const template = (entry[kind] as Record<string, string>)[name];
    const hint = kind === 'message' && typeof entry.hint === 'object' ? entry.hint[name] : undefined;
    const found = compileText(text, options).diagnostics.filter((d) => d.code === code);
    const matches = found.filter((d) => pattern(template).test(d[kind] ?? '') && (hint === undefined || pattern(hint).test(d.hint ?? '')));
    expect(matches.length, found.map((d) => `${d.message} / ${d.hint}`).join('\n')).toBeGreaterThan(0);
  });
});
