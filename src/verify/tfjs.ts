// Verify targets `tfjs` (the tfjs CPU backend, plain JavaScript) and `tfjs-wasm` (the WASM
// backend, XNNPACK kernels): the generated module, imported and run on the batch.
import type { VerifyInput, VerifyTarget } from './target.js';
import { importTfjsModule, runBatch, tfjsWithBackend, type TfjsBackendName } from './tfjs-module.js';

export function tfjsTarget(name: string, backend: TfjsBackendName): VerifyTarget {
  return {
    name,
    async run(input: VerifyInput): Promise<Float32Array> {
      const tf = await tfjsWithBackend(backend);
      const module = await importTfjsModule(input.graph, input.workDir);
      return runBatch(tf, module, input.weightsBytes, input.x, input.batch);
    },
  };
}

export const tfjsCpuTarget = tfjsTarget('tfjs', 'cpu');
export const tfjsWasmTarget = tfjsTarget('tfjs-wasm', 'wasm');
