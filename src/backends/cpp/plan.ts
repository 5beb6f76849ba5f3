// Where every tensor of a graph lives when the generated C++ runs, and the steps that fill them.
// The model's inputs are read from the caller's arrays (x, or one per input) and the result
// written straight into the caller's y; every other tensor gets a place in the arena (plan-memory). Slices are views,
// a dense layer reads its inputs where they are, and inputs that lie one after the other in
// the same buffer (a spinal block's outputs, interleaved rows) are read as one operand.
import type { ActivationNode, BatchnormNode, DenseNode, Graph, IrNode } from '../../ir/graph.js';
import { planMemory } from '../../passes/plan-memory.js';
import { mergeParts, type Run } from '../operands.js';

/** `count` features of each row of `buffer`, from `column` by `stride`. */
export type View = Run<string>;

/**
 * The caller's array of input `input` (an index into graph.inputs), the caller's output, or a
 * region of the arena (offset in floats per sample).
 */
export type Home = { readonly kind: 'x'; readonly input: number } | { readonly kind: 'y' } | { readonly kind: 'arena'; readonly offset: number };

export interface Buffer {
  readonly id: string;
  /** Floats per sample (the leading dimension of its rows). */
  readonly width: number;
  readonly home: Home;
}

export type Step =
  | { readonly kind: 'dense'; readonly node: DenseNode; readonly operands: readonly View[]; readonly out: View }
  | { readonly kind: 'batchnorm'; readonly node: BatchnormNode; readonly src: View; readonly out: View }
  | { readonly kind: 'activation'; readonly node: ActivationNode; readonly src: View; readonly out: View }
  /** A part of an unfused concatenation, or a result that could not be written into y directly. */
  | { readonly kind: 'copy'; readonly node: IrNode; readonly src: View; readonly out: View };

export interface Plan {
  readonly buffers: ReadonlyMap<string, Buffer>;
  readonly steps: readonly Step[];
  /** Floats per sample of the arena. */
  readonly arenaFloats: number;
}

/** The buffer id of the caller's y when the result is copied there (never a node id: those have no parentheses). */
export const OUTPUT_BUFFER = '(result)';

export function planExecution(graph: Graph): Plan {
  const views = viewsOf(graph);
  const result = graph.nodes[graph.nodes.length - 1];
  const probe = planMemory(graph);
  const widths = new Map(probe.buffers.map((b) => [b.id, b.floats]));
  const inputBuffers = graph.inputs.map((i) => views.get(i.node)!.buffer);
  const resultView = views.get(result.id)!;
  // The result's buffer is y itself when it holds exactly the result, in order.
  const direct =
    !inputBuffers.includes(resultView.buffer) && resultView.column === 0 && resultView.stride === 1 &&
    resultView.count === graph.outputSize && widths.get(resultView.buffer) === graph.outputSize;
  const external = new Set([...inputBuffers, ...(direct ? [resultView.buffer] : [])]);
  const plan = planMemory(graph, { external });

  const buffers = new Map<string, Buffer>();
  inputBuffers.forEach((id, k) => buffers.set(id, { id, width: graph.inputs[k].size, home: { kind: 'x', input: k } }));
  if (direct) buffers.set(resultView.buffer, { id: resultView.buffer, width: graph.outputSize, home: { kind: 'y' } });
  else buffers.set(OUTPUT_BUFFER, { id: OUTPUT_BUFFER, width: graph.outputSize, home: { kind: 'y' } });
  for (const b of plan.buffers) buffers.set(b.id, { id: b.id, width: b.floats, home: { kind: 'arena', offset: b.offset } });

  const steps: Step[] = [];
  for (const node of graph.nodes) steps.push(...stepsOf(node, views));
  if (!direct) steps.push({ kind: 'copy', node: result, src: resultView, out: { buffer: OUTPUT_BUFFER, column: 0, stride: 1, count: graph.outputSize } });
  return { buffers, steps, arenaFloats: plan.arenaFloats };
}

/** The view of every node's values: slices and identities look into their source's buffer. */
function viewsOf(graph: Graph): Map<string, View> {
  const views = new Map<string, View>();
  for (const n of graph.nodes) {
    const own = { buffer: n.id, column: 0, stride: 1, count: n.shape[0] };
    switch (n.op) {
      case 'slice': {
        const v = views.get(n.inputs[0])!;
        views.set(n.id, { buffer: v.buffer, column: v.column + n.start * v.stride, stride: v.stride * n.stride, count: n.shape[0] });
        break;
      }
      case 'dropout':
      case 'output':
        views.set(n.id, views.get(n.inputs[0])!);
        break;
      case 'dense':
        views.set(n.id, n.place ? { buffer: n.place.buffer, column: n.place.column, stride: 1, count: n.shape[0] } : own);
        break;
      default:
        views.set(n.id, own);
    }
  }
  return views;
}

function stepsOf(node: IrNode, views: ReadonlyMap<string, View>): Step[] {
  const out = views.get(node.id)!;
  const src = () => views.get(node.inputs[0])!;
  switch (node.op) {
    case 'dense':
      return [{ kind: 'dense', node, operands: operandsOf(node, views), out }];
    case 'batchnorm':
      return [{ kind: 'batchnorm', node, src: src(), out }];
    case 'activation':
      return [{ kind: 'activation', node, src: src(), out }];
    case 'concat': {
      let column = 0;
      return node.inputs.map((id) => {
        const part = views.get(id)!;
        const step: Step = { kind: 'copy', node, src: part, out: { ...out, column: out.column + column, count: part.count } };
        column += part.count;
        return step;
      });
    }
    default:
      return [];
  }
}

/** A dense layer's inputs in weight-column order, neighbours in one buffer merged into one operand. */
export function operandsOf(node: DenseNode, views: ReadonlyMap<string, View>): View[] {
  const parts = node.inputs.map((id, k) => ({ ...views.get(id)!, weightColumn: node.columns[k] }));
  return mergeParts<string, (typeof parts)[number]>('cpp', node, parts, (a, _b, run) => ({ ...run, weightColumn: a.weightColumn }))
    .map(({ buffer, column, stride, count }) => ({ buffer, column, stride, count }));
}
