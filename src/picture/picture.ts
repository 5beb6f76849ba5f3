// The network as a picture, independent of the drawing language: boxes (nodes of the IR, with
// readable labels), arrows labelled with the tensor's size and the MACs it feeds, and one
// cluster per spinal block. A model with several inputs has a box per input, named; a layer that
// joins branches (reads values of several blocks or inputs side by side) is drawn after a
// concatenation box. dot.ts and mermaid.ts write it out.
import type { DenseNode, Graph, IrNode } from '../ir/graph.js';
import { inputsText, int } from '../report/format.js';

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

/** Blocks with more sub-layers than this are drawn with their middle sub-layers as one box. */
export const MAX_DRAWN_SUBLAYERS = 8;
/** Of a long block, the sub-layers drawn before and after the box that stands for the rest. */
const KEEP_FIRST = 3;
const KEEP_LAST = 2;

export function picture(graph: Graph): Picture {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const macs = graph.nodes.reduce((a, n) => a + (n.op === 'dense' ? n.shape[0] * n.inFeatures : 0), 0);
  const elided = elidedMiddles(graph);
  const joins = joinsOf(graph, byId);
  const inputNames = graph.inputs.length > 1 ? new Map(graph.inputs.map((i) => [i.node, i.name])) : new Map<string, string>();
  const boxes: Box[] = [];
  const groups = new Map<string, IrNode[]>();
  for (const n of graph.nodes) {
    const group = elided.get(n.id);
    const join = joins.get(n.id);
    if (join && n.op === 'dense') boxes.push({ id: join, kind: 'glue', lines: ['concat (no copy)', `[${int(n.inFeatures)}]`] });
    if (group === undefined) boxes.push({ id: n.id, kind: boxKind(n), lines: boxLines(n, inputNames.get(n.id)) });
    else if (groups.has(group.id)) groups.get(group.id)!.push(n);
    else {
      groups.set(group.id, [n]);
      boxes.push({ id: group.id, kind: 'sublayer', lines: [] });
    }
  }
  const boxOf = (id: string) => elided.get(id)?.id ?? id;
  const edges = new Map<string, Edge[]>();
  const addEdge = (a: string, b: string, edge: Edge): void => {
    const key = `${a}\u0000${b}`;
    edges.set(key, [...(edges.get(key) ?? []), edge]);
  };
  for (const n of graph.nodes) {
    const join = joins.get(n.id);
    n.inputs.forEach((from, k) => {
      const [a, b] = [boxOf(from), join ?? boxOf(n.id)];
      if (a === b) return;
      const edge = arrowEdge(byId.get(from)!, n, k);
      // Into the concatenation: where the part lands; the MACs are on the arrow out of it.
      addEdge(a, b, join ? { features: edge.features, label: edge.label.split('\n')[0] } : edge);
    });
    if (join && n.op === 'dense') {
      addEdge(join, n.id, { features: n.inFeatures, macs: n.inFeatures * n.shape[0], label: `[${int(n.inFeatures)}]\n${int(n.inFeatures * n.shape[0])} MACs` });
    }
  }
  const arrows = [...edges].map(([key, es]) => {
    const [from, to] = key.split('\u0000');
    return { from, to, label: es.length === 1 ? es[0].label : mergedLabel(es) };
  });
  return {
    title: `${graph.name}: ${inputsText(graph.inputs)} → ${int(graph.outputSize)}, ${int(macs)} MACs per sample`,
    boxes: boxes.map((b) => (groups.has(b.id) ? { ...b, lines: elidedLines(groups.get(b.id)!) } : b)),
    arrows,
    clusters: clusters(graph, boxOf),
  };
}

/**
 * The dense layers that join branches, each with the id of the concatenation box drawn before it:
 * those reading the values of more than one block or input (a sub-layer reading its row and the
 * sub-layer before, or the output reading one block, is no join).
 */
function joinsOf(graph: Graph, byId: ReadonlyMap<string, IrNode>): Map<string, string> {
  const joins = new Map<string, string>();
  for (const n of graph.nodes) {
    if (n.op !== 'dense' || n.inputs.length < 2) continue;
    const branches = new Set(n.inputs.map((id) => {
      const from = byId.get(id)!;
      return blockOf(from.layer) ?? from.id;
    }));
    if (branches.size > 1) joins.set(n.id, `${n.id}.join`);
  }
  return joins;
}

/** `spinal1.sub12.bn` is part of sub-layer 12 of block `spinal1`. */
function subLayerOf(id: string): { block: string; k: number } | undefined {
  const m = /^(spinal\d+)\.sub(\d+)(\.|$)/.exec(id);
  return m ? { block: m[1], k: Number(m[2]) } : undefined;
}

/**
 * For each block longer than MAX_DRAWN_SUBLAYERS, every node of its middle sub-layers mapped to
 * the one box drawn for them: a picture of thousands of sub-layers would be unreadable, and
 * Graphviz takes minutes to lay out their fan-in into the output layer.
 */
function elidedMiddles(graph: Graph): Map<string, { id: string }> {
  const count = new Map<string, number>();
  for (const n of graph.nodes) {
    const s = subLayerOf(n.id);
    if (s) count.set(s.block, Math.max(count.get(s.block) ?? 0, s.k));
  }
  const groups = new Map<string, { id: string }>();
  for (const [block, n] of count) {
    if (n > MAX_DRAWN_SUBLAYERS) groups.set(block, { id: `${block}.sub${KEEP_FIRST + 1}-sub${n - KEEP_LAST}` });
  }
  const elided = new Map<string, { id: string }>();
  for (const node of graph.nodes) {
    const s = subLayerOf(node.id);
    const group = s && groups.get(s.block);
    if (s && group && s.k > KEEP_FIRST && s.k <= count.get(s.block)! - KEEP_LAST) elided.set(node.id, group);
  }
  return elided;
}

/** The box standing for the middle sub-layers: how many, their shape and their MACs together. */
function elidedLines(nodes: readonly IrNode[]): string[] {
  const dense = nodes.filter((n): n is DenseNode => n.op === 'dense');
  const ks = nodes.map((n) => subLayerOf(n.id)!.k);
  const [first, last] = [Math.min(...ks), Math.max(...ks)];
  const shapes = [...new Set(dense.map((d) => `${int(d.inFeatures)} → ${int(d.shape[0])}, ${d.activation}`))];
  const total = dense.reduce((a, d) => a + d.shape[0] * d.inFeatures, 0);
  return [
    `sub${first} … sub${last}`,
    `${int(last - first + 1)} sub-layers, each ${shapes.join(' or ')}`,
    `${int(total)} MACs together`,
  ];
}

interface Edge {
  readonly features: number;
  readonly macs?: number;
  readonly label: string;
}

/** Several tensors drawn as one arrow (from or into the box of elided sub-layers): their count, sizes and MACs. */
function mergedLabel(edges: readonly Edge[]): string {
  const sizes = [...new Set(edges.map((e) => e.features))].sort((a, b) => a - b);
  const size = sizes.length === 1 ? int(sizes[0]) : `${int(sizes[0])}..${int(sizes[sizes.length - 1])}`;
  const macs = edges.reduce((a, e) => a + (e.macs ?? 0), 0);
  return `${int(edges.length)} × [${size}]${edges.some((e) => e.macs !== undefined) ? `\n${int(macs)} MACs` : ''}`;
}

/** `spinal1.sub2.bn` belongs to block `spinal1`. */
function blockOf(layer: string): string | undefined {
  const m = /^(spinal\d+)(\.|$)/.exec(layer);
  return m ? m[1] : undefined;
}

function clusters(graph: Graph, boxOf: (id: string) => string): Cluster[] {
  const blocks = new Map<string, IrNode[]>();
  for (const n of graph.nodes) {
    const block = blockOf(n.layer);
    if (!block) continue;
    if (!blocks.has(block)) blocks.set(block, []);
    blocks.get(block)!.push(n);
  }
  return [...blocks].map(([block, nodes]) => {
    const rows = nodes.filter((n) => n.op === 'slice').length;
    const subs = nodes.filter((n): n is DenseNode => n.op === 'dense');
    const interleaved = nodes.some((n) => n.op === 'slice' && n.stride > 1);
    const width = subs[0]?.shape[0];
    return {
      id: block,
      title: `${block}: ${rows} row${rows === 1 ? '' : 's'}${interleaved ? ' (interleaved)' : ''}, ${subs.length} sub-layers of width ${width}`,
      boxes: [...new Set(nodes.map((n) => boxOf(n.id)))],
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

/** `inputName`: the input's name, for a model with several. */
function boxLines(n: IrNode, inputName?: string): string[] {
  const size = `[${int(n.shape[0])}]`;
  switch (n.op) {
    case 'input': return [inputName === undefined ? 'input' : `input ${inputName}`, size];
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
function arrowEdge(from: IrNode, to: IrNode, k: number): Edge {
  // A row takes only its own features of the input.
  const features = to.op === 'slice' ? to.shape[0] : from.shape[0];
  if (to.op !== 'dense') return { features, label: `[${int(features)}]` };
  const columns = to.inputs.length > 1 ? `, cols ${to.columns[k]}..${to.columns[k] + features - 1}` : '';
  const macs = features * to.shape[0];
  return { features, macs, label: `[${int(features)}${columns}]\n${int(macs)} MACs` };
}
