// `spinal init`'s work: a model's initial weights, written atomically.
import { statSync } from 'node:fs';
import type { Io } from '../io.js';
import type { InitOptions } from '../init.js';
import { UserError } from '../errors.js';
import { compileFiles, pickModel } from '../load.js';
import { checkOptionsFrom } from '../options.js';
import { int } from '../../report/format.js';
import { initWeights } from '../../weights/init.js';
import { writeSafetensors } from '../../weights/safetensors.js';
import { writeFileAtomic } from '../../weights/files.js';
import { WeightsError } from '../../tensor/errors.js';
import type { Weights } from '../../tensor/tensor.js';

export function init(file: string, options: InitOptions, io: Io): void {
  if (!options.force && statSync(options.out, { throwIfNoEntry: false })?.isFile()) throw new UserError(`'${options.out}' exists; add --force to replace it`);
  const [compiled] = compileFiles([file], io, checkOptionsFrom(options));
  const model = pickModel(compiled, options.model);
  const metadata = { model: model.spec.name, init: `seed=${options.seed}${options.randomBatchnorm ? ' random-batchnorm' : ''}` };
  let weights: Weights;
  try {
    weights = initWeights(model.graph, options.seed, { batchnorm: options.randomBatchnorm ? 'random' : 'default' });
    writeFileAtomic(options.out, writeSafetensors(weights, metadata));
  } catch (e) {
    throw e instanceof WeightsError ? new UserError(e.message) : e;
  }
  io.err(`wrote '${options.out}': ${summary(weights)} of model '${model.spec.name}' (seed ${options.seed})\n`);
}

/** "14 tensors, 2,474 numbers". */
export function summary(weights: Weights): string {
  const numbers = [...weights.values()].reduce((a, t) => a + t.data.length, 0);
  return `${weights.size} tensor${weights.size === 1 ? '' : 's'}, ${int(numbers)} number${numbers === 1 ? '' : 's'}`;
}
