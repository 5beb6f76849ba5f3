// What each weight tensor of a graph is for, which decides how it is initialized.
import type { BatchnormParams, Graph } from '../ir/graph.js';

export type TensorRole =
  | { readonly kind: 'linear'; readonly fanIn: number }
  | { readonly kind: 'bn-gamma' | 'bn-beta' | 'bn-mean' | 'bn-variance' };

export function tensorRoles(graph: Graph): ReadonlyMap<string, TensorRole> {
  const roles = new Map<string, TensorRole>();
  const addBn = (bn: BatchnormParams) => {
    roles.set(bn.gamma, { kind: 'bn-gamma' });
    roles.set(bn.beta, { kind: 'bn-beta' });
    roles.set(bn.mean, { kind: 'bn-mean' });
    roles.set(bn.variance, { kind: 'bn-variance' });
  };
  for (const node of graph.nodes) {
    if (node.op === 'dense') {
      roles.set(node.weight, { kind: 'linear', fanIn: node.inFeatures });
      roles.set(node.bias, { kind: 'linear', fanIn: node.inFeatures });
      node.foldOut.forEach(addBn);
      node.foldIn.forEach((f) => addBn(f.bn));
    } else if (node.op === 'batchnorm') {
      addBn(node.params);
    }
  }
  return roles;
}
