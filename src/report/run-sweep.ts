// Evaluating one model over a parameter grid: each point compiles the files again with the
// point's values as overrides (so sizes derived from a parameter change with it) and is
// compared with its reference at that same point.
import { compile, type CompiledFile } from '../compile.js';
import type { SourceFile } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { compareModels, type ComparisonRow } from './compare.js';
import { modelReport } from './model-report.js';
import { grid, SweepError, type GridPoint, type SweepAxis } from './sweep.js';
import type { Limits } from '../check/limits.js';
import type { CheckOptions } from '../check/check.js';

export interface SweepRequest {
  readonly sources: readonly SourceFile[];
  readonly model: string;
  readonly axes: readonly SweepAxis[];
  /** Fixed overrides (`--set`), under the swept values. */
  readonly set?: Readonly<Record<string, number>>;
  readonly vs?: readonly string[];
  /** The checker's limits at every point (`--max-parameters`); the defaults if absent. */
  readonly limits?: Limits;
  /** How the checker's messages name the limits (CheckOptions.limitNames). */
  readonly limitNames?: CheckOptions['limitNames'];
  /** Called after each grid point with the number done and the total. */
  readonly progress?: (done: number, total: number) => void;
}

/** A grid point at which a file no longer compiles (say, a width of 0). */
export class SweepPointError extends Error {
  override readonly name = 'SweepPointError';
  constructor(
    readonly point: GridPoint,
    readonly file: CompiledFile,
  ) {
    super(`at ${Object.entries(point).map(([k, v]) => `${k}=${v}`).join(', ')}, '${file.source.path}' does not compile`);
  }
}

export function runSweep(request: SweepRequest): ComparisonRow[] {
  const points = grid(request.axes);
  const rows: ComparisonRow[] = [];
  points.forEach((point, i) => {
    const files = request.sources.map((source) => {
      const file = compile(source, { overrides: { ...request.set, ...point }, ...(request.limits ? { limits: request.limits } : {}), ...(request.limitNames ? { limitNames: request.limitNames } : {}) });
      if (hasErrors(file.diagnostics)) throw new SweepPointError(point, file);
      return file;
    });
    const models = files.flatMap((f) => f.models.map((m) => ({ file: f.source.path, model: m })));
    const target = models.find((m) => m.model.spec.name === request.model);
    if (!target) throw new SweepError(`no model '${request.model}' in ${request.sources.map((s) => `'${s.path}'`).join(', ')}`);
    if (i === 0) checkSwept(request.axes, target.model.spec.name, target.model.spec.params);
    const pool = models.filter((m) => request.vs?.includes(m.model.spec.name)).map((m) => modelReport(m.model));
    const compared = { file: target.file, report: modelReport(target.model), point };
    rows.push(...compareModels([compared], request.vs, [compared.report, ...pool]));
    request.progress?.(i + 1, points.length);
  });
  return rows;
}

/** An override of a name the model lacks would be ignored silently: every point would be the same. */
function checkSwept(axes: readonly SweepAxis[], model: string, params: Readonly<Record<string, number>>): void {
  const known = Object.keys(params);
  for (const axis of axes) {
    if (!known.includes(axis.name)) {
      throw new SweepError(`model '${model}' has no parameter '${axis.name}'; ${known.length ? `it has ${known.join(', ')}` : 'it has no parameters'}`);
    }
  }
}
