// The official naming schemes, under every prefix the scripts produce, with the shapes of the
// official modules: which module is which sub-layer, and which Sequential index holds the Linear
// and which the BatchNorm1d.
import { describe, expect, it } from 'vitest';
import { FAMILIES, detectPrefix, mapTorchNames, parseNameMap, type SourceTensor } from '../../src/weights/torch-names.js';
import { rowLayoutProblem } from '../../src/weights/torch-import.js';
import { onlyModel } from '../support/front.js';
import { refusal } from './helpers.js';

const linear = (module: string, out: number, inp: number): SourceTensor[] => [
  { name: `${module}.weight`, shape: [out, inp] }, { name: `${module}.bias`, shape: [out] },
];
const batchnorm = (module: string, n: number): SourceTensor[] => ['weight', 'bias', 'running_mean', 'running_var']
  .map((p) => ({ name: `${module}.${p}`, shape: [n] })).concat([{ name: `${module}.num_batches_tracked`, shape: [] }]);

// Each head with the official module names; sub-layers 1..4 and the output.
const HEADS: Record<string, (p: string) => SourceTensor[]> = {
  'spinal-vgg': (p) => [1, 2, 3, 4].flatMap((k) => linear(`${p}fc_spinal_layer${k}.1`, 4, k === 1 ? 6 : 10)).concat(linear(`${p}fc_out.1`, 3, 16)),
  mnist: (p) => [...linear(`${p}fc1`, 4, 6), ...[1, 2, 3].flatMap((k) => linear(`${p}fc1_${k}`, 4, 10)), ...linear(`${p}fc2`, 3, 16)],
  resnet: (p) => [...linear(`${p}fc1`, 4, 6), ...[1, 2, 3].flatMap((k) => linear(`${p}fc1_${k}`, 4, 10)), ...linear(`${p}fc_layer`, 3, 16)],
  customizable: (p) => [1, 2, 3, 4].flatMap((k) => linear(`${p}fc${k}`, 4, k === 1 ? 6 : 10)).concat(linear(`${p}fcx`, 3, 16)),
  notebook: (p) => [1, 2, 3, 4].flatMap((k) => [...linear(`${p}layer${k}.1`, 4, k === 1 ? 6 : 10), ...batchnorm(`${p}layer${k}.2`, 4)])
    .concat(linear(`${p}_out.1`, 3, 16)),
};

const CANONICAL = [1, 2, 3, 4].flatMap((k) => [`spinal1.sub${k}.weight`, `spinal1.sub${k}.bias`]).concat(['output.weight', 'output.bias']);

describe('every official naming scheme, under every prefix, with no flags', () => {
  const cases = Object.keys(HEADS).flatMap((family) => ['', 'module.', 'fc.', 'classifier.', 'model.', 'module.classifier.'].map((p) => [family, p] as const));
  it.each(cases)('%s under %j', (family, prefix) => {
    const backbone: SourceTensor[] = [{ name: 'features.0.weight', shape: [8, 3, 3, 3] }, { name: 'layer1.0.conv1.weight', shape: [8, 8, 3, 3] }];
    const names = mapTorchNames([...backbone, ...HEADS[family](prefix)]);
    expect(names.family?.id).toBe(family);
    expect(names.prefix).toBe(prefix);
    const targets = [...names.mapping.values()].filter((t) => !t.includes('.bn.'));
    expect(targets.sort()).toEqual([...CANONICAL].sort());
    expect(names.unmapped).toEqual(['features.0.weight', 'layer1.0.conv1.weight']);
    if (family === 'notebook') {
      expect(names.mapping.get(`${prefix}layer3.2.running_var`)).toBe('spinal1.sub3.bn.running_var');
      expect(names.ignored).toHaveLength(4);
    }
  });

  it('maps fc1, fc1_k, fc2 of the MNIST script as sub-layer k + 1 and the output', () => {
    const names = mapTorchNames(HEADS.mnist(''));
    expect(names.mapping.get('fc1.weight')).toBe('spinal1.sub1.weight');
    expect(names.mapping.get('fc1_3.bias')).toBe('spinal1.sub4.bias');
    expect(names.mapping.get('fc2.weight')).toBe('output.weight');
  });

  it('tells the customizable head (fc2 a sub-layer) from the MNIST one (fc2 the output) by what each names', () => {
    const names = mapTorchNames(HEADS.customizable(''));
    expect(names.mapping.get('fc2.weight')).toBe('spinal1.sub2.weight');
    expect(names.mapping.get('fcx.weight')).toBe('output.weight');
    // fc1 + fc2 alone: the MNIST script with one sub-layer
    expect(mapTorchNames([...linear('fc1', 4, 6), ...linear('fc2', 3, 4)]).family?.id).toBe('mnist');
  });

  it('does not take a ResNet backbone for the notebook head, nor the default ResNet fc_layer for a spinal head', () => {
    const tensors = [...linear('layer1.0.conv1', 8, 8), { name: 'fc_layer.weight', shape: [10, 256] }, { name: 'fc_layer.bias', shape: [10] }];
    expect(refusal(() => mapTorchNames(tensors))).toMatch(/no tensor is named like the official SpinalNet code/);
  });

  it('describes every family with the script it comes from', () => {
    expect(FAMILIES.map((f) => [f.id, f.rows, f.blocks])).toEqual([
      ['spinal-vgg', 'consecutive', 1], ['mnist', 'consecutive', 1], ['resnet', 'interleaved', 1], ['customizable', 'consecutive', 1], ['notebook', 'consecutive', 1],
      ['arch2', 'consecutive', 3],
    ]);
    expect(detectPrefix(HEADS.resnet('module.').map((t) => t.name))).toBe('module.');
  });
});

describe('which Sequential index is the Linear and which the BatchNorm1d', () => {
  it.each([
    ['Linear, BatchNorm1d', 0],
    ['Dropout, Linear, BatchNorm1d', 1],
    ['Dropout, Dropout, Linear, BatchNorm1d', 2],
  ])('%s: from the tensors, wherever they sit', (_, at) => {
    const tensors = [...linear(`fc.layer1.${at}`, 4, 6), ...batchnorm(`fc.layer1.${at + 1}`, 4), ...linear('fc._out.1', 3, 4)];
    const names = mapTorchNames(tensors);
    expect(names.mapping.get(`fc.layer1.${at}.weight`)).toBe('spinal1.sub1.weight');
    expect(names.mapping.get(`fc.layer1.${at + 1}.weight`)).toBe('spinal1.sub1.bn.weight');
    expect(names.mapping.get(`fc.layer1.${at + 1}.running_mean`)).toBe('spinal1.sub1.bn.running_mean');
  });

  it('leaves a BatchNorm1d that does not follow the Linear right away unmapped (spinal computes act(BN(Wx)))', () => {
    const names = mapTorchNames([...linear('fc_spinal_layer1.0', 4, 6), ...batchnorm('fc_spinal_layer1.2', 4)]);
    expect(names.unmapped).toEqual(['fc_spinal_layer1.2.bias', 'fc_spinal_layer1.2.num_batches_tracked', 'fc_spinal_layer1.2.running_mean', 'fc_spinal_layer1.2.running_var', 'fc_spinal_layer1.2.weight']);
  });

  it('refuses two Linears in one module, listing them with their shapes', () => {
    const tensors = [...linear('fc_spinal_layer1.1', 4, 6), ...linear('fc_spinal_layer1.4', 4, 4)];
    expect(refusal(() => mapTorchNames(tensors))).toBe("module 'fc_spinal_layer1' has a Linear at more than one position ('fc_spinal_layer1.1.weight' [4, 6], 'fc_spinal_layer1.1.bias' [4], 'fc_spinal_layer1.4.weight' [4, 4], 'fc_spinal_layer1.4.bias' [4]); the official layout has one: name the right ones with `map`");
  });
});

describe('--map', () => {
  const custom: SourceTensor[] = [...linear('head.h1', 4, 6), ...linear('head.h2', 4, 10), ...linear('head.last', 3, 8), { name: 'head.extra', shape: [1] }];

  it('names tensors exactly or by regular expression with groups, and skips those mapped to null', () => {
    const map = parseNameMap(JSON.stringify({ '/head\\.h(\\d+)\\.(weight|bias)/': 'spinal1.sub$1.$2', 'head.last.weight': 'output.weight', 'head.last.bias': 'output.bias', 'head.extra': null }));
    const names = mapTorchNames(custom, { map });
    expect(Object.fromEntries(names.mapping)).toEqual({
      'head.h1.weight': 'spinal1.sub1.weight', 'head.h1.bias': 'spinal1.sub1.bias', 'head.h2.weight': 'spinal1.sub2.weight',
      'head.h2.bias': 'spinal1.sub2.bias', 'head.last.weight': 'output.weight', 'head.last.bias': 'output.bias',
    });
    expect(names.mapped.size).toBe(6);
    expect(names.ignored).toEqual(['head.extra']);
    expect(names.family).toBeUndefined();
  });

  it('matches a regular expression against the whole name only', () => {
    const names = mapTorchNames(custom, { map: parseNameMap('{"/h1\\\\.weight/": "spinal1.sub1.weight"}') });
    expect(names.mapping.size).toBe(0);
  });

  it('combines with an official scheme: the map first, the scheme for the rest', () => {
    const tensors = [...HEADS['spinal-vgg'](''), { name: 'fc_out.1.scale', shape: [3] }];
    const names = mapTorchNames(tensors, { map: parseNameMap('{"fc_out.1.scale": null}') });
    expect(names.family?.id).toBe('spinal-vgg');
    expect(names.ignored).toEqual(['fc_out.1.scale']);
  });

  it('refuses two sources for one spinal name, naming both with their shapes', () => {
    const map = parseNameMap('{"/head\\\\.h\\\\d\\\\.weight/": "spinal1.sub1.weight"}');
    expect(refusal(() => mapTorchNames(custom, { map }))).toBe("several tensors map to 'spinal1.sub1.weight': 'head.h1.weight' [4, 6], 'head.h2.weight' [4, 10]; keep one with `map`");
  });

  it('refuses a map that is not an object of names, or holds a bad regular expression', () => {
    expect(refusal(() => parseNameMap('[1]'))).toMatch(/a name map is a JSON object/);
    expect(refusal(() => parseNameMap('{"a": 3}'))).toMatch(/gives 'a' a value that is neither a tensor name nor null/);
    expect(refusal(() => parseNameMap('{"/(/": "x"}'))).toMatch(/the name map's key '\/\(\/' is not a valid regular expression/);
    expect(refusal(() => parseNameMap('{'))).toMatch(/not valid JSON/);
  });

  it('without a map, an unknown scheme says how to name it', () => {
    expect(refusal(() => mapTorchNames(custom))).toMatch(/no tensor is named like the official SpinalNet code \(.*\); name them with `map`/);
  });
});

describe('the row layout of the family against the model', () => {
  const resnet = mapTorchNames(HEADS.resnet('')).family;
  const vgg = mapTorchNames(HEADS['spinal-vgg']('')).family;
  const consecutive = onlyModel('model m { input 1024 spinal { split 1:1:1:1 width 8 layers 4 } output 10 }').spec;
  const interleaved = onlyModel('model m { input 1024 spinal { split 1:1:1:1 interleaved width 8 layers 4 } output 10 }').spec;

  it('says so when the ResNet head (interleaved rows) meets a model with consecutive rows, and the other way round', () => {
    expect(rowLayoutProblem(resnet, consecutive)).toMatch(/official ResNet head .* rows are dealt out in turn .* model 'm' cuts its input into consecutive rows: write `split 1:1:1:1 interleaved`/);
    expect(rowLayoutProblem(vgg, interleaved)).toMatch(/whose rows are consecutive, but model 'm' deals its input out in turn: remove `interleaved`/);
  });

  it('is silent when they agree, or when no family was recognised', () => {
    expect(rowLayoutProblem(resnet, interleaved)).toBeUndefined();
    expect(rowLayoutProblem(vgg, consecutive)).toBeUndefined();
    expect(rowLayoutProblem(undefined, consecutive)).toBeUndefined();
  });
});
