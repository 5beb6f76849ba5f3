// The TypeScript host module of a model: the generic runtime of templates/wgsl/host.ts.hbs with
// the model's tables (tensors, buffers, layers) and its shader text filled in.
import { commentText } from './names.js';
import type { LayerPlan, ModelPlan } from './plan.js';
import { isSoftmax } from '../../ir/activations.js';
import { template } from '../templates.js';
import { MAX_HEADER_BYTES } from '../../weights/safetensors-layout.js';

/** Up to this batch size the host runs the matrix-vector kernels. */
export const VECTOR_MAX_BATCH = 4;

export function renderHost(plan: ModelPlan, shader: string): string {
  return template('wgsl', 'host.ts.hbs')({
    model: commentText(plan.name),
    inputSize: plan.inputSize,
    outputSize: plan.outputSize,
    macs: plan.macs,
    shader: templateLiteralText(shader),
    tensors: table(plan.tensors.map((t) => ({ name: t.name, shape: t.shape }))),
    buffers: table(plan.buffers),
    layers: table(plan.layers.map(hostLayer)),
    result: JSON.stringify(plan.result),
    vectorMaxBatch: VECTOR_MAX_BATCH,
    maxHeaderBytes: MAX_HEADER_BYTES,
  });
}

function hostLayer(layer: LayerPlan): object {
  return {
    layer: layer.layer,
    ident: layer.ident,
    weight: layer.weight,
    bias: layer.bias,
    units: layer.units,
    inFeatures: layer.inFeatures,
    foldIn: layer.foldIn,
    foldOut: layer.foldOut,
    sources: layer.sources,
    out: layer.out.buffer,
    softmax: isSoftmax(layer.activation),
    lanes: layer.vector.lanes,
  };
}

/** A JSON array, one element a line: valid TypeScript, and readable. */
function table(rows: readonly object[]): string {
  if (rows.length === 0) return '[]';
  return `[\n${rows.map((r) => `  ${JSON.stringify(r)},`).join('\n')}\n]`;
}

/** Text that reads back as itself inside a template literal. */
function templateLiteralText(text: string): string {
  return text.replace(/[\\`]/g, (c) => `\\${c}`).replace(/\$\{/g, '\\${');
}
