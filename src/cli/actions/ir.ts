// `spinal ir`'s work: every model's graph after the chosen passes, as text or JSON.
import type { Io } from '../io.js';
import type { IrOptions } from '../ir.js';
import { compileFiles } from '../load.js';
import { checkOptionsFrom, rewrites } from '../options.js';
import { renderGraph } from '../../ir/print.js';
import { optimize } from '../../passes/optimize.js';
import { planMemory, type MemoryPlan } from '../../passes/plan-memory.js';

export function ir(files: readonly string[], options: IrOptions, io: Io): void {
  const graphs = compileFiles(files, io, checkOptionsFrom(options)).flatMap((f) =>
    f.models.map((m) => optimize(m.graph, { passes: rewrites(options.passes) })),
  );
  const plans = options.passes.includes('plan-memory') ? graphs.map((g) => planMemory(g)) : undefined;
  if (options.json) {
    const models = graphs.map((g, i) => (plans ? { ...g, memory: memoryJson(plans[i]) } : g));
    io.out(`${JSON.stringify({ models }, null, 2)}\n`);
    return;
  }
  io.out(graphs.map((g, i) => renderGraph(g) + (plans ? renderPlan(plans[i]) : '')).join('\n'));
}

function memoryJson(plan: MemoryPlan) {
  return { arenaFloats: plan.arenaFloats, peakBytes: plan.peakBytes, copiedBytes: plan.copiedBytes, buffers: plan.buffers };
}

/** The memory plan under a graph: the arena, then each buffer's place in it. */
export function renderPlan(plan: MemoryPlan): string {
  const lines = [`  memory: arena ${plan.arenaFloats} floats per sample, peak ${plan.peakBytes} bytes, ${plan.copiedBytes} bytes copied`];
  for (const b of plan.buffers) lines.push(`    ${b.id} at ${b.offset}: ${b.floats} floats, live from node ${b.firstUse} to ${b.lastUse}`);
  return `${lines.join('\n')}\n`;
}
