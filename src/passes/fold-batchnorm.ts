// fold-batchnorm: a batchnorm is affine at inference, so it costs nothing once folded into a
// Linear. Right after a Linear (inside a spinal sub-layer) it folds into that Linear's rows;
// anywhere else it folds forward into the columns of every Linear that reads it.
import type { Graph, IrNode } from '../ir/graph.js';
import { renameInputs, withNodes } from './rewrite.js';
import { rewriteDenseInputs, SliceCache } from './resolve.js';
import { replaceWithPrelude } from './insert.js';

export function foldBatchnorm(graph: Graph): Graph {
  return foldForward(foldIntoPrecedingLinear(graph));
}

/** One walk in graph order; a chain dense -> bn -> bn folds both, innermost first. */
function foldIntoPrecedingLinear(graph: Graph): Graph {
  const readerCount = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.inputs) readerCount.set(i, (readerCount.get(i) ?? 0) + 1);
  const current = new Map<string, IrNode>(graph.nodes.map((n) => [n.id, n]));
  const foldedInto = new Map<string, string>(); // batchnorm id -> the dense that absorbed it
  const target = (id: string): string => foldedInto.get(id) ?? id;
  for (const n of graph.nodes) {
    if (n.op !== 'batchnorm') continue;
    const srcId = target(n.inputs[0]);
    const src = current.get(srcId);
    if (src?.op !== 'dense' || src.activation !== 'linear' || readerCount.get(srcId) !== 1) continue;
    current.set(srcId, { ...src, foldOut: [...src.foldOut, n.params] });
    foldedInto.set(n.id, srcId);
    readerCount.set(srcId, readerCount.get(n.id) ?? 0); // the dense now has the batchnorm's readers
  }
  const nodes = graph.nodes.filter((n) => !foldedInto.has(n.id)).map((n) => current.get(n.id)!);
  return withNodes(graph, renameInputs(nodes, foldedInto));
}

function foldForward(graph: Graph): Graph {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const slices = new SliceCache(graph.nodes);
  const replaced = new Map<string, { node: IrNode; before: IrNode[] }>();
  for (const n of graph.nodes) {
    if (n.op !== 'dense') continue;
    const r = rewriteDenseInputs(n, byId, { concat: true, batchnorm: true }, (segs) => segs.some((s) => s.folds.length > 0), slices);
    if (r.dense !== n && r.dense.foldIn.length !== n.foldIn.length) replaced.set(n.id, { node: r.dense, before: r.added });
  }
  return withNodes(graph, replaceWithPrelude(graph.nodes, replaced));
}
