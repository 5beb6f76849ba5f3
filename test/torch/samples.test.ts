// The samples of the official heads: their exact counts, and each imports the checkpoint of its
// family (test/fixtures/torch, see make_fixtures.py) with no flags but the sizes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, type CompiledModel } from '../../src/compile.js';
import { count } from '../../src/passes/count.js';
import { modelReport } from '../../src/report/model-report.js';
import { SAMPLES_DIR } from '../support/samples.js';
import { interpret } from '../../src/ir/interpret.js';
import { loadTorchImport, openTorchSource, setAsideTied } from '../../src/weights/torch-import.js';
import { tensorSpecs } from '../../src/ir/tensors.js';
import { mapTorchNames } from '../../src/weights/torch-names.js';

function sample(file: string, name: string): CompiledModel {
  const compiled = compile({ path: file, text: readFileSync(join(SAMPLES_DIR, file), 'utf8') });
  expect(compiled.diagnostics).toEqual([]);
  return compiled.models.find((m) => m.spec.name === name)!;
}

describe('counts of the official heads', () => {
  it.each([
    // rows of 256 dealt out in turn: 256*256, then three of (256 + 256)*256, output 1024*10
    ['resnet_cifar10.spinal', 'resnet_cifar10_spinal', 256 * 256 + 3 * 512 * 256 + 1024 * 10, 256 * 256 + 256 + 3 * (512 * 256 + 256) + 1024 * 10 + 10],
    // rows of 4: 4*5, then three of (4 + 5)*5, output 20*2
    ['customizable.spinal', 'customizable_spinal', 4 * 5 + 3 * 9 * 5 + 20 * 2, 4 * 5 + 5 + 3 * (9 * 5 + 5) + 20 * 2 + 2],
    // halves of 8: 8*4, then three of (8 + 4)*4, output 16*3; batchnorm adds 2 parameters a neuron
    ['transfer_notebook.spinal', 'transfer_notebook_spinal', 8 * 4 + 3 * 12 * 4 + 16 * 3, 8 * 4 + 4 + 8 + 3 * (12 * 4 + 4 + 8) + 16 * 3 + 3],
    // the MNIST script's head, first_HL = 8: 160*8, five of (160 + 8)*8, output 48*10
    ['mnist_cnn.spinal', 'mnist_cnn_spinal', 160 * 8 + 5 * 168 * 8 + 48 * 10, 160 * 8 + 8 + 5 * (168 * 8 + 8) + 48 * 10 + 10],
    // halves of 4, first_HL 50: 4*50, then five of (4 + 50)*50, output 300*1; sub-layers 5 and 6
    // reuse the Linear of 3 and 4, so fc1 .. fc4 and fcx are the parameters (not fc5, fc6)
    ['regression.spinal', 'regression_spinal', 4 * 50 + 5 * 54 * 50 + 300, 4 * 50 + 50 + 3 * (54 * 50 + 50) + 300 + 1],
    // halves of 512, HL_width 50: 512*50, then seven of (512 + 50)*50, output 400*10; one Linear
    // for sub-layers 2 to 8
    ['spinal_sw.spinal', 'spinal_sw', 512 * 50 + 7 * 562 * 50 + 400 * 10, 512 * 50 + 50 + 562 * 50 + 50 + 400 * 10 + 10],
    // SpinalVGG of the CIFAR-10 VGG script: 256*512, three of (256 + 512)*512, output 2048*10
    ['vgg19_cifar10.spinal', 'vgg19_spinal', 256 * 512 + 3 * 768 * 512 + 2048 * 10, 256 * 512 + 512 + 3 * (768 * 512 + 512) + 2048 * 10 + 10],
  ])('%s %s: %i MACs, %i parameters', (file, name, macs, parameters) => {
    const model = sample(file, name);
    expect(count(model.graph).macs).toBe(BigInt(macs));
    expect(modelReport(model).parameters).toBe(parameters);
  });

  it('every sample of an official head cites a script of the official repository by its path', () => {
    const cited = ['resnet_cifar10', 'customizable', 'transfer_notebook', 'mnist_cnn', 'vgg19_cifar10', 'mnist_vgg5', 'cifar10_cnn', 'cifar100_cnn', 'mnist_arch2']
      .map((f) => /official code:\s*(?:#\s*)?([^,)\n]+\.(?:py|ipynb))/.exec(readFileSync(join(SAMPLES_DIR, `${f}.spinal`), 'utf8'))?.[1]);
    expect(cited).toEqual([
      'CIFAR-10/ResNet_default_and_SpinalFC_CIFAR10.py',
      'Customizable Model/spinalnettorch.py',
      'Jupyter Notebooks/transfer-learning-on-fashion-mnist-dataset.ipynb',
      'MNIST/SpinalNet_MNIST.py',
      'CIFAR-10/VGG_default_and_SpinalFC_CIFAR10.py',
      'MNIST_VGG/MNIST_VGG_and_SpinalVGG.py',
      'CIFAR-10/CNN_dropout_SpinalFC_CIFAR10.py',
      'CIFAR-100/CNN_dropout_Default_and_SpinalFC_CIFAR100.py',
      'MNIST/Arch2_MNIST.py',
    ]);
    const citation = (f: string) => /official code: ([^\n]+\.(?:py|ipynb))\):/.exec(readFileSync(join(SAMPLES_DIR, `${f}.spinal`), 'utf8'))?.[1];
    expect(citation('regression')).toBe('Regression/Regression_NN_and_SpinalNet.py');
    expect(citation('spinal_sw')).toBe('Others/Other Papers/SpinalNet SW/SpinalNet shared weight with Transformer on STL-10(HL_width=50).ipynb');
  });
});

// The official forward() of two heads, written out here from the scripts (the slices and
// concatenations of MNIST/SpinalNet_MNIST.py and of SpinalResNet in
// CIFAR-10/ResNet_default_and_SpinalFC_CIFAR10.py), against the interpreter on the imported
// checkpoint: the names map to the right sub-layers and the rows are read the official way.
describe('imported checkpoints compute the official forward()', () => {
  const relu = (v: number[]) => v.map((x) => Math.max(0, x));
  const linear = (w: Float32Array, b: Float32Array, x: number[]) =>
    Array.from(b, (bias, o) => x.reduce((acc, xi, i) => acc + w[o * x.length + i] * xi, bias));

  async function imported(file: string, name: string, fixture: string, set: Record<string, number> = {}, inline?: string) {
    const text = inline ?? readFileSync(join(SAMPLES_DIR, file), 'utf8');
    const compiled = compile({ path: file, text }, { overrides: set });
    const model = compiled.models.find((m) => m.spec.name === name)!;
    const source = await openTorchSource(join(SAMPLES_DIR, '..', 'test', 'fixtures', 'torch', `${fixture}.pt`));
    try {
      const names = setAsideTied(mapTorchNames(source.tensors), model.spec);
      expect(new Set(names.mapping.values())).toEqual(new Set(tensorSpecs(model.graph).map((t) => t.name)));
      const all = new Map<string, Float32Array>();
      for (const t of source.tensors) if (t.dtype !== 'I64') all.set(t.name, await source.float32(t.name));
      return { model, weights: (await loadTorchImport(source, names)).weights, all, tied: names.tied };
    } finally {
      source.close();
    }
  }

  const input = (n: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 2);

  it('MNIST: halves 0:160 and 160:320 in turn, six sub-layers, fc2 over all', async () => {
    const { model, weights, all } = await imported('mnist_cnn.spinal', 'mnist_cnn_spinal', 'mnist_net');
    const x = input(320);
    const half = [x.slice(0, 160), x.slice(160)];
    const hs: number[][] = [];
    const names = ['fc1', 'fc1_1', 'fc1_2', 'fc1_3', 'fc1_4', 'fc1_5'];
    names.forEach((m, k) => hs.push(relu(linear(all.get(`${m}.weight`)!, all.get(`${m}.bias`)!, k === 0 ? half[0] : [...half[k % 2], ...hs[k - 1]]))));
    const want = linear(all.get('fc2.weight')!, all.get('fc2.bias')!, hs.flat());
    const got = interpret(model.graph, weights, x, 1);
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
  });

  it('ResNet: the channels at (0,0), (0,1), (1,0), (1,1) of a 256 x 2 x 2 map, fc_layer over all', async () => {
    const { model, weights, all } = await imported('resnet_cifar10.spinal', 'resnet_cifar10_spinal', 'resnet_checkpoint', { w: 8 });
    const x = input(1024); // out1 flattened channel-major: out1[c, i, j] = x[4c + 2i + j]
    const at = (i: number, j: number) => Array.from({ length: 256 }, (_, c) => x[4 * c + 2 * i + j]);
    const positions = [at(0, 0), at(0, 1), at(1, 0), at(1, 1)];
    const hs: number[][] = [];
    ['fc1', 'fc1_1', 'fc1_2', 'fc1_3'].forEach((m, k) =>
      hs.push(relu(linear(all.get(`${m}.weight`)!, all.get(`${m}.bias`)!, k === 0 ? positions[0] : [...positions[k], ...hs[k - 1]]))));
    const want = linear(all.get('fc_layer.weight')!, all.get('fc_layer.bias')!, hs.flat());
    const got = interpret(model.graph, weights, x, 1);
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
  });

  it('regression: halves 0:4 and 4:8 in turn, LeakyReLU, fc3 and fc4 again for the fifth and sixth sub-layers', async () => {
    const { model, weights, all, tied } = await imported('regression.spinal', 'regression_spinal', 'regression');
    expect(tied).toEqual(['fc5.bias', 'fc5.weight', 'fc6.bias', 'fc6.weight']);
    const lru = (v: number[]) => v.map((x) => (x >= 0 ? x : 0.01 * x));
    const x = input(8);
    const half = [x.slice(0, 4), x.slice(4)];
    const hs: number[][] = [];
    ['fc1', 'fc2', 'fc3', 'fc4', 'fc3', 'fc4'].forEach((m, k) =>
      hs.push(lru(linear(all.get(`${m}.weight`)!, all.get(`${m}.bias`)!, k === 0 ? half[0] : [...half[k % 2], ...hs[k - 1]]))));
    const want = linear(all.get('fcx.weight')!, all.get('fcx.bias')!, hs.flat());
    const got = interpret(model.graph, weights, x, 1);
    expect(got).toHaveLength(1);
    expect(got[0]).toBeCloseTo(want[0], 4);
  });

  it('shared weight: one fc2 for sub-layers 2 to 8 maps onto sub-layer 2, the owner', async () => {
    const text = 'model sw { input 12 spinal { split 1:1 width 4 layers 8 tie 3..8 to 2 } output 3 }';
    const { model, weights, all, tied } = await imported('sw.spinal', 'sw', 'shared_weight', {}, text);
    expect(tied).toEqual([]);
    const x = input(12);
    const half = [x.slice(0, 6), x.slice(6)];
    const hs: number[][] = [];
    for (let k = 0; k < 8; k++) {
      const m = k === 0 ? 'fc1' : 'fc2';
      hs.push(relu(linear(all.get(`module.${m}.weight`)!, all.get(`module.${m}.bias`)!, k === 0 ? half[0] : [...half[k % 2], ...hs[k - 1]])));
    }
    const want = linear(all.get('module.fcx.weight')!, all.get('module.fcx.bias')!, hs.flat());
    const got = interpret(model.graph, weights, x, 1);
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
  });
});
