// The ONNX backend: `DIR/<model>.onnx`, a standard model with the weights as initializers.
import { BackendInputError, type Backend } from '../backend.js';
import { exportOnnx } from './export.js';
import { fileStem } from '../file-stem.js';

export const onnxBackend: Backend = {
  name: 'onnx',
  description: 'ONNX model (opset 17) with the weights, batchnorm folded, as initializers',
  emit(graph, options) {
    if (!options.weights) throw new BackendInputError('the onnx target embeds the weights: give them with --weights W.safetensors');
    return [{ path: `${fileStem(graph.name)}.onnx`, contents: exportOnnx(graph, options.weights) }];
  },
};

export default onnxBackend;
export { exportOnnx, DEFAULT_STRATEGY, OPSET, type MultiInputStrategy, type OnnxExportOptions } from './export.js';
