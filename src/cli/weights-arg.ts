// `--weights W` for build and verify: the file read, checked against the model, its problems
// turned into user errors (exit 1) that name every misfit tensor.
import type { Graph } from '../ir/graph.js';
import { tensorSpecs } from '../ir/tensors.js';
import { checkBatchnorms } from '../ir/materialize.js';
import { readBinaryFile } from '../weights/files.js';
import { readSafetensors } from '../weights/safetensors.js';
import { checkWeights } from '../weights/validate.js';
import { WeightsError } from '../tensor/errors.js';
import type { Weights } from '../tensor/tensor.js';
import { UserError } from './errors.js';

export interface ModelWeights {
  readonly weights: Weights;
  /** The file's bytes as they are on disk. */
  readonly bytes: Uint8Array;
}

export function readModelWeights(path: string, graph: Graph): ModelWeights {
  try {
    const bytes = readBinaryFile(path);
    const weights = readSafetensors(bytes);
    checkWeights(weights, tensorSpecs(graph), graph.name);
    checkBatchnorms(graph, weights);
    return { weights, bytes };
  } catch (e) {
    if (e instanceof WeightsError) throw new UserError(e.message.startsWith(`cannot read '${path}'`) ? e.message : `'${path}': ${e.message}`);
    throw e;
  }
}
