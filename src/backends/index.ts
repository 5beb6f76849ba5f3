// The registry of code generators, by `--target` name. Loaded lazily: a backend's
// dependencies (ts-morph, handlebars) are only paid for when it is used.
import type { Backend } from './backend.js';

export const BACKENDS: Readonly<Record<string, () => Promise<Backend>>> = {
  tfjs: async () => (await import('./tfjs/index.js')).tfjsBackend,
  wgsl: async () => (await import('./wgsl/index.js')).wgslBackend,
  onnx: async () => (await import('./onnx/index.js')).onnxBackend,
  cpp: async () => (await import('./cpp/index.js')).cppBackend,
};

/** What `spinal build --weights W` does for each target (its help says so), and which need them. */
export const WEIGHTS_USE: Readonly<Record<string, { readonly does: string; readonly required?: true }>> = {
  tfjs: { does: 'checked against the model, and written beside the module as <model>.safetensors for load()' },
  wgsl: { does: 'checked against the model only: the host reads weights at run time (createModel(device, bytes))' },
  onnx: { does: 'required: stored in the .onnx file as initializers', required: true },
  cpp: { does: 'compiled into the header as constants, so the program reads no weights file' },
};

export function targetNames(): string[] {
  return Object.keys(BACKENDS);
}
