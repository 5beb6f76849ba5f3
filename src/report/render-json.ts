// The comparison as JSON: `{ models: [...] }`, each entry a model's full report (counts, baseline,
// layers) with its comparison fields added; after training, its accuracy over seeds (fractions,
// sample standard deviation) and its Pareto flag.
import type { ComparisonRow } from './compare.js';

export function comparisonJson(rows: readonly ComparisonRow[]): string {
  const models = rows.map((r) => ({
    ...r.report,
    file: r.file,
    ...(r.point ? { sweep: r.point } : {}),
    peakActivationBytes: r.peakActivationBytes,
    vs: r.vs,
    ...(r.accuracy ? { accuracy: r.accuracy, pareto: r.pareto } : {}),
  }));
  return `${JSON.stringify({ models }, null, 2)}\n`;
}
