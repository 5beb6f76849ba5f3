// How large a batch `spinal verify` runs, checked before anything is allocated: the interpreter
// keeps every node's activations in float64, and each target its own float32 copies.
import { option } from '../diagnostics/option.js';

/** Samples in one verify batch at most. */
export const MAX_VERIFY_BATCH = 65_536;

/** Activation values (batch x the features of every node) the interpreter may hold: 512 MiB of float64. */
export const MAX_VERIFY_VALUES = 2 ** 26;

/** Why `batch` samples of a graph whose nodes hold `featuresPerSample` values in all are too many; undefined when they fit. */
export function batchProblem(model: string, featuresPerSample: number, batch: number): string | undefined {
  if (batch > MAX_VERIFY_BATCH) return `a batch of ${batch} samples is more than the ${MAX_VERIFY_BATCH} verify runs`;
  if (batch * featuresPerSample <= MAX_VERIFY_VALUES) return undefined;
  const most = Math.max(1, Math.floor(MAX_VERIFY_VALUES / featuresPerSample));
  return `a batch of ${batch} samples of model '${model}' holds ${batch * featuresPerSample} activation values, more than the ${MAX_VERIFY_VALUES} verify allows: choose ${option('batch')} ${most} or less`;
}
