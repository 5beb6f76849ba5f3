// A checked model with every parameter resolved: the input of lowering and of the dense baseline.
import type { Activation } from '../syntax/ast.js';
import type { Range } from '../diagnostics/source.js';

/**
 * Where a layer's features come from (LANGUAGE.md, "Several inputs"). A model with one input and
 * no names is a chain: each layer reads the value of the statement before it.
 */
export interface FlowSpec {
  /** The layer's value: its name in the source (`a = spinal ...`), or `#k` for the k-th statement. */
  readonly value: string;
  /** The values it reads, concatenated in this order: input names and layer values. */
  readonly reads: readonly string[];
  /** Whether `reads` was written as `from ...` rather than implied by the statement before. */
  readonly from: boolean;
}

/** One input of the model: its name (`input` when the model's single input is unnamed) and size. */
export interface InputSpec {
  readonly name: string;
  readonly size: number;
}

export interface DenseSpec extends FlowSpec { readonly kind: 'dense'; readonly index: number; readonly units: number; readonly activation: Activation }
export interface DropoutSpec extends FlowSpec { readonly kind: 'dropout'; readonly p: number }
export interface BatchnormSpec extends FlowSpec { readonly kind: 'batchnorm'; readonly index: number }
export interface SpinalSpec extends FlowSpec {
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
export interface OutputSpec extends FlowSpec { readonly kind: 'output'; readonly units: number; readonly activation: Activation }

export type LayerSpec = DenseSpec | DropoutSpec | BatchnormSpec | SpinalSpec;

/** A layer without its flow: what it computes, not what it reads. */
export type LayerSettings = LayerSpec extends infer L ? (L extends unknown ? Omit<L, keyof FlowSpec> : never) : never;

export interface ModelSpec {
  readonly name: string;
  /** Where the model (or variant) is declared, for diagnostics found after checking. */
  readonly range: Range;
  /** Parameter values after defaults and variant arguments. */
  readonly params: Readonly<Record<string, number>>;
  /** For a variant, the model it was derived from. */
  readonly base?: string;
  /** In declaration order; the first statements of the body. */
  readonly inputs: readonly InputSpec[];
  /** In source order, which is not always the order of evaluation: see `evaluationOrder`. */
  readonly layers: readonly LayerSpec[];
  readonly output: OutputSpec;
}

/** The name of the value of a model's single unnamed input. */
export const UNNAMED_INPUT = 'input';

/** Features per sample over all inputs: the width of a batch row with the inputs side by side. */
export function inputWidth(spec: Pick<ModelSpec, 'inputs'>): number {
  return spec.inputs.reduce((n, i) => n + i.size, 0);
}

/**
 * Layers in an order where each comes after the values it reads, keeping the source order where
 * it can (a chain stays as it is). A cycle (refused by check()) is cut where it closes.
 */
export function evaluationOrder<L extends FlowSpec>(layers: readonly L[]): L[] {
  const byValue = new Map(layers.map((l) => [l.value, l]));
  const done = new Set<string>();
  const order: L[] = [];
  const visit = (layer: L): void => {
    // Iterative depth-first search: a chain of 100,000 layers must not overflow the stack.
    const stack: { layer: L; next: number }[] = [{ layer, next: 0 }];
    done.add(layer.value);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const read = top.layer.reads[top.next++];
      if (read === undefined) {
        order.push(top.layer);
        stack.pop();
        continue;
      }
      const dep = byValue.get(read);
      if (dep && !done.has(read)) {
        done.add(read);
        stack.push({ layer: dep, next: 0 });
      }
    }
  };
  for (const layer of layers) if (!done.has(layer.value)) visit(layer);
  return order;
}
