// Deterministic initial weights. Each tensor draws from its own stream, seeded by the seed and
// the tensor's name, so a tensor's values depend only on (seed, name, shape): changing one
// layer of a model leaves the other layers' initial weights as they were.
import type { Graph } from '../ir/graph.js';
import { tensorSpecs } from '../ir/tensors.js';
import { Random, streamSeed } from './prng.js';
import { tensorRoles, type TensorRole } from './roles.js';
import type { Tensor, Weights } from '../tensor/tensor.js';
import { WeightsError } from '../tensor/errors.js';
import { MAX_READ_BYTES } from '../fs/read.js';
import { totalmem } from 'node:os';

export type Seed = bigint | number;

export interface InitOptions {
  /** 'default' (PyTorch's: gamma 1, beta 0, mean 0, variance 1) or 'random' (see randomizeBatchnorm). */
  readonly batchnorm?: 'default' | 'random';
}

/**
 * PyTorch's default initialization: a Linear's weight and bias uniform in
 * (-1/sqrt(in), 1/sqrt(in)); batchnorm as given by `options.batchnorm`.
 */
export function initWeights(graph: Graph, seed: Seed, options: InitOptions = {}): Weights {
  const problem = initMemoryProblem(graph);
  if (problem) throw new WeightsError(problem);
  const s = toSeed(seed);
  const roles = tensorRoles(graph);
  const weights = new Map<string, Tensor>();
  for (const spec of tensorSpecs(graph)) {
    const role = roles.get(spec.name);
    if (!role) throw new Error(`no role known for tensor '${spec.name}'`);
    const data = new Float32Array(spec.shape.reduce((a, d) => a * d, 1));
    if (role.kind === 'linear') {
      const bound = 1 / Math.sqrt(role.fanIn);
      fillUniform(data, Random.fromSeed(streamSeed(s, spec.name)), -bound, bound);
    } else {
      data.fill(role.kind === 'bn-gamma' || role.kind === 'bn-variance' ? 1 : 0);
    }
    weights.set(spec.name, { shape: spec.shape, data });
  }
  return options.batchnorm === 'random' ? randomizeBatchnorm(weights, graph, s) : weights;
}

/**
 * Making and writing the weights holds them three times at the peak: the float32 tensors, each
 * tensor's bytes, and the file they are copied into.
 */
const COPIES_AT_PEAK = 3;

/**
 * Why the weights of `graph` cannot be made here, checked before allocating anything: the file
 * would be larger than one buffer holds (MAX_READ_BYTES, which spinal also reads at most), or
 * making it would take more memory than the machine has. Undefined when they fit.
 */
export function initMemoryProblem(graph: Graph, machineBytes = totalmem()): string | undefined {
  const specs = tensorSpecs(graph);
  const values = specs.reduce((a, t) => a + t.shape.reduce((b, d) => b * d, 1), 0);
  const fileBytes = 4 * values;
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  const subject = `model '${graph.name}' has ${values.toLocaleString('en-US')} parameters`;
  if (fileBytes > MAX_READ_BYTES) {
    return `${subject}: its weights file would be ${gib(fileBytes)}, more than the ${gib(MAX_READ_BYTES)} spinal writes and reads in one piece`;
  }
  const peak = COPIES_AT_PEAK * fileBytes;
  if (peak > machineBytes) {
    return `${subject}: making its ${gib(fileBytes)} weights file takes about ${gib(peak)} of memory, and this machine has ${gib(machineBytes)}`;
  }
  return undefined;
}

/** Ranges of the non-trivial batchnorm statistics: every term of y = gamma (x - mean) / sqrt(var + eps) + beta matters. */
const RANDOM_BATCHNORM: Record<Exclude<TensorRole['kind'], 'linear'>, readonly [number, number]> = {
  'bn-gamma': [0.5, 1.5],
  'bn-beta': [-0.5, 0.5],
  'bn-mean': [-0.5, 0.5],
  'bn-variance': [0.5, 2],
};

/**
 * A copy of `weights` whose batchnorm tensors are random but plausible: gamma in [0.5, 1.5],
 * beta and running mean in [-0.5, 0.5], running variance in [0.5, 2]. For tests: the default
 * statistics make batchnorm the identity and hide folding mistakes.
 */
export function randomizeBatchnorm(weights: Weights, graph: Graph, seed: Seed): Weights {
  const s = toSeed(seed);
  const out = new Map(weights);
  for (const [name, role] of tensorRoles(graph)) {
    const tensor = weights.get(name);
    if (role.kind === 'linear' || !tensor) continue;
    const data = new Float32Array(tensor.data.length);
    const [low, high] = RANDOM_BATCHNORM[role.kind];
    fillUniform(data, Random.fromSeed(streamSeed(s, `${name}#batchnorm`)), low, high);
    out.set(name, { shape: tensor.shape, data });
  }
  return out;
}

function fillUniform(data: Float32Array, random: Random, low: number, high: number): void {
  for (let i = 0; i < data.length; i++) data[i] = random.uniform(low, high);
}

function toSeed(seed: Seed): bigint {
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) throw new RangeError(`a seed must be an integer, got ${seed}`);
  const s = BigInt(seed);
  if (s < 0n || s > (1n << 64n) - 1n) throw new RangeError(`a seed must be in [0, 2^64), got ${s}`);
  return s;
}
