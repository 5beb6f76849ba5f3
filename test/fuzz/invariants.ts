// What every run of the front half must end in, whatever the input: models, or diagnostics
// that carry a catalogue code and point at a real place of the file. Never an exception.
import { expect } from 'vitest';
import { compile, type CompiledFile } from '../../src/compile.js';
import { CATALOGUE, severityOf } from '../../src/diagnostics/catalogue.js';
import { renderDiagnostics } from '../../src/diagnostics/render.js';
import { LineIndex } from '../../src/diagnostics/line-index.js';
import { count } from '../../src/passes/count.js';
import { denseBaseline } from '../../src/check/baseline.js';
import { lower } from '../../src/ir/lower.js';

/**
 * SPINAL_FUZZ_RUNS=N runs the largest properties N times instead of 2000, and every other
 * property in proportion (a property of 8 heavy cases by default gets N / 250).
 */
export const FUZZ_RUNS = Number(process.env.SPINAL_FUZZ_RUNS ?? 0) || undefined;
const LARGEST_DEFAULT = 2000;

export function runs(byDefault: number): number {
  return FUZZ_RUNS === undefined ? byDefault : Math.max(1, Math.round((byDefault * FUZZ_RUNS) / LARGEST_DEFAULT));
}

/** The time a property may take: `ms` for its default runs, scaled up with SPINAL_FUZZ_RUNS. */
export function timeBound(byDefault: number, ms: number): number {
  return Math.ceil(ms * Math.max(1, runs(byDefault) / byDefault));
}

export function compileChecked(text: string): CompiledFile {
  const compiled = compile({ path: 'fuzz.spinal', text });
  expectWellFormed(compiled);
  return compiled;
}

export function expectWellFormed(compiled: CompiledFile): void {
  const { text } = compiled.source;
  const lines = new LineIndex(text);
  for (const d of compiled.diagnostics) {
    expect(Object.keys(CATALOGUE)).toContain(d.code);
    expect(d.severity).toBe(severityOf(d.code));
    expect(d.message.length).toBeGreaterThan(0);
    const { start, end } = d.range;
    expect(start.offset).toBeGreaterThanOrEqual(0);
    expect(start.offset).toBeLessThanOrEqual(text.length);
    expect(end.offset).toBeGreaterThanOrEqual(start.offset);
    // The line and column agree with the offset, whichever stage computed them.
    const at = lines.positionAt(start.offset);
    expect([start.line, start.column]).toEqual([at.line, at.column]);
  }
  if (compiled.diagnostics.length > 0) {
    const shown = renderDiagnostics(compiled.diagnostics, compiled.source);
    const d = compiled.diagnostics[0];
    expect(shown.startsWith(`fuzz.spinal:${d.range.start.line}:${d.range.start.column}: ${d.severity}[${d.code}]: `)).toBe(true);
    // Lint warnings keep their models, which are counted below.
    if (compiled.diagnostics.some((x) => x.severity === 'error')) return;
  }
  // The front half's own counting (the optimizer's passes are fuzzed in test/passes).
  for (const model of compiled.models) {
    const counts = count(model.graph);
    expect(counts.macs <= BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(counts.layers.reduce((a, l) => a + l.macs, 0n)).toBe(counts.macs);
    expect(count(lower(denseBaseline(model.spec))).macs > 0n).toBe(true);
  }
}
