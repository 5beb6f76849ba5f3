// Rebuilding a node list where some nodes were replaced and new ones must come just before
// the node that first needs them (which keeps the list in topological order).
import type { IrNode } from '../ir/graph.js';

export function replaceWithPrelude(nodes: readonly IrNode[], replaced: ReadonlyMap<string, { node: IrNode; before: readonly IrNode[] }>): IrNode[] {
  const out: IrNode[] = [];
  for (const n of nodes) {
    const r = replaced.get(n.id);
    if (r) out.push(...r.before, r.node);
    else out.push(n);
  }
  return out;
}
