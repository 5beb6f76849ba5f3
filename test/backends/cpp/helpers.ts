// Shared by the C++ backend tests: drivers built from graphs, and the float32 comparison with the
// interpreter that `spinal verify` uses.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Graph } from '../../../src/ir/graph.js';
import { interpret } from '../../../src/ir/interpret.js';
import { optimize } from '../../../src/passes/optimize.js';
import { writeSafetensors } from '../../../src/weights/safetensors.js';
import type { Weights } from '../../../src/tensor/tensor.js';
import { compareOutputs, DEFAULT_TOLERANCE } from '../../../src/verify/compare.js';
import { runDriver, type RunOptions } from '../../../src/backends/cpp/toolchain.js';
import { sampleModels } from '../../support/samples.js';
import { randomInput, randomWeights } from '../../support/random-weights.js';

export function optimizedSamples(): Graph[] {
  return sampleModels().map((m) => optimize(m.graph));
}

/** A model with its random weights written where the driver reads them. */
export interface Loaded {
  readonly graph: Graph;
  readonly weights: Weights;
  readonly path: string;
}

export function withWeights(dir: string, graphs: readonly Graph[], seed = 7): Loaded[] {
  return graphs.map((graph, i) => {
    const weights = randomWeights(graph, seed + i);
    const path = join(dir, `weights${i}.safetensors`);
    writeFileSync(path, writeSafetensors(weights));
    return { graph, weights, path };
  });
}

/** Runs model `index` of the driver on a random batch; returns its worst relative error. */
export async function errorOf(binary: string, index: number, m: Loaded, batch: number, options: RunOptions = {}): Promise<number> {
  const x = Float32Array.from(randomInput(m.graph.inputSize, batch, batch + index));
  const y = await runDriver(binary, index, x, batch, { weightsPath: m.path, ...options });
  return compareOutputs(y, interpret(m.graph, m.weights, x, batch)).maxRelError;
}

export const TOLERANCE = DEFAULT_TOLERANCE;
