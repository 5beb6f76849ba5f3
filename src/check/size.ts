// The model-size check (SPN050): a model's multiply-accumulates and parameters, counted on its
// lowered graph, against the limits. check() lowers each model once to count it; compile()
// reuses that graph.
import type { ModelSpec } from './spec.js';
import type { Limits } from './limits.js';
import type { Graph } from '../ir/graph.js';
import { lower } from '../ir/lower.js';
import { count } from '../passes/count.js';

const graphs = new WeakMap<ModelSpec, Graph>();

/** The model's graph, lowered once per spec. */
export function lowered(spec: ModelSpec): Graph {
  let graph = graphs.get(spec);
  if (!graph) graphs.set(spec, (graph = lower(spec)));
  return graph;
}

export interface OverSize {
  /** Which limit the model passes: multiply-accumulates are checked first. */
  readonly limit: 'macs' | 'parameters';
  readonly count: bigint;
  readonly max: number;
}

/** The limit the model passes, if any. */
export function overSize(spec: ModelSpec, limits: Limits): OverSize | undefined {
  const counts = count(lowered(spec));
  if (counts.macs > BigInt(limits.maxMacs)) return { limit: 'macs', count: counts.macs, max: limits.maxMacs };
  if (counts.parameters > BigInt(limits.maxParameters)) return { limit: 'parameters', count: counts.parameters, max: limits.maxParameters };
  return undefined;
}
