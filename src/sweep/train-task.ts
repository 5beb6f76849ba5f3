// The task a training sweep runs per (model or grid point, seed): one training job, its final
// metrics back (the weights stay in the worker). Local worker threads run it; so will a
// distributed worker.
import type { EpochMetrics, TrainJob } from '../train/job.js';
import { runTrainJob } from '../train/run-job.js';
import type { Task } from './task.js';

export interface TrainRunResult {
  readonly model: string;
  readonly seed: string;
  /** The last epoch's metrics. */
  readonly final: EpochMetrics;
  /** SHA-256 (hex) of the training data as read. */
  readonly dataHash: string;
}

/** Progress is the fraction of the job's batches done, over all its epochs. */
export const task: Task<TrainJob, TrainRunResult, number> = async (job, context) => {
  const outcome = await runTrainJob(job, {
    onBatch: (p) => context.progress((p.epoch - 1 + p.batch / p.batches) / job.settings.epochs),
  });
  return { model: outcome.model, seed: outcome.seed, final: outcome.final, dataHash: outcome.dataHash };
};
