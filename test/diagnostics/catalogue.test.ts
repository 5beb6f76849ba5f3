import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, severityOf, type Code } from '../../src/diagnostics/catalogue.js';
import { MAX_SOURCE_BYTES } from '../../src/syntax/parse.js';
import { codesOf } from '../support/front.js';
import { compile } from '../../src/compile.js';
import { renderDiagnostic } from '../../src/diagnostics/render.js';

const entries = Object.entries(CATALOGUE) as [Code, { title: string; example: string }][];
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
    const compiled = compile({ path: 'example.spinal', text: entry.example });
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
