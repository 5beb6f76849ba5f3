// Running generated tfjs modules in tests: the module for a graph, imported the way
// `spinal verify` imports it, and its numbers against the interpreter's.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { Graph } from '../../../src/ir/graph.js';
import { optimize } from '../../../src/passes/optimize.js';
import { interpret } from '../../../src/ir/interpret.js';
import { initWeights } from '../../../src/weights/init.js';
import { writeSafetensors } from '../../../src/weights/safetensors.js';
import type { Weights } from '../../../src/tensor/tensor.js';
import { importTfjsModule, tfjsWithBackend, type TfjsBackendName, type TfjsModule } from '../../../src/verify/tfjs-module.js';
import { moduleInput } from '../../../src/verify/tfjs-input.js';
import { randomBatch } from '../../../src/verify/run.js';
import { compareOutputs, type ErrorStats } from '../../../src/verify/compare.js';
import { scratch } from '../../support/scratch.js';

export type Tf = typeof import('@tensorflow/tfjs-core');

export const BACKENDS: readonly TfjsBackendName[] = ['cpu', 'wasm'];

export function useBackend(name: TfjsBackendName): Promise<Tf> {
  return tfjsWithBackend(name);
}

const workDir = scratch('tfjs-test');
let modules = 0;

/** The optimized graph's module; each import gets its own folder (ESM caches by URL). */
export async function moduleFor(optimized: Graph): Promise<TfjsModule> {
  const dir = mkdtempSync(join(workDir, `m${modules++}-`));
  return importTfjsModule(optimized, dir);
}

/** Linear weights as PyTorch initializes them, batchnorm statistics far from the identity. */
export function testWeights(graph: Graph, seed: number): Weights {
  return initWeights(graph, BigInt(seed), { batchnorm: 'random' });
}

export interface Comparison extends ErrorStats {
  /** Tensors alive after predict's result was disposed, minus before: 0 when nothing leaks. */
  readonly leakedByPredict: number;
  /** Tensors alive after dispose(), minus before load(): 0 when the weights are all freed. */
  readonly leakedByModel: number;
}

/** Runs one seeded batch through the module on the current backend and through the interpreter; several inputs are split from the packed batch. */
export function compareWithInterpreter(tf: Tf, module: TfjsModule, graph: Graph, weights: Weights, batch: number, seed: number): Comparison {
  const optimized = optimize(graph);
  const x = randomBatch(graph.inputSize, batch, BigInt(seed));
  const want = interpret(optimized, weights, x, batch);
  const before = tf.memory().numTensors;
  const model = module.load(writeSafetensors(weights));
  const input = moduleInput(tf, module, x, batch);
  const loaded = tf.memory().numTensors;
  const y = model.predict(input);
  const got = y.dataSync();
  y.dispose();
  const leakedByPredict = tf.memory().numTensors - loaded;
  tf.dispose(input);
  model.dispose();
  return { ...compareOutputs(got, want), leakedByPredict, leakedByModel: tf.memory().numTensors - before };
}
