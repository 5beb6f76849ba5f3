// The weights API: safetensors files, initialization, checking against a model, PyTorch import.
export type { Tensor, TensorSpec, Weights } from '../tensor/tensor.js';
export { WeightsError } from '../tensor/errors.js';
export { readSafetensors, readSafetensorsWithMetadata, writeSafetensors, encodeSafetensors, type RawTensor, type ReadOptions, type WriteOptions } from './safetensors.js';
export { checkWeights, weightProblems } from './validate.js';
export { initWeights, randomizeBatchnorm, type InitOptions, type Seed } from './init.js';
export { importTorchWeights, type TorchImport, type TorchImportOptions } from './torch-import.js';
export { mapTorchNames, detectPrefix, type TorchNameMap } from './torch-names.js';
export { readBinaryFile, readWeightsFile, writeFileAtomic } from './files.js';
