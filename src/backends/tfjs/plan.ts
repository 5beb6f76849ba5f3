// What the generated module does, decided from the optimized graph before any code is written:
// one step per slice and dense node, each with the identifiers it reads and writes.
//
// tfjs allocates a fresh tensor per op and cannot write into a shared buffer, so a dense with
// several inputs (a sub-layer reading its row and the previous sub-layer, the layer after a
// block reading h1..hL) never materializes their concatenation: it multiplies each part by
// its own column block of W and sums the products. `place` is therefore not used here. A
// model with one input reads it as predict's `x`; one with several reads each from predict's
// record by name (`x.pixels`), where it is: no input is copied or concatenated either.
import type { Activation, DenseNode, Graph, SliceNode } from '../../ir/graph.js';
import { tensorSpecs } from '../../ir/tensors.js';
import { tfjsRuntimeSource } from '../runtime/embed.js';
import type { TensorSpec } from '../../tensor/tensor.js';
import { IdentifierPool, propertyAccess } from './names.js';

/** Activations tfjs fuses into its matMul kernel on every backend (cpu, wasm, webgl). */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'leakyrelu';

/**
 * Relu is not fused, nor left to tf.relu: the wasm backend computes both with XNNPACK's max,
 * which turns NaN into 0 where PyTorch keeps NaN. The module's own relu (runtime.ts) keeps it.
 */
const FUSABLE: Partial<Record<Activation, FusedActivation>> = {
  linear: 'linear',
  sigmoid: 'sigmoid',
  leaky_relu: 'leakyrelu',
};

export interface SliceStep {
  readonly kind: 'slice';
  readonly node: SliceNode;
  readonly name: string;
  readonly source: string;
  readonly sourceId: string;
  readonly sourceSize: number;
}

/** One input of a dense: which tensor, and which columns of W it meets. */
export interface DensePart {
  readonly source: string;
  readonly sourceId: string;
  readonly column: number;
  readonly count: number;
}

export interface DenseStep {
  readonly kind: 'dense';
  readonly node: DenseNode;
  readonly name: string;
  readonly parts: readonly DensePart[];
  /** Fused into the (single) matMul; `after` is then undefined. */
  readonly fused: FusedActivation;
  /** Applied as its own op after the product(s). */
  readonly after?: Activation;
  readonly macs: number;
}

export type Step = SliceStep | DenseStep;

/** One input of the model, as predict takes it. */
export interface ProgramInput {
  /** The input's name in the source: a property of predict's argument when the model has several. */
  readonly name: string;
  readonly size: number;
  /** Its graph node. */
  readonly node: string;
  /** The expression predict reads it from: `x`, or `x.<name>` with several inputs. */
  readonly source: string;
}

export interface Program {
  readonly modelName: string;
  /** The model's inputs in declaration order; with one, predict takes `x` itself (a tensor), else a record `x` of tensors by name. */
  readonly inputs: readonly ProgramInput[];
  /** Features per sample over all inputs. */
  readonly inputSize: number;
  readonly outputSize: number;
  readonly macs: number;
  /** Features of the widest tensor predict makes or takes: batch × widest must be an int32. */
  readonly widest: number;
  /** The predict argument. */
  readonly input: string;
  readonly steps: readonly Step[];
  /** The identifier predict returns. */
  readonly result: string;
  readonly tensors: readonly TensorSpec[];
}

/** Names the generated module uses at its top level or in predict; node names avoid them. */
export const RESERVED_NAMES = [
  'tf', 'x', 'params', 'disposed', 'TENSORS', 'LINEARS', 'load', 'inputSize', 'outputSize', 'macs', 'Model', 'weights', 'file',
  'inputs', 'Inputs', 'batch',
  ...topLevelNames(tfjsRuntimeSource()),
];

/** The names a runtime source declares at its top level. */
function topLevelNames(source: string): string[] {
  return [...source.matchAll(/^(?:export )?(?:async )?(?:function|const|let|class|interface|type) (\w+)/gm)].map((m) => m[1]!);
}

export function planProgram(graph: Graph): Program {
  const pool = new IdentifierPool(RESERVED_NAMES);
  const names = new Map<string, string>();
  const sizes = new Map<string, number>();
  const steps: Step[] = [];
  const inputs = programInputs(graph);
  const inputSources = new Map(inputs.map((i) => [i.node, i.source]));
  let result: string | undefined;
  let macs = 0;
  for (const node of graph.nodes) {
    sizes.set(node.id, node.shape[0]);
    switch (node.op) {
      case 'input':
        names.set(node.id, inputSources.get(node.id)!);
        break;
      case 'slice': {
        const sourceId = node.inputs[0];
        const sourceSize = sizes.get(sourceId)!;
        if (node.start === 0 && node.stride === 1 && node.shape[0] === sourceSize) {
          names.set(node.id, names.get(sourceId)!); // the whole tensor: no op at all
          break;
        }
        const name = pool.take(node.id);
        names.set(node.id, name);
        steps.push({ kind: 'slice', node, name, source: names.get(sourceId)!, sourceId, sourceSize });
        break;
      }
      case 'dense': {
        const name = pool.take(node.id);
        names.set(node.id, name);
        const step = denseStep(node, name, names, sizes);
        macs += step.macs;
        steps.push(step);
        break;
      }
      case 'output':
        result = names.get(node.inputs[0]);
        break;
      default:
        throw new Error(`tfjs backend: node '${node.id}' (${node.op}) should not survive optimize(); was the graph optimized?`);
    }
  }
  if (result === undefined) throw new Error(`tfjs backend: graph '${graph.name}' has no output node`);
  return {
    modelName: graph.name,
    inputs,
    inputSize: graph.inputSize,
    outputSize: graph.outputSize,
    macs,
    // Input nodes included: each input is a tensor of its own.
    widest: graph.nodes.reduce((w, n) => Math.max(w, n.shape[0]), 0),
    input: 'x',
    steps,
    result,
    tensors: tensorSpecs(graph),
  };
}

function programInputs(graph: Graph): ProgramInput[] {
  const single = graph.inputs.length === 1;
  return graph.inputs.map((i) => ({ name: i.name, size: i.size, node: i.node, source: single ? 'x' : `x${propertyAccess(i.name)}` }));
}

function denseStep(node: DenseNode, name: string, names: ReadonlyMap<string, string>, sizes: ReadonlyMap<string, number>): DenseStep {
  const parts = node.inputs.map((id, k) => ({ source: names.get(id)!, sourceId: id, column: node.columns[k], count: sizes.get(id)! }));
  const fusable = FUSABLE[node.activation];
  const fused = parts.length === 1 && fusable ? fusable : 'linear';
  const after = fused === 'linear' && node.activation !== 'linear' ? node.activation : undefined;
  return { kind: 'dense', node, name, parts, fused, after, macs: node.shape[0] * node.inFeatures };
}

export function isDense(step: Step): step is DenseStep {
  return step.kind === 'dense';
}
