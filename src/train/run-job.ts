// A training job from source text to trained weights: compile, read the data, initialize (or
// read the starting weights), train. The same function runs for `spinal train`, for each run of
// a training sweep, and in sweep workers; every failure of the user's inputs is a JobError.
import { compile } from '../compile.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { Graph } from '../ir/graph.js';
import { tensorSpecs } from '../ir/tensors.js';
import { initWeights } from '../weights/init.js';
import { readWeightsFile } from '../weights/files.js';
import { checkWeights } from '../weights/validate.js';
import { WeightsError } from '../tensor/errors.js';
import type { Weights } from '../tensor/tensor.js';
import { DataError, loadDataset, splitValidation, type Dataset, type Task } from '../data/index.js';
import type { TrainJob, TrainResult } from './job.js';
import { DivergedError, trainModel, type TrainHooks } from './loop.js';
import { trainingTf } from './tf.js';
import { option } from '../diagnostics/option.js';

export type { TrainHooks };

/** The job cannot run as asked: its source, data or starting weights are wrong, or it diverged. */
export class JobError extends Error {
  override readonly name = 'JobError';
}

export interface TrainOutcome extends TrainResult {
  readonly weights: Weights;
  readonly graph: Graph;
}

export async function runTrainJob(job: TrainJob, hooks?: TrainHooks): Promise<TrainOutcome> {
  const graph = jobGraph(job);
  if (job.settings.loss === 'cross-entropy' && graph.outputSize < 2) {
    throw new JobError(`model '${graph.name}' has ${graph.outputSize} output: cross-entropy needs at least 2 classes (use ${option('loss')} mse for a regression head)`);
  }
  const task: Task = job.settings.loss === 'mse' ? { kind: 'regression', targets: graph.outputSize } : { kind: 'classification', classes: graph.outputSize };
  const { train, validation } = userInput(() => readData(job, graph, task));
  const initial = job.init === undefined ? initWeights(graph, job.settings.seed) : userInput(() => startingWeights(job.init!, graph));
  const tf = await trainingTf(job.settings.backend);
  try {
    const trained = await trainModel(tf, { graph, initial, train, ...(validation ? { validation } : {}), settings: job.settings, ...(hooks ? { hooks } : {}) });
    const final = trained.epochs[trained.epochs.length - 1];
    if (!final) throw new JobError('training stopped before the end of the first epoch');
    return { model: graph.name, seed: job.settings.seed.toString(), epochs: trained.epochs, final, dataHash: train.hash, stopped: trained.stopped, weights: trained.weights, graph };
  } catch (e) {
    if (e instanceof DivergedError) throw new JobError(`model '${graph.name}' (seed ${job.settings.seed}): ${e.message}`);
    throw e;
  }
}

/** The job's model, unoptimized: training needs its dropout and batchnorm nodes. */
export function jobGraph(job: Pick<TrainJob, 'sources' | 'model' | 'set'>): Graph {
  const files = job.sources.map((source) => compile(source, job.set ? { overrides: job.set } : {}));
  const broken = files.find((f) => hasErrors(f.diagnostics));
  if (broken) {
    const first = broken.diagnostics.find((d) => d.severity === 'error')!;
    throw new JobError(`'${broken.source.path}'${settingsText(job.set)} does not compile: ${first.message} (line ${first.range.start.line})`);
  }
  const model = files.flatMap((f) => f.models).find((m) => m.spec.name === job.model);
  if (!model) throw new JobError(`no model '${job.model}' in ${job.sources.map((s) => `'${s.path}'`).join(', ')}`);
  return model.graph;
}

function readData(job: TrainJob, graph: Graph, task: Task): { train: Dataset; validation: Dataset | undefined } {
  const expect = { features: graph.inputSize, inputs: graph.inputs, task, model: graph.name };
  const all = loadDataset(job.data, expect);
  if (job.validation.kind === 'data') return { train: all, validation: loadDataset(job.validation.data, expect) };
  return splitValidation(all, job.validation.fraction);
}

function startingWeights(path: string, graph: Graph): Weights {
  const weights = readWeightsFile(path);
  checkWeights(weights, tensorSpecs(graph), graph.name);
  return weights;
}

function userInput<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DataError || e instanceof WeightsError) throw new JobError((e as Error).message);
    throw e;
  }
}

function settingsText(set: TrainJob['set']): string {
  const entries = Object.entries(set ?? {});
  return entries.length === 0 ? '' : ` with ${entries.map(([k, v]) => `${k}=${v}`).join(', ')}`;
}
