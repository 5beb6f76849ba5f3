// Renders diagnostics the way compilers do: location, code, message, code frame, hint.
import { codeFrameColumns } from '@babel/code-frame';
import type { Diagnostic, SourceFile } from './diagnostic.js';
import { LineIndex } from './line-index.js';

export interface RenderOptions {
  readonly color?: boolean;
  /** Diagnostics shown per file; the rest are counted in a closing line. */
  readonly max?: number;
}

/** Diagnostics shown per file by default: enough to fix, few enough to read. */
export const DEFAULT_MAX_SHOWN = 50;

/** Widest source line shown in a frame; longer lines are cut around the caret. */
export const MAX_FRAME_WIDTH = 160;
const CONTEXT_BEFORE = 60;

// Babel's code-frame option (not in its published types): the number of the first line given.
type FrameOptions = Parameters<typeof codeFrameColumns>[2] & { startLine?: number };

export function renderDiagnostic(d: Diagnostic, file: SourceFile, options: RenderOptions = {}, lines = new LineIndex(file.text)): string {
  const { start, end } = d.range;
  const header = `${file.path}:${start.line}:${start.column}: ${d.severity}[${d.code}]: ${d.message}`;
  const endColumn = end.line === start.line && end.column > start.column ? end.column : undefined;
  const shown = visibleWindow(lines.lineText(start.line), start.column, endColumn);
  const frameOptions: FrameOptions = {
    highlightCode: options.color ?? false,
    forceColor: options.color ?? false,
    linesAbove: 0,
    linesBelow: 0,
    startLine: start.line,
  };
  const frame = codeFrameColumns(
    shown.text,
    { start: { line: start.line, column: shown.start }, ...(shown.end !== undefined ? { end: { line: start.line, column: shown.end } } : {}) },
    frameOptions,
  );
  const out = [header, frame];
  if (d.hint) out.push(`hint: ${d.hint}`);
  return out.join('\n');
}

export function renderDiagnostics(ds: readonly Diagnostic[], file: SourceFile, options: RenderOptions = {}): string {
  const lines = new LineIndex(file.text);
  const max = options.max ?? DEFAULT_MAX_SHOWN;
  const parts = ds.slice(0, max).map((d) => renderDiagnostic(d, file, options, lines));
  const hidden = ds.length - parts.length;
  if (hidden > 0) parts.push(`${file.path}: ${hidden} more diagnostic${hidden === 1 ? '' : 's'} not shown`);
  return parts.join('\n\n');
}

/**
 * The part of a line a frame shows, with the caret columns moved to match: control and
 * direction-changing characters become U+FFFD (one unit for one, so carets stay aligned)
 * so a file cannot drive the terminal, and a long line is cut to a window around the span.
 */
export function visibleWindow(line: string, start: number, end: number | undefined): { text: string; start: number; end?: number } {
  const safe = line.replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '\uFFFD');
  if (safe.length <= MAX_FRAME_WIDTH) return { text: safe, start, ...(end !== undefined ? { end } : {}) };
  const from = Math.max(0, Math.min(start - 1 - CONTEXT_BEFORE, safe.length - MAX_FRAME_WIDTH));
  const to = Math.min(safe.length, from + MAX_FRAME_WIDTH);
  const lead = from > 0 ? '…' : '';
  const text = `${lead}${safe.slice(from, to)}${to < safe.length ? '…' : ''}`;
  const shift = lead.length - from;
  const windowEnd = to + lead.length - from + 1;
  return {
    text,
    start: start + shift,
    ...(end !== undefined ? { end: Math.min(end + shift, windowEnd) } : {}),
  };
}
