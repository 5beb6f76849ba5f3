// What every code generator provides: one function from the optimized graph to files.
import type { Graph } from '../ir/graph.js';
import type { Weights } from '../tensor/tensor.js';

export interface EmittedFile {
  /** Path relative to the output folder. */
  readonly path: string;
  readonly contents: string | Uint8Array;
}

export interface EmitOptions {
  /** Weights to compile into the output, for targets that can embed them. */
  readonly weights?: Weights;
}

export interface Backend {
  readonly name: string;
  readonly description: string;
  /** `graph` is the output of `optimize` (see src/passes/optimize.ts). */
  emit(graph: Graph, options: EmitOptions): EmittedFile[] | Promise<EmittedFile[]>;
}

/** The user asked a backend for something it cannot do (e.g. embed weights that were not given). */
export class BackendInputError extends Error {
  override readonly name = 'BackendInputError';
}
