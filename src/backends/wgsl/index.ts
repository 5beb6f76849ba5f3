// The WGSL backend: `<model>.wgsl` (every compute shader, to read and for WGSL tools) and
// `<model>.ts` (a WebGPU host that carries the same shader text, loads safetensors weights and
// runs the model). See docs/ir.md for the graph it consumes.
import type { Backend, EmittedFile } from '../backend.js';
import type { Graph } from '../../ir/graph.js';
import { planModel } from './plan.js';
import { renderShader } from './shader.js';
import { renderHost } from './host.js';
import { fileStem } from '../file-stem.js';

export function emitWgsl(graph: Graph): EmittedFile[] {
  const plan = planModel(graph);
  const shader = renderShader(plan);
  return [
    { path: `${fileStem(graph.name)}.wgsl`, contents: shader },
    { path: `${fileStem(graph.name)}.ts`, contents: renderHost(plan, shader) },
  ];
}

export const wgslBackend: Backend = {
  name: 'wgsl',
  description: 'WebGPU compute shaders (WGSL) with a TypeScript host module',
  emit: (graph) => emitWgsl(graph),
};

export default wgslBackend;
