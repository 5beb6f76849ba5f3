// Shared by the WGSL tests: build a model's host module from source text and compare it with
// the interpreter.
import { mkdtempSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../../../src/compile.js';
import type { Graph } from '../../../src/ir/graph.js';
import { optimize } from '../../../src/passes/optimize.js';
import { emitWgsl } from '../../../src/backends/wgsl/index.js';
import { importHost, type HostModule } from '../../../src/verify/wgsl.js';

/** The batch kernels a host can be told to run; every device test runs with each. */
export const BATCH_KERNELS = ['tiled', 'register'] as const;

const OUT_ROOT = join(process.cwd(), 'test', '.out', 'wgsl');

export function optimizedGraphs(path: string, text: string): Graph[] {
  const compiled = compile({ path, text });
  if (compiled.diagnostics.some((d) => d.severity === 'error')) {
    throw new Error(`${path}: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  }
  return compiled.models.map((m) => optimize(m.graph));
}

/** Emits the graph's files and imports its host module. */
export async function buildHost(graph: Graph): Promise<HostModule> {
  mkdirSync(OUT_ROOT, { recursive: true });
  const dir = mkdtempSync(join(OUT_ROOT, `${graph.name}-`));
  const host = emitWgsl(graph).find((f) => f.path.endsWith('.ts'))!;
  return importHost(host.contents as string, dir, graph.name);
}

/** Largest |a - b| / (atol + rtol |b|); at most 1 means within tolerance. */
export function worstError(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-5, rtol = 1e-4): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length}, expected ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / (atol + rtol * Math.abs(expected[i]));
    if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : err;
  }
  return worst;
}
