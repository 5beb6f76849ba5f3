// The C++ backend: `<model>.hpp`, a header-only, dependency-free C++17 inference library.
import type { Backend, EmittedFile } from '../backend.js';
import type { Graph } from '../../ir/graph.js';
import { cppNames, emitCpp, type CppOptions } from './emit.js';

export { cppNames, emitCpp, type CppOptions };

export function emitCppFiles(graph: Graph, options: CppOptions = {}): EmittedFile[] {
  return [{ path: cppNames(graph).file, contents: emitCpp(graph, options) }];
}

export const cppBackend: Backend = {
  name: 'cpp',
  description: 'header-only C++17 (standard library only): safetensors loader, vectorized batch kernels',
  emit: (graph, options) => emitCppFiles(graph, options),
};

export default cppBackend;
