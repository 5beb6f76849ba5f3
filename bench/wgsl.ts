// The generated WGSL module against @tensorflow/tfjs-backend-webgpu running the same network on
// the same Dawn device (lavapipe without a GPU). Batch 1 and 256, warm runs only: each timing is
// one predict, input upload to output download. Shader compilation is timed apart, as the first
// call minus a warm one.
// Run: npx tsx bench/wgsl.ts
import { readFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { compile } from '../src/compile.js';
import type { DenseNode, Graph } from '../src/ir/graph.js';
import { denseMatrices } from '../src/ir/materialize.js';
import { optimize } from '../src/passes/optimize.js';
import { initWeights, randomizeBatchnorm } from '../src/weights/init.js';
import { readSafetensors, writeSafetensors } from '../src/weights/safetensors.js';
import type { Weights } from '../src/weights/tensor.js';
import { emitWgsl } from '../src/backends/wgsl/index.js';
import { importHost, openDawnDevice } from '../src/verify/wgsl.js';

const SAMPLES = [
  { label: 'MNIST', file: 'mnist_cnn.spinal', model: 'mnist_cnn_spinal' },
  { label: 'MNIST VGG-5', file: 'mnist_vgg5.spinal', model: 'mnist_vgg5_spinal' },
  { label: 'CIFAR-10', file: 'cifar10_cnn.spinal', model: 'cifar10_cnn_spinal' },
  { label: 'VGG-19', file: 'vgg19_cifar10.spinal', model: 'vgg19_spinal' },
];
const BATCHES = [1, 256];

/** Median of the timings after a warm-up, in milliseconds. */
async function time(f: () => Promise<unknown>, budgetMs = 1500): Promise<number> {
  for (let i = 0; i < 5; i++) await f();
  const times: number[] = [];
  const until = performance.now() + budgetMs;
  while (times.length < 10 || (performance.now() < until && times.length < 2000)) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[times.length >> 1];
}

async function elapsed(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

const ACTIVATIONS: Record<string, ((x: tf.Tensor2D) => tf.Tensor2D) | undefined> = {
  relu: (x) => tf.relu(x),
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  leaky_relu: (x) => tf.leakyRelu(x, 0.01),
  softmax: (x) => tf.softmax(x),
  linear: (x) => x,
};

/**
 * The same network written as a tfjs user would: slices (gather for interleaved rows), concat,
 * and one fused matMul + bias + activation per Linear, with the batchnorms folded at load.
 */
function tfjsNetwork(graph: Graph, weights: Weights): (x: tf.Tensor2D) => tf.Tensor2D {
  const layers = new Map<string, { w: tf.Tensor2D; b: tf.Tensor1D }>();
  for (const node of graph.nodes) {
    if (node.op !== 'dense') continue;
    const { weight, bias } = denseMatrices(node, weights);
    const [units, cols] = [node.shape[0], node.inFeatures];
    const transposed = new Float32Array(units * cols);
    for (let o = 0; o < units; o++) for (let c = 0; c < cols; c++) transposed[c * units + o] = weight[o * cols + c];
    layers.set(node.id, { w: tf.tensor2d(transposed, [cols, units]), b: tf.tensor1d(Float32Array.from(bias)) });
  }
  const gathers = new Map<string, tf.Tensor1D>();
  for (const node of graph.nodes) {
    if (node.op === 'slice' && node.stride !== 1) {
      gathers.set(node.id, tf.tensor1d(Int32Array.from({ length: node.shape[0] }, (_, i) => node.start + i * node.stride), 'int32'));
    }
  }
  return (x) =>
    tf.tidy(() => {
      const values = new Map<string, tf.Tensor2D>();
      for (const node of graph.nodes) {
        if (node.op === 'input') values.set(node.id, x);
        else if (node.op === 'slice') {
          const source = values.get(node.inputs[0])!;
          const gather = gathers.get(node.id);
          values.set(node.id, gather ? tf.gather(source, gather, 1) : tf.slice(source, [0, node.start], [-1, node.shape[0]]));
        } else if (node.op === 'dense') values.set(node.id, dense(node, values, layers.get(node.id)!));
        else if (node.op === 'output') values.set(node.id, values.get(node.inputs[0])!);
      }
      return values.get(graph.nodes[graph.nodes.length - 1].id)!;
    });
}

function dense(node: DenseNode, values: Map<string, tf.Tensor2D>, { w, b }: { w: tf.Tensor2D; b: tf.Tensor1D }): tf.Tensor2D {
  const parts = node.inputs.map((id) => values.get(id)!);
  const x = parts.length === 1 ? parts[0] : tf.concat(parts, 1);
  if (node.activation === 'relu' || node.activation === 'linear' || node.activation === 'sigmoid') {
    return tf.fused.matMul({ a: x, b: w, bias: b, activation: node.activation }) as tf.Tensor2D;
  }
  const act = ACTIVATIONS[node.activation];
  if (!act) throw new Error(`no tfjs activation for ${node.activation}`);
  return act(tf.add(tf.matMul(x, w), b));
}

async function main(): Promise<void> {
  const { device, route, adapter } = await openDawnDevice();
  // tfjs-backend-webgpu looks for navigator.gpu; it is handed the same device below.
  const { globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  if (!('navigator' in globalThis) || !(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: {} }, configurable: true });
  }
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  // Its kernels are registered under the name 'webgpu': replace the factory, keep the name.
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, info), 10);
  await tf.setBackend('webgpu');
  await tf.ready();

  console.log(`Dawn (${route}): ${adapter}; tfjs-core ${tf.version_core}, backend ${tf.getBackend()}`);
  console.log('median of warm runs; compile = first call - warm call\n');
  console.log('| model | MACs/sample | batch | spinal wgsl ms | tfjs-webgpu ms | tfjs / spinal | spinal compile ms | tfjs compile ms |');
  console.log('| :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  mkdirSync(join('bench', 'out'), { recursive: true });
  for (const s of SAMPLES) {
    const path = join('samples', s.file);
    const model = compile({ path, text: readFileSync(path, 'utf8') }).models.find((m) => m.spec.name === s.model)!;
    const graph = optimize(model.graph);
    const bytes = writeSafetensors(randomizeBatchnorm(initWeights(model.graph, 1), model.graph, 2));
    const weights = readSafetensors(bytes);
    const host = emitWgsl(graph).find((f) => f.path.endsWith('.ts'))!;
    const module = await importHost(host.contents as string, mkdtempSync(join('bench', 'out', 'wgsl-')), graph.name);

    let ours: Awaited<ReturnType<typeof module.createModel>> | undefined;
    const createMs = await elapsed(async () => (ours = await module.createModel(device, bytes)));
    const network = tfjsNetwork(graph, weights);
    for (const batch of BATCHES) {
      const x = Float32Array.from({ length: batch * graph.inputSize }, (_, i) => Math.sin(i));
      const runOurs = () => ours!.predict(x, batch);
      const runTfjs = async () => {
        const input = tf.tensor2d(x, [batch, graph.inputSize]);
        const y = network(input);
        const data = await y.data();
        input.dispose();
        y.dispose();
        return data;
      };
      const firstOurs = await elapsed(runOurs);
      const firstTfjs = await elapsed(runTfjs);
      const a = await runOurs();
      const b = (await runTfjs()) as Float32Array;
      const worst = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
      if (!(worst < 1e-3)) throw new Error(`${s.model} batch ${batch}: outputs differ by ${worst}`);
      const msOurs = await time(runOurs);
      const msTfjs = await time(runTfjs);
      const compileOurs = (batch === BATCHES[0] ? createMs : 0) + firstOurs - msOurs;
      const macs = graph.nodes.reduce((n, node) => n + (node.op === 'dense' ? node.shape[0] * node.inFeatures : 0), 0);
      console.log(
        `| ${s.label} (${s.model}) | ${macs.toLocaleString('en-US')} | ${batch} | ${msOurs.toFixed(3)} | ${msTfjs.toFixed(3)} | ` +
          `${(msTfjs / msOurs).toFixed(2)} | ${compileOurs.toFixed(0)} | ${(firstTfjs - msTfjs).toFixed(0)} |`,
      );
    }
    ours!.destroy();
  }
  tf.engine().reset();
  device.destroy();
}

await main();
