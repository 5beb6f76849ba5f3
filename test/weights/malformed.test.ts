// Every way a weights file can be malformed is refused with a WeightsError whose message says
// what is wrong and, where a tensor is at fault, names it.
import { describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from '../../src/weights/safetensors.js';
import { WeightsError } from '../../src/tensor/errors.js';
import { MAX_HEADER_BYTES } from '../../src/weights/safetensors-layout.js';
import { f32Bytes, fileWith, graphOf } from './helpers.js';
import { initWeights } from '../../src/weights/init.js';
import { checkWeights } from '../../src/weights/validate.js';
import { tensorSpecs } from '../../src/ir/tensors.js';
import { checkBatchnorms } from '../../src/ir/materialize.js';
import { hostileCases } from '../support/hostile-weights.js';

const entry = (shape: number[], offsets: unknown, dtype: unknown = 'F32') => ({ dtype, shape, data_offsets: offsets });

function refusal(bytes: Uint8Array): string {
  try {
    readSafetensors(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(WeightsError);
    return (e as Error).message;
  }
  throw new Error('the file was accepted');
}

const valid = writeSafetensors(new Map([
  ['output.bias', { shape: [2], data: Float32Array.of(1, 2) }],
  ['output.weight', { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) }],
]));

describe('file structure', () => {
  it('refuses a file shorter than the header length field', () => {
    expect(refusal(new Uint8Array(5))).toMatch(/5 bytes long, too short/);
    expect(refusal(new Uint8Array(0))).toMatch(/0 bytes long/);
  });

  it('refuses a truncated file: header length beyond the end', () => {
    expect(refusal(valid.subarray(0, 40))).toMatch(/header length \d+ runs past the end of the file \(32 bytes follow/);
  });

  it('refuses a header length of 2^64 - 1 without trying to allocate it', () => {
    expect(refusal(fileWith('{}', undefined, (1n << 64n) - 1n))).toMatch(/header length 18446744073709551615 is more than the limit of 100000000 bytes/);
  });

  it('refuses a header longer than the limit even when the file is that long', () => {
    const header = `{}${' '.repeat(MAX_HEADER_BYTES - 1)}`;
    expect(refusal(fileWith(header))).toMatch(/more than the limit of 100000000 bytes/);
  });

  it('refuses a header too short for an object', () => {
    expect(refusal(fileWith('', new Uint8Array(4)))).toMatch(/header length 0 is too small/);
  });

  it('refuses a header that is not UTF-8', () => {
    const file = fileWith('{"a":1}');
    file[10] = 0xff;
    expect(refusal(file)).toMatch(/not valid UTF-8/);
  });

  it.each(['{"w": {', 'null', '[1, 2]', '"text"', '\ufeff{}', '{}\u0000'])('refuses a header that is not a JSON object: %j', (header) => {
    expect(refusal(fileWith(header))).toMatch(/header is not (valid JSON|a JSON object)/);
  });

  it('refuses deeply nested values without overflowing the stack', () => {
    const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
    expect(refusal(fileWith(`{"output.weight":${deep}}`))).toMatch(/tensor 'output.weight': expected an object/);
    expect(refusal(fileWith(`{"output.weight":{"dtype":"F32","shape":${deep},"data_offsets":[0,0]}}`))).toMatch(/tensor 'output.weight': shape must be/);
    expect(refusal(fileWith(`{"__metadata__":{"a":${deep}}}`))).toMatch(/__metadata__ must be an object of strings/);
  });

  it('refuses metadata that is not an object of strings', () => {
    expect(refusal(fileWith({ __metadata__: { epoch: 3 } }))).toMatch(/__metadata__ must be an object of strings/);
  });
});

describe('tensor entries', () => {
  const data = f32Bytes([1, 2, 3, 4]);

  it('refuses an entry that is not an object', () => {
    expect(refusal(fileWith({ 'spinal1.sub1.weight': [1, 2] }, data))).toMatch(/tensor 'spinal1.sub1.weight': expected an object/);
  });

  it.each(['F16', 'I64', 'BF16', 'F64', 'U8'])('refuses dtype %s naming the tensor and the dtype', (dtype) => {
    const size = { F16: 2, BF16: 2, I64: 8, F64: 8, U8: 1 }[dtype]!;
    const file = fileWith({ 'spinal1.sub2.bias': entry([2], [0, 2 * size], dtype) }, new Uint8Array(2 * size));
    expect(refusal(file)).toMatch(new RegExp(`tensor 'spinal1.sub2.bias' has dtype ${dtype}; .*F32`));
  });

  it.each([['F17'], [42], [null], ['constructor'], ['__proto__']])('refuses an unknown dtype %j', (dtype) => {
    expect(refusal(fileWith({ 'output.bias': entry([1], [0, 4], dtype) }, data))).toMatch(/tensor 'output.bias': (unknown dtype|dtype must be a string)/);
  });

  it.each([[[-1]], [[1.5]], [['2']], [[1e300]], ['4'], [null]])('refuses the shape %j', (shape) => {
    const file = fileWith({ 'output.weight': { dtype: 'F32', shape, data_offsets: [0, 16] } }, data);
    expect(refusal(file)).toMatch(/tensor 'output.weight': shape must (be a list of non-negative integers|hold non-negative integers|hold whole numbers written without a fraction or exponent)/);
  });

  it('refuses a shape whose size is not the byte length', () => {
    expect(refusal(fileWith({ 'spinal1.sub1.weight': entry([2, 3], [0, 16]) }, data)))
      .toMatch(/tensor 'spinal1.sub1.weight': shape \[2, 3\] of F32 needs 24 bytes, but data_offsets \[0, 16\] hold 16/);
  });

  it('refuses a shape whose size overflows, without overflowing', () => {
    const huge = 2 ** 40;
    expect(refusal(fileWith({ w: entry([huge, huge, huge], [0, 16]) }, data))).toMatch(/tensor 'w': shape .* needs more bytes/);
    expect(refusal(fileWith({ w: entry([huge, 0], [0, 16]) }, data))).toMatch(/tensor 'w': shape .* needs 0 bytes/);
  });

  it.each([[[0]], [[0, 4, 8]], [[-4, 4]], [[0, 4.5]], ['0,4'], [[0, '4']]])('refuses data_offsets %j', (offsets) => {
    expect(refusal(fileWith({ 'output.bias': entry([1], offsets) }, data))).toMatch(/tensor 'output.bias': data_offsets must (be two non-negative integers|hold non-negative integers|hold whole numbers)/);
  });

  it('refuses offsets that end before they begin', () => {
    expect(refusal(fileWith({ 'output.bias': entry([1], [8, 4]) }, data))).toMatch(/tensor 'output.bias': data_offsets \[8, 4\] end before they begin/);
  });

  it('refuses offsets beyond the data section', () => {
    expect(refusal(fileWith({ 'output.bias': entry([4], [4, 20]) }, data)))
      .toMatch(/tensor 'output.bias': data_offsets \[4, 20\] run past the end of the data section \(16 bytes\)/);
  });

  it('refuses overlapping tensors, naming both', () => {
    const file = fileWith({ 'spinal1.sub1.bias': entry([2], [0, 8]), 'spinal1.sub2.bias': entry([2], [4, 12]) }, data);
    expect(refusal(file)).toMatch(/tensors 'spinal1.sub1.bias' and 'spinal1.sub2.bias' overlap: data_offsets \[0, 8\] and \[4, 12\]/);
  });

  it('accepts empty tensors where one tensor ends and the next begins, or at either end', () => {
    const file = fileWith({ a: entry([0], [4, 4]), b: entry([1], [0, 4]), c: entry([3], [4, 16]), d: entry([0, 3], [0, 0]), e: entry([0], [16, 16]) }, data);
    expect([...readSafetensors(file).keys()]).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('refuses bytes of the data section that belong to no tensor: a gap, or bytes after the last', () => {
    expect(refusal(fileWith({ b: entry([1], [0, 4]), c: entry([1], [12, 16]) }, data)))
      .toBe("tensor 'c': data_offsets [12, 16] leave a gap: bytes 4 to 12 of the data section belong to no tensor");
    expect(refusal(fileWith({ c: entry([1], [4, 8]) }, data.subarray(0, 8))))
      .toBe("tensor 'c': data_offsets [4, 8] leave a gap: bytes 0 to 4 of the data section belong to no tensor");
    expect(refusal(fileWith({ b: entry([3], [0, 12]) }, data)))
      .toBe('the data section has 16 bytes, but its tensors end at byte 12: the last 4 belong to no tensor');
    expect(refusal(fileWith({}, data))).toBe('the data section has 16 bytes, but its tensors end at byte 0: the last 16 belong to no tensor');
  });

  it('refuses an empty tensor inside another', () => {
    expect(refusal(fileWith({ b: entry([4], [0, 16]), d: entry([0], [8, 8]) }, data)))
      .toBe("tensors 'b' and 'd' overlap: data_offsets [0, 16] and [8, 8]");
  });

  it('refuses sizes and offsets written as fractions, with exponents, or as -0, though JSON reads them as integers', () => {
    const header = (shape: string, offsets: string) => `{"w":{"dtype":"F32","shape":${shape},"data_offsets":${offsets}}}`;
    expect(refusal(fileWith(header('[4.0]', '[0,16]'), data))).toBe("tensor 'w': shape must hold whole numbers written without a fraction or exponent, found 4.0");
    expect(refusal(fileWith(header('[4]', '[0,1.6e1]'), data))).toBe("tensor 'w': data_offsets must hold whole numbers written without a fraction or exponent, found 1.6e1");
    expect(refusal(fileWith(header('[4]', '[-0,16]'), data))).toBe("tensor 'w': data_offsets must hold non-negative integers, found -0");
    expect([...readSafetensors(fileWith(`{"__metadata__":{"x":"1.0"},"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16],"note":1.5}}`, data)).keys()]).toEqual(['w']);
  });

  it('refuses a tensor listed twice (JSON.parse alone would keep the last one)', () => {
    const header = `{"output.bias":${JSON.stringify(entry([1], [0, 4]))},"output.bias":${JSON.stringify(entry([1], [4, 8]))}}`;
    expect(refusal(fileWith(header, data))).toMatch(/tensor 'output.bias' is listed twice/);
  });

  it('refuses a tensor listed twice under different escapes of the same name', () => {
    const header = `{"w":${JSON.stringify(entry([1], [0, 4]))},"\\u0077":${JSON.stringify(entry([1], [4, 8]))}}`;
    expect(refusal(fileWith(header, data))).toMatch(/tensor 'w' is listed twice/);
  });

  it('refuses an entry with a key twice', () => {
    const header = '{"output.bias":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"dtype":"F32"}}';
    expect(refusal(fileWith(header, data))).toMatch(/tensor 'output.bias' has the key 'dtype' twice/);
  });

  it('escapes control characters of hostile names in messages', () => {
    const message = refusal(fileWith({ 'evil\u001b[2J\nname': entry([9], [0, 4]) }, data));
    expect(message).toContain("tensor 'evil\\u001b[2J\\u000aname'");
    expect(message).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('the hostile files every loader is tested with (test/support/hostile-weights.ts)', () => {
  const weights = new Map([
    ['output.weight', { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) }],
    ['output.bias', { shape: [2], data: Float32Array.of(1, 2) }],
  ]);
  it.each(hostileCases(weights).map((c) => [c.title, c] as const))('%s', (_, c) => {
    // The plain reader knows no model: a well-formed file is for checkWeights to refuse (below).
    if (c.wellFormed) {
      expect(readSafetensors(c.bytes).size).toBe(weights.size + 1);
      return;
    }
    const message = refusal(c.bytes);
    if (c.tensor) expect(message).toContain(`'${c.tensor}'`);
    if (c.phrase) expect(message).toContain(c.phrase);
  });
});

describe('the same files for a model with batchnorms, through every check build --weights makes', () => {
  const graph = graphOf('model b { input 4 spinal { split 1:1 width 3 layers 2 batchnorm } output 2 }');
  it.each(hostileCases(initWeights(graph, 1)).map((c) => [c.title, c] as const))('%s', (_, c) => {
    let message = '';
    try {
      const weights = readSafetensors(c.bytes);
      checkWeights(weights, tensorSpecs(graph), 'b');
      checkBatchnorms(graph, weights);
    } catch (e) {
      expect(e).toBeInstanceOf(WeightsError);
      message = (e as Error).message;
    }
    expect(message).not.toBe('');
    if (c.tensor) expect(message).toContain(`'${c.tensor}'`);
    if (c.phrase) expect(message).toContain(c.phrase);
  });
});

