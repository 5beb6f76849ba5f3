// `spinal build`'s work: the optimized model through a backend, written into a folder all or
// nothing (src/output).
import type { Io } from '../io.js';
import type { BuildOptions } from '../build.js';
import { UsageError, UserError } from '../errors.js';
import { compileFiles, pickModel } from '../load.js';
import { checkOptionsFrom } from '../options.js';
import { readModelWeights } from '../weights-arg.js';
import { BACKENDS, targetNames, WEIGHTS_USE } from '../../backends/index.js';
import { optimize } from '../../passes/optimize.js';
import { writeOutput, OutputError } from '../../output/index.js';
import { BackendInputError, type Backend } from '../../backends/backend.js';
import type { Graph } from '../../ir/graph.js';
import type { Weights } from '../../tensor/tensor.js';

export async function build(file: string, options: BuildOptions, io: Io): Promise<void> {
  const loadBackend = BACKENDS[options.target];
  if (!loadBackend) throw new UsageError(`unknown target '${options.target}'; choose one of ${targetNames().join(', ')}`);
  if (WEIGHTS_USE[options.target]?.required && options.weights === undefined) {
    throw new UsageError(`--target ${options.target} needs --weights W.safetensors: the weights are ${WEIGHTS_USE[options.target].does.replace(/^required: /, '')}`);
  }
  const [compiled] = compileFiles([file], io, checkOptionsFrom(options));
  const model = pickModel(compiled, options.model);
  const graph = optimize(model.graph);
  const weights = options.weights === undefined ? undefined : readModelWeights(options.weights, model.graph).weights;
  const backend = await loadBackend();
  const files = await emitFiles(backend, graph, weights);
  try {
    const { written, recovered } = writeOutput(options.out, files, {
      force: options.force,
      lock: { onWait: (holder) => io.err(`waiting for another spinal build (process ${holder.pid}) writing into '${options.out}'\n`) },
    });
    if (recovered) io.err(`note: ${recovered} in '${options.out}'\n`);
    io.err(`wrote ${written.map((p) => `'${p}'`).join(', ')} into '${options.out}' (model '${model.spec.name}', target ${backend.name})\n`);
  } catch (e) {
    throw e instanceof OutputError ? new UserError(e.message) : e;
  }
}

async function emitFiles(backend: Backend, graph: Graph, weights: Weights | undefined) {
  try {
    return await backend.emit(graph, weights ? { weights } : {});
  } catch (e) {
    throw e instanceof BackendInputError ? new UserError(e.message) : e;
  }
}
