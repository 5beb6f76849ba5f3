// `spinal ir`'s work: every model's graph after the chosen passes, as text or JSON.
import type { Io } from '../io.js';
import type { IrOptions } from '../ir.js';
import { compileFiles } from '../load.js';
import { checkOptionsFrom, rewrites } from '../options.js';
import type { Graph, IrNode } from '../../ir/graph.js';
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

export function renderGraph(g: Graph): string {
  const lines = [`model ${g.name}: ${g.inputSize} -> ${g.outputSize}`];
  for (const n of g.nodes) lines.push(`  ${n.id} = ${n.op}(${n.inputs.join(', ')})${attributes(n)} : [${n.shape[0]}]`);
  return `${lines.join('\n')}\n`;
}

function attributes(n: IrNode): string {
  switch (n.op) {
    case 'slice': return ` start=${n.start} stride=${n.stride}`;
    case 'dense': {
      const parts = [`act=${n.activation}`, `in=${n.inFeatures}`];
      if (n.inputs.length > 1) parts.push(`columns=${n.columns.join(',')}`);
      // a tied sub-layer computes with its owner's Linear
      if (n.weight !== `${n.layer}.weight`) parts.push(`tied=${n.weight.replace(/\.weight$/, '')}`);
      if (n.foldOut.length) parts.push(`folded-bn-after=${n.foldOut.length}`);
      if (n.foldIn.length) parts.push(`folded-bn-before=${n.foldIn.length}`);
      if (n.place) parts.push(`into=${n.place.buffer}[${n.place.column}:${n.place.column + n.shape[0]}]`);
      return ` ${parts.join(' ')}`;
    }
    case 'dropout': return ` p=${n.p}`;
    case 'activation': return ` ${n.activation}`;
    default: return '';
  }
}
