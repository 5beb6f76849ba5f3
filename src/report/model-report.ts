// The numbers a user compares designs by, for one model: counts, its dense baseline, ratios.
import type { CompiledModel } from '../compile.js';
import { denseBaseline } from '../check/baseline.js';
import { lower } from '../ir/lower.js';
import type { Graph } from '../ir/graph.js';
import { count, type Counts } from '../passes/count.js';
import { optimize } from '../passes/optimize.js';
import { planMemory } from '../passes/plan-memory.js';

export interface LayerRow {
  readonly layer: string;
  readonly kind: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly macs: number;
  readonly parameters: number;
}

export interface ModelReport {
  readonly name: string;
  readonly base?: string;
  readonly params: Readonly<Record<string, number>>;
  /** Input features per sample, over all inputs. */
  readonly inputs: number;
  /** Each input by name, in declaration order (one, named `input` unless the source names it). */
  readonly inputSizes: readonly { readonly name: string; readonly size: number }[];
  readonly outputs: number;
  readonly macs: number;
  readonly flops: number;
  readonly parameters: number;
  /** Numbers stored by a deployment after the passes (batchnorm folded away). */
  readonly deployedParameters: number;
  /** Sum of every tensor's bytes per sample, if each were kept. */
  readonly activationBytes: number;
  readonly copiedBytes: number;
  /** Per sample, before and after the passes: the memory plan's peak and the bytes concats copy. */
  readonly memory: { readonly before: MemoryFigures; readonly after: MemoryFigures };
  readonly baseline: { readonly macs: number; readonly parameters: number };
  /** MACs of the model over MACs of its dense baseline. */
  readonly ratio: number;
  /** Features of spinal rows that no sub-layer reads (warning SPN060): the ratio counts nothing for them. */
  readonly unreadFeatures: number;
  readonly layers: readonly LayerRow[];
}

export interface MemoryFigures {
  /** Numbers a deployment stores (an unfolded batchnorm keeps all four of its tensors). */
  readonly storedParameters: number;
  readonly peakBytes: number;
  readonly copiedBytes: number;
}

/** Features of the rows (slices of the graph as lowered) that no node reads. */
export function unreadFeatures(graph: Graph): number {
  const read = new Set(graph.nodes.flatMap((n) => n.inputs));
  return graph.nodes.reduce((a, n) => a + (n.op === 'slice' && !read.has(n.id) ? n.shape[0] : 0), 0);
}

/** Totals are checked to be below 2^53, so converting them to numbers is exact. */
const exact = (n: bigint): number => Number(n);

export function modelReport(model: CompiledModel): ModelReport {
  const counts: Counts = count(model.graph);
  const optimized = optimize(model.graph);
  const [before, after] = [planMemory(model.graph), planMemory(optimized)];
  const baseline = count(lower(denseBaseline(model.spec)));
  return {
    name: model.spec.name,
    ...(model.spec.base ? { base: model.spec.base } : {}),
    params: model.spec.params,
    inputs: model.graph.inputSize,
    inputSizes: model.spec.inputs.map((i) => ({ name: i.name, size: i.size })),
    outputs: model.graph.outputSize,
    macs: exact(counts.macs),
    flops: exact(2n * counts.macs),
    parameters: exact(counts.parameters),
    deployedParameters: exact(count(optimized).deployedParameters),
    activationBytes: exact(counts.activationBytes),
    copiedBytes: exact(counts.copiedBytes),
    memory: {
      before: { storedParameters: exact(counts.deployedParameters), peakBytes: before.peakBytes, copiedBytes: before.copiedBytes },
      after: { storedParameters: exact(count(optimized).deployedParameters), peakBytes: after.peakBytes, copiedBytes: after.copiedBytes },
    },
    baseline: { macs: exact(baseline.macs), parameters: exact(baseline.parameters) },
    ratio: Number(counts.macs) / Number(baseline.macs),
    unreadFeatures: unreadFeatures(model.graph),
    layers: counts.layers.map((l) => ({
      layer: l.layer,
      kind: l.kind,
      inFeatures: l.inFeatures,
      outFeatures: l.outFeatures,
      macs: exact(l.macs),
      parameters: exact(l.parameters),
    })),
  };
}
