// Data for a model with several inputs: one .npy file per input (`NAME=PATH,...`) or one
// safetensors file with a tensor per input, packed in the model's order of inputs, refused with
// the input, the file and both sizes named; and the data argument's own reading.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { makeDataset, type Expectation } from '../../src/data/dataset.js';
import { dataPaths, inputFilesProblem, mapDataPaths, parseDataSource } from '../../src/data/request.js';
import { npy, put, refusal, rows, safetensors } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'spinal-inputs-'));
const inputs = [{ name: 'pixels', size: 3 }, { name: 'meta', size: 2 }];
const expectation: Expectation = { features: 5, inputs, task: { kind: 'classification', classes: 4 }, model: 'm' };

// Four samples: pixels row i is [i, i + .25, i + .5], meta row i is [-i, 10 i].
const pixels = Float32Array.from({ length: 12 }, (_, k) => Math.floor(k / 3) + (k % 3) / 4);
const meta = Float32Array.from({ length: 8 }, (_, k) => (k % 2 === 0 ? -Math.floor(k / 2) : 10 * Math.floor(k / 2)));
const labels = Int32Array.of(0, 3, 1, 2);
const packed = [0, 1, 2, 3].map((i) => [i, i + 0.25, i + 0.5, -i, 10 * i]);

const p = put(dir, 'p.npy', npy(pixels, [4, 3]));
const m = put(dir, 'm.npy', npy(meta, [4, 2]));
const y = put(dir, 'y.npy', npy(labels, [4]));

describe('data for a model with several inputs', () => {
  it('packs one .npy file per input side by side in the model\'s order, whatever the order named', () => {
    for (const data of [`pixels=${p},meta=${m}`, `meta=${m},pixels=${p}`]) {
      const ds = loadDataset({ data, labels: y }, expectation);
      expect(ds.n).toBe(4);
      expect(ds.features).toBe(5);
      expect(ds.inputs).toEqual(inputs);
      expect(rows(ds)).toEqual(packed);
      expect(Array.from(ds.y)).toEqual([0, 3, 1, 2]);
    }
  });

  it('reads a safetensors file with a tensor per input and y, to the same numbers and hash', () => {
    const file = put(dir, 'd.safetensors', safetensors({
      y: { dtype: 'I32', shape: [4], data: labels },
      meta: { dtype: 'F32', shape: [4, 2], data: meta },
      pixels: { dtype: 'F32', shape: [4, 3], data: pixels },
    }));
    const fromFile = loadDataset({ data: file }, expectation);
    const fromNpy = loadDataset({ data: `pixels=${p},meta=${m}`, labels: y }, expectation);
    expect(rows(fromFile)).toEqual(packed);
    expect(fromFile.hash).toBe(fromNpy.hash);
  });

  it('hashes every input: its name and size count, so the same numbers split otherwise differ', () => {
    const x = Float32Array.from(packed.flat());
    const one = makeDataset('a', 5, x, labels);
    const two = makeDataset('a', 5, x, labels, inputs);
    const otherSplit = makeDataset('a', 5, x, labels, [{ name: 'pixels', size: 2 }, { name: 'meta', size: 3 }]);
    const otherName = makeDataset('a', 5, x, labels, [{ name: 'pixel', size: 3 }, { name: 'meta', size: 2 }]);
    expect(new Set([one.hash, two.hash, otherSplit.hash, otherName.hash]).size).toBe(4);
    // A single input, named or not, hashes as before.
    expect(makeDataset('a', 5, x, labels, [{ name: 'pixels', size: 5 }]).hash).toBe(one.hash);
    const changed = Float32Array.from(x);
    changed[4 * 5 - 1] += 1; // the last feature of the second input only
    expect(makeDataset('a', 5, changed, labels, inputs).hash).not.toBe(two.hash);
  });

  it('names the input, the file, the size expected and found when a width is wrong', () => {
    const wide = put(dir, 'wide.npy', npy(new Float32Array(12), [4, 3]));
    expect(refusal({ data: `pixels=${p},meta=${wide}`, labels: y }, expectation))
      .toBe(`'${wide}' (input 'meta') has 3 features per sample; model 'm' reads 2 in input 'meta'`);
    const file = put(dir, 'wide.safetensors', safetensors({
      pixels: { dtype: 'F32', shape: [4, 4], data: new Float32Array(16) },
      meta: { dtype: 'F32', shape: [4, 2], data: meta },
      y: { dtype: 'I32', shape: [4], data: labels },
    }));
    expect(refusal({ data: file }, expectation)).toBe(`tensor 'pixels' in '${file}' (input 'pixels') has 4 features per sample; model 'm' reads 3 in input 'pixels'`);
  });

  it('refuses inputs with different sample counts, and labels of another count', () => {
    const short = put(dir, 'short.npy', npy(new Float32Array(6), [3, 2]));
    expect(refusal({ data: `pixels=${p},meta=${short}`, labels: y }, expectation))
      .toBe(`'${p}' (input 'pixels') has 4 samples but '${short}' (input 'meta') has 3`);
    const y3 = put(dir, 'y3.npy', npy(Int32Array.of(0, 1, 2), [3]));
    expect(refusal({ data: `pixels=${p},meta=${m}`, labels: y3 }, expectation)).toBe(`'${p}' (input 'pixels') has 4 samples but '${y3}' has 3 labels`);
  });

  it('refuses a name the model lacks, a name twice and a missing one, listing the model\'s inputs', () => {
    const known = "model 'm' has 2 inputs (pixels 3, meta 2), a file each: pixels=FILE.npy,meta=FILE.npy";
    expect(refusal({ data: `pixels=${p},metadata=${m}`, labels: y }, expectation)).toContain(`names input 'metadata', which 'm' does not have; ${known}`);
    expect(refusal({ data: `pixels=${p},pixels=${p},meta=${m}`, labels: y }, expectation)).toContain("names input 'pixels' twice");
    expect(refusal({ data: `pixels=${p}`, labels: y }, expectation)).toContain(`gives no file for input 'meta'; ${known}`);
    expect(inputFilesProblem([{ name: 'pixels', path: p }, { name: 'meta', path: '' }], inputs, '--data', 'm'))
      .toBe("--data gives input 'meta' no file; model 'm' has 2 inputs (pixels 3, meta 2), a file each: pixels=FILE.npy,meta=FILE.npy");
    expect(inputFilesProblem([{ name: 'meta', path: m }, { name: 'pixels', path: p }], inputs, '--data', 'm')).toBeUndefined();
  });

  it('refuses one-input forms: a single .npy, CSV, the built-in digits; and a safetensors file without a tensor', () => {
    const forms = "give one .npy file per input, pixels=FILE.npy,meta=FILE.npy, with the labels in a .npy file, or one .safetensors file holding a tensor per input ('pixels', 'meta') and 'y'";
    expect(refusal({ data: p, labels: y }, expectation)).toBe(`'${p}' is one .npy file, but model 'm' has 2 inputs (pixels 3, meta 2): ${forms}`);
    const csv = put(dir, 'd.csv', '1,2,3,4,5,0\n');
    expect(refusal({ data: csv }, expectation)).toBe(`'${csv}': CSV data are for a model with one input, but model 'm' has 2 inputs (pixels 3, meta 2): ${forms}`);
    expect(refusal({ data: 'mnist' }, expectation)).toBe(`mnist is one input of 784 pixels per sample, but model 'm' has 2 inputs (pixels 3, meta 2): ${forms}`);
    const file = put(dir, 'partial.safetensors', safetensors({ pixels: { dtype: 'F32', shape: [4, 3], data: pixels }, y: { dtype: 'I32', shape: [4], data: labels } }));
    expect(refusal({ data: file }, expectation)).toBe(`'${file}' has no tensor 'meta'; a dataset file holds each input's features in the tensor of its name ('pixels', 'meta') and labels in 'y' (tensors found: 'pixels', 'y')`);
  });

  it('refuses .npy inputs without labels, with labels of another format, or an input file of another format', () => {
    expect(refusal({ data: `pixels=${p},meta=${m}` }, expectation)).toBe(`'pixels=${p},meta=${m}' holds the inputs only; give the labels too, as a .npy file`);
    expect(refusal({ data: `pixels=${p},meta=${m}`, labels: 'y.csv' }, expectation)).toBe("'y.csv': labels for .npy features come in a .npy file too");
    expect(refusal({ data: `pixels=${p},meta=m.csv`, labels: y }, expectation)).toBe("'m.csv' (input 'meta'): each input's features come in a .npy file");
  });
});

describe('the NAME=PATH form for a model with one input', () => {
  it('names its one input, as the source names it or `input`, to the same samples as the plain path', () => {
    const one: Expectation = { features: 3, task: { kind: 'classification', classes: 4 }, model: 'one' };
    const plain = loadDataset({ data: p, labels: y }, one);
    const named = loadDataset({ data: `input=${p}`, labels: y }, one);
    expect(named.hash).toBe(plain.hash);
    expect(loadDataset({ data: `pixels=${p}`, labels: y }, { ...one, inputs: [{ name: 'pixels', size: 3 }] }).hash).toBe(plain.hash);
    expect(refusal({ data: `pixels=${p}`, labels: y }, one)).toContain("names input 'pixels', which 'one' does not have; model 'one' has one input (input 3), a file each: input=FILE.npy");
  });
});

describe('the data argument', () => {
  it('is a built-in set, a file, or NAME=PATH parts that may hold commas', () => {
    expect(parseDataSource('mnist:test')).toEqual({ kind: 'built-in', set: 'mnist:test' });
    expect(parseDataSource('d,1.npy')).toEqual({ kind: 'file', path: 'd,1.npy' });
    expect(parseDataSource('./a=b.npy')).toEqual({ kind: 'file', path: './a=b.npy' });
    expect(parseDataSource('a=x,1.npy,b_2=/d/y=z.npy')).toEqual({ kind: 'inputs', files: [{ name: 'a', path: 'x,1.npy' }, { name: 'b_2', path: '/d/y=z.npy' }] });
  });

  it('lists and maps every file it names, labels included, the built-in sets untouched', () => {
    const request = { data: 'a=x.npy,b=y.npy', labels: 'l.npy' };
    expect(dataPaths(request)).toEqual(['x.npy', 'y.npy', 'l.npy']);
    expect(mapDataPaths(request, (path) => `/abs/${path}`)).toEqual({ data: 'a=/abs/x.npy,b=/abs/y.npy', labels: '/abs/l.npy' });
    expect(mapDataPaths({ data: 'd.csv', labelColumn: 'c' }, (path) => `/abs/${path}`)).toEqual({ data: '/abs/d.csv', labelColumn: 'c' });
    expect(mapDataPaths({ data: 'mnist' }, (path) => `/abs/${path}`)).toEqual({ data: 'mnist' });
    expect(dataPaths({ data: 'mnist:test' })).toEqual([]);
  });
});
