// Training every row of a comparison K times (seeds 1..K) on the local worker pool or a Redis
// queue's workers, and each row's accuracy over those seeds. The runs are independent jobs, so
// their results, and the table made from them, do not depend on how many threads or machines
// ran them.
import type { SourceFile } from '../diagnostics/diagnostic.js';
import type { TrainJob, TrainSettings, DataRequest, ValidationRequest } from '../train/job.js';
import { summarize, type AccuracyMetric, type AccuracySummary } from '../report/accuracy.js';
import { runPool } from './local-pool.js';
import { siblingModule } from './task.js';
import type { TrainRunResult } from './train-task.js';

/** One thing to train: a model of some sources, with parameter overrides. */
export interface TrainTarget {
  readonly sources: readonly SourceFile[];
  readonly model: string;
  readonly set?: Readonly<Record<string, number>>;
  /** How messages name it: the model and its settings. */
  readonly label: string;
}

export interface TrainSweepRequest {
  readonly targets: readonly TrainTarget[];
  readonly data: DataRequest;
  readonly validation: ValidationRequest;
  /** Every setting but the seed, which runs over 1..seeds. */
  readonly settings: Omit<TrainSettings, 'seed'>;
  readonly seeds: number;
  /** Threads of the local pool; ignored when `runner` is given. */
  readonly workers: number;
  /** Who runs the jobs: the local worker threads by default, or a queue's workers. */
  readonly runner?: Runner;
  readonly signal?: AbortSignal;
  /** Runs done so far, counting the finished part of running ones, out of all runs. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly onRun?: (run: FinishedRun) => void;
}

export interface FinishedRun {
  readonly target: TrainTarget;
  readonly seed: bigint;
  readonly accuracy: number;
  readonly metric: AccuracyMetric;
  /** How many runs are finished, this one included, and of how many. */
  readonly finished: number;
  readonly total: number;
}

/** What a runner is given: every job, in order; it returns their results in the same order. */
export interface RunnerRequest {
  readonly jobs: readonly TrainJob[];
  /** Names a job in messages: its model, settings and seed. */
  readonly label: (index: number) => string;
  readonly onProgress: (index: number, fraction: number) => void;
  readonly onResult: (index: number, result: TrainRunResult) => void;
  readonly signal?: AbortSignal;
}

export type Runner = (request: RunnerRequest) => Promise<TrainRunResult[]>;

/** The module whose `task` trains one job: the local threads and the queue's workers both run it. */
export const TRAIN_TASK = siblingModule('./train-task', import.meta.url);

/** Runs the jobs on `workers` local threads. */
export function localRunner(workers: number): Runner {
  return (request) => runPool<TrainJob, TrainRunResult, number>({
    task: TRAIN_TASK,
    jobs: request.jobs,
    workers,
    label: (_job, i) => request.label(i),
    ...(request.signal ? { signal: request.signal } : {}),
    onProgress: request.onProgress,
    onResult: request.onResult,
  });
}

/** Validation accuracy when anything is held out; otherwise the accuracy on the training data. */
export function accuracyMetric(validation: ValidationRequest): AccuracyMetric {
  return validation.kind === 'split' && validation.fraction === 0 ? 'train' : 'validation';
}

export function runLabel(target: TrainTarget, seed: bigint): string {
  return `${target.label}, seed ${seed}`;
}

/** The accuracy summary of every target, in target order. */
export async function trainTargets(request: TrainSweepRequest): Promise<AccuracySummary[]> {
  const metric = accuracyMetric(request.validation);
  const runs = request.targets.flatMap((target, t) =>
    Array.from({ length: request.seeds }, (_, k) => ({ t, job: jobFor(request, target, BigInt(k + 1)) })));
  const progress = new Array<number>(runs.length).fill(0);
  let done = 0;
  const advance = (i: number, fraction: number) => {
    done += fraction - progress[i];
    progress[i] = fraction;
    request.onProgress?.(done, runs.length);
  };
  let finished = 0;
  const accuracyOf = (result: TrainRunResult, label: string): number => {
    const value = metric === 'validation' ? result.final.valAccuracy : result.final.trainAccuracy;
    if (value === null) throw new Error(`${label}: the run reported no ${metric} accuracy`);
    return value;
  };
  const runner = request.runner ?? localRunner(request.workers);
  const results = await runner({
    jobs: runs.map((r) => r.job),
    label: (i) => runLabel(request.targets[runs[i].t], runs[i].job.settings.seed),
    ...(request.signal ? { signal: request.signal } : {}),
    onProgress: advance,
    onResult: (i, result) => {
      finished++;
      const { t, job } = runs[i];
      const target = request.targets[t];
      advance(i, 1);
      request.onRun?.({ target, seed: job.settings.seed, accuracy: accuracyOf(result, runLabel(target, job.settings.seed)), metric, finished, total: runs.length });
    },
  });
  return request.targets.map((target, t) => {
    const mine = runs.flatMap((r, i) => (r.t === t ? [{ seed: r.job.settings.seed, result: results[i] }] : []));
    return summarize(metric, request.settings.epochs, mine.map(({ seed, result }) => ({ seed: seed.toString(), accuracy: accuracyOf(result, runLabel(target, seed)) })));
  });
}

function jobFor(request: TrainSweepRequest, target: TrainTarget, seed: bigint): TrainJob {
  return {
    sources: target.sources,
    model: target.model,
    ...(target.set ? { set: target.set } : {}),
    data: request.data,
    validation: request.validation,
    settings: { ...request.settings, seed },
  };
}
