// `spinal init FILE --seed N --out W`: deterministic initial weights for a model.
import { InvalidArgumentError, type Command } from 'commander';
import type { Io } from './io.js';
import { withCompileFlags, type CompileFlags } from './options.js';

export interface InitOptions extends CompileFlags {
  readonly model?: string;
  readonly seed: bigint;
  readonly out: string;
  readonly randomBatchnorm?: boolean;
  readonly force?: boolean;
}

export function registerInit(program: Command, io: Io): void {
  withCompileFlags(program
    .command('init')
    .description("write a model's initial weights (PyTorch's default initialization) to a safetensors file")
    .argument('<file>', '.spinal file')
    .option('--model <name>', 'the model to initialize (required when the file declares several)')
    .requiredOption('--seed <n>', 'random seed, an integer from 0 to 2^64-1; the same seed gives the same bytes on every machine', parseSeed)
    .requiredOption('--out <path>', 'the weights file to write (.safetensors); written atomically')
    .option('--force', 'replace the file if it exists')
    .option('--random-batchnorm', 'random batchnorm statistics instead of gamma 1, beta 0, mean 0, variance 1 (for tests)')
    .addHelpText('after', [
      '',
      'Linear weights and biases are uniform in (-1/sqrt(in), 1/sqrt(in)); batchnorm has gamma 1,',
      'beta 0, running mean 0 and running variance 1. Tensors are float32 under canonical names.',
      '',
      'Example:',
      '  spinal init samples/mnist_cnn.spinal --model mnist_cnn_spinal --seed 1 --out w.safetensors',
    ].join('\n')))
    .action(async (file: string, options: InitOptions) => (await import('./actions/init.js')).init(file, options, io));
}

export function parseSeed(text: string): bigint {
  if (!/^\d{1,20}$/.test(text) || BigInt(text) >= 1n << 64n) {
    throw new InvalidArgumentError(`expected an integer from 0 to 2^64-1, got '${text}'`);
  }
  return BigInt(text);
}
