// The TensorFlow.js backend: one self-contained TypeScript module per model, `<model>.ts`
// (file stem from names.ts), plus the weights beside it when the build is given them.
import type { Backend, EmitOptions, EmittedFile } from '../backend.js';
import type { Graph } from '../../ir/graph.js';
import { writeSafetensors } from '../../weights/safetensors.js';
import { planProgram } from './plan.js';
import { moduleSource, type ModuleOptions } from './module.js';
import { fileStem } from './names.js';

export { fileStem, identifier } from './names.js';
export { planProgram, type Program } from './plan.js';

export interface TfjsEmitOptions extends EmitOptions, ModuleOptions {}

/** `graph` must be optimized (docs/ir.md). */
export function emitTfjs(graph: Graph, options: TfjsEmitOptions = {}): EmittedFile[] {
  const stem = fileStem(graph.name);
  const files: EmittedFile[] = [{ path: `${stem}.ts`, contents: moduleSource(planProgram(graph), options) }];
  if (options.weights) files.push({ path: `${stem}.safetensors`, contents: writeSafetensors(options.weights, { model: graph.name }) });
  return files;
}

export const tfjsBackend: Backend = {
  name: 'tfjs',
  description: 'a TypeScript module for TensorFlow.js (@tensorflow/tfjs-core): load(weights), predict(x)',
  emit: (graph, options) => emitTfjs(graph, options),
};
