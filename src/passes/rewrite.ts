// Small graph-editing helpers shared by the passes. Graphs are immutable: every pass builds
// a new node list.
import type { Graph, IrNode } from '../ir/graph.js';

/** Replaces every use of a node id by another, in all inputs lists. */
export function renameInputs(nodes: readonly IrNode[], from: ReadonlyMap<string, string>): IrNode[] {
  const target = (id: string): string => {
    let at = id;
    while (from.has(at)) at = from.get(at)!;
    return at;
  };
  return nodes.map((n) => (n.inputs.some((i) => from.has(i)) ? ({ ...n, inputs: n.inputs.map(target) } as IrNode) : n));
}

/** Drops nodes nothing reads (the last node, the model's output, is always kept). */
export function removeDead(nodes: readonly IrNode[]): IrNode[] {
  const live = new Set<string>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (i === nodes.length - 1 || live.has(n.id) || n.op === 'input') {
      live.add(n.id);
      n.inputs.forEach((id) => live.add(id));
    }
  }
  return nodes.filter((n) => live.has(n.id));
}

export function consumers(nodes: readonly IrNode[]): Map<string, IrNode[]> {
  const out = new Map<string, IrNode[]>();
  for (const n of nodes) for (const i of n.inputs) out.set(i, [...(out.get(i) ?? []), n]);
  return out;
}

export function withNodes(graph: Graph, nodes: readonly IrNode[]): Graph {
  return { ...graph, nodes: removeDead(nodes) };
}
