// `spinal macs FILE...`: one comparison of every model and variant (MACs, parameters trained and
// deployed, peak activations, ratio to a reference), the per-layer detail, and parameter sweeps;
// with --train, each row's accuracy over seeds and the Pareto frontier of MACs and accuracy.
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Io } from './io.js';
import { DENY_WARNINGS_HELP } from './options.js';
import { collectSet, parameterCap, positiveInteger } from './options.js';
import { addTrainOptions, type TrainFlags } from './train-options.js';
import { parseSweep, SweepError, type SweepAxis } from '../report/sweep.js';

/** Seeds per row by default: enough for a standard deviation; `--seeds` takes more. */
export const DEFAULT_SEEDS = 3;

export interface MacsOptions extends TrainFlags {
  readonly json?: boolean;
  readonly csv?: boolean;
  readonly markdown?: boolean;
  readonly layers?: boolean;
  readonly model?: string;
  readonly vs?: string[];
  readonly set?: Record<string, number>;
  readonly maxParameters?: number;
  readonly denyWarnings?: boolean;
  readonly sweep?: SweepAxis[];
  readonly plot?: string;
  readonly train?: string;
  readonly seeds?: number;
  readonly jobs?: number;
  readonly baseline?: boolean;
  readonly queue?: string;
  readonly resume?: string;
  readonly uploadData?: boolean;
}

export function registerMacs(program: Command, io: Io): void {
  const command = program
    .command('macs')
    .description('compare the cost of every model: MACs, parameters, peak activations, ratio to a reference')
    .argument('<files...>', '.spinal files')
    .addOption(new Option('--json', 'print JSON: { models: [...] }').conflicts(['csv', 'markdown']))
    .addOption(new Option('--csv', 'print the comparison as CSV').conflicts(['markdown']))
    .option('--markdown', 'print the comparison as a markdown table')
    .option('--layers', 'print each model\'s per-layer table (the default without --sweep)')
    .option('--no-layers', 'print only the comparison table')
    .option('--model <name>', 'compare only this model (the one swept by --sweep)')
    .option('--vs <name>', 'reference model for the ratios (repeatable: each model uses the first of the same input and output size; default: its dense baseline)', collect)
    .option('--set <name=value>', 'override a parameter (repeatable)', collectSet)
    .option('--max-parameters <n>', 'refuse models with more parameters (default 2147483647)', parameterCap)
    .option('--deny-warnings', DENY_WARNINGS_HELP)
    .option('--sweep <name=start:end[:step]>', 'evaluate the model over a range of a parameter, end included (repeatable: a cross product)', collectSweep)
    .option('--plot <file.svg>', "with --sweep: draw MACs and parameters against the first swept parameter; with --train: accuracy against MACs. A .png name renders PNG; '-' prints the SVG instead of the table")
    .option('--train <data>', "train every row and add its accuracy: 'mnist' (embedded digits), x.npy with --labels y.npy, a .csv, or a .safetensors holding x and y; a model with several inputs: NAME=x1.npy,NAME=x2.npy,... (one per input) with --labels y.npy, or a .safetensors holding a tensor per input and y")
    .option('--seeds <k>', `with --train: train each row with seeds 1..k (default ${DEFAULT_SEEDS})`, positiveInteger)
    .option('--jobs <j>', 'with --train: runs at a time, each on its own thread (default: the number of cores)', positiveInteger)
    .option('--baseline', "with --train: also train each model's dense baseline, as a row after the model")
    .option('--queue <url>', 'with --train: run on `spinal worker`s through Redis, redis://[user:password@]host:port[/db] or rediss:// (docs/distributed.md)')
    .option('--resume <id>', 'with --queue: re-attach to this sweep (same files and options); finished runs are not trained again')
    .option('--upload-data', 'with --queue: store the data files in Redis (64 MiB at most) instead of reading them at the same path on every worker');
  addTrainOptions(command, { seed: false })
    .addHelpText('after', [
      '',
      'With --train, every row is trained with the options of `spinal train` (default 10 epochs, batch',
      '64, adam at 1e-3) once per seed, and three columns are added: the mean and the sample standard',
      'deviation (n - 1) of the final validation accuracy over the seeds (the training accuracy with',
      '--val-split 0), and Pareto: "yes" when no other row has at most its MACs and at least its mean',
      'accuracy, better in one. --train mnist validates on its 2,000 held-out digits, other data on a',
      '--val-split of 0.1. The same seeds give the same table whatever --jobs is, and with --queue',
      'whichever workers ran them.',
      '',
      'Examples:',
      '  spinal macs samples/mnist_cnn.spinal samples/vgg19_cifar10.spinal --vs mnist_cnn_default --vs vgg19_default',
      '  spinal macs samples/vgg19_cifar10.spinal --model vgg19_spinal --vs vgg19_default --sweep w=64:512:64 --plot vgg19.svg',
      '  spinal macs samples/mnist_pixels.spinal --train mnist --epochs 3 --seeds 3 --baseline --plot accuracy.svg',
    ].join('\n'))
    .action(async (files: string[], options: MacsOptions) => (await import('./actions/macs.js')).macs(files, options, io));
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function collectSweep(text: string, previous: SweepAxis[] = []): SweepAxis[] {
  try {
    return [...previous, parseSweep(text)];
  } catch (e) {
    if (e instanceof SweepError) throw new InvalidArgumentError(e.message);
    throw e;
  }
}
