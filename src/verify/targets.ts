// The registry of verify targets, by name (`--targets tfjs,cpp,...`), loaded lazily. A target's
// runtime is an optional package: loading a target whose package is missing fails at once, with
// the install command (src/optional-packages.ts).
import type { VerifyTarget } from './target.js';
import { requirePackages } from '../optional-packages.js';

function needs(target: string, packages: readonly string[]): void {
  requirePackages(`target '${target}'`, packages);
}

export const VERIFY_TARGETS: Readonly<Record<string, () => Promise<VerifyTarget>>> = {
  tfjs: async () => {
    needs('tfjs', ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu']);
    return (await import('./tfjs.js')).tfjsCpuTarget;
  },
  'tfjs-wasm': async () => {
    needs('tfjs-wasm', ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm']);
    return (await import('./tfjs.js')).tfjsWasmTarget;
  },
  wgsl: async () => {
    needs('wgsl', ['webgpu']);
    return (await import('./wgsl.js')).wgslTarget;
  },
  onnx: async () => {
    needs('onnx', ['onnxruntime-node']);
    return (await import('./onnx.js')).onnxTarget;
  },
  cpp: async () => (await import('./cpp.js')).cppTarget,
};
