// Renders diagnostics the way compilers do: location, code, message, code frame, hint.
import { codeFrameColumns } from '@babel/code-frame';
import type { Diagnostic, SourceFile } from './diagnostic.js';

export interface RenderOptions {
  readonly color?: boolean;
}

export function renderDiagnostic(d: Diagnostic, file: SourceFile, options: RenderOptions = {}): string {
  const { start, end } = d.range;
  const header = `${file.path}:${start.line}:${start.column}: ${d.severity}[${d.code}]: ${d.message}`;
  const sameLine = end.line === start.line && end.column > start.column;
  const frame = codeFrameColumns(
    file.text,
    { start: { line: start.line, column: start.column }, end: sameLine ? { line: end.line, column: end.column } : undefined },
    { highlightCode: options.color ?? false, linesAbove: 0, linesBelow: 0, forceColor: options.color ?? false },
  );
  const lines = [header, frame];
  if (d.hint) lines.push(`hint: ${d.hint}`);
  return lines.join('\n');
}

export function renderDiagnostics(ds: readonly Diagnostic[], file: SourceFile, options: RenderOptions = {}): string {
  return ds.map((d) => renderDiagnostic(d, file, options)).join('\n\n');
}
