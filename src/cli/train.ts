// `spinal train FILE --data DATA --out W`: trains one model in PyTorch's training semantics and
// writes its weights under the canonical names, so build, verify and evaluate take them as they are.
import type { Command } from 'commander';
import type { Io } from './io.js';
import { TRAINING_PACKAGES, requirePackages } from '../optional-packages.js';
import { withCompileFlags, type CompileFlags } from './options.js';
import { addTrainOptions, type TrainFlags } from './train-options.js';

export interface TrainOptions extends CompileFlags, TrainFlags {
  readonly model?: string;
  readonly data: string;
  readonly out: string;
  readonly init?: string;
  readonly log?: string;
}

export function registerTrain(program: Command, io: Io): void {
  const command = program
    .command('train')
    .description("train a model's weights on data (PyTorch's training semantics, tfjs autodiff)")
    .argument('<file>', '.spinal file')
    .option('--model <name>', 'the model to train (required when the file declares several)')
    .requiredOption('--data <data>', "training data: 'mnist' (embedded digits), x.npy with --labels y.npy, a .csv, or a .safetensors holding x and y; a model with several inputs: NAME=x1.npy,NAME=x2.npy,... (one per input) with --labels y.npy, or a .safetensors holding a tensor per input and y")
    .requiredOption('--out <path>', 'the weights file to write (.safetensors); replaced atomically at the end');
  addTrainOptions(withCompileFlags(command))
    .option('--init <weights>', 'start from these weights (e.g. an imported official head) instead of the seeded initialization')
    .option('--log <file.jsonl>', 'append one JSON line of metrics per epoch')
    .addHelpText('after', [
      '',
      'Training mode is PyTorch\'s: inverted dropout, batchnorm on batch statistics with running',
      'statistics updated (momentum 0.1, unbiased variance), cross-entropy on the output\'s logits',
      'with mean reduction. The same seed on the same backend gives the same bytes.',
      '',
      'Example:',
      '  spinal train samples/mnist_mlp.spinal --model mnist_spinal --data mnist --epochs 5 --out w.safetensors',
      '  spinal train samples/mnist_arch2.spinal --data pixels=p.npy,conv1=c1.npy,conv2=c2.npy --labels y.npy --out w.safetensors',
    ].join('\n'))
    .action(async (file: string, options: TrainOptions) => {
      requirePackages('train', TRAINING_PACKAGES);
      return (await import('./actions/train.js')).train(file, options, io);
    });
}
