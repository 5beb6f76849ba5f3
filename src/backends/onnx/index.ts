// The ONNX backend: `DIR/<model>.onnx`, a standard model with the weights as initializers.
import { BackendInputError, type Backend } from '../backend.js';
import { exportOnnx } from './export.js';
import { fileStem } from '../file-stem.js';
import type { Graph } from '../../ir/graph.js';
import { option } from '../../diagnostics/option.js';

export const onnxBackend: Backend = {
  name: 'onnx',
  description: 'ONNX model (opset 17) with the weights, batchnorm folded, as initializers',
  emit(graph, options) {
    if (!options.weights) throw new BackendInputError(`the onnx target embeds the weights: give them with ${option('weights')}`);
    checkProtobufSize(graph);
    return [{ path: `${fileStem(graph.name)}.onnx`, contents: exportOnnx(graph, options.weights) }];
  },
};

/** A protobuf message, so a whole .onnx file, is at most 2 GiB: ONNX Runtime refuses a larger one. */
export const MAX_ONNX_WEIGHT_BYTES = 2 ** 31 - 2 ** 24; // 16 MiB left for the graph itself

/** Refuses, before any weight is converted, a model whose float32 initializers cannot fit in one .onnx file. */
function checkProtobufSize(graph: Graph): void {
  const bytes = graph.nodes.reduce((n, node) => n + (node.op === 'dense' ? 4 * node.shape[0] * (node.inFeatures + 1) : 0), 0);
  if (bytes > MAX_ONNX_WEIGHT_BYTES) {
    throw new BackendInputError(`model '${graph.name}' has ${bytes} bytes of weights; an .onnx file holds at most 2 GiB (ONNX Runtime's protobuf limit): use another target`);
  }
}

export default onnxBackend;
export { exportOnnx, DEFAULT_STRATEGY, OPSET, type MultiInputStrategy, type OnnxExportOptions } from './export.js';
