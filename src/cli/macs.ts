// `spinal macs FILE...`: one comparison of every model and variant (MACs, parameters trained and
// deployed, peak activations, ratio to a reference), the per-layer detail, and parameter sweeps.
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Io } from './io.js';
import { DENY_WARNINGS_HELP } from './options.js';
import { collectSet, parameterCap } from './options.js';
import { parseSweep, SweepError, type SweepAxis } from '../report/sweep.js';

export interface MacsOptions {
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
}

export function registerMacs(program: Command, io: Io): void {
  program
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
    .option('--plot <file.svg>', 'with --sweep: draw MACs and parameters against the first swept parameter')
    .addHelpText('after', [
      '',
      'Examples:',
      '  spinal macs samples/mnist_cnn.spinal samples/vgg19_cifar10.spinal --vs mnist_cnn_default --vs vgg19_default',
      '  spinal macs samples/vgg19_cifar10.spinal --model vgg19_spinal --vs vgg19_default --sweep w=64:512:64 --plot vgg19.svg',
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
