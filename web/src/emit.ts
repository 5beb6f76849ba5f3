// The code generators, loaded by the worker when it first needs them (they bring TypeScript,
// through ts-morph, which also compiles the generated modules to JavaScript for a run).
import { ts } from 'ts-morph';
import { emitTfjs } from '../../src/backends/tfjs/index.js';
import { emitWgsl } from '../../src/backends/wgsl/index.js';
import { emitCppFiles } from '../../src/backends/cpp/index.js';
import type { Graph } from '../../src/ir/graph.js';

/** The tabs' code for an optimized graph: the tfjs module, the WGSL shader with its host, the C++ header. */
export function generatedCode(graph: Graph): { tfjs: string; wgsl: string; cpp: string } {
  const wgsl = emitWgsl(graph).map((f) => `// ${f.path}\n${text(f.contents)}`).join('\n');
  return { tfjs: text(emitTfjs(graph)[0].contents), wgsl, cpp: text(emitCppFiles(graph)[0].contents) };
}

/** The tfjs module and the WebGPU host, as JavaScript modules the page can import. */
export function runnableModules(graph: Graph): { tfjs: string; wgsl: string } {
  const host = emitWgsl(graph).find((f) => f.path.endsWith('.ts'))!;
  return { tfjs: javascript(text(emitTfjs(graph)[0].contents)), wgsl: javascript(text(host.contents)) };
}

function text(contents: string | Uint8Array): string {
  return typeof contents === 'string' ? contents : new TextDecoder().decode(contents);
}

function javascript(source: string): string {
  return ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}
