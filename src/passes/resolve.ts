// Follows a tensor back through views (slices, dropouts), and optionally through concatenations
// and batchnorms, to the tensors that really hold its features. Fuse-concat and the forward
// batchnorm fold both rewrite a dense's inputs as these segments.
import type { BatchnormParams, DenseNode, InputFold, IrNode, SliceNode } from '../ir/graph.js';

export interface SegmentFold {
  readonly bn: BatchnormParams;
  readonly feature: number;
  readonly stride: number;
}

/** Features `start, start + stride, ...` (count of them) of `source`, landing at `at` in the request. */
export interface Segment {
  readonly source: IrNode;
  readonly start: number;
  readonly stride: number;
  readonly count: number;
  readonly at: number;
  /** Batchnorms between the source and the reader, nearest to the reader first. */
  readonly folds: readonly SegmentFold[];
}

export interface Through {
  readonly concat: boolean;
  readonly batchnorm: boolean;
}

export function resolve(byId: ReadonlyMap<string, IrNode>, node: IrNode, start: number, stride: number, count: number, through: Through): Segment[] {
  const input = (k = 0) => byId.get(node.inputs[k])!;
  switch (node.op) {
    case 'dropout':
      return resolve(byId, input(), start, stride, count, through);
    case 'slice':
      return resolve(byId, input(), node.start + start * node.stride, stride * node.stride, count, through);
    case 'concat':
      if (through.concat) return resolveConcat(byId, node, start, stride, count, through);
      break;
    case 'batchnorm':
      if (through.batchnorm) {
        return resolve(byId, input(), start, stride, count, through).map((s) => ({
          ...s,
          folds: [{ bn: node.params, feature: start + s.at * stride, stride }, ...s.folds],
        }));
      }
      break;
    default:
      break;
  }
  return [{ source: node, start, stride, count, at: 0, folds: [] }];
}

function resolveConcat(byId: ReadonlyMap<string, IrNode>, node: IrNode, start: number, stride: number, count: number, through: Through): Segment[] {
  const out: Segment[] = [];
  let offset = 0;
  for (const id of node.inputs) {
    const part = byId.get(id)!;
    const size = part.shape[0];
    // Requested indices i whose feature start + i * stride falls inside [offset, offset + size).
    const lo = Math.max(0, Math.ceil((offset - start) / stride));
    const hi = Math.min(count - 1, Math.floor((offset + size - 1 - start) / stride));
    if (lo <= hi) {
      for (const s of resolve(byId, part, start + lo * stride - offset, stride, hi - lo + 1, through)) out.push({ ...s, at: s.at + lo });
    }
    offset += size;
  }
  return out;
}

/**
 * Rewrites a dense's inputs as segments: inputs become the segments' sources (or slices of
 * them), their batchnorms become input folds. `want(segments)` chooses, per input, whether
 * to take the rewrite. Returns the new dense and the slice nodes it needs.
 */
export function rewriteDenseInputs(
  dense: DenseNode,
  byId: ReadonlyMap<string, IrNode>,
  through: Through,
  want: (segments: readonly Segment[]) => boolean,
  slices: SliceCache,
): { dense: DenseNode; added: SliceNode[] } {
  const inputs: string[] = [];
  const columns: number[] = [];
  const foldIn: InputFold[] = [...dense.foldIn];
  const added: SliceNode[] = [];
  dense.inputs.forEach((id, k) => {
    const node = byId.get(id)!;
    const segments = resolve(byId, node, 0, 1, node.shape[0], through);
    if (!want(segments)) {
      inputs.push(id);
      columns.push(dense.columns[k]);
      return;
    }
    for (const s of segments) {
      const column = dense.columns[k] + s.at;
      const view = slices.view(s, dense.layer);
      if (view.added) added.push(view.added);
      inputs.push(view.id);
      columns.push(column);
      for (const f of s.folds) foldIn.push({ column, count: s.count, feature: f.feature, stride: f.stride, bn: f.bn });
    }
  });
  return { dense: { ...dense, inputs, columns, foldIn }, added };
}

/** Finds or makes the slice node that views a segment; the whole source needs none. */
export class SliceCache {
  private readonly byKey = new Map<string, SliceNode>();
  private readonly taken: Set<string>;

  constructor(nodes: readonly IrNode[]) {
    this.taken = new Set(nodes.map((n) => n.id));
    for (const n of nodes) if (n.op === 'slice') this.byKey.set(this.key(n.inputs[0], n.start, n.stride, n.shape[0]), n);
  }

  private key(source: string, start: number, stride: number, count: number): string {
    return `${source}|${start}|${stride}|${count}`;
  }

  view(s: Segment, layer: string): { id: string; added?: SliceNode } {
    if (s.start === 0 && (s.stride === 1 || s.count === 1) && s.count === s.source.shape[0]) return { id: s.source.id };
    const key = this.key(s.source.id, s.start, s.stride, s.count);
    const known = this.byKey.get(key);
    if (known) return { id: known.id };
    let n = 1;
    while (this.taken.has(`${s.source.id}.view${n}`)) n++;
    this.taken.add(`${s.source.id}.view${n}`);
    const added: SliceNode = {
      id: `${s.source.id}.view${n}`, op: 'slice', inputs: [s.source.id], shape: [s.count], layer,
      start: s.start, stride: s.count === 1 ? 1 : s.stride,
    };
    this.byKey.set(key, added);
    return { id: added.id, added };
  }
}
