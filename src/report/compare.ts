// One comparison across models: each model's counts next to a reference design, with ratios.
// The reference is a model the user names (`--vs`) of the same input and output size,
// otherwise the model's own dense baseline (LANGUAGE.md, "Counting").
import type { ModelReport } from './model-report.js';
import type { AccuracySummary } from './accuracy.js';
import { option } from '../diagnostics/option.js';

export interface Reference {
  readonly name: string;
  /** 'model': a model the user named; 'dense baseline': the model's own baseline. */
  readonly kind: 'model' | 'dense baseline';
  readonly macs: number;
  readonly parameters: number;
}

export interface ComparedModel {
  readonly file: string;
  readonly report: ModelReport;
  /** The swept parameters' values, for a grid point of a sweep. */
  readonly point?: Readonly<Record<string, number>>;
}

export interface ComparisonRow extends ComparedModel {
  /** Peak bytes of live activations per sample, after the passes. */
  readonly peakActivationBytes: number;
  readonly vs: Reference & { readonly macsRatio: number; readonly parametersRatio: number };
  /** With training (`macs --train`): the accuracy over seeds. */
  readonly accuracy?: AccuracySummary;
  /** With training: on the Pareto frontier of MACs against mean accuracy. */
  readonly pareto?: boolean;
}

/** Thrown when `--vs` names no model among those compared. */
export class UnknownReferenceError extends Error {
  override readonly name = 'UnknownReferenceError';
}

/**
 * `pool` holds the models `vs` may name (by default the compared models themselves): a sweep
 * compares one model but may measure it against another model of the same files.
 */
export function compareModels(
  models: readonly ComparedModel[],
  vs: readonly string[] = [],
  pool: readonly ModelReport[] = models.map((m) => m.report),
): ComparisonRow[] {
  const references = vs.map((name) => {
    const found = pool.find((r) => r.name === name);
    if (!found) {
      const names = [...new Set(pool.map((r) => r.name))];
      throw new UnknownReferenceError(`${option('vs')} names no model '${name}'; the models are ${names.join(', ')}`);
    }
    return found;
  });
  return models.map((m) => {
    const reference = referenceFor(m.report, references);
    return {
      ...m,
      peakActivationBytes: m.report.memory.after.peakBytes,
      vs: {
        ...reference,
        macsRatio: m.report.macs / reference.macs,
        parametersRatio: m.report.parameters / reference.parameters,
      },
    };
  });
}

/** A named reference only stands in for models that map the same inputs to the same outputs. */
function referenceFor(report: ModelReport, references: readonly ModelReport[]): Reference {
  const named = references.find((r) => r.inputs === report.inputs && r.outputs === report.outputs);
  if (named) return { name: named.name, kind: 'model', macs: named.macs, parameters: named.parameters };
  return { name: `${report.name}_dense`, kind: 'dense baseline', ...report.baseline };
}
