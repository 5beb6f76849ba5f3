// `spinal build FILE --target T --out DIR`: the optimized model through a backend, written
// into DIR all or nothing (src/output). Any registered backend (src/backends/index.ts) works.
import type { Command } from 'commander';
import type { Io } from './io.js';
import { withCompileFlags, type CompileFlags } from './options.js';
import { targetNames, WEIGHTS_USE } from '../backends/index.js';

export interface BuildOptions extends CompileFlags {
  readonly target: string;
  readonly out: string;
  readonly model?: string;
  readonly weights?: string;
  readonly force?: boolean;
}

export function registerBuild(program: Command, io: Io): void {
  withCompileFlags(program
    .command('build')
    .description('generate code for one model with a backend, written atomically into a folder')
    .argument('<file>', '.spinal file')
    .requiredOption('--target <name>', `the backend: ${targetNames().join(', ')}`)
    .requiredOption('--out <dir>', 'output folder; created if missing, left as it was if the build fails')
    .option('--model <name>', 'the model to build (required when the file declares several)')
    .option('--weights <file>', 'safetensors weights of the model; what the target does with them is below')
    .option('--force', 'overwrite files in the folder that spinal did not write'))
    .addHelpText('after', [
      '',
      '--weights, by target:',
      ...targetNames().map((t) => `  ${t.padEnd(5)} ${WEIGHTS_USE[t]?.does ?? 'not used'}`),
      '',
      'spinal records what it wrote in DIR/.spinal-manifest.json and refuses to overwrite any other',
      'file (or one edited since) unless --force is given.',
      '',
      'Example:',
      '  spinal build samples/mnist_cnn.spinal --model mnist_cnn_spinal --target tfjs --out build/',
    ].join('\n'))
    .action(async (file: string, options: BuildOptions) => (await import('./actions/build.js')).build(file, options, io));
}
