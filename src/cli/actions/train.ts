// `spinal train`'s work: the training job run with a progress display, Ctrl-C handling and a
// per-epoch log, then the weights written atomically with how they were made.
import { appendFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Io } from '../io.js';
import type { TrainOptions } from '../train.js';
import { EXIT, InterruptedError, UserError } from '../errors.js';
import { compileFiles, pickModel } from '../load.js';
import { checkOptionsFrom } from '../options.js';
import { trainSetup } from '../train-options.js';
import { checkDataInputs } from '../data-arg.js';
import type { EpochMetrics, TrainJob } from '../../train/job.js';
import { trainingMetadata } from '../../train/metadata.js';
import { JobError, runTrainJob } from '../../train/run-job.js';
import { writeSafetensors } from '../../weights/safetensors.js';
import { writeFileAtomic } from '../../weights/files.js';
import { WeightsError } from '../../tensor/errors.js';

export async function train(file: string, options: TrainOptions, io: Io): Promise<void> {
  const [compiled] = compileFiles([file], io, checkOptionsFrom(options));
  const model = pickModel(compiled, options.model);
  const setup = trainSetup(options.data, options);
  checkDataInputs(options.data, '--data', model.graph);
  checkDataInputs(options.val, '--val', model.graph);
  checkWritable(options.out);
  if (options.log !== undefined) startLog(options.log);
  const job: TrainJob = {
    sources: [compiled.source],
    model: model.spec.name,
    ...(options.set ? { set: options.set } : {}),
    data: setup.data,
    validation: setup.validation,
    settings: setup.settings,
    ...(options.init !== undefined ? { init: options.init } : {}),
  };
  const progress = progressReporter(io, setup.settings.epochs);
  const interrupt = onInterrupt();
  let outcome;
  try {
    outcome = await runTrainJob(job, {
      onBatch: progress.batch,
      onEpoch: (m) => {
        progress.epoch(m);
        if (options.log !== undefined) appendFileSync(options.log, `${JSON.stringify(m)}\n`);
      },
      shouldStop: interrupt.requested,
    });
  } catch (e) {
    if (e instanceof JobError) throw new UserError(e.message);
    throw e;
  } finally {
    progress.stop();
    interrupt.release();
  }
  if (outcome.stopped) throw new InterruptedError(`interrupted: nothing written, '${options.out}' is as it was`);
  try {
    writeFileAtomic(options.out, writeSafetensors(outcome.weights, trainingMetadata(job, outcome)));
  } catch (e) {
    throw e instanceof WeightsError ? new UserError(e.message) : e;
  }
  io.err(`wrote '${options.out}': model '${outcome.model}', ${describe(outcome.final)}\n`);
}

function checkWritable(out: string): void {
  const folder = dirname(out);
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new UserError(`cannot write '${out}': the folder '${folder}' does not exist`);
  if (statSync(out, { throwIfNoEntry: false })?.isDirectory()) throw new UserError(`cannot write '${out}': it is a directory`);
}

function startLog(path: string): void {
  try {
    writeFileSync(path, '');
  } catch (e) {
    throw new UserError(`cannot write the log '${path}': ${(e as Error).message}`);
  }
}

/** "epoch 3: train loss 0.2104 accuracy 93.85%, validation loss 0.2517 accuracy 92.60%, 5,120 samples/s". */
export function describe(m: EpochMetrics): string {
  const part = (what: string, loss: number | null, accuracy: number | null) =>
    loss === null ? '' : `${what} loss ${loss.toFixed(4)}${accuracy === null ? '' : ` accuracy ${(accuracy * 100).toFixed(2)}%`}`;
  const parts = [part('train', m.trainLoss, m.trainAccuracy), part('validation', m.valLoss, m.valAccuracy)].filter((p) => p !== '');
  return `epoch ${m.epoch}: ${parts.join(', ')}, ${Math.round(m.samplesPerSecond).toLocaleString('en-US')} samples/s`;
}

interface Progress {
  batch(p: { epoch: number; batch: number; batches: number; loss: number; accuracy: number | null; samplesPerSecond: number }): void;
  epoch(m: EpochMetrics): void;
  stop(): void;
}

/** A bar on a terminal (epoch, batch, loss, accuracy, samples/s); one plain line per epoch otherwise. */
function progressReporter(io: Io, epochs: number): Progress {
  if (!io.tty) return { batch: () => {}, epoch: (m) => io.err(`${describe(m)}\n`), stop: () => {} };
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'epoch {epoch}/{epochs} {bar} {value}/{total} batches | loss {loss} | accuracy {accuracy} | {rate} samples/s',
    hideCursor: true,
  });
  let started = false;
  return {
    batch(p) {
      const payload = { epoch: p.epoch, epochs, loss: p.loss.toFixed(4), accuracy: p.accuracy === null ? '-' : `${(p.accuracy * 100).toFixed(1)}%`, rate: Math.round(p.samplesPerSecond) };
      if (!started || p.batch === 1) {
        if (started) bar.stop();
        bar.start(p.batches, p.batch, payload);
        started = true;
      } else {
        bar.update(p.batch, payload);
      }
    },
    epoch(m) {
      if (started) bar.stop();
      started = false;
      io.err(`${describe(m)}\n`);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** Ctrl-C asks training to stop after the current batch; a second Ctrl-C ends the process. */
function onInterrupt(): { requested: () => boolean; release: () => void } {
  let requested = false;
  const handler = () => {
    if (requested) process.exit(EXIT.interrupted);
    requested = true;
  };
  process.on('SIGINT', handler);
  return { requested: () => requested, release: () => process.off('SIGINT', handler) };
}
