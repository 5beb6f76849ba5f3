// plan-memory: every materialized tensor gets an offset in one arena of float32s per sample,
// reusing the space of tensors no longer read. Views (slices, dropouts, the output marker)
// and outputs placed into a shared buffer take no space of their own.
import type { Graph, IrNode } from '../ir/graph.js';

export interface BufferPlan {
  /** A node id, or the shared buffer a fused concatenation's parts are written into. */
  readonly id: string;
  readonly floats: number;
  /** Offset in the arena, in floats per sample. */
  readonly offset: number;
  /** Index range of the nodes (in graph order) during which the buffer must be kept. */
  readonly firstUse: number;
  readonly lastUse: number;
}

export interface MemoryPlan {
  readonly buffers: readonly BufferPlan[];
  /** Buffer holding each node's values (views point at their source's buffer). */
  readonly bufferOf: ReadonlyMap<string, string>;
  readonly arenaFloats: number;
  /** Largest total of simultaneously live tensors, in bytes per sample. */
  readonly peakBytes: number;
  /** Bytes per sample that concat nodes copy. */
  readonly copiedBytes: number;
}

const VIEWS = new Set<IrNode['op']>(['slice', 'dropout', 'output']);

export interface PlanOptions {
  /**
   * Buffers that live outside the arena (a backend reads the input from the caller's array
   * and writes the result into the caller's): they get no space and no entry in `buffers`.
   */
  readonly external?: ReadonlySet<string>;
}

export function planMemory(graph: Graph, options: PlanOptions = {}): MemoryPlan {
  const bufferOf = new Map<string, string>();
  const floats = new Map<string, number>();
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  graph.nodes.forEach((n, i) => {
    const buffer = VIEWS.has(n.op) ? bufferOf.get(n.inputs[0])! : n.op === 'dense' && n.place ? n.place.buffer : n.id;
    bufferOf.set(n.id, buffer);
    if (!VIEWS.has(n.op)) {
      floats.set(buffer, n.op === 'dense' && n.place ? n.place.width : n.shape[0]);
      if (!first.has(buffer)) first.set(buffer, i);
    }
    for (const id of n.inputs) last.set(bufferOf.get(id)!, i);
    last.set(buffer, Math.max(last.get(buffer) ?? i, i));
  });
  const end = graph.nodes.length - 1;
  last.set(bufferOf.get(graph.nodes[end].id)!, end); // the result is read after the graph

  // Buffers in order of first use: an earlier one overlaps this one's lifetime exactly when
  // it is still in use at this one's first use, so only those are kept in `active`.
  const order = [...floats.keys()].sort((a, b) => first.get(a)! - first.get(b)!);
  const buffers: BufferPlan[] = [];
  let active: BufferPlan[] = [];
  for (const id of order) {
    if (options.external?.has(id)) continue;
    const size = floats.get(id)!;
    const [firstUse, lastUse] = [first.get(id)!, last.get(id)!];
    active = active.filter((b) => b.lastUse >= firstUse);
    let offset = 0;
    for (const b of active) {
      if (offset + size <= b.offset) break;
      offset = Math.max(offset, b.offset + b.floats);
    }
    const placed = { id, floats: size, offset, firstUse, lastUse };
    buffers.push(placed);
    active.push(placed);
    active.sort((a, b) => a.offset - b.offset);
  }
  const peak = peakFloats(buffers, end);
  const copied = graph.nodes.filter((n) => n.op === 'concat').reduce((a, n) => a + n.shape[0], 0);
  return {
    buffers,
    bufferOf,
    arenaFloats: buffers.reduce((a, b) => Math.max(a, b.offset + b.floats), 0),
    peakBytes: peak * 4,
    copiedBytes: copied * 4,
  };
}

/** The most floats live at once, by a sweep over the buffers' first and last uses. */
function peakFloats(buffers: readonly BufferPlan[], end: number): number {
  const delta = new Float64Array(end + 2);
  for (const b of buffers) {
    delta[b.firstUse] += b.floats;
    delta[b.lastUse + 1] -= b.floats;
  }
  let live = 0;
  let peak = 0;
  for (let i = 0; i <= end; i++) {
    live += delta[i];
    peak = Math.max(peak, live);
  }
  return peak;
}
