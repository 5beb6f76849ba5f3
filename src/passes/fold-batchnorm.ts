// fold-batchnorm: a batchnorm is affine at inference, so it costs nothing once folded into a
// Linear. Right after a Linear (inside a spinal sub-layer) it folds into that Linear's rows;
// anywhere else it folds forward into the columns of every Linear that reads it.
import type { DenseNode, Graph, IrNode } from '../ir/graph.js';
import { consumers, renameInputs, withNodes } from './rewrite.js';
import { rewriteDenseInputs, SliceCache } from './resolve.js';
import { replaceWithPrelude } from './insert.js';

export function foldBatchnorm(graph: Graph): Graph {
  return foldForward(foldIntoPrecedingLinear(graph));
}

function foldIntoPrecedingLinear(graph: Graph): Graph {
  let nodes = graph.nodes;
  for (;;) {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const readers = consumers(nodes);
    const bn = nodes.find((n) => {
      if (n.op !== 'batchnorm') return false;
      const src = byId.get(n.inputs[0]);
      return src?.op === 'dense' && src.activation === 'linear' && readers.get(src.id)?.length === 1;
    });
    if (!bn || bn.op !== 'batchnorm') return withNodes(graph, nodes);
    const dense = byId.get(bn.inputs[0]) as DenseNode;
    const folded: DenseNode = { ...dense, foldOut: [...dense.foldOut, bn.params] };
    nodes = renameInputs(
      nodes.filter((n) => n.id !== bn.id).map((n) => (n.id === dense.id ? folded : n)),
      new Map([[bn.id, dense.id]]),
    );
  }
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
