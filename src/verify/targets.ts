// The registry of verify targets, by name (`--targets tfjs,cpp,...`), loaded lazily.
import type { VerifyTarget } from './target.js';

export const VERIFY_TARGETS: Readonly<Record<string, () => Promise<VerifyTarget>>> = {
  tfjs: async () => (await import('./tfjs.js')).tfjsCpuTarget,
  'tfjs-wasm': async () => (await import('./tfjs.js')).tfjsWasmTarget,
  wgsl: async () => (await import('./wgsl.js')).wgslTarget,
  onnx: async () => (await import('./onnx.js')).onnxTarget,
  cpp: async () => (await import('./cpp.js')).cppTarget,
};
