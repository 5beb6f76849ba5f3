// A target `spinal verify` can run: generated code executed for real on a batch.
import type { Graph } from '../ir/graph.js';

export interface VerifyInput {
  /** The optimized graph the code is generated from. */
  readonly graph: Graph;
  /** The canonical safetensors file, as the generated code loads it. */
  readonly weightsBytes: Uint8Array;
  /** Row-major [batch, graph.inputSize]. */
  readonly x: Float32Array;
  readonly batch: number;
  /** A fresh temporary folder the target may build in. */
  readonly workDir: string;
}

export interface VerifyTarget {
  readonly name: string;
  /** Returns row-major [batch, graph.outputSize] as computed by the generated code. */
  run(input: VerifyInput): Promise<Float32Array>;
}
