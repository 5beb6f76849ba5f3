// The weight tensors a graph needs, with their canonical names and PyTorch shapes.
import type { BatchnormParams, Graph } from './graph.js';
import type { TensorSpec } from '../tensor/tensor.js';

export function tensorSpecs(graph: Graph): TensorSpec[] {
  if (graph.tensors) return [...graph.tensors];
  const specs = new Map<string, TensorSpec>();
  const add = (name: string, shape: number[]) => specs.set(name, { name, shape });
  const addBn = (bn: BatchnormParams) => {
    for (const name of [bn.gamma, bn.beta, bn.mean, bn.variance]) add(name, [bn.features]);
  };
  for (const node of graph.nodes) {
    if (node.op === 'dense') {
      add(node.weight, [node.shape[0], node.inFeatures]);
      add(node.bias, [node.shape[0]]);
      node.foldOut.forEach(addBn);
      node.foldIn.forEach((f) => addBn(f.bn));
    } else if (node.op === 'batchnorm') {
      addBn(node.params);
    }
  }
  return [...specs.values()].sort((a, b) => compareNames(a.name, b.name));
}

// One collator for every comparison: localeCompare with options builds a new one each time.
const NAMES = new Intl.Collator('en', { numeric: true });

/** Orders tensor names as a person would: `sub2` before `sub10`. */
export function compareNames(a: string, b: string): number {
  return NAMES.compare(a, b);
}
