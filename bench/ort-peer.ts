// ONNX Runtime (onnxruntime-node, CPU) on spinal's ONNX export, as a benchmark peer: the session
// set-up and the timing shared by bench/onnx.ts (ORT alone), bench/cpp.ts and bench/tfjs.ts (ORT as
// a column next to their own peers).
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import type { Graph } from '../src/ir/graph.js';
import type { Weights } from '../src/tensor/tensor.js';
import { exportOnnx, INPUT_NAME, OUTPUT_NAME, type MultiInputStrategy } from '../src/backends/onnx/export.js';

export const ORT_VERSION: string = ort.env.versions.node ?? 'unknown';

export interface OrtPeerOptions {
  /** Intra-op threads (default 1). */
  readonly threads?: number;
  /** How the export writes multi-input dense layers (default: the exporter's default). */
  readonly strategy?: MultiInputStrategy;
}

/** One ORT session on `exportOnnx(graph, weights)`, graph optimizations `all`, one inter-op thread. */
export class OrtPeer {
  private constructor(private readonly session: ort.InferenceSession, private readonly inputSize: number) {}

  static async create(graph: Graph, weights: Weights, options: OrtPeerOptions = {}): Promise<OrtPeer> {
    const session = await ort.InferenceSession.create(exportOnnx(graph, weights, { strategy: options.strategy }), {
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    return new OrtPeer(session, graph.inputSize);
  }

  /** A `[batch, inputs]` input tensor over `x` (not copied). */
  input(x: Float32Array, batch: number): ort.Tensor {
    if (x.length !== batch * this.inputSize) throw new Error(`input of ${x.length} floats is not ${batch} x ${this.inputSize}`);
    return new ort.Tensor('float32', x, [batch, this.inputSize]);
  }

  /** One inference; what is timed. */
  run(x: ort.Tensor): Promise<ort.InferenceSession.ReturnType> {
    return this.session.run({ [INPUT_NAME]: x });
  }

  /** One inference, returning the output's floats (row-major `[batch, outputs]`). */
  async predict(x: ort.Tensor): Promise<Float32Array> {
    return (await this.run(x))[OUTPUT_NAME].data as Float32Array;
  }

  /** Median microseconds of one `run(x)` (see `medianMicros`). */
  time(x: ort.Tensor, budgetMs?: number): Promise<number> {
    return medianMicros(() => this.run(x), budgetMs);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/**
 * Median time of one call of `f` in microseconds: 20 warm-up calls, then at least 30 timed
 * calls, more until `budgetMs` has passed (at most `maxRuns`).
 */
export async function medianMicros(f: () => Promise<unknown>, budgetMs = 400, maxRuns = 5000): Promise<number> {
  for (let i = 0; i < 20; i++) await f();
  const times: number[] = [];
  const until = performance.now() + budgetMs;
  while (times.length < 30 || (performance.now() < until && times.length < maxRuns)) {
    const t = performance.now();
    await f();
    times.push((performance.now() - t) * 1000);
  }
  return times.sort((a, b) => a - b)[times.length >> 1];
}

/** Largest absolute difference between two outputs of the same length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`outputs differ in length: ${a.length} and ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= max)) max = d; // NaN propagates
  }
  return max;
}

/** A time ratio as `1.23x` (two significant digits below 1, none after the point from 100). */
export function formatRatio(r: number): string {
  return `${r < 1 ? r.toPrecision(2) : r < 100 ? r.toFixed(2) : r.toFixed(0)}x`;
}
