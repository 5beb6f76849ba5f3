// The TypeScript host module of a model: the generic runtime of templates/wgsl/host.ts.hbs with
// the model's tables (tensors, buffers, layers) and its shader text filled in, and the weights
// loader (../../runtime/safetensors-loader.ts) verbatim at its end.
import { commentText } from './names.js';
import type { LayerPlan, ModelPlan } from './plan.js';
import { isSoftmax } from '../../ir/activations.js';
import { template } from '../templates.js';
import { MAX_SOURCE_BUFFERS, TILE, WORKGROUP_STORAGE_BYTES, WORKGROUP_THREADS } from './plan.js';
import { loaderSource } from '../runtime/embed.js';

/** Up to this batch size the host runs the matrix-vector kernels. */
export const VECTOR_MAX_BATCH = 4;

export function renderHost(plan: ModelPlan, shader: string): string {
  return template('wgsl', 'host.ts.hbs')({
    model: commentText(plan.name),
    inputSize: plan.inputSize,
    several: plan.inputs.length > 1,
    inputs: plan.inputs.map(({ name, size }) => ({ name, size })),
    inputTable: table(plan.inputs.map(({ name, size, buffer, column }) => ({ name, size, buffer, column, width: plan.buffers[buffer].width }))),
    outputSize: plan.outputSize,
    macs: plan.macs,
    shader: templateLiteralText(shader),
    tensors: table(plan.tensors.map((t) => ({ name: t.name, shape: t.shape }))),
    buffers: table(plan.buffers),
    layers: table(plan.layers.map(hostLayer)),
    result: JSON.stringify(plan.result),
    resultWidth: plan.buffers[plan.result.buffer]?.width ?? plan.outputSize,
    requiredLimits: requiredLimits(plan),
    vectorMaxBatch: VECTOR_MAX_BATCH,
    tile: TILE,
    loader: loaderSource(),
  });
}

/**
 * The device limits the kernels need: invocations and width of the `_vector` workgroup,
 * storage buffers of the layer binding the most (parameters, its sources, its output), and
 * workgroup storage. Core WebGPU's defaults cover them all; compatibility mode's do not.
 */
function requiredLimits(plan: ModelPlan): string {
  const storage = Math.max(...plan.layers.map((l) => 2 + l.sources.length));
  if (storage > MAX_SOURCE_BUFFERS + 2) throw new Error(`a layer binds ${storage} storage buffers, more than the kernels allow`);
  const kernel = (bytes: number) =>
    `[['maxComputeInvocationsPerWorkgroup', ${WORKGROUP_THREADS}], ['maxComputeWorkgroupSizeX', ${WORKGROUP_THREADS}], ['maxStorageBuffersPerShaderStage', ${storage}], ['maxComputeWorkgroupStorageSize', ${bytes}]]`;
  return `{\n  tiled: ${kernel(WORKGROUP_STORAGE_BYTES.tiled)},\n  register: ${kernel(WORKGROUP_STORAGE_BYTES.register)},\n}`;
}

function hostLayer(layer: LayerPlan): object {
  return {
    layer: layer.layer,
    ident: layer.ident,
    weight: layer.weight,
    bias: layer.bias,
    units: layer.units,
    inFeatures: layer.inFeatures,
    foldIn: layer.foldIn.map(({ column, count, feature, stride, ...bn }) => ({ column, count, feature, stride, bn })),
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
