// The optimizer: the passes in their fixed order. Each pass is a pure function Graph -> Graph
// that keeps the interpreter's numbers (checked by the property suite in test/passes).
import type { Graph } from '../ir/graph.js';
import { tensorSpecs } from '../ir/tensors.js';
import { dropDropout } from './drop-dropout.js';
import { foldBatchnorm } from './fold-batchnorm.js';
import { fuseActivation } from './fuse-activation.js';
import { fuseConcat } from './fuse-concat.js';
import { PASS_ORDER, type PassName } from './names.js';

export const PASSES = {
  /** Dropout is the identity at inference. */
  'drop-dropout': dropDropout,
  /** Batchnorm folded into the Linear before it, or forward into the Linears that read it. */
  'fold-batchnorm': foldBatchnorm,
  /** A linear dense followed only by an activation takes the activation into its kernel. */
  'fuse-activation': fuseActivation,
  /** Linears read the parts of a concatenation in place; its parts share one buffer. */
  'fuse-concat': fuseConcat,
} as const satisfies Record<PassName, (g: Graph) => Graph>;

export { PASS_ORDER, type PassName };

export interface OptimizeOptions {
  /** The passes to run (always in PASS_ORDER); all of them by default. */
  readonly passes?: readonly PassName[];
}

export function optimize(graph: Graph, options: OptimizeOptions = {}): Graph {
  const chosen = new Set(options.passes ?? PASS_ORDER);
  let g = graph;
  for (const name of PASS_ORDER) if (chosen.has(name)) g = PASSES[name](g);
  if (chosen.size === PASS_ORDER.length) assertDeployable(g);
  return { ...g, tensors: tensorSpecs(graph) };
}

/** What every backend relies on after all passes (docs/ir.md). A failure here is a compiler bug. */
export function assertDeployable(g: Graph): void {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  for (const n of g.nodes) {
    if (!['input', 'slice', 'dense', 'output'].includes(n.op)) throw new Error(`optimize: node '${n.id}' (${n.op}) survived the passes`);
    if (n.op === 'slice' && !['input', 'dense'].includes(byId.get(n.inputs[0])!.op)) throw new Error(`optimize: slice '${n.id}' reads a ${byId.get(n.inputs[0])!.op}`);
  }
}
