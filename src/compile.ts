// The front half as one call: source text to checked specs and lowered graphs, with every
// diagnostic of every stage (syntax, then semantics, then limits).
import type { Diagnostic, SourceFile } from './diagnostics/diagnostic.js';
import { parse } from './syntax/parse.js';
import { check, type CheckOptions } from './check/check.js';
import type { ModelSpec } from './check/spec.js';
import { DEFAULT_LIMITS } from './check/limits.js';
import { lower } from './ir/lower.js';
import type { Graph } from './ir/graph.js';
import { count } from './passes/count.js';

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
  const limits = options.limits ?? DEFAULT_LIMITS;
  const diagnostics: Diagnostic[] = [...checked.diagnostics];
  const models: CompiledModel[] = [];
  for (const spec of checked.models) {
    const graph = lower(spec);
    const counts = count(graph);
    const over =
      counts.macs > BigInt(limits.maxMacs) ? {
        what: `${counts.macs} multiply-accumulates, more than the limit ${limits.maxMacs}`,
        hint: 'use smaller sizes or widths: the limit on multiply-accumulates keeps every count exact, and --max-parameters does not change it',
      }
      : counts.parameters > BigInt(limits.maxParameters) ? {
        what: `${counts.parameters} parameters, more than the limit ${limits.maxParameters}`,
        hint: 'use smaller sizes or widths, or raise the limit with --max-parameters',
      }
      : undefined;
    if (over) {
      diagnostics.push({ code: 'SPN050', severity: 'error', range: spec.range, message: `model '${spec.name}' needs ${over.what}`, hint: over.hint });
      continue;
    }
    models.push({ spec, graph });
  }
  return { source, models, diagnostics: options.denyWarnings ? diagnostics.map(denied) : diagnostics };
}

/** Under `--deny-warnings`, a lint warning is an error like any other. */
function denied(d: Diagnostic): Diagnostic {
  return d.severity === 'warning' ? { ...d, severity: 'error', message: `${d.message} (a warning, denied)` } : d;
}
