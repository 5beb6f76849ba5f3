// The training loop: minibatches in a seeded order, one optimizer step each, batchnorm's running
// statistics updated as PyTorch does, metrics per epoch. Everything random (the order, the
// dropout masks) comes from the seed, so a seed on a backend gives the same weights every time.
import type { Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { Graph, IrNode } from '../ir/graph.js';
import { Random, streamSeed } from '../weights/prng.js';
import type { Weights } from '../tensor/tensor.js';
import type { EpochMetrics, TrainSettings } from './job.js';
import { forward, type BatchStats } from './forward.js';
import { makeParameters, readWeights, type Parameters } from './parameters.js';
import { correctCount, lossOf } from './loss.js';
import { makeOptimizer } from './optimizer.js';
import type { Tf } from './tf.js';
import { option } from '../diagnostics/option.js';

/** PyTorch's default BatchNorm1d momentum: running = (1 - m) * running + m * batch. */
export const BATCHNORM_MOMENTUM = 0.1;

export interface Examples {
  readonly n: number;
  /** Features per sample over all inputs (the graph's inputSize). */
  readonly features: number;
  /** Row-major [n, features]; a row holds the graph's inputs side by side, in its order. */
  readonly x: Float32Array;
  /** Class indices [n] (cross-entropy) or targets [n, outputs] (MSE). */
  readonly y: Int32Array | Float32Array;
}

export interface BatchProgress {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
  readonly accuracy: number | null;
  readonly samplesPerSecond: number;
}

export interface TrainHooks {
  onBatch?(progress: BatchProgress): void;
  onEpoch?(metrics: EpochMetrics): void;
  /** Asked after every batch; true stops training there. */
  shouldStop?(): boolean;
}

export interface TrainRun {
  /** Unoptimized: dropout and batchnorm are still nodes. */
  readonly graph: Graph;
  readonly initial: Weights;
  readonly train: Examples;
  readonly validation?: Examples;
  readonly settings: TrainSettings;
  readonly hooks?: TrainHooks;
}

export interface Trained {
  readonly epochs: readonly EpochMetrics[];
  readonly weights: Weights;
  readonly stopped: boolean;
}

/** Training stopped because the loss stopped being a number. */
export class DivergedError extends Error {
  override readonly name = 'DivergedError';
}

const EVAL_CHUNK = 1024;

export async function trainModel(tf: Tf, run: TrainRun): Promise<Trained> {
  const { graph, settings } = run;
  const classify = settings.loss === 'cross-entropy';
  const params = makeParameters(tf, graph, run.initial);
  const trainable = [...params.values()].filter((v) => v.trainable);
  const optimizer = makeOptimizer(tf, settings, trainable);
  const data = run.train;
  const validation = run.validation;
  const order = Random.fromSeed(streamSeed(settings.seed, 'train/order'));
  const masks = Random.fromSeed(streamSeed(settings.seed, 'train/dropout'));
  const maskFor = (node: IrNode & { op: 'dropout' }, rows: number): Tensor2D => dropoutMask(tf, masks, node.p, rows, node.shape[0]);
  // PyTorch refuses a training batch of one sample when there is a batchnorm; such a last batch is skipped.
  const minBatch = graph.nodes.some((n) => n.op === 'batchnorm') ? 2 : 1;
  const epochs: EpochMetrics[] = [];
  let stopped = false;
  try {
    for (let epoch = 1; epoch <= settings.epochs && !stopped; epoch++) {
      const started = performance.now();
      const permutation = shuffled(run.train.n, order);
      const batches = Math.ceil(run.train.n / settings.batch);
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        const rows = permutation.subarray(b * settings.batch, Math.min((b + 1) * settings.batch, run.train.n));
        if (rows.length < minBatch) continue;
        const step = trainStep(tf, graph, params, data, rows, { classify, dropoutMask: maskFor, settings, trainable, optimizer });
        if (!Number.isFinite(step.loss)) {
          throw new DivergedError(`the training loss became ${step.loss} in epoch ${epoch}, batch ${b + 1}: lower the learning rate (${option('lr')} ${settings.lr})`);
        }
        lossSum += step.loss * rows.length;
        correct += step.correct;
        seen += rows.length;
        const seconds = (performance.now() - started) / 1000;
        run.hooks?.onBatch?.({ epoch, batch: b + 1, batches, loss: lossSum / seen, accuracy: classify ? correct / seen : null, samplesPerSecond: seen / seconds });
        // Training is synchronous on the CPU backends: a turn of the event loop lets a signal
        // handler (Ctrl-C) and a progress bar's timer run.
        await new Promise((resolve) => setImmediate(resolve));
        if (run.hooks?.shouldStop?.()) {
          stopped = true;
          break;
        }
      }
      if (stopped) break;
      const seconds = (performance.now() - started) / 1000;
      const evaluated = validation ? evaluateExamples(tf, graph, params, validation, settings.loss) : undefined;
      const metrics: EpochMetrics = {
        epoch,
        trainLoss: lossSum / seen,
        trainAccuracy: classify ? correct / seen : null,
        valLoss: evaluated?.loss ?? null,
        valAccuracy: evaluated?.accuracy ?? null,
        seconds,
        samplesPerSecond: seen / seconds,
      };
      epochs.push(metrics);
      run.hooks?.onEpoch?.(metrics);
    }
    return { epochs, weights: readWeights(tf, graph, params), stopped };
  } finally {
    optimizer.dispose();
    for (const t of params.values()) t.dispose();
  }
}

/** The samples at `rows` as a batch: features [rows, features] and their labels or targets. */
function batchOf(tf: Tf, examples: Examples, rows: ArrayLike<number>, outputs: number, classify: boolean): { x: Tensor2D; y: Tensor1D | Tensor2D } {
  const f = examples.features;
  const x = new Float32Array(rows.length * f);
  const width = classify ? 1 : outputs;
  const y = classify ? new Int32Array(rows.length) : new Float32Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) {
    x.set(examples.x.subarray(rows[i] * f, (rows[i] + 1) * f), i * f);
    y.set(examples.y.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
  }
  return {
    x: tf.tensor2d(x, [rows.length, f]),
    y: classify ? tf.tensor1d(y as Int32Array, 'int32') : tf.tensor2d(y as Float32Array, [rows.length, width]),
  };
}

interface StepContext {
  readonly classify: boolean;
  readonly dropoutMask: (node: IrNode & { op: 'dropout' }, rows: number) => Tensor2D;
  readonly settings: TrainSettings;
  readonly trainable: readonly Variable[];
  readonly optimizer: { step(grads: Record<string, Tensor>): void };
}

/** One minibatch: forward in training mode, backward, the optimizer's update, the running statistics. */
function trainStep(tf: Tf, graph: Graph, params: Parameters, data: Examples, rows: Int32Array, ctx: StepContext): { loss: number; correct: number } {
  const { x, y } = batchOf(tf, data, rows, graph.outputSize, ctx.classify);
  let output: Tensor2D | undefined;
  let stats: readonly BatchStats[] = [];
  try {
    const { value, grads } = tf.variableGrads(() => {
      const result = forward(tf, graph, params, x, { training: true, dropoutMask: ctx.dropoutMask, logits: ctx.classify });
      // Kept past the gradient's scope: the accuracy and the running statistics read them.
      output = tf.keep(result.output);
      stats = result.batchStats.map((s) => ({ bn: s.bn, mean: tf.keep(s.mean), variance: tf.keep(s.variance) }));
      return lossOf(tf, ctx.settings.loss, result.output, y);
    }, ctx.trainable as Variable[]);
    ctx.optimizer.step(grads);
    updateRunningStats(tf, params, stats, rows.length);
    const loss = value.dataSync()[0];
    value.dispose();
    const correct = ctx.classify ? tf.tidy(() => correctCount(tf, output!, y as Tensor1D)).dataSync()[0] : 0;
    return { loss, correct };
  } finally {
    for (const t of [x, y, output, ...stats.flatMap((s) => [s.mean, s.variance])]) t?.dispose();
  }
}

function updateRunningStats(tf: Tf, params: Parameters, stats: readonly BatchStats[], rows: number): void {
  const m = BATCHNORM_MOMENTUM;
  for (const { bn, mean, variance } of stats) {
    const runningMean = params.get(bn.mean)!;
    const runningVar = params.get(bn.variance)!;
    // The running variance takes the unbiased batch variance (divided by n - 1), as PyTorch's does.
    tf.tidy(() => {
      runningMean.assign(tf.add(tf.mul(runningMean, 1 - m), tf.mul(mean, m)));
      runningVar.assign(tf.add(tf.mul(runningVar, 1 - m), tf.mul(variance, (m * rows) / (rows - 1))));
    });
  }
}

export interface Evaluation {
  readonly loss: number;
  readonly accuracy: number | null;
}

/** Loss and accuracy in evaluation mode (running statistics, no dropout), in chunks. */
function evaluateExamples(tf: Tf, graph: Graph, params: Parameters, data: Examples, loss: TrainSettings['loss']): Evaluation {
  const classify = loss === 'cross-entropy';
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < data.n; start += EVAL_CHUNK) {
    const size = Math.min(EVAL_CHUNK, data.n - start);
    const [l, c] = tf.tidy(() => {
      const { x, y } = batchOf(tf, data, Int32Array.from({ length: size }, (_, i) => start + i), graph.outputSize, classify);
      const { output } = forward(tf, graph, params, x, { training: false, logits: classify });
      return [lossOf(tf, loss, output, y), classify ? correctCount(tf, output, y as Tensor1D) : tf.scalar(0)];
    });
    lossSum += l.dataSync()[0] * size;
    correct += c.dataSync()[0];
    l.dispose();
    c.dispose();
  }
  return { loss: lossSum / data.n, accuracy: classify ? correct / data.n : null };
}

/** A uniformly random order of 0..n-1 (Fisher-Yates). */
function shuffled(n: number, random: Random): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.nextUint32() % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Inverted dropout's mask: 0 with probability p, else 1 / (1 - p). */
export function dropoutMask(tf: Tf, random: Random, p: number, rows: number, features: number): Tensor2D {
  const scale = 1 / (1 - p);
  const values = new Float32Array(rows * features);
  for (let i = 0; i < values.length; i++) values[i] = random.nextUnit() < p ? 0 : scale;
  return tf.tensor2d(values, [rows, features]);
}
