// A located message about the user's file. Every diagnostic carries a code from the catalogue.
import type { Range } from './source.js';
import type { Code } from './catalogue.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  readonly hint?: string;
}

export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
