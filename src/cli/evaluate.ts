// `spinal evaluate FILE --weights W --data DATA`: accuracy, loss, per-class accuracy and the
// confusion matrix on labelled data; with --targets, each target's generated code on the whole set.
import { Option, type Command } from 'commander';
import type { Io } from './io.js';
import { withCompileFlags, type CompileFlags } from './options.js';
import { VERIFY_TARGETS } from '../verify/targets.js';

export interface EvaluateOptions extends CompileFlags {
  readonly model?: string;
  readonly weights: string;
  readonly data: string;
  readonly labels?: string;
  readonly labelColumn?: string;
  readonly targets?: string;
  readonly loss: 'cross-entropy' | 'mse';
  readonly json?: boolean;
}

/** The reference interpreter, listed among the targets. */
export const INTERPRETER = 'interp';

export function registerEvaluate(program: Command, io: Io): void {
  withCompileFlags(program
    .command('evaluate')
    .description('measure a model on labelled data: accuracy, loss, per-class accuracy, confusion matrix; each target\'s generated code too')
    .argument('<file>', '.spinal file')
    .option('--model <name>', 'the model to evaluate (required when the file declares several)')
    .requiredOption('--weights <file>', 'safetensors weights of the model')
    .requiredOption('--data <data>', "labelled data: 'mnist:test' (the held-out digits), 'mnist', x.npy with --labels y.npy, a .csv, or a .safetensors holding x and y; a model with several inputs: NAME=x1.npy,NAME=x2.npy,... (one per input) with --labels y.npy, or a .safetensors holding a tensor per input and y")
    .option('--labels <file>', 'labels of the data, for .npy features')
    .option('--label-column <name>', 'the CSV column holding the label (default: the last)')
    .option('--targets <list>', `comma-separated, or 'all': ${[INTERPRETER, ...Object.keys(VERIFY_TARGETS)].join(', ')} (default: ${INTERPRETER} only)`)
    .addOption(new Option('--loss <name>', 'cross-entropy (classification) or mse (regression)').choices(['cross-entropy', 'mse']).default('cross-entropy'))
    .option('--json', 'print {"accuracy", "loss", "samples", "perClass", "confusion", "targets": {name: {accuracy, agreement, maxError}}}'))
    .addHelpText('after', [
      '',
      'Accuracy and agreement are fractions in [0, 1]. Agreement is the share of samples on which a',
      'target predicts the class the reference interpreter predicts; maxError its largest relative',
      'error (as in spinal verify).',
      '',
      'Example:',
      '  spinal evaluate samples/mnist_mlp.spinal --model mnist_spinal --weights w.safetensors --data mnist:test --targets all',
    ].join('\n'))
    .action(async (file: string, options: EvaluateOptions) => (await import('./actions/evaluate.js')).evaluate(file, options, io));
}
