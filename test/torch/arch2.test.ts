// The MNIST Arch2 head of the official code (MNIST/Arch2_MNIST.py): samples/mnist_arch2.spinal's
// counts, its naming scheme (three blocks told apart by their module names, a hidden fc2, fc3 the
// output), and the checkpoint test/fixtures/torch/arch2.pt (make_fixtures.py: first_HL = 2, the
// backbone's conv1 and conv2 included) imported with no flags and computing the script's forward().
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
import { SAMPLES_DIR } from '../support/samples.js';
import { compile } from '../../src/compile.js';
import { interpret } from '../../src/ir/interpret.js';
import { readSafetensors } from '../../src/weights/safetensors.js';
import { parseLayout } from '../../src/weights/safetensors-layout.js';
import { toFloat32 } from '../../src/weights/dtype.js';
import { mapTorchNames, type SourceTensor } from '../../src/weights/torch-names.js';
import { rowLayoutProblem } from '../../src/weights/torch-import.js';
import { onlyModel } from '../support/front.js';

const SAMPLE = join(SAMPLES_DIR, 'mnist_arch2.spinal');
const FIXTURES = join(SAMPLES_DIR, '..', 'test', 'fixtures', 'torch');
const FIXTURE = join(FIXTURES, 'arch2.pt');
/** The fixture's first_HL. */
const HL = 2;

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'spinal-arch2-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('samples/mnist_arch2.spinal counts', () => {
  it('389,000 MACs, 389,840 parameters, a dense baseline of 697,100 MACs', async () => {
    const r = await run('macs', SAMPLE, '--json');
    expect(r.code, r.stderr).toBe(0);
    const [model] = JSON.parse(r.stdout).models;
    expect(model.name).toBe('mnist_arch2');
    // blocks of w = 30: pixels 392*30 + 9 of (392 + 30)*30, conv1 720*30 + 7 of (720 + 30)*30,
    // conv2 160*30 + 7 of (160 + 30)*30; fc2 780*50; fc3 50*10
    const macs = 392 * 30 + 9 * 422 * 30 + 720 * 30 + 7 * 750 * 30 + 160 * 30 + 7 * 190 * 30 + 780 * 50 + 50 * 10;
    expect(macs).toBe(389_000);
    expect(model.macs).toBe(macs);
    // a bias for each of the 26 sub-layers, fc2's 50 and fc3's 10
    expect(model.parameters).toBe(macs + 26 * 30 + 50 + 10);
    expect(model.parameters).toBe(389_840);
    // each block replaced by one dense layer of its sub-layers' outputs reading its whole input
    expect(model.baseline.macs).toBe(784 * 300 + 1440 * 240 + 320 * 240 + 780 * 50 + 50 * 10);
    expect(model.baseline.macs).toBe(697_100);
  });
});

// The script's modules: (stem, rows, sub-layers), in the order of its state_dict.
const BLOCKS = [['fc1', 160, 8], ['fcp', 720, 8], ['fcp2', 392, 10]] as const;
const moduleName = (stem: string, k: number) => (k === 0 ? stem : `${stem}_${k}`);
const linear = (module: string, out: number, inp: number): SourceTensor[] => [
  { name: `${module}.weight`, shape: [out, inp] }, { name: `${module}.bias`, shape: [out] },
];
function officialNames(prefix: string, hl = HL): SourceTensor[] {
  return [
    { name: `${prefix}conv1.weight`, shape: [10, 1, 5, 5] }, { name: `${prefix}conv1.bias`, shape: [10] },
    { name: `${prefix}conv2.weight`, shape: [20, 10, 5, 5] }, { name: `${prefix}conv2.bias`, shape: [20] },
    ...BLOCKS.flatMap(([stem, rows, n]) => Array.from({ length: n }, (_, k) => linear(`${prefix}${moduleName(stem, k)}`, hl, k === 0 ? rows : rows + hl)).flat()),
    ...linear(`${prefix}fc2`, 50, 26 * hl), ...linear(`${prefix}fc3`, 10, 50),
  ];
}

describe('the Arch2 naming scheme', () => {
  it.each(['', 'module.', 'net.', 'model.module.'])('under %j: fcp2 is spinal1, fcp spinal2, fc1 spinal3, fc2 dense1, fc3 the output; the convolutions stay unmapped', (prefix) => {
    const names = mapTorchNames(officialNames(prefix));
    expect(names.family?.id).toBe('arch2');
    expect(names.prefix).toBe(prefix);
    const m = (n: string) => names.mapping.get(`${prefix}${n}`);
    expect([m('fcp2.weight'), m('fcp2_9.bias'), m('fcp.weight'), m('fcp_7.weight'), m('fc1.bias'), m('fc1_7.weight'), m('fc2.weight'), m('fc3.bias')]).toEqual([
      'spinal1.sub1.weight', 'spinal1.sub10.bias', 'spinal2.sub1.weight', 'spinal2.sub8.weight', 'spinal3.sub1.bias', 'spinal3.sub8.weight', 'dense1.weight', 'output.bias',
    ]);
    expect(names.mapping.size).toBe(2 * (26 + 2));
    expect(names.unmapped).toEqual(['conv1.bias', 'conv1.weight', 'conv2.bias', 'conv2.weight'].map((n) => prefix + n));
  });

  it('the MNIST script (fc1 .. fc1_5, fc2) stays the MNIST scheme, and fc1, fc2, fc3 alone are no Arch2 head', () => {
    const mnist = [...linear('fc1', 8, 160), ...[1, 2, 3, 4, 5].flatMap((k) => linear(`fc1_${k}`, 8, 168)), ...linear('fc2', 10, 48)];
    expect(mapTorchNames(mnist).family?.id).toBe('mnist');
    // the conv2 block alone with fc2 and fc3: without fcp or fcp2 the names are the MNIST script's
    const noFcp = [...linear('fc1', 2, 160), ...linear('fc1_1', 2, 162), ...linear('fc2', 50, 4), ...linear('fc3', 10, 50)];
    const names = mapTorchNames(noFcp);
    expect(names.family?.id).toBe('mnist');
    expect(names.unmapped).toEqual(['fc3.bias', 'fc3.weight']);
  });

  it('refuses a model that joins the blocks in another order than the script, or deals a block\'s rows out in turn', () => {
    const family = mapTorchNames(officialNames('')).family;
    const text = readFileSync(SAMPLE, 'utf8');
    const swapped = onlyModel(text.replace('dense 50 relu from a, b, c', 'dense 50 relu from c, b, a')).spec;
    expect(rowLayoutProblem(family, swapped)).toBe(
      "the source names are those of the official fcp2, fcp2_1 .. fcp2_9; fcp, fcp_1 .. fcp_7; fc1, fc1_1 .. fc1_7; fc2, fc3 head, whose first dense layer reads the blocks' outputs side by side in the script's order (here spinal1, spinal2, spinal3), but model 'mnist_arch2' joins other values: write `from a, b, c` on its first dense layer, or its numbers will not be the official model's",
    );
    const interleaved = onlyModel(text.replace(/(b = spinal from conv1 \{\n\s*split 1:1)/, '$1 interleaved')).spec;
    expect(rowLayoutProblem(family, interleaved)).toMatch(/whose rows are consecutive, but model 'mnist_arch2' \(its block spinal2\) deals its input out in turn: remove `interleaved`/);
    expect(rowLayoutProblem(family, onlyModel(text).spec)).toBeUndefined();
  });
});

/** The fixture's tensors as make_fixtures.py wrote them beside it: float32, by name. */
function official(): Map<string, Float32Array> {
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'arch2.expected.safetensors')));
  return new Map(parseLayout(bytes).entries.map((e) => [e.name, toFloat32(e.name, e.dtype, bytes.subarray(e.begin, e.end))]));
}

/**
 * Net.forward() of MNIST/Arch2_MNIST.py from the convolutions on, in float64: each block takes
 * the first half of its input, then the two halves in turn each with the sub-layer before,
 * through relu; x = cat(pixel block, cat(conv1 block, conv2 block)); relu(fc2); log_softmax(fc3).
 */
function officialForward(w: Map<string, Float32Array>, pixels: number[], conv1: number[], conv2: number[], order = ['fcp2', 'fcp', 'fc1']): number[] {
  const lin = (m: string, x: number[]) => {
    const weight = w.get(`${m}.weight`)!;
    return Array.from(w.get(`${m}.bias`)!, (b, o) => x.reduce((acc, xi, i) => acc + weight[o * x.length + i] * xi, b));
  };
  const relu = (v: number[]) => v.map((x) => Math.max(0, x));
  const block = (stem: string, layers: number, x: number[]) => {
    const half = x.length / 2;
    const outs: number[][] = [];
    for (let k = 0; k < layers; k++) {
      const rows = k % 2 === 0 ? x.slice(0, half) : x.slice(half, 2 * half);
      outs.push(relu(lin(moduleName(stem, k), k === 0 ? rows : [...rows, ...outs[k - 1]])));
    }
    return outs.flat();
  };
  const outputs: Record<string, number[]> = { fcp2: block('fcp2', 10, pixels), fcp: block('fcp', 8, conv1), fc1: block('fc1', 8, conv2) };
  const z = lin('fc3', relu(lin('fc2', order.flatMap((stem) => outputs[stem]))));
  const max = Math.max(...z);
  const log = Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
  return z.map((v) => v - max - log);
}

describe('arch2.pt imported with no flags', () => {
  it('--dry-run shows the mapping and the convolutions left out', async () => {
    const r = await run('import', SAMPLE, '--set', `w=${HL}`, '--from-torch', FIXTURE, '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toContain(`'${FIXTURE}': torch.save checkpoint; official names fcp2, fcp2_1 .. fcp2_9; fcp, fcp_1 .. fcp_7; fc1, fc1_1 .. fc1_7; fc2, fc3 (MNIST/Arch2_MNIST.py`);
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))?.split(/ {2,}/);
    expect(row('conv2.weight')).toEqual(['conv2.weight', '[20, 10, 5, 5]', 'F32', '(unmapped)']);
    expect(row('fcp2_9.weight')).toEqual(['fcp2_9.weight', '[2, 394]', 'F32', 'spinal1.sub10.weight']);
    expect(row('fcp_1.weight')).toEqual(['fcp_1.weight', '[2, 722]', 'F32', 'spinal2.sub2.weight']);
    expect(row('fc1_7.bias')).toEqual(['fc1_7.bias', '[2]', 'F32', 'spinal3.sub8.bias']);
    expect(row('fc2.weight')).toEqual(['fc2.weight', '[50, 52]', 'F32', 'dense1.weight']);
    expect(row('fc3.weight')).toEqual(['fc3.weight', '[10, 50]', 'F32', 'output.weight']);
    expect(r.stderr).toContain("4 tensors of '" + FIXTURE + "' map to no canonical name:\n  'conv1.bias'\n  'conv1.weight'\n  'conv2.bias'\n  'conv2.weight'\n");
    expect(r.stderr).toContain("fits model 'mnist_arch2'; nothing written (--dry-run)");
    expect(readdirSync(dir)).toEqual([]);
  });

  /** Imports the fixture into `text` (w = first_HL), runs the interpreter on a packed batch of two and compares with the script. */
  async function computesTheScript(text: string) {
    const out = join(dir, 'w.safetensors');
    const path = join(dir, 'model.spinal');
    writeFileSync(path, text);
    const r = await run('import', path, '--set', `w=${HL}`, '--from-torch', FIXTURE, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`wrote '${out}': 56 tensors`);
    const weights = readSafetensors(readFileSync(out));
    const model = compile({ path, text }, { overrides: { w: HL } }).models[0];
    expect(model.graph.inputs.map((i) => [i.name, i.size])).toEqual([['pixels', 784], ['conv1', 1440], ['conv2', 320]]);
    const source = official();
    const batch = 2;
    const samples = Array.from({ length: batch }, (_, s) => {
      const input = (n: number, phase: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + phase + s * 1.3) * 0.5);
      return [input(784, 0), input(1440, 1), input(320, 2)] as const;
    });
    const got = interpret(model.graph, weights, samples.flatMap(([p, c1, c2]) => [...p, ...c1, ...c2]), batch);
    expect(got).toHaveLength(batch * 10);
    samples.forEach(([p, c1, c2], s) => {
      const want = officialForward(source, p, c1, c2);
      // the numbers are not degenerate: the classes are told apart
      expect(Math.max(...want) - Math.min(...want)).toBeGreaterThan(0.1);
      want.forEach((v, i) => expect(Math.abs(got[s * 10 + i] - v), `sample ${s} class ${i}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(v))));
      // joined in another order, the same weights give other numbers: the order is what is tested
      const swapped = officialForward(source, p, c1, c2, ['fc1', 'fcp', 'fcp2']);
      expect(Math.max(...swapped.map((v, i) => Math.abs(v - want[i])))).toBeGreaterThan(1e-3);
    });
    return r;
  }

  it('the imported weights compute the official forward() through the interpreter, on a packed batch of two', async () => {
    await computesTheScript(readFileSync(SAMPLE, 'utf8'));
  });

  // The sample's blocks declared conv2, pixels, conv1: spinal1 is the conv2 block.
  const reordered = (join: string) => readFileSync(SAMPLE, 'utf8')
    .replace(/  a = spinal from pixels \{[^}]*\}\n  b = spinal from conv1 \{[^}]*\}\n  c = spinal from conv2 \{[^}]*\}\n/, (blocks) => {
      const [a, b, c] = blocks.split(/(?<=\}\n)/);
      return c + a + b;
    })
    .replace('from a, b, c', join);

  it('a model declaring the blocks in another order gets each block by the width of its rows, and computes the script', async () => {
    const text = reordered('from a, b, c');
    expect(text.indexOf('c = spinal from conv2')).toBeLessThan(text.indexOf('a = spinal from pixels'));
    const path = join(dir, 'reordered.spinal');
    writeFileSync(path, text);
    const dry = await run('import', path, '--set', `w=${HL}`, '--from-torch', FIXTURE, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    const target = (name: string) => dry.stdout.split('\n').find((l) => l.startsWith(`${name} `))?.split(/ {2,}/)[3];
    expect([target('fc1.weight'), target('fcp2_9.bias'), target('fcp_7.weight')]).toEqual(['spinal1.sub1.weight', 'spinal2.sub10.bias', 'spinal3.sub8.weight']);
    await computesTheScript(text);
  });

  it('a model joining the blocks in another order than the script is refused, saying what to write; nothing is written', async () => {
    const model = join(dir, 'swapped.spinal');
    writeFileSync(model, reordered('from c, a, b'));
    const r = await run('import', model, '--set', `w=${HL}`, '--from-torch', FIXTURE, '--out', join(dir, 'w.safetensors'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("reads the blocks' outputs side by side in the script's order (here spinal2, spinal3, spinal1), but model 'mnist_arch2' joins other values: write `from a, b, c`");
    expect(readdirSync(dir)).toEqual(['swapped.spinal']);
  });
});
