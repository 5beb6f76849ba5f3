// Exact counts of a graph: MACs, trainable and deployed parameters, activation memory.
// Sums are BigInt so a count is never rounded; the checker keeps totals within 2^53.
import type { Graph, IrNode } from '../ir/graph.js';

export interface LayerCount {
  readonly layer: string;
  readonly kind: 'dense' | 'spinal' | 'batchnorm' | 'output';
  /** Input features -> output features of the layer's Linear (for batchnorm: features). */
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly macs: bigint;
  readonly parameters: bigint;
}

export interface Counts {
  readonly macs: bigint;
  /**
   * Trainable numbers: weights, biases, batchnorm gamma and beta. Exact on an unoptimized
   * graph; on an optimized one, folded batchnorms no longer appear (use deployedParameters).
   */
  readonly parameters: bigint;
  /** Numbers a deployment stores: weights and biases after folding, unfolded batchnorm's 4 per feature. */
  readonly deployedParameters: bigint;
  /** Bytes of float32 activations per sample if every tensor is kept (upper bound). */
  readonly activationBytes: bigint;
  /** Bytes per sample that concat nodes copy. */
  readonly copiedBytes: bigint;
  readonly layers: readonly LayerCount[];
}

const FLOAT_BYTES = 4n;

function layerKind(layer: string): LayerCount['kind'] {
  if (layer.startsWith('spinal')) return 'spinal';
  if (layer.startsWith('batchnorm')) return 'batchnorm';
  if (layer === 'output') return 'output';
  return 'dense';
}

export function count(graph: Graph): Counts {
  const layers: LayerCount[] = [];
  let macs = 0n;
  let parameters = 0n;
  let deployed = 0n;
  let activationBytes = 0n;
  let copiedBytes = 0n;
  const counted = new Set<string>(); // weights already counted: a tied Linear's parameters count once
  for (const node of graph.nodes) {
    const c = nodeCount(node, counted);
    macs += c.macs;
    parameters += c.parameters;
    deployed += c.deployed;
    if (node.op === 'concat') copiedBytes += BigInt(node.shape[0]) * FLOAT_BYTES;
    if (!['slice', 'output', 'dropout'].includes(node.op)) activationBytes += BigInt(node.shape[0]) * FLOAT_BYTES;
    if (node.op === 'dense' || node.op === 'batchnorm') {
      layers.push({
        layer: node.layer,
        kind: layerKind(node.layer),
        inFeatures: node.op === 'dense' ? node.inFeatures : node.shape[0],
        outFeatures: node.shape[0],
        macs: c.macs,
        parameters: c.parameters,
      });
    }
  }
  return { macs, parameters, deployedParameters: deployed, activationBytes, copiedBytes, layers: mergeLayers(layers) };
}

/**
 * A tied Linear costs its MACs at every use and its parameters once; a deployment keeps a copy per
 * use (a batchnorm may fold into each use differently), so deployed numbers count every use.
 */
function nodeCount(node: IrNode, counted: Set<string>): { macs: bigint; parameters: bigint; deployed: bigint } {
  if (node.op === 'dense') {
    const units = BigInt(node.shape[0]);
    const linear = units * BigInt(node.inFeatures) + units;
    const first = !counted.has(node.weight);
    counted.add(node.weight);
    return { macs: units * BigInt(node.inFeatures), parameters: first ? linear : 0n, deployed: linear };
  }
  if (node.op === 'batchnorm') {
    const f = BigInt(node.shape[0]);
    return { macs: 0n, parameters: 2n * f, deployed: 4n * f };
  }
  return { macs: 0n, parameters: 0n, deployed: 0n };
}

/** A spinal sub-layer's batchnorm is reported with its Linear, as one row. */
function mergeLayers(layers: LayerCount[]): LayerCount[] {
  const out: LayerCount[] = [];
  for (const l of layers) {
    const prev = out[out.length - 1];
    if (prev && prev.layer === l.layer) {
      out[out.length - 1] = { ...prev, macs: prev.macs + l.macs, parameters: prev.parameters + l.parameters };
    } else {
      out.push(l);
    }
  }
  return out;
}
