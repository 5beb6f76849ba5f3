import { describe, expect, it } from 'vitest';
import { MAX_FRAME_WIDTH, renderDiagnostic, renderDiagnostics, visibleWindow } from '../../src/diagnostics/render.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { LineIndex } from '../../src/diagnostics/line-index.js';
import { compileText } from '../support/front.js';

function at(line: number, column: number, length: number): Diagnostic['range'] {
  return { start: { offset: 0, line, column }, end: { offset: 0, line, column: column + length } };
}

describe('render', () => {
  it('prints location, code, message, frame with a caret under the span, and hint', () => {
    const d: Diagnostic = { code: 'SPN030', severity: 'error', message: 'bad', range: at(2, 9, 3), hint: 'try 3' };
    const text = renderDiagnostic(d, { path: 'a.spinal', text: 'model m {\n  dense 2.5\n}' });
    expect(text).toBe('a.spinal:2:9: error[SPN030]: bad\n> 2 |   dense 2.5\n    |         ^^^\nhint: try 3');
  });

  it('omits the hint line when there is no hint and marks one column for an empty span', () => {
    const d: Diagnostic = { code: 'SPN002', severity: 'error', message: 'm', range: at(1, 3, 0) };
    expect(renderDiagnostic(d, { path: 'f', text: 'abcd' })).toBe('f:1:3: error[SPN002]: m\n> 1 | abcd\n    |   ^');
  });

  it('caps the number of diagnostics shown and counts the rest', () => {
    const text = Array.from({ length: 60 }, (_, i) => `model m${i} { input 0 output 2 }`).join('\n');
    const compiled = compileText(text);
    expect(compiled.diagnostics.length).toBe(60);
    const out = renderDiagnostics(compiled.diagnostics, compiled.source);
    expect(out.match(/error\[SPN030\]/g)?.length).toBe(50);
    expect(out.endsWith('test.spinal: 10 more diagnostics not shown')).toBe(true);
    expect(renderDiagnostics(compiled.diagnostics, compiled.source, { max: 59 }).endsWith('1 more diagnostic not shown')).toBe(true);
  });

  it('shows control and bidi characters as U+FFFD, one for one', () => {
    expect(visibleWindow('a\x1b[0m\u202eb\tc', 3, 4)).toEqual({ text: 'a\uFFFD[0m\uFFFDb\tc', start: 3, end: 4 });
  });

  it('cuts a long line to a window around the span, moving the caret with it', () => {
    const line = `${'x'.repeat(500)}HERE${'y'.repeat(500)}`;
    const w = visibleWindow(line, 501, 505);
    expect(w.text.length).toBe(MAX_FRAME_WIDTH + 2);
    expect(w.text.startsWith('…')).toBe(true);
    expect(w.text.endsWith('…')).toBe(true);
    expect(w.text.slice(w.start - 1, w.end! - 1)).toBe('HERE');
    // Near the end of a long line the window ends with the line.
    const end = visibleWindow(line, 1000, 1004);
    expect(end.text.endsWith('y')).toBe(true);
    expect(end.text.slice(end.start - 1, end.end! - 1)).toBe('yyyy');
  });
});

describe('line index', () => {
  it('maps offsets to lines and columns with \\n, \\r\\n and lone \\r breaks', () => {
    const lines = new LineIndex('ab\ncd\r\nef\rgh');
    expect([0, 3, 7, 10, 11].map((o) => { const p = lines.positionAt(o); return [p.line, p.column]; })).toEqual([[1, 1], [2, 1], [3, 1], [4, 1], [4, 2]]);
    expect([1, 2, 3, 4, 5].map((l) => lines.lineText(l))).toEqual(['ab', 'cd', 'ef', 'gh', '']);
    expect(lines.lineCount).toBe(4);
  });
});

describe('render in colour', () => {
  it('keeps the real line number and the text, with escape codes around them', () => {
    const compiled = compileText('model m {\n  input 4\n  dense 0\n  output 2\n}');
    const coloured = renderDiagnostics(compiled.diagnostics, compiled.source, { color: true });
    expect(coloured).toContain('\u001b[');
    // eslint-disable-next-line no-control-regex
    const plain = coloured.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toBe(renderDiagnostics(compiled.diagnostics, compiled.source));
  });
});
