// A dense layer reads its inputs where they are: each input is a run of features in a buffer
// (from a column, by a stride). Runs that continue each other in one buffer (a spinal block's
// outputs side by side, interleaved rows) are read as one operand: one loop, one matrix product.
// One planner for the backends that read in place (C++ and WGSL).
import type { DenseNode } from '../ir/graph.js';

/** `count` features of each row of `buffer`: element i is at `column + i * stride`. */
export interface Run<B> {
  readonly buffer: B;
  readonly column: number;
  readonly stride: number;
  readonly count: number;
}

/** `a` then `b` as one run, when b's features continue a's progression in the same buffer. */
export function joinRuns<B>(a: Run<B>, b: Run<B>): Run<B> | undefined {
  if (a.buffer !== b.buffer) return undefined;
  // A run of one feature has no stride of its own: it takes its neighbour's.
  const stride = a.count > 1 ? a.stride : b.count > 1 ? b.stride : b.column - a.column;
  if (stride < 1 || (a.count > 1 && a.stride !== stride) || (b.count > 1 && b.stride !== stride)) return undefined;
  if (b.column !== a.column + a.count * stride) return undefined;
  return { buffer: a.buffer, column: a.column, stride, count: a.count + b.count };
}

/** An input of a dense layer: its run and the first weight column it meets. */
export interface Part<B> extends Run<B> {
  readonly weightColumn: number;
}

/**
 * A dense layer's input parts in weight-column order, checked to cover its columns one after
 * another, neighbours that continue each other merged by `combine` (given the joined run).
 */
export function mergeParts<B, P extends Part<B>>(backend: string, node: DenseNode, parts: readonly P[], combine: (a: P, b: P, run: Run<B>) => P): P[] {
  const sorted = [...parts].sort((a, b) => a.weightColumn - b.weightColumn);
  let at = 0;
  for (const p of sorted) {
    if (p.weightColumn !== at) throw new Error(`${backend} backend: the inputs of '${node.id}' do not cover its weight columns one after another`);
    at += p.count;
  }
  if (at !== node.inFeatures) throw new Error(`${backend} backend: the inputs of '${node.id}' hold ${at} features, its weight ${node.inFeatures} columns`);
  const merged: P[] = [];
  for (const part of sorted) {
    const last = merged[merged.length - 1];
    const run = last ? joinRuns<B>(last, part) : undefined;
    if (last && run) merged[merged.length - 1] = combine(last, part, run);
    else merged.push(part);
  }
  return merged;
}
