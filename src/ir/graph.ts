// The typed graph IR. What optimize() guarantees to backends is in docs/ir.md: read it
// before writing a backend (ops after optimization, slices as views, load-time batchnorm folding).
// The typed graph IR. Nodes are listed in topological order; every tensor is a per-sample
// feature vector (the batch dimension is implicit), so a node's shape is `[size]`.
import type { Activation } from '../syntax/ast.js';
import type { TensorSpec } from '../tensor/tensor.js';

export type { Activation };

export type Op = 'input' | 'slice' | 'concat' | 'dense' | 'batchnorm' | 'dropout' | 'activation' | 'output';

interface NodeBase {
  readonly id: string;
  readonly op: Op;
  readonly inputs: readonly string[];
  /** Per-sample shape: always `[features]`. */
  readonly shape: readonly [number];
  /** The source layer this node belongs to, e.g. `spinal1.sub2`, `dense1`, `output`. */
  readonly layer: string;
}

export interface InputNode extends NodeBase { readonly op: 'input' }

/** Features `start, start + stride, ...` (shape[0] of them) of its one input. A view, never a copy. */
export interface SliceNode extends NodeBase {
  readonly op: 'slice';
  readonly start: number;
  readonly stride: number;
}

export interface ConcatNode extends NodeBase { readonly op: 'concat' }

/** Names of a batchnorm's tensors in the weights file, and its epsilon. */
export interface BatchnormParams {
  readonly gamma: string;
  readonly beta: string;
  readonly mean: string;
  readonly variance: string;
  readonly eps: number;
  /** Number of features it normalizes: the length of each of its tensors. */
  readonly features: number;
}

/**
 * A batchnorm folded forward into a Linear: the columns `column .. column + count - 1` of the
 * weight read features `feature, feature + stride, ...` of the batchnorm's tensor.
 */
export interface InputFold {
  readonly column: number;
  readonly count: number;
  readonly feature: number;
  readonly stride: number;
  readonly bn: BatchnormParams;
}

/**
 * `y = act(W · concat(inputs) + b)`, W of shape `[units, inFeatures]` (PyTorch layout).
 * Several inputs mean the concatenation is fused: input k meets the weight columns
 * starting at `columns[k]`. `foldOut` lists batchnorms applied after the Linear (innermost
 * first) and `foldIn` batchnorms applied before it (nearest first); both are folded into W
 * and b when the weights are loaded.
 */
export interface DenseNode extends NodeBase {
  readonly op: 'dense';
  readonly weight: string;
  readonly bias: string;
  readonly inFeatures: number;
  readonly columns: readonly number[];
  readonly activation: Activation;
  readonly foldOut: readonly BatchnormParams[];
  readonly foldIn: readonly InputFold[];
  /**
   * Set by fuse-concat: the output is written straight into columns `column .. column + units - 1`
   * of a shared buffer `buffer` that is `width` features wide (the concatenation it was part of),
   * so the concatenation costs no copy.
   */
  readonly place?: Placement;
}

export interface Placement {
  readonly buffer: string;
  readonly column: number;
  readonly width: number;
}

export interface BatchnormNode extends NodeBase {
  readonly op: 'batchnorm';
  readonly params: BatchnormParams;
}

export interface DropoutNode extends NodeBase { readonly op: 'dropout'; readonly p: number }

export interface ActivationNode extends NodeBase { readonly op: 'activation'; readonly activation: Activation }

/** Marks the model's result; the identity. */
export interface OutputNode extends NodeBase { readonly op: 'output' }

export type IrNode =
  | InputNode
  | SliceNode
  | ConcatNode
  | DenseNode
  | BatchnormNode
  | DropoutNode
  | ActivationNode
  | OutputNode;

/** One input of the model: the name the generated code gives it, its size and its node. */
export interface GraphInput {
  readonly name: string;
  readonly size: number;
  /** The id of its `input` node: `input` for a model's single input, `input.<name>` otherwise. */
  readonly node: string;
}

export interface Graph {
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
  /**
   * The model's inputs in declaration order (one, named `input` unless the source names it).
   * Where one batch holds them all (the interpreter, verify, training), each sample's inputs lie
   * side by side in this order: a row of `inputSize` features.
   */
  readonly inputs: readonly GraphInput[];
  /** Features per sample over all inputs. */
  readonly inputSize: number;
  readonly outputSize: number;
  /** Topologically ordered; the first are the `input` nodes (in `inputs` order), the last the `output` node. */
  readonly nodes: readonly IrNode[];
  /**
   * The tensors of the model's weights file, recorded by optimize() before any pass can drop a
   * layer (a sub-layer whose output nothing reads): the file keeps them, so loaders expect them.
   */
  readonly tensors?: readonly TensorSpec[];
}

export const BATCHNORM_EPS = 1e-5;
