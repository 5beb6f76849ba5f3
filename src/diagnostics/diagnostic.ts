// A located message about the user's file. Every diagnostic carries a code from the catalogue.
import type { Range } from '../syntax/ast.js';
import type { Code } from './catalogue.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  readonly hint?: string;
}

/** Thrown by any stage for a user mistake, carrying everything needed to render it. */
export class DiagnosticError extends Error {
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    readonly source: SourceFile,
  ) {
    super(diagnostics.map((d) => d.message).join('\n'));
    this.name = 'DiagnosticError';
  }
}

export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
