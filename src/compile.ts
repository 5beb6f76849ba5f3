// The front half as one call: source text to checked specs and lowered graphs, with every
// diagnostic of every stage (syntax, then semantics and limits, both from check()).
import type { Diagnostic, SourceFile } from './diagnostics/diagnostic.js';
import { parse } from './syntax/parse.js';
import { check, type CheckOptions } from './check/check.js';
import type { ModelSpec } from './check/spec.js';
import { lowered } from './check/size.js';
import type { Graph } from './ir/graph.js';
import { phrase } from './diagnostics/wording.js';

export interface CompiledModel {
  readonly spec: ModelSpec;
  readonly graph: Graph;
}

export interface CompiledFile {
  readonly source: SourceFile;
  readonly models: readonly CompiledModel[];
  readonly diagnostics: readonly Diagnostic[];
}

export function compile(source: SourceFile, options: CheckOptions = {}): CompiledFile {
  const parsed = parse(source.text);
  if (!parsed.ast) return { source, models: [], diagnostics: parsed.diagnostics };
  const checked = check(parsed.ast, options);
  const diagnostics = checked.diagnostics;
  // check() lowered each model to count it; lowered() hands back that graph.
  const models: CompiledModel[] = checked.models.map((spec) => ({ spec, graph: lowered(spec) }));
  return { source, models, diagnostics: options.denyWarnings ? diagnostics.map(denied) : diagnostics };
}

/** Under `--deny-warnings`, a lint warning is an error like any other. */
function denied(d: Diagnostic): Diagnostic {
  return d.severity === 'warning' ? { ...d, severity: 'error', message: phrase('denied', { message: d.message }) } : d;
}
