// The abstract syntax tree: plain readonly data, every node with its source range.
import type { Range } from '../diagnostics/source.js';

export interface Ident {
  readonly name: string;
  readonly range: Range;
}

export interface NumberLit {
  readonly kind: 'number';
  readonly text: string;
  readonly value: number;
  readonly range: Range;
}

export interface NameRef {
  readonly kind: 'name';
  readonly name: string;
  readonly range: Range;
}

/** A size, ratio or probability: a literal or the name of a model parameter. */
export type Value = NumberLit | NameRef;

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'gelu', 'leaky_relu', 'linear', 'softmax', 'log_softmax'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** The activations computed over each sample's features together rather than one by one. */
export type RowActivation = 'softmax' | 'log_softmax';

export function isSoftmax(activation: Activation): activation is RowActivation {
  return activation === 'softmax' || activation === 'log_softmax';
}

export interface ActivationRef {
  readonly name: Activation;
  readonly range: Range;
}

/**
 * What every statement may carry for heads with several inputs: `name = ...` names its value,
 * and `from a, b` makes it read those values concatenated instead of the statement before it.
 */
export interface Flow {
  readonly name?: Ident;
  readonly from?: FromClause;
}

/** `from a, b, ...`: the values a statement reads, concatenated in this order. */
export interface FromClause {
  readonly names: readonly Ident[];
  readonly range: Range;
}

export interface InputStmt extends Flow { readonly kind: 'input'; readonly size: Value; readonly range: Range }
export interface DenseStmt extends Flow {
  readonly kind: 'dense';
  readonly units: Value;
  readonly activation?: ActivationRef;
  readonly range: Range;
}
export interface DropoutStmt extends Flow { readonly kind: 'dropout'; readonly p: Value; readonly range: Range }
export interface BatchnormStmt extends Flow { readonly kind: 'batchnorm'; readonly range: Range }
export interface OutputStmt extends Flow {
  readonly kind: 'output';
  readonly size: Value;
  readonly activation?: ActivationRef;
  readonly range: Range;
}
export interface SpinalStmt extends Flow {
  readonly kind: 'spinal';
  readonly items: readonly SpinalItem[];
  readonly range: Range;
}
export type Stmt = InputStmt | DenseStmt | DropoutStmt | BatchnormStmt | SpinalStmt | OutputStmt;

export interface SplitItem {
  readonly kind: 'split';
  readonly ratios: readonly Value[];
  readonly interleaved: boolean;
  readonly range: Range;
}
export interface WidthItem { readonly kind: 'width'; readonly value: Value; readonly range: Range }
export interface LayersItem { readonly kind: 'layers'; readonly value: Value; readonly range: Range }
export interface SpinalActivationItem { readonly kind: 'activation'; readonly activation: ActivationRef; readonly range: Range }
export interface SpinalDropoutItem { readonly kind: 'dropout'; readonly p: Value; readonly range: Range }
export interface SpinalBatchnormItem { readonly kind: 'batchnorm'; readonly range: Range }
export type SpinalItem =
  | SplitItem
  | WidthItem
  | LayersItem
  | SpinalActivationItem
  | SpinalDropoutItem
  | SpinalBatchnormItem
  | TieItem;

/** `tie first..last to owner` (`tie first to owner`: last = first): those sub-layers reuse the owner's Linear. */
export interface TieItem { readonly kind: 'tie'; readonly first: Value; readonly last: Value; readonly owner: Value; readonly range: Range }

export interface Binding {
  readonly name: Ident;
  readonly value: NumberLit;
  readonly range: Range;
}

export interface ModelDef {
  readonly kind: 'model';
  readonly name: Ident;
  readonly params: readonly Binding[];
  readonly body: readonly Stmt[];
  readonly range: Range;
}

export interface VariantDef {
  readonly kind: 'variant';
  readonly name: Ident;
  readonly base: Ident;
  readonly args: readonly Binding[];
  readonly range: Range;
}

export type ModelDecl = ModelDef | VariantDef;

export interface FileAst {
  readonly models: readonly ModelDecl[];
}
