// The WGSL module of a model: one module, four entry points per dense layer at most
// (`_tiled`, `_register`, `_vector`, `_softmax`), all sharing the batch-size uniform at binding 0.
import type { Activation } from '../../ir/graph.js';
import { isSoftmax, LEAKY_RELU_SLOPE } from '../../ir/activations.js';
import { commentText } from './names.js';
import { TILE, TILE_K, WORKGROUP_THREADS, X_PITCH, type LayerPlan, type ModelPlan, type Operand } from './plan.js';
import { template } from '../templates.js';

/** Binding numbers of a layer: 0 the batch size, 1 its parameters, then sources, then output. */
export const PARAMS_BINDING = 1;
export const FIRST_SOURCE_BINDING = 2;

export function outputBinding(layer: LayerPlan): number {
  return FIRST_SOURCE_BINDING + layer.sources.length;
}

export function renderShader(plan: ModelPlan): string {
  const used = new Set<Activation>(plan.layers.map((l) => (l.activation === 'log_softmax' ? 'softmax' : l.activation)));
  return template('wgsl', 'model.wgsl.hbs')({
    model: commentText(plan.name),
    inputSize: plan.inputSize,
    several: plan.inputs.length > 1,
    inputs: plan.inputs.map((i) => ({ name: commentText(i.name), size: i.size })),
    outputSize: plan.outputSize,
    macs: plan.macs,
    buffers: plan.buffers.map((b) => ({ label: commentText(b.label), width: b.width })),
    uses: Object.fromEntries(['relu', 'leaky_relu', 'tanh', 'sigmoid', 'gelu', 'softmax'].map((a) => [a, used.has(a as Activation)])),
    layers: plan.layers.map((layer) => layerView(plan, layer)),
    leakySlope: wgslFloat(LEAKY_RELU_SLOPE),
    sizes: { tile: TILE, tileK: TILE_K, xPitch: X_PITCH, tileX: TILE * X_PITCH, tileW: TILE_K * TILE, threads: WORKGROUP_THREADS },
  });
}

function layerView(plan: ModelPlan, layer: LayerPlan): object {
  const sourceVar = (buffer: number) =>
    buffer === layer.out.buffer ? `${layer.ident}_out` : `${layer.ident}_in${layer.sources.indexOf(buffer)}`;
  const out = plan.buffers[layer.out.buffer];
  return {
    layer: commentText(layer.layer),
    ident: layer.ident,
    units: layer.units,
    lastUnit: layer.units - 1,
    inFeatures: layer.inFeatures,
    activation: layer.activation,
    kernelActivation: isSoftmax(layer.activation) ? 'linear' : layer.activation,
    softmax: isSoftmax(layer.activation),
    logSoftmax: layer.activation === 'log_softmax',
    macs: layer.macs,
    biasOffset: layer.inFeatures * layer.units,
    operands: layer.operands.map((op) => operandView(plan, op, sourceVar(op.buffer))),
    sources: layer.sources.map((buffer, k) => ({
      binding: FIRST_SOURCE_BINDING + k,
      name: sourceVar(buffer),
      label: commentText(plan.buffers[buffer].label),
      width: plan.buffers[buffer].width,
    })),
    outBinding: outputBinding(layer),
    outLabel: commentText(out.label),
    outWidth: out.width,
    outColumn: layer.out.column,
    outEnd: layer.out.column + layer.units - 1,
    lanes: layer.vector.lanes,
    slices: layer.vector.slices,
  };
}

function operandView(plan: ModelPlan, op: Operand, variable: string): object {
  return {
    var: variable,
    buffer: commentText(plan.buffers[op.buffer].label),
    labels: commentText(op.labels.join(' | ')),
    rowWidth: plan.buffers[op.buffer].width,
    column: op.column,
    columnStep: op.column + op.stride,
    count: op.count,
    strideTerm: op.stride === 1 ? '' : ` * ${op.stride}u`,
    weightColumn: op.weightColumn,
    weightEnd: op.weightColumn + op.count - 1,
  };
}

/** A WGSL abstract-float literal: JavaScript's shortest form, with a point where it has none. */
function wgslFloat(value: number): string {
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}
