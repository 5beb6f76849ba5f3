// fuse-activation: an activation that is the only reader of a linear dense becomes that
// dense's activation, so backends apply it in the same kernel as the bias.
import type { DenseNode, Graph, IrNode } from '../ir/graph.js';
import { consumers, renameInputs, withNodes } from './rewrite.js';

export function fuseActivation(graph: Graph): Graph {
  const readers = consumers(graph.nodes);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const fused = new Map<string, string>(); // activation id -> dense id
  const activationOf = new Map<string, DenseNode['activation']>();
  for (const n of graph.nodes) {
    if (n.op !== 'activation') continue;
    const src = byId.get(n.inputs[0]);
    if (src?.op === 'dense' && src.activation === 'linear' && readers.get(src.id)?.length === 1) {
      fused.set(n.id, src.id);
      activationOf.set(src.id, n.activation);
    }
  }
  const nodes: IrNode[] = graph.nodes
    .filter((n) => !fused.has(n.id))
    .map((n) => (n.op === 'dense' && activationOf.has(n.id) ? { ...n, activation: activationOf.get(n.id)! } : n));
  return withNodes(graph, renameInputs(nodes, fused));
}
