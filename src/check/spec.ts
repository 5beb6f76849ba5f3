// A checked model with every parameter resolved: the input of lowering and of the dense baseline.
import type { Activation } from '../syntax/ast.js';
import type { Range } from '../diagnostics/source.js';

export interface DenseSpec { readonly kind: 'dense'; readonly index: number; readonly units: number; readonly activation: Activation }
export interface DropoutSpec { readonly kind: 'dropout'; readonly p: number }
export interface BatchnormSpec { readonly kind: 'batchnorm'; readonly index: number }
export interface SpinalSpec {
  readonly kind: 'spinal';
  readonly index: number;
  readonly ratios: readonly number[];
  readonly interleaved: boolean;
  readonly width: number;
  readonly layers: number;
  readonly activation: Activation;
  /** Dropout probability before each sub-layer's Linear, if any. */
  readonly dropout?: number;
  readonly batchnorm: boolean;
  /** Tied sub-layers: sub-layer -> the sub-layer whose Linear (weight and bias) it uses. Absent when none. */
  readonly ties?: Readonly<Record<number, number>>;
}
export interface OutputSpec { readonly kind: 'output'; readonly units: number; readonly activation: Activation }

export type LayerSpec = DenseSpec | DropoutSpec | BatchnormSpec | SpinalSpec;

export interface ModelSpec {
  readonly name: string;
  /** Where the model (or variant) is declared, for diagnostics found after checking. */
  readonly range: Range;
  /** Parameter values after defaults and variant arguments. */
  readonly params: Readonly<Record<string, number>>;
  /** For a variant, the model it was derived from. */
  readonly base?: string;
  readonly input: number;
  readonly layers: readonly LayerSpec[];
  readonly output: OutputSpec;
}
