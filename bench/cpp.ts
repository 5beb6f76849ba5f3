// The C++ backend against OpenBLAS: throughput (MACs per second) of each sample's generated
// predict, single-threaded, at batch 1 and 256, against cblas_sgemm / cblas_sgemv doing the same
// matrix products in the same process (bench/cpp/harness.cpp.hbs), and against ONNX Runtime
// (onnxruntime-node, one intra-op thread, bench/ort-peer.ts) on spinal's ONNX export of the same
// graph and weights, timed in this process right after the harness's run for each (model, batch),
// on the input the harness used; its output is compared with the generated predict's.
//
// Run: npx tsx bench/cpp.ts   (--write also replaces the "## C++" section of bench/RESULTS.md
// with the table and bench/cpp.md's notes; --quick for short rounds)
//
// Needs g++ and OpenBLAS (Debian: libopenblas-dev, installed here when missing and run as root).
// OpenBLAS runs with one thread; on a CPU with AVX-512 it is given OPENBLAS_CORETYPE=SkylakeX
// (its AVX-512 kernels) and OPENBLAS_L2_SIZE is unset, for this one command only.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { compile } from '../src/compile.js';
import { optimize } from '../src/passes/optimize.js';
import { count } from '../src/passes/count.js';
import { initWeights } from '../src/weights/init.js';
import { writeSafetensors } from '../src/weights/safetensors.js';
import { cppNames, emitCpp } from '../src/backends/cpp/emit.js';
import { formatRatio, maxAbsDiff, ORT_VERSION, OrtPeer } from './ort-peer.js';

const MODELS: [label: string, file: string, model: string][] = [
  ['MNIST', 'samples/mnist_cnn.spinal', 'mnist_cnn_spinal'],
  ['MNIST VGG-5', 'samples/mnist_vgg5.spinal', 'mnist_vgg5_spinal'],
  ['CIFAR-10', 'samples/cifar10_cnn.spinal', 'cifar10_cnn_spinal'],
  ['VGG-19', 'samples/vgg19_cifar10.spinal', 'vgg19_spinal'],
  ['VGG-19 dense head', 'samples/vgg19_cifar10.spinal', 'vgg19_default'],
];
const BATCHES = [1, 256];
const quick = process.argv.includes('--quick');
const out = resolve('bench', 'out', 'cpp');
mkdirSync(out, { recursive: true });

function hasOpenblas(): boolean {
  try {
    execFileSync('g++', ['-x', 'c++', '-', '-o', join(out, 'probe'), '-lopenblas'], { input: '#include <cblas.h>\nint main() { return openblas_get_corename() == nullptr; }\n', stdio: ['pipe', 'ignore', 'ignore'] });
    return true;
  } catch {
    return false;
  }
}

if (!hasOpenblas()) {
  if (process.getuid?.() !== 0) throw new Error('OpenBLAS is missing: install libopenblas-dev (Debian) and run again');
  console.log('installing libopenblas-dev ...');
  execFileSync('apt-get', ['install', '-y', '-qq', 'libopenblas-dev'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const models = MODELS.map(([label, file, name]) => {
  const graph = optimize(compile({ path: file, text: readFileSync(file, 'utf8') }).models.find((m) => m.spec.name === name)!.graph);
  const { file: header, namespace } = cppNames(graph);
  writeFileSync(join(out, header), emitCpp(graph));
  const weights = join(out, `${name}.safetensors`);
  const values = initWeights(graph, 1);
  writeFileSync(weights, writeSafetensors(values));
  const shapes = graph.nodes.flatMap((n) => (n.op === 'dense' ? [{ units: n.shape[0], in: n.inFeatures }] : []));
  return { label, name, ns: namespace, header, weights, io: join(out, name), shapes, batches: BATCHES, macs: count(graph).macs, graph, values };
});

const template = Handlebars.compile(readFileSync(join('bench', 'cpp', 'harness.cpp.hbs'), 'utf8'), { noEscape: true, strict: true });
writeFileSync(join(out, 'harness.cpp'), template({ models: models.map(({ graph: _g, values: _v, ...m }) => m) }));
const flags = ['-std=c++17', '-O3', '-march=native'];
console.log(`compiling: g++ ${flags.join(' ')} harness.cpp -lopenblas`);
execFileSync('g++', [...flags, join(out, 'harness.cpp'), '-o', join(out, 'harness'), '-lopenblas'], { stdio: 'inherit' });

const avx512 = existsSync('/proc/cpuinfo') && / avx512f /.test(readFileSync('/proc/cpuinfo', 'utf8'));
const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1' };
delete env.OPENBLAS_L2_SIZE;
if (avx512) env.OPENBLAS_CORETYPE = 'SkylakeX';
else delete env.OPENBLAS_CORETYPE;
const cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? 'unknown CPU';
const [rounds, seconds] = quick ? ['3', '0.05'] : ['9', '0.25'];
const ortBudgetMs = quick ? 300 : 2000;
type Row = { model: string; batch: number; spinal: number; openblas: number; ort: number; diff: number };
const rows: Row[] = [];
let info: { openblas: string; core: string } | undefined;
for (const m of models) {
  const ort = await OrtPeer.create(m.graph, m.values);
  for (const batch of m.batches) {
    // The harness for this (model, batch) alone, then ORT on the input it used, so that both are
    // timed within seconds of each other on this shared machine.
    const lines = execFileSync(join(out, 'harness'), [rounds, seconds, m.name, String(batch)], { env, encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l));
    info = lines[0] as { openblas: string; core: string };
    const r = lines[1] as { model: string; batch: number; spinal: number; openblas: number };
    const floats = (suffix: string) => {
      const bytes = readFileSync(`${m.io}-${batch}.${suffix}.f32`);
      return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    };
    const x = ort.input(floats('x'), batch);
    const diff = maxAbsDiff(await ort.predict(x), floats('y'));
    const us = await ort.time(x, ortBudgetMs);
    rows.push({ ...r, ort: us / 1e6, diff });
    console.log(`${m.name} batch ${batch}: spinal ${(r.spinal * 1e6).toFixed(2)} µs, OpenBLAS ${(r.openblas * 1e6).toFixed(2)} µs, ORT ${us.toFixed(2)} µs, max abs diff ${diff.toExponential(1)}`);
  }
  await ort.release();
}
if (!info) throw new Error('no models');
console.log(`${cpu}; ${info.openblas.trim()}, core ${info.core}${avx512 ? ' (OPENBLAS_CORETYPE=SkylakeX)' : ''}, 1 thread; onnxruntime-node ${ORT_VERSION}, 1 intra-op thread`);

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const lines = rows.map((r) => {
  const m = models.find((x) => x.name === r.model)!;
  const macs = Number(m.macs) * r.batch;
  const ratio = r.openblas / r.spinal;
  return `| ${m.label} (${m.name}) | ${Number(m.macs).toLocaleString('en-US')} | ${r.batch} | ${fmt(r.spinal * 1e6, 2)} | ${fmt(macs / r.spinal / 1e9, 2)} | ${fmt(macs / r.openblas / 1e9, 2)} | ${fmt(ratio * 100, 0)}% | ${fmt(r.ort * 1e6, 2)} | ${formatRatio(r.spinal / r.ort)} | ${r.diff.toExponential(1)} |`;
});
const table = [
  `Measured on: ${cpu} (\`nproc\` ${execFileSync('nproc', { encoding: 'utf8' }).trim()}), g++ ${execFileSync('g++', ['-dumpfullversion'], { encoding: 'utf8' }).trim()}, ${info.openblas.trim()} with core ${info.core}${avx512 ? ' (`OPENBLAS_CORETYPE=SkylakeX`)' : ''}, onnxruntime-node ${ORT_VERSION}.`,
  '',
  '| model | MACs/sample | batch | spinal µs / call | spinal GMAC/s | OpenBLAS GMAC/s | spinal / OpenBLAS | ORT µs / call | spinal / ORT time | max abs diff vs ORT |',
  '| :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...lines,
].join('\n');
console.log(`\n${table}`);

if (process.argv.includes('--write')) {
  const file = join('bench', 'RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const section = `## C++\n\n${readFileSync(join('bench', 'cpp.md'), 'utf8').replace('{{TABLE}}', table).trim()}\n`;
  const start = text.indexOf('## C++\n');
  const end = start < 0 ? -1 : text.indexOf('\n## ', start + 1);
  const next = start < 0 ? `${text.trimEnd()}\n\n${section}` : `${text.slice(0, start)}${section}${end < 0 ? '' : text.slice(end)}`;
  writeFileSync(file, next);
  console.log(`\nupdated the C++ section of ${file}`);
}
