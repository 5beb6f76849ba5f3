// `spinal verify FILE --weights W`: the generated code of each target run on a seeded random
// batch and compared with the reference interpreter; exit 1 when any target is off.
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Io } from './io.js';
import { positiveInteger, withCompileFlags, type CompileFlags } from './options.js';
import { parseSeed } from './init.js';
import { VERIFY_TARGETS } from '../verify/targets.js';
import { DEFAULT_TOLERANCE } from '../verify/compare.js';
import { MAX_VERIFY_BATCH } from '../verify/limits.js';

export interface VerifyOptions extends CompileFlags {
  readonly model?: string;
  readonly weights: string;
  readonly targets: string;
  readonly batch: number;
  readonly seed: bigint;
  readonly tolerance: number;
  readonly json?: boolean;
}

export function registerVerify(program: Command, io: Io): void {
  withCompileFlags(program
    .command('verify')
    .description("run each target's generated code on a random batch and compare it with the reference interpreter")
    .argument('<file>', '.spinal file')
    .option('--model <name>', 'the model to verify (required when the file declares several)')
    .requiredOption('--weights <file>', 'safetensors weights of the model')
    .option('--targets <list>', `comma-separated targets, or 'all': ${Object.keys(VERIFY_TARGETS).join(', ')}`, 'tfjs')
    .option('--batch <n>', `samples in the random batch, at most ${MAX_VERIFY_BATCH}`, batchSize, 8)
    .addOption(new Option('--seed <n>', 'seed of the random batch').argParser(parseSeed).default(0n, '0'))
    .option('--tolerance <r>', 'largest maximum relative error accepted', parseTolerance, DEFAULT_TOLERANCE)
    .option('--json', 'print {"targets": {name: {maxAbsError, maxRelError, ok}}} as JSON'))
    .addHelpText('after', [
      '',
      'Relative error: |got - want| / max(|want|, 0.1 * max|want|), the maximum over the batch;',
      'a target fails above the tolerance (default 1e-4, for float32 code) or on NaN.',
      '',
      'Example:',
      '  spinal verify samples/mnist_cnn.spinal --model mnist_cnn_spinal --weights w.safetensors --targets tfjs,tfjs-wasm',
    ].join('\n'))
    .action(async (file: string, options: VerifyOptions) => (await import('./actions/verify.js')).verify(file, options, io));
}

function parseTolerance(text: string): number {
  const r = Number(text);
  if (!(r > 0) || !Number.isFinite(r)) throw new InvalidArgumentError(`expected a positive number, got '${text}'`);
  return r;
}

function batchSize(text: string): number {
  const n = positiveInteger(text);
  if (n > MAX_VERIFY_BATCH) throw new InvalidArgumentError(`expected at most ${MAX_VERIFY_BATCH}, got '${text}'`);
  return n;
}
