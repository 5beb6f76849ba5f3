// The generated WGSL module against @tensorflow/tfjs-backend-webgpu running the same network on
// the same Dawn device (lavapipe without a GPU), with each of spinal's two batch kernels forced
// ('tiled', workgroup memory; 'register', none). Batch 1 and 256, warm runs only: each timing is
// one predict, input upload to output download. Start-up is reported apart, never subtracted:
// spinal's createModel (weights folded and uploaded, every pipeline compiled), the first predict
// of each side, and tfjs's first call (which compiles its shaders).
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
import type { Weights } from '../src/tensor/tensor.js';
import { emitWgsl } from '../src/backends/wgsl/index.js';
import { importHost, openDawnDevice } from '../src/verify/wgsl.js';

const SAMPLES = [
  { label: 'MNIST', file: 'mnist_cnn.spinal', model: 'mnist_cnn_spinal' },
  { label: 'MNIST VGG-5', file: 'mnist_vgg5.spinal', model: 'mnist_vgg5_spinal' },
  { label: 'CIFAR-10', file: 'cifar10_cnn.spinal', model: 'cifar10_cnn_spinal' },
  { label: 'VGG-19', file: 'vgg19_cifar10.spinal', model: 'vgg19_spinal' },
];
const BATCHES = [1, 256];
const KERNELS = ['tiled', 'register'] as const;
type Kernel = (typeof KERNELS)[number];

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
  console.log('warm: median of warm runs, one predict each; at batch 1 both spinal models run the same matrix-vector kernel\n');
  console.log('| model | MACs/sample | batch | tfjs-webgpu ms | spinal tiled ms | tfjs / tiled | spinal register ms | tfjs / register |');
  console.log('| :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const startup: string[] = [];
  mkdirSync(join('bench', 'out'), { recursive: true });
  for (const s of SAMPLES) {
    const path = join('samples', s.file);
    const model = compile({ path, text: readFileSync(path, 'utf8') }).models.find((m) => m.spec.name === s.model)!;
    const graph = optimize(model.graph);
    const bytes = writeSafetensors(randomizeBatchnorm(initWeights(model.graph, 1), model.graph, 2));
    const weights = readSafetensors(bytes);
    const host = emitWgsl(graph).find((f) => f.path.endsWith('.ts'))!;
    const module = await importHost(host.contents as string, mkdtempSync(join('bench', 'out', 'wgsl-')), graph.name);
    const macs = graph.nodes.reduce((n, node) => n + (node.op === 'dense' ? node.shape[0] * node.inFeatures : 0), 0);

    type Ours = Awaited<ReturnType<typeof module.createModel>>;
    const ours = {} as Record<Kernel, Ours>;
    const createMs = {} as Record<Kernel, number>;
    for (const kernel of KERNELS) createMs[kernel] = await elapsed(async () => (ours[kernel] = await module.createModel(device, bytes, { batchKernel: kernel })));
    const network = tfjsNetwork(graph, weights);
    const first: string[] = [];
    for (const batch of BATCHES) {
      const x = Float32Array.from({ length: batch * graph.inputSize }, (_, i) => Math.sin(i));
      const runTfjs = async () => {
        const input = tf.tensor2d(x, [batch, graph.inputSize]);
        const y = network(input);
        const data = await y.data();
        input.dispose();
        y.dispose();
        return data;
      };
      const firstTfjs = await elapsed(runTfjs);
      const expected = (await runTfjs()) as Float32Array;
      const warm = {} as Record<Kernel, number>;
      const firstOurs = {} as Record<Kernel, number>;
      for (const kernel of KERNELS) {
        const run = () => ours[kernel].predict(x, batch);
        firstOurs[kernel] = await elapsed(run);
        const actual = await run();
        const worst = actual.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i])), 0);
        if (!(worst < 1e-3)) throw new Error(`${s.model} batch ${batch} (${kernel}): outputs differ from tfjs by ${worst}`);
        warm[kernel] = await time(run);
      }
      const msTfjs = await time(runTfjs);
      console.log(
        `| ${s.label} (${s.model}) | ${macs.toLocaleString('en-US')} | ${batch} | ${msTfjs.toFixed(3)} | ` +
          KERNELS.map((k) => `${warm[k].toFixed(3)} | ${(msTfjs / warm[k]).toFixed(2)}`).join(' | ') +
          ' |',
      );
      first.push(`${firstTfjs.toFixed(0)} | ${KERNELS.map((k) => firstOurs[k].toFixed(1)).join(' | ')}`);
    }
    startup.push(`| ${s.label} (${s.model}) | ${KERNELS.map((k) => createMs[k].toFixed(0)).join(' | ')} | ${first.join(' | ')} |`);
    for (const kernel of KERNELS) ours[kernel].destroy();
  }
  console.log('\nstart-up, ms (each a single measurement: noisy): createModel compiles every pipeline; a first call runs after it');
  console.log(
    '| model | spinal createModel, tiled | spinal createModel, register | ' +
      BATCHES.map((b) => `tfjs first call, batch ${b} | spinal tiled first predict, batch ${b} | spinal register first predict, batch ${b}`).join(' | ') +
      ' |',
  );
  console.log(`| :--- | ${Array.from({ length: 2 + 3 * BATCHES.length }, () => '---:').join(' | ')} |`);
  for (const row of startup) console.log(row);
  tf.engine().reset();
  device.destroy();
}

await main();
