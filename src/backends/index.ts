// The registry of code generators, by `--target` name. Loaded lazily: a backend's
// dependencies (ts-morph, handlebars) are only paid for when it is used.
import type { Backend } from './backend.js';

export const BACKENDS: Readonly<Record<string, () => Promise<Backend>>> = {
  tfjs: async () => (await import('./tfjs/index.js')).tfjsBackend,
  wgsl: async () => (await import('./wgsl/index.js')).wgslBackend,
  onnx: async () => (await import('./onnx/index.js')).onnxBackend,
  cpp: async () => (await import('./cpp/index.js')).cppBackend,
};

export function targetNames(): string[] {
  return Object.keys(BACKENDS);
}
