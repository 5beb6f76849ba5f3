// `spinal evaluate` without the command line: the model on a labelled dataset through the
// reference interpreter, and through each target's generated code on the whole set, reporting
// each target's accuracy, its agreement with the interpreter's predictions and its largest error.
import type { Graph } from '../ir/graph.js';
import { interpret } from '../ir/interpret.js';
import type { Weights } from '../tensor/tensor.js';
import type { Dataset } from '../data/index.js';
import type { VerifyTarget } from '../verify/target.js';
import { compareOutputs } from '../verify/compare.js';
import { runTargets } from '../verify/run-targets.js';
import { argmaxRows, classification, regression, type Classification, type Regression } from './metrics.js';

export interface TargetEvaluation {
  /** Fraction of samples the target's code classifies right; null for a regression head. */
  readonly accuracy: number | null;
  /** Fraction of samples on which its prediction is the interpreter's; null for a regression head. */
  readonly agreement: number | null;
  /** Largest relative error against the interpreter (see verify/compare.ts). */
  readonly maxError: number | null;
  /** Why the target produced no numbers. */
  readonly error?: string;
}

export interface EvaluationReport {
  readonly model: string;
  readonly data: string;
  readonly metrics: Classification | Regression;
  readonly targets: Readonly<Record<string, TargetEvaluation>>;
}

export interface EvaluationRequest {
  /** Optimized. */
  readonly graph: Graph;
  readonly weights: Weights;
  readonly weightsBytes: Uint8Array;
  readonly dataset: Dataset;
  readonly regression: boolean;
  readonly targets: readonly VerifyTarget[];
}

/** The interpreter runs in chunks, so memory stays bounded whatever the size of the set. */
const INTERPRET_CHUNK = 1024;

export async function evaluateModel(request: EvaluationRequest): Promise<EvaluationReport> {
  const { graph, dataset } = request;
  const reference = interpretAll(graph, request.weights, dataset);
  const labels = request.regression ? undefined : (dataset.y as Int32Array);
  const metrics = labels ? classification(graph, reference, labels) : regression(reference, dataset.y as Float32Array, dataset.n);
  const predicted = labels && argmaxRows(reference, graph.outputSize);
  const outcomes = await runTargets(request.targets, { graph, weightsBytes: request.weightsBytes, x: dataset.x, batch: dataset.n }, 'spinal-evaluate-');
  const targets: Record<string, TargetEvaluation> = {};
  for (const [name, outcome] of outcomes) {
    targets[name] = 'error' in outcome
      ? { accuracy: null, agreement: null, maxError: null, error: outcome.error }
      : judge(graph, outcome.output, reference, labels, predicted);
  }
  return { model: graph.name, data: dataset.source, metrics, targets };
}

/** The reference's own line in the targets table: itself, exactly. */
export function interpreterEvaluation(metrics: Classification | Regression): TargetEvaluation {
  return metrics.kind === 'classification' ? { accuracy: metrics.accuracy, agreement: 1, maxError: 0 } : { accuracy: null, agreement: null, maxError: 0 };
}

function judge(graph: Graph, got: Float32Array, reference: Float64Array, labels: Int32Array | undefined, predicted: Int32Array | undefined): TargetEvaluation {
  const { maxRelError } = compareOutputs(got, reference);
  if (!labels || !predicted) return { accuracy: null, agreement: null, maxError: maxRelError };
  const mine = argmaxRows(got, graph.outputSize);
  let correct = 0;
  let agree = 0;
  for (let r = 0; r < labels.length; r++) {
    if (mine[r] === labels[r]) correct++;
    if (mine[r] === predicted[r]) agree++;
  }
  return { accuracy: correct / labels.length, agreement: agree / labels.length, maxError: maxRelError };
}

function interpretAll(graph: Graph, weights: Weights, dataset: Dataset): Float64Array {
  const out = new Float64Array(dataset.n * graph.outputSize);
  for (let start = 0; start < dataset.n; start += INTERPRET_CHUNK) {
    const rows = Math.min(INTERPRET_CHUNK, dataset.n - start);
    const x = dataset.x.subarray(start * dataset.features, (start + rows) * dataset.features);
    out.set(interpret(graph, weights, x, rows), start * graph.outputSize);
  }
  return out;
}
