// ONNX Runtime (onnxruntime-node, CPU) on spinal's ONNX export: the peer deployers know best.
// Times one inference at batch 1 and 256 for the paper's MNIST, CIFAR-10 and VGG-19 heads,
// for both ways of writing a multi-input dense (Concat + Gemm, MatMul per part + Add).
// Run: npx tsx bench/onnx.ts            (one intra-op thread; --threads N to change)
// Session and timing: bench/ort-peer.ts (also the ORT column of bench/cpp.ts and bench/tfjs.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../src/compile.js';
import { optimize } from '../src/passes/optimize.js';
import { initWeights } from '../src/weights/init.js';
import type { MultiInputStrategy } from '../src/backends/onnx/export.js';
import { ORT_VERSION, OrtPeer } from './ort-peer.js';

const SAMPLES = [
  { label: 'MNIST', file: 'mnist_cnn.spinal', model: 'mnist_cnn_spinal' },
  { label: 'CIFAR-10', file: 'cifar10_cnn.spinal', model: 'cifar10_cnn_spinal' },
  { label: 'VGG-19', file: 'vgg19_cifar10.spinal', model: 'vgg19_spinal' },
];
const BATCHES = [1, 256];
const STRATEGIES: MultiInputStrategy[] = ['concat-gemm', 'matmul-add'];
const threads = Number(process.argv[process.argv.indexOf('--threads') + 1]) || 1;

console.log(`onnxruntime-node ${ORT_VERSION}, intra-op threads ${threads}, median of >= 30 runs\n`);
console.log('| model | MACs/sample | batch | strategy | µs / batch | µs / sample | GMAC/s |');
console.log('| :--- | ---: | ---: | :--- | ---: | ---: | ---: |');
for (const s of SAMPLES) {
  const path = join('samples', s.file);
  const model = compile({ path, text: readFileSync(path, 'utf8') }).models.find((m) => m.spec.name === s.model)!;
  const graph = optimize(model.graph);
  const weights = initWeights(model.graph, 1);
  const macs = graph.nodes.reduce((a, n) => a + (n.op === 'dense' ? n.shape[0] * n.inFeatures : 0), 0);
  for (const strategy of STRATEGIES) {
    const peer = await OrtPeer.create(graph, weights, { threads, strategy });
    for (const batch of BATCHES) {
      const x = peer.input(Float32Array.from({ length: batch * graph.inputSize }, (_, i) => Math.sin(i)), batch);
      const us = await peer.time(x);
      const gmacs = (macs * batch) / us / 1000;
      console.log(`| ${s.label} (${s.model}) | ${macs.toLocaleString('en-US')} | ${batch} | ${strategy} | ${us.toFixed(1)} | ${(us / batch).toFixed(2)} | ${gmacs.toFixed(2)} |`);
    }
    await peer.release();
  }
}
