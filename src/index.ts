// The public API: each stage of the pipeline as one function, plus the types they exchange.
//   source --parse--> AST --check--> specs --lower--> graph --optimize--> graph --emit--> files
//                                                       \--interpret--> reference numbers
import { BACKENDS, targetNames } from './backends/index.js';
import type { EmitOptions, EmittedFile } from './backends/backend.js';
import type { Graph } from './ir/graph.js';

export { parse, type ParseResult } from './syntax/parse.js';
export { check, type CheckOptions, type CheckResult } from './check/check.js';
export { compile, type CompiledFile, type CompiledModel } from './compile.js';
export { lower } from './ir/lower.js';
export { optimize, PASS_ORDER, type PassName, type OptimizeOptions } from './passes/optimize.js';
export { count, type Counts, type LayerCount } from './passes/count.js';
export { planMemory, type MemoryPlan } from './passes/plan-memory.js';
export { interpret } from './ir/interpret.js';
export { tensorSpecs } from './ir/tensors.js';
export { denseBaseline } from './check/baseline.js';
export { renderDiagnostics } from './diagnostics/render.js';
export { verify, type VerifyRequest, type VerifyReport } from './verify/run.js';
export * from './weights/index.js';
export type * from './syntax/ast.js';
export type { Position, Range } from './diagnostics/source.js';
export type * from './ir/graph.js';
export type { ModelSpec, LayerSpec } from './check/spec.js';
export type { Diagnostic, Severity, SourceFile } from './diagnostics/diagnostic.js';
export type { Backend, EmitOptions, EmittedFile } from './backends/backend.js';

/** Generates a target's files for an optimized graph (see `targets()` for the names). */
export async function emit(graph: Graph, target: string, options: EmitOptions = {}): Promise<EmittedFile[]> {
  const load = BACKENDS[target];
  if (!load) throw new Error(`unknown target '${target}'; the targets are ${targetNames().join(', ')}`);
  return (await load()).emit(graph, options);
}

export function targets(): string[] {
  return targetNames();
}
