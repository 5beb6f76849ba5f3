// fuse-concat: no concatenation is ever copied. Each Linear reads the parts of a concat where
// they already are (its weight split by columns: dense(concat(a, b)) = dense_a(a) + dense_b(b)),
// and the outputs that made up a concat are placed side by side in one buffer, so a backend
// can also read them as one operand.
import type { DenseNode, Graph, IrNode, Placement } from '../ir/graph.js';
import { rewriteDenseInputs, SliceCache } from './resolve.js';
import { replaceWithPrelude } from './insert.js';
import { withNodes } from './rewrite.js';

export function fuseConcat(graph: Graph): Graph {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const placements = placeConcatenatedOutputs(graph.nodes, byId);
  const slices = new SliceCache(graph.nodes);
  const replaced = new Map<string, { node: IrNode; before: IrNode[] }>();
  for (const n of graph.nodes) {
    if (n.op !== 'dense') continue;
    const r = rewriteDenseInputs(n, byId, { concat: true, batchnorm: false }, () => true, slices);
    const place = placements.get(n.id);
    const dense: DenseNode = place ? { ...r.dense, place } : r.dense;
    replaced.set(n.id, { node: dense, before: r.added });
  }
  return withNodes(graph, replaceWithPrelude(graph.nodes, replaced));
}

/**
 * A concat made only of dense outputs (a spinal block's h1..hL) becomes a shared buffer. A join of
 * such concats (`dense 50 from a, b, c` over three blocks) places every block's outputs side by
 * side in the join's buffer: outer concats are placed first, so the join copies nothing.
 */
function placeConcatenatedOutputs(nodes: readonly IrNode[], byId: ReadonlyMap<string, IrNode>): Map<string, Placement> {
  const placed = new Map<string, Placement>();
  for (const n of [...nodes].reverse()) {
    if (n.op !== 'concat') continue;
    const parts = leaves(n, byId);
    const unique = new Set(parts.map((p) => p.id)).size === parts.length;
    if (!unique || !parts.every((p) => p.op === 'dense' && !p.place && !placed.has(p.id))) continue;
    let column = 0;
    for (const p of parts) {
      placed.set(p.id, { buffer: n.id, column, width: n.shape[0] });
      column += p.shape[0];
    }
  }
  return placed;
}

/** The parts of a concat, with the parts of the concats inside it in their place. */
function leaves(n: IrNode, byId: ReadonlyMap<string, IrNode>): IrNode[] {
  return n.op === 'concat' ? n.inputs.flatMap((id) => leaves(byId.get(id)!, byId)) : [n];
}
