// drop-dropout: dropout is the identity at inference, so every dropout node goes.
import type { Graph } from '../ir/graph.js';
import { renameInputs, withNodes } from './rewrite.js';

export function dropDropout(graph: Graph): Graph {
  const bypass = new Map(graph.nodes.filter((n) => n.op === 'dropout').map((n) => [n.id, n.inputs[0]]));
  return withNodes(graph, renameInputs(graph.nodes.filter((n) => n.op !== 'dropout'), bypass));
}
