// The network as a picture, independent of the drawing language: boxes (nodes of the IR, with
// readable labels), arrows labelled with the tensor's size and the MACs it feeds, and one
// cluster per spinal block. dot.ts and mermaid.ts write it out.
import type { DenseNode, Graph, IrNode } from '../ir/graph.js';
import { int } from '../report/format.js';

export type BoxKind = 'input' | 'row' | 'sublayer' | 'dense' | 'output' | 'glue' | 'result';

export interface Box {
  readonly id: string;
  readonly kind: BoxKind;
  /** Lines of text, plain (each writer escapes them for its language). */
  readonly lines: readonly string[];
}

export interface Arrow {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

export interface Cluster {
  readonly id: string;
  readonly title: string;
  readonly boxes: readonly string[];
}

export interface Picture {
  readonly title: string;
  readonly boxes: readonly Box[];
  readonly arrows: readonly Arrow[];
  readonly clusters: readonly Cluster[];
}

export function picture(graph: Graph): Picture {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const boxes = graph.nodes.map((n) => ({ id: n.id, kind: boxKind(n), lines: boxLines(n) }));
  const arrows = graph.nodes.flatMap((n) => n.inputs.map((from, k) => ({ from, to: n.id, label: arrowLabel(byId.get(from)!, n, k) })));
  const macs = graph.nodes.reduce((a, n) => a + (n.op === 'dense' ? n.shape[0] * n.inFeatures : 0), 0);
  return {
    title: `${graph.name}: ${int(graph.inputSize)} → ${int(graph.outputSize)}, ${int(macs)} MACs per sample`,
    boxes,
    arrows,
    clusters: clusters(graph),
  };
}

/** `spinal1.sub2.bn` belongs to block `spinal1`. */
function blockOf(layer: string): string | undefined {
  const m = /^(spinal\d+)(\.|$)/.exec(layer);
  return m ? m[1] : undefined;
}

function clusters(graph: Graph): Cluster[] {
  const blocks = new Map<string, string[]>();
  for (const n of graph.nodes) {
    const block = blockOf(n.layer);
    if (block) blocks.set(block, [...(blocks.get(block) ?? []), n.id]);
  }
  return [...blocks].map(([block, ids]) => {
    const nodes = ids.map((id) => graph.nodes.find((n) => n.id === id)!);
    const rows = nodes.filter((n) => n.op === 'slice').length;
    const subs = nodes.filter((n): n is DenseNode => n.op === 'dense');
    const interleaved = nodes.some((n) => n.op === 'slice' && n.stride > 1);
    const width = subs[0]?.shape[0];
    return {
      id: block,
      title: `${block}: ${rows} row${rows === 1 ? '' : 's'}${interleaved ? ' (interleaved)' : ''}, ${subs.length} sub-layers of width ${width}`,
      boxes: ids,
    };
  });
}

function boxKind(n: IrNode): BoxKind {
  switch (n.op) {
    case 'input': return 'input';
    case 'slice': return 'row';
    case 'dense': return n.layer === 'output' ? 'output' : blockOf(n.layer) ? 'sublayer' : 'dense';
    case 'output': return 'result';
    default: return 'glue';
  }
}

function boxLines(n: IrNode): string[] {
  const size = `[${int(n.shape[0])}]`;
  switch (n.op) {
    case 'input': return ['input', size];
    case 'slice': {
      const row = n.id.slice(n.id.lastIndexOf('.') + 1);
      const last = n.start + (n.shape[0] - 1) * n.stride;
      const which = n.stride === 1 ? `features ${n.start}..${last}` : `features ${n.start}, ${n.start + n.stride}, ..., ${last}`;
      return [row, which];
    }
    case 'dense': {
      const name = n.layer.startsWith('spinal') ? n.layer.slice(n.layer.indexOf('.') + 1) : n.layer;
      const folded = n.foldIn.length + n.foldOut.length;
      return [
        name,
        `${int(n.inFeatures)} → ${int(n.shape[0])}, ${n.activation}`,
        `${int(n.shape[0] * n.inFeatures)} MACs`,
        ...(folded ? [`batchnorm folded in`] : []),
      ];
    }
    case 'concat': return ['concat', size];
    case 'dropout': return [`dropout p=${n.p}`, 'identity at inference'];
    case 'batchnorm': return ['batchnorm', size];
    case 'activation': return [n.activation, size];
    case 'output': return ['result', size];
  }
}

/** The size of the tensor on the arrow; into a dense, also where it meets the weights and the MACs that costs. */
function arrowLabel(from: IrNode, to: IrNode, k: number): string {
  // A row takes only its own features of the input.
  const features = to.op === 'slice' ? to.shape[0] : from.shape[0];
  if (to.op !== 'dense') return `[${int(features)}]`;
  const columns = to.inputs.length > 1 ? `, cols ${to.columns[k]}..${to.columns[k] + features - 1}` : '';
  return `[${int(features)}${columns}]\n${int(features * to.shape[0])} MACs`;
}
