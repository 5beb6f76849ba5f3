// The generated tfjs module against the same network written with @tensorflow/tfjs-layers
// (functional API: slice layers for the rows, concatenate layers for each sub-layer's input and
// for the block output, Dense layers with fused bias and activation), same weights, same tfjs
// backend, same process. Batch 1 and 256, MNIST and CIFAR-10 heads, wasm and cpu backends.
// Also against ONNX Runtime (onnxruntime-node, one intra-op thread, bench/ort-peer.ts) on spinal's
// ONNX export of the same graph and weights, same input, timed in the same process right after
// the two tfjs sides (its time does not depend on the tfjs backend; it is measured again per row).
// Run: npx tsx bench/tfjs.ts   (--backend wasm|cpu for one backend; --write also replaces the
// "## tfjs" section of bench/RESULTS.md with the table and bench/tfjs.md's notes)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tfc from '@tensorflow/tfjs-core';
import { compile } from '../src/compile.js';
import { optimize } from '../src/passes/optimize.js';
import { initWeights } from '../src/weights/init.js';
import { writeSafetensors } from '../src/weights/safetensors.js';
import { importTfjsModule, tfjsWithBackend, type TfjsBackendName } from '../src/verify/tfjs-module.js';
import { formatRatio, maxAbsDiff, ORT_VERSION, OrtPeer } from './ort-peer.js';
import { layersModel } from './layers-peer.js';

type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;

const SAMPLES = [
  { label: 'MNIST', file: 'mnist_cnn.spinal', model: 'mnist_cnn_spinal' },
  { label: 'CIFAR-10', file: 'cifar10_cnn.spinal', model: 'cifar10_cnn_spinal' },
];
const BATCHES = [1, 256];
const only = process.argv.indexOf('--backend');
const TFJS_BACKENDS: TfjsBackendName[] = only > 0 ? [process.argv[only + 1] as TfjsBackendName] : ['wasm', 'cpu'];
const ROUNDS = 7;

/** Median over rounds of the mean time per call, each round at least `minMs` long; microseconds. */
function timeBoth(fs: (() => void)[], minMs: number): number[] {
  // Warm-up: JIT, XNNPACK operator caches, wasm heap growth.
  for (const f of fs) {
    const start = performance.now();
    for (let i = 0; i < 5 || performance.now() - start < minMs; i++) f();
  }
  const rounds: number[][] = fs.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    fs.forEach((f, k) => {
      let n = 0;
      const start = performance.now();
      while (n < 2 || performance.now() - start < minMs) {
        f();
        n++;
      }
      rounds[k].push(((performance.now() - start) * 1000) / n);
    });
  }
  return rounds.map((times) => times.sort((a, b) => a - b)[times.length >> 1]);
}

const rows: string[] = [];
const work = mkdtempSync(join(tmpdir(), 'spinal-bench-tfjs-'));
try {
  for (const backend of TFJS_BACKENDS) {
    const tf = await tfjsWithBackend(backend);
    for (const s of SAMPLES) {
      const path = join('samples', s.file);
      const model = compile({ path, text: readFileSync(path, 'utf8') }).models.find((m) => m.spec.name === s.model)!;
      const graph = optimize(model.graph);
      const weights = initWeights(model.graph, 1n);
      const module = await importTfjsModule(graph, mkdtempSync(join(work, 'm-')));
      const generated = module.load(writeSafetensors(weights));
      const peer = layersModel(tf, graph, weights);
      const ort = await OrtPeer.create(graph, weights);
      for (const batch of BATCHES) {
        const data = Float32Array.from({ length: batch * graph.inputSize }, (_, i) => Math.sin(i));
        const x = tf.tensor2d(data, [batch, graph.inputSize]);
        const xOrt = ort.input(data, batch);
        const runGenerated = () => { const y = generated.predict(x); y.dataSync(); y.dispose(); };
        // batchSize: the whole batch in one pass (tfjs-layers would otherwise cut it into 32s).
        const runPeer = () => { const y = peer.predict(x, { batchSize: batch }) as Tensor2D; y.dataSync(); y.dispose(); };
        const a = generated.predict(x);
        const b = peer.predict(x, { batchSize: batch }) as Tensor2D;
        const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
        const ortDiff = maxAbsDiff(await ort.predict(xOrt), a.dataSync());
        tf.dispose([a, b]);
        const [ours, theirs] = timeBoth([runGenerated, runPeer], backend === 'cpu' && batch > 1 ? 1500 : 150);
        const ortUs = await ort.time(xOrt, 1000);
        rows.push(`| ${backend} | ${s.label} (${s.model}) | ${module.macs.toLocaleString('en-US')} | ${batch} | ${ours.toFixed(1)} | ${theirs.toFixed(1)} | ${(theirs / ours).toFixed(2)}x | ${diff.toExponential(1)} | ${ortUs.toFixed(1)} | ${formatRatio(ours / ortUs)} | ${ortDiff.toExponential(1)} |`);
        console.log(rows[rows.length - 1]);
        x.dispose();
      }
      generated.dispose();
      peer.dispose();
      await ort.release();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const table = [
  `tfjs ${tfc.version_core}, onnxruntime-node ${ORT_VERSION}.`,
  '',
  '| backend | model | MACs/sample | batch | generated µs | tfjs-layers µs | speed-up | max abs diff | ORT µs | generated / ORT time | max abs diff vs ORT |',
  '| :--- | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
].join('\n');
console.log(`\n${table}`);

if (process.argv.includes('--write')) {
  const file = join('bench', 'RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const section = `## tfjs\n\n${readFileSync(join('bench', 'tfjs.md'), 'utf8').replace('{{TABLE}}', table).trim()}\n`;
  const start = text.indexOf('## tfjs\n');
  const end = start < 0 ? -1 : text.indexOf('\n## ', start + 1);
  const next = start < 0 ? `${text.trimEnd()}\n\n${section}` : `${text.slice(0, start)}${section}${end < 0 ? '' : text.slice(end)}`;
  writeFileSync(file, next);
  console.log(`\nupdated the tfjs section of ${file}`);
}
