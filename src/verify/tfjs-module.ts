// Running a generated tfjs module for real: emit it, transpile it (types only), import it.
// The module's `@tensorflow/tfjs-core` import is pinned to the copy this package resolves, so
// the module, its caller and the backends registered here share one tfjs engine.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Graph } from '../ir/graph.js';
import { emitTfjs } from '../backends/tfjs/index.js';

import { moduleInput, type TfjsInput, type TfjsInputSizes } from './tfjs-input.js';

type Tf = typeof import('@tensorflow/tfjs-core');

/** What every generated module exports (see src/backends/tfjs/module.ts). */
export interface TfjsModule extends TfjsInputSizes {
  readonly outputSize: number;
  readonly macs: number;
  load(weights: Uint8Array): TfjsModel;
}

export interface TfjsModel {
  predict(x: TfjsInput): import('@tensorflow/tfjs-core').Tensor2D;
  dispose(): void;
}

export type TfjsBackendName = 'cpu' | 'wasm';

/** tfjs-core with `backend` registered and selected. tfjs is a peer of the generated code, not of spinal. */
export async function tfjsWithBackend(backend: TfjsBackendName): Promise<Tf> {
  let tf: Tf;
  try {
    tf = await import('@tensorflow/tfjs-core');
    await (backend === 'cpu' ? import('@tensorflow/tfjs-backend-cpu') : import('@tensorflow/tfjs-backend-wasm'));
  } catch {
    throw new Error(`running tfjs code needs the npm packages @tensorflow/tfjs-core and @tensorflow/tfjs-backend-${backend}`);
  }
  // Silences tfjs's advice to install tfjs-node, printed on first use in Node.
  tf.env().set('PROD', true);
  if (!(await tf.setBackend(backend))) throw new Error(`the tfjs ${backend} backend failed to initialize`);
  await tf.ready();
  return tf;
}

/** Emits the module for an optimized graph into `dir` and imports it. */
export async function importTfjsModule(graph: Graph, dir: string): Promise<TfjsModule> {
  const tfjsCore = import.meta.resolve('@tensorflow/tfjs-core');
  const [file] = emitTfjs(graph, { tfjsCore });
  const { ts } = await import('ts-morph');
  const js = ts.transpileModule(file.contents as string, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const path = join(dir, file.path.replace(/\.ts$/, '.mjs'));
  writeFileSync(path, js);
  return (await import(pathToFileURL(path).href)) as TfjsModule;
}

/** One batch through the module on the current tfjs backend; no tensor outlives the call. */
export function runBatch(tf: Tf, module: TfjsModule, weights: Uint8Array, x: Float32Array, batch: number): Float32Array {
  const model = module.load(weights);
  try {
    const input = moduleInput(tf, module, x, batch);
    try {
      const y = model.predict(input);
      const values = Float32Array.from(y.dataSync());
      y.dispose();
      return values;
    } finally {
      tf.dispose(input);
    }
  } finally {
    model.dispose();
  }
}
