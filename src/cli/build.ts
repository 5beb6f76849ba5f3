// `spinal build FILE --target T --out DIR`: the optimized model through a backend, written
// into DIR all or nothing (src/output). Any registered backend (src/backends/index.ts) works.
import type { Command } from 'commander';
import type { Io } from './io.js';
import { UsageError, UserError } from './errors.js';
import { compileFiles, pickModel } from './load.js';
import { checkOptionsFrom, withCompileFlags, type CompileFlags } from './options.js';
import { readModelWeights } from './weights-arg.js';
import { BACKENDS, targetNames } from '../backends/index.js';
import { optimize } from '../passes/optimize.js';
import { writeOutput, OutputError } from '../output/index.js';
import { BackendInputError, type Backend } from '../backends/backend.js';
import type { Graph } from '../ir/graph.js';
import type { Weights } from '../weights/tensor.js';

interface BuildOptions extends CompileFlags {
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
    .option('--weights <file>', 'safetensors weights: checked against the model and written beside the code')
    .option('--force', 'overwrite files in the folder that spinal did not write'))
    .addHelpText('after', [
      '',
      'spinal records what it wrote in DIR/.spinal-manifest.json and refuses to overwrite any other',
      'file (or one edited since) unless --force is given.',
      '',
      'Example:',
      '  spinal build samples/mnist_cnn.spinal --model mnist_cnn_spinal --target tfjs --out build/',
    ].join('\n'))
    .action(async (file: string, options: BuildOptions) => {
      const loadBackend = BACKENDS[options.target];
      if (!loadBackend) throw new UsageError(`unknown target '${options.target}'; choose one of ${targetNames().join(', ')}`);
      const [compiled] = compileFiles([file], io, checkOptionsFrom(options));
      const model = pickModel(compiled, options.model);
      const graph = optimize(model.graph);
      const weights = options.weights === undefined ? undefined : readModelWeights(options.weights, model.graph).weights;
      const backend = await loadBackend();
      const files = await emitFiles(backend, graph, weights);
      try {
        const { written } = writeOutput(options.out, files, { force: options.force });
        io.err(`wrote ${written.map((p) => `'${p}'`).join(', ')} into '${options.out}' (model '${model.spec.name}', target ${backend.name})\n`);
      } catch (e) {
        throw e instanceof OutputError ? new UserError(e.message) : e;
      }
    });
}

async function emitFiles(backend: Backend, graph: Graph, weights: Weights | undefined) {
  try {
    return await backend.emit(graph, weights ? { weights } : {});
  } catch (e) {
    throw e instanceof BackendInputError ? new UserError(e.message) : e;
  }
}
