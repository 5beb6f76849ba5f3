// `spinal verify` without the command line: a seeded random batch through each target,
// compared with the interpreter on the same optimized graph.
import type { Graph } from '../ir/graph.js';
import { interpret } from '../ir/interpret.js';
import type { Weights } from '../tensor/tensor.js';
import { Random } from '../weights/prng.js';
import type { VerifyTarget } from './target.js';
import { compareOutputs, DEFAULT_TOLERANCE } from './compare.js';
import { runTargets } from './run-targets.js';
import { batchProblem } from './limits.js';

export interface VerifyRequest {
  /** Optimized. */
  readonly graph: Graph;
  readonly weights: Weights;
  /** The same weights as the canonical file the generated code loads. */
  readonly weightsBytes: Uint8Array;
  readonly targets: readonly VerifyTarget[];
  readonly batch: number;
  readonly seed: bigint;
  readonly tolerance?: number;
}

export interface TargetResult {
  readonly maxAbsError: number | null;
  readonly maxRelError: number | null;
  readonly ok: boolean;
  /** Why the target produced no numbers. */
  readonly error?: string;
}

export interface VerifyReport {
  readonly model: string;
  readonly batch: number;
  readonly seed: string;
  readonly tolerance: number;
  readonly targets: Readonly<Record<string, TargetResult>>;
}

/**
 * Inputs uniform in [-1, 1), float32-exact, the same for a seed on every machine; for a model
 * with several inputs, a packed batch (each row holds every input side by side, graph.ts).
 */
export function randomBatch(inputSize: number, batch: number, seed: bigint): Float32Array {
  const random = Random.fromSeed(seed);
  return Float32Array.from({ length: inputSize * batch }, () => random.uniform(-1, 1));
}

/** The activation values one sample of the graph holds in the interpreter, every node counted. */
export function featuresPerSample(graph: Graph): number {
  return graph.nodes.reduce((sum, node) => sum + node.shape.reduce((a, d) => a * d, 1), 0);
}

/** Throws a RangeError, before allocating anything, for a batch past the limits of limits.ts. */
export function checkBatch(graph: Graph, batch: number): void {
  if (!Number.isSafeInteger(batch) || batch < 1) throw new RangeError(`the batch must be a positive integer, got ${batch}`);
  const problem = batchProblem(graph.name, featuresPerSample(graph), batch);
  if (problem) throw new RangeError(problem);
}

export async function verify(request: VerifyRequest): Promise<VerifyReport> {
  const { graph, batch } = request;
  checkBatch(graph, batch);
  const tolerance = request.tolerance ?? DEFAULT_TOLERANCE;
  const x = randomBatch(graph.inputSize, batch, request.seed);
  const reference = interpret(graph, request.weights, x, batch);
  const outcomes = await runTargets(request.targets, { graph, weightsBytes: request.weightsBytes, x, batch }, 'spinal-verify-');
  const targets: Record<string, TargetResult> = {};
  for (const [name, outcome] of outcomes) {
    if ('error' in outcome) {
      targets[name] = { maxAbsError: null, maxRelError: null, ok: false, error: outcome.error };
    } else {
      const stats = compareOutputs(outcome.output, reference);
      targets[name] = { ...stats, ok: stats.maxRelError <= tolerance };
    }
  }
  return { model: graph.name, batch, seed: request.seed.toString(), tolerance, targets };
}
