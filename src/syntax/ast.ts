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

export interface InputStmt { readonly kind: 'input'; readonly size: Value; readonly range: Range }
export interface DenseStmt {
  readonly kind: 'dense';
  readonly units: Value;
  readonly activation?: ActivationRef;
  readonly range: Range;
}
export interface DropoutStmt { readonly kind: 'dropout'; readonly p: Value; readonly range: Range }
export interface BatchnormStmt { readonly kind: 'batchnorm'; readonly range: Range }
export interface OutputStmt {
  readonly kind: 'output';
  readonly size: Value;
  readonly activation?: ActivationRef;
  readonly range: Range;
}
export interface SpinalStmt {
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
