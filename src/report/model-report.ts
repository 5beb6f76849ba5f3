// The numbers a user compares designs by, for one model: counts, its dense baseline, ratios.
import type { CompiledModel } from '../compile.js';
import { denseBaseline } from '../check/baseline.js';
import { lower } from '../ir/lower.js';
import { count, type Counts } from '../passes/count.js';

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
  readonly inputs: number;
  readonly outputs: number;
  readonly macs: number;
  readonly flops: number;
  readonly parameters: number;
  readonly activationBytes: number;
  readonly copiedBytes: number;
  readonly baseline: { readonly macs: number; readonly parameters: number };
  /** MACs of the model over MACs of its dense baseline. */
  readonly ratio: number;
  readonly layers: readonly LayerRow[];
}

/** Totals are checked to be below 2^53, so converting them to numbers is exact. */
const exact = (n: bigint): number => Number(n);

export function modelReport(model: CompiledModel): ModelReport {
  const counts: Counts = count(model.graph);
  const baseline = count(lower(denseBaseline(model.spec)));
  return {
    name: model.spec.name,
    ...(model.spec.base ? { base: model.spec.base } : {}),
    params: model.spec.params,
    inputs: model.graph.inputSize,
    outputs: model.graph.outputSize,
    macs: exact(counts.macs),
    flops: exact(2n * counts.macs),
    parameters: exact(counts.parameters),
    activationBytes: exact(counts.activationBytes),
    copiedBytes: exact(counts.copiedBytes),
    baseline: { macs: exact(baseline.macs), parameters: exact(baseline.parameters) },
    ratio: Number(counts.macs) / Number(baseline.macs),
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
