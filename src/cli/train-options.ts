// The training options shared by every command that trains (`spinal train`, `spinal macs --train`):
// one set of names, defaults and parsers, turned into the settings of a TrainJob.
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { DataRequest, Loss, Backend, Optimizer, TrainSettings, ValidationRequest } from '../train/job.js';
import { UsageError } from './errors.js';
import { positiveInteger } from './options.js';
import { parseSeed } from './init.js';

// Plain values, not imports from src/train: every command's options are defined at start-up,
// which must not load the training modules.
export const TRAIN_DEFAULTS = {
  epochs: 10,
  batch: 64,
  optimizer: 'adam',
  /** PyTorch's usual starting points for each optimizer. */
  lr: { adam: 1e-3, sgd: 1e-2 },
  momentum: 0,
  weightDecay: 0,
  seed: 1n,
  loss: 'cross-entropy',
  backend: 'wasm',
  valSplit: 0.1,
} as const;

/** The embedded digits (`--data mnist`) come with their own held-out set, used for validation by default. */
export const MNIST = 'mnist';
export const MNIST_HELD_OUT = 'mnist:test';

/** What commander parses from the options added by `addTrainOptions`. */
export interface TrainFlags {
  readonly labels?: string;
  readonly labelColumn?: string;
  readonly epochs?: number;
  readonly batch?: number;
  readonly optimizer?: Optimizer;
  readonly lr?: number;
  readonly momentum?: number;
  readonly weightDecay?: number;
  readonly seed?: bigint;
  readonly loss?: Loss;
  readonly backend?: Backend;
  readonly val?: string;
  readonly valLabels?: string;
  readonly valSplit?: number;
}

export interface TrainSetup {
  readonly settings: TrainSettings;
  readonly data: DataRequest;
  readonly validation: ValidationRequest;
}

/**
 * Adds the training options to a command. `seed: false` leaves `--seed` out, for a command that
 * chooses seeds itself (`macs --train` trains seeds 1..K).
 */
export function addTrainOptions(command: Command, { seed = true }: { seed?: boolean } = {}): Command {
  command
    .option('--labels <file>', 'labels of the data when its features are .npy files (an integer array [N])')
    .option('--label-column <name>', 'the CSV column holding the label (default: the last)')
    .option('--epochs <n>', `passes over the training data (default ${TRAIN_DEFAULTS.epochs})`, positiveInteger)
    .option('--batch <n>', `samples per step (default ${TRAIN_DEFAULTS.batch})`, positiveInteger)
    .addOption(new Option('--optimizer <name>', `the optimizer, with PyTorch's defaults (default ${TRAIN_DEFAULTS.optimizer})`).choices(['adam', 'sgd']))
    .option('--lr <rate>', `learning rate (default ${TRAIN_DEFAULTS.lr.adam} for adam, ${TRAIN_DEFAULTS.lr.sgd} for sgd)`, positiveNumber)
    .option('--momentum <m>', `sgd momentum, in [0, 1) (default ${TRAIN_DEFAULTS.momentum})`, momentum)
    .option('--weight-decay <d>', `L2 penalty added to the gradient, as PyTorch's weight_decay (default ${TRAIN_DEFAULTS.weightDecay})`, nonNegativeNumber);
  if (seed) command.option('--seed <s>', `seed of initialization, shuffling and dropout (default ${TRAIN_DEFAULTS.seed})`, parseSeed);
  return command
    .addOption(new Option('--loss <name>', 'cross-entropy on the logits, mse for regression heads (default cross-entropy)').choices(['cross-entropy', 'mse']))
    .addOption(new Option('--backend <name>', `the tfjs backend (default ${TRAIN_DEFAULTS.backend})`).choices(['wasm', 'cpu']))
    .addOption(new Option('--val <data>', `validation data (default: for the built-in '${MNIST}', its held-out digits; otherwise a --val-split of the data)`).conflicts('valSplit'))
    .option('--val-labels <file>', 'labels of the --val data, for .npy features (--val takes the forms of --data)')
    .option('--val-split <f>', `fraction of the data held out for validation, in [0, 1); 0 trains on every sample (default ${TRAIN_DEFAULTS.valSplit})`, fraction);
}

/** The parsed options as the parts of a TrainJob; `seed` stands in when the command has no `--seed`. */
export function trainSetup(data: string, flags: TrainFlags, seed: bigint = TRAIN_DEFAULTS.seed): TrainSetup {
  if (flags.valLabels !== undefined && flags.val === undefined) throw new UsageError('--val-labels labels the --val data: add --val DATA');
  const optimizer = flags.optimizer ?? TRAIN_DEFAULTS.optimizer;
  if (flags.momentum !== undefined && flags.momentum > 0 && optimizer !== 'sgd') throw new UsageError('--momentum is for --optimizer sgd');
  const settings: TrainSettings = {
    epochs: flags.epochs ?? TRAIN_DEFAULTS.epochs,
    batch: flags.batch ?? TRAIN_DEFAULTS.batch,
    optimizer,
    lr: flags.lr ?? TRAIN_DEFAULTS.lr[optimizer],
    momentum: flags.momentum ?? TRAIN_DEFAULTS.momentum,
    weightDecay: flags.weightDecay ?? TRAIN_DEFAULTS.weightDecay,
    seed: flags.seed ?? seed,
    loss: flags.loss ?? TRAIN_DEFAULTS.loss,
    backend: flags.backend ?? TRAIN_DEFAULTS.backend,
  };
  const request: DataRequest = {
    data,
    ...(flags.labels !== undefined ? { labels: flags.labels } : {}),
    ...(flags.labelColumn !== undefined ? { labelColumn: flags.labelColumn } : {}),
  };
  return { settings, data: request, validation: validationFor(data, flags) };
}

function validationFor(data: string, flags: TrainFlags): ValidationRequest {
  if (flags.val !== undefined) {
    return {
      kind: 'data',
      data: {
        data: flags.val,
        ...(flags.valLabels !== undefined ? { labels: flags.valLabels } : {}),
        ...(flags.labelColumn !== undefined ? { labelColumn: flags.labelColumn } : {}),
      },
    };
  }
  if (flags.valSplit === undefined && data === MNIST) return { kind: 'data', data: { data: MNIST_HELD_OUT } };
  return { kind: 'split', fraction: flags.valSplit ?? TRAIN_DEFAULTS.valSplit };
}

function positiveNumber(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, got '${text}'`);
  return n;
}

function nonNegativeNumber(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || text.trim() === '') throw new InvalidArgumentError(`expected a non-negative number, got '${text}'`);
  return n;
}

function momentum(text: string): number {
  const n = nonNegativeNumber(text);
  if (n >= 1) throw new InvalidArgumentError(`expected a momentum in [0, 1), got '${text}'`);
  return n;
}

function fraction(text: string): number {
  const n = nonNegativeNumber(text);
  if (n >= 1) throw new InvalidArgumentError(`expected a fraction in [0, 1), got '${text}'`);
  return n;
}
