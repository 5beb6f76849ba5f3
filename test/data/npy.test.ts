// .npy datasets: every dtype spinal reads, and every way a file can be wrong refused with a
// DataError that names the file and the place.
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { DataError } from '../../src/data/errors.js';
import { readNpyTable } from '../../src/data/npy.js';
import { scratch } from '../support/scratch.js';
import { bytesOf, classify, npy, npyWith, put, refusal, regress, rows } from './helpers.js';

const dir = scratch('data-npy');
const features = Float32Array.of(0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5); // [3, 4]
const x = put(dir, 'x.npy', npy(features, [3, 4]));
const y = put(dir, 'y.npy', npy(BigInt64Array.of(2n, 0n, 1n), [3]));

describe('reading', () => {
  it('reads float32 features and int64 labels', () => {
    const ds = loadDataset({ data: x, labels: y }, classify(4, 3));
    expect(ds.source).toBe(`${x} + ${y}`);
    expect([ds.n, ds.features]).toEqual([3, 4]);
    expect(ds.x).toEqual(features);
    expect(ds.y).toBeInstanceOf(Int32Array);
    expect(Array.from(ds.y)).toEqual([2, 0, 1]);
    expect(ds.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['i1', Int8Array.of(2, 0, 1)], ['u1', Uint8Array.of(2, 0, 1)], ['i2', Int16Array.of(2, 0, 1)], ['u2', Uint16Array.of(2, 0, 1)],
    ['i4', Int32Array.of(2, 0, 1)], ['u4', Uint32Array.of(2, 0, 1)], ['u8', BigUint64Array.of(2n, 0n, 1n)],
    ['f4 with whole numbers', Float32Array.of(2, 0, 1)], ['f8 with whole numbers', Float64Array.of(2, 0, 1)],
  ])('reads %s labels', (name, labels) => {
    const path = put(dir, `labels-${name.replace(/ /g, '-')}.npy`, npy(labels, [3]));
    expect(Array.from(loadDataset({ data: x, labels: path }, classify(4, 3)).y)).toEqual([2, 0, 1]);
  });

  it('rounds float64 features to float32', () => {
    const path = put(dir, 'f8.npy', npy(Float64Array.of(0.1, -1e-3, 3, 1e30), [2, 2]));
    expect(Array.from(loadDataset({ data: path, labels: put(dir, 'y2.npy', npy(Uint8Array.of(0, 1), [2])) }, classify(2, 2)).x))
      .toEqual([0.1, -1e-3, 3, 1e30].map(Math.fround));
  });

  it('uses uint8 and integer features as given, without scaling', () => {
    const y2 = put(dir, 'y2.npy', npy(Uint8Array.of(0, 1), [2]));
    const u8 = put(dir, 'u8.npy', npy(Uint8Array.of(0, 255, 128, 7), [2, 2]));
    expect(Array.from(loadDataset({ data: u8, labels: y2 }, classify(2, 2)).x)).toEqual([0, 255, 128, 7]);
    const i8 = put(dir, 'i8.npy', npy(BigInt64Array.of(-5n, 1n << 40n, 0n, 3n), [2, 2]));
    expect(Array.from(loadDataset({ data: i8, labels: y2 }, classify(2, 2)).x)).toEqual([-5, 2 ** 40, 0, 3]);
  });

  it('reads float16 features', () => {
    const half = npyWith("{'descr': '<f2', 'fortran_order': False, 'shape': (1, 3), }", bytesOf(Uint16Array.of(0x3c00, 0xc000, 0x3555)));
    const path = put(dir, 'f2.npy', half);
    const ds = loadDataset({ data: path, labels: put(dir, 'y1.npy', npy(Uint8Array.of(0), [1])) }, classify(3, 2));
    expect(Array.from(ds.x)).toEqual([1, -2, 0.333251953125]);
  });

  it('flattens dimensions after the first: [N, 2, 2] is 4 features, row-major', () => {
    const path = put(dir, 'x3d.npy', npy(features, [3, 2, 2]));
    const ds = loadDataset({ data: path, labels: y }, classify(4, 3));
    expect(ds.x).toEqual(features);
  });

  it('reads Fortran-order files in their logical row-major order', () => {
    // The [3, 4] array above, stored column by column.
    const columnMajor = Float32Array.from({ length: 12 }, (_, i) => features[(i % 3) * 4 + Math.floor(i / 3)]);
    const path = put(dir, 'fortran.npy', npyWith("{'descr': '<f4', 'fortran_order': True, 'shape': (3, 4), }", bytesOf(columnMajor)));
    expect(loadDataset({ data: path, labels: y }, classify(4, 3)).x).toEqual(features);
    const cube = Float32Array.from({ length: 12 }, (_, i) => i); // [3, 2, 2] in Fortran order: element (a, b, c) at a + 3b + 6c
    const path3 = put(dir, 'fortran3.npy', npyWith("{'descr': '<f4', 'fortran_order': True, 'shape': (3, 2, 2), }", bytesOf(cube)));
    const expected = [];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 2; b++) for (let c = 0; c < 2; c++) expected.push(a + 3 * b + 6 * c);
    expect(Array.from(loadDataset({ data: path3, labels: y }, classify(4, 3)).x)).toEqual(expected);
  });

  it('reads format version 2 headers', () => {
    const path = put(dir, 'v2.npy', npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", bytesOf(features), 2));
    expect(loadDataset({ data: path, labels: y }, classify(4, 3)).x).toEqual(features);
  });

  it('reads regression targets [N] and [N, T] as float32', () => {
    const t1 = put(dir, 't1.npy', npy(Float64Array.of(0.5, -1, 2), [3]));
    const one = loadDataset({ data: x, labels: t1 }, regress(4, 1));
    expect(one.y).toBeInstanceOf(Float32Array);
    expect(Array.from(one.y)).toEqual([0.5, -1, 2]);
    const t2 = put(dir, 't2.npy', npy(Float32Array.of(1, 2, 3, 4, 5, 6), [3, 2]));
    expect(Array.from(loadDataset({ data: x, labels: t2 }, regress(4, 2)).y)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads the same numbers from the same file every time', () => {
    const a = loadDataset({ data: x, labels: y }, classify(4, 3));
    const b = loadDataset({ data: x, labels: y }, classify(4, 3));
    expect(rows(a)).toEqual(rows(b));
    expect(a.hash).toBe(b.hash);
  });
});

describe('refusals against the model', () => {
  it('names both widths and the model when the feature count differs', () => {
    const wide = put(dir, 'x783.npy', npy(new Float32Array(2 * 783), [2, 783]));
    const labels = put(dir, 'y2b.npy', npy(Uint8Array.of(0, 1), [2]));
    expect(refusal({ data: wide, labels }, classify(784, 10, 'm'))).toBe(`'${wide}' has 783 features per sample; model 'm' reads 784`);
    expect(refusal({ data: wide, labels }, classify(784, 10))).toMatch(/has 783 features per sample; the model reads 784$/);
  });

  it('names the row and value of the first label outside the classes', () => {
    const bad = put(dir, 'y-range.npy', npy(Int32Array.of(0, 2, 3), [3]));
    expect(refusal({ data: x, labels: bad }, classify(4, 3, 'm'))).toBe(`'${bad}', row 2: label 3 is outside [0, 3); model 'm' has 3 classes, so labels are integers 0 to 2`);
    const negative = put(dir, 'y-neg.npy', npy(BigInt64Array.of(0n, -1n, 0n), [3]));
    expect(refusal({ data: x, labels: negative }, classify(4, 3))).toMatch(/y-neg\.npy', row 1: label -1 is outside \[0, 3\)/);
    const huge = put(dir, 'y-huge.npy', npy(BigUint64Array.of(0n, 0n, (1n << 64n) - 1n), [3]));
    expect(refusal({ data: x, labels: huge }, classify(4, 3))).toMatch(/row 2: label 18446744073709551615 is outside/);
  });

  it('refuses labels that are not integers, naming the row and value', () => {
    const bad = put(dir, 'y-frac.npy', npy(Float32Array.of(0, 1.5, 2), [3]));
    expect(refusal({ data: x, labels: bad }, classify(4, 3))).toMatch(/y-frac\.npy', row 1: label 1\.5 is not an integer/);
    const nan = put(dir, 'y-nan.npy', npy(Float32Array.of(0, 1, NaN), [3]));
    expect(refusal({ data: x, labels: nan }, classify(4, 3))).toMatch(/y-nan\.npy', row 2: label NaN is not an integer/);
  });

  it('refuses class labels with more than one value per sample', () => {
    const two = put(dir, 'y-two.npy', npy(Int32Array.of(0, 1, 1, 0, 0, 1), [3, 2]));
    expect(refusal({ data: x, labels: two }, classify(4, 3))).toMatch(/y-two\.npy' has 2 values per sample; class labels are one integer per sample/);
  });

  it('names the row and column of the first NaN or infinite feature', () => {
    const withNaN = Float32Array.from(features);
    withNaN[6] = NaN;
    withNaN[9] = Infinity;
    const path = put(dir, 'x-nan.npy', npy(withNaN, [3, 4]));
    expect(refusal({ data: path, labels: y }, classify(4, 3))).toBe(`'${path}', row 1, column 2 is NaN; features must be finite numbers`);
    const big = put(dir, 'x-big.npy', npy(Float64Array.of(1, 2, 3, 4, 5, 6, 7, 1e39, 9, 10, 11, 12), [3, 4]));
    expect(refusal({ data: big, labels: y }, classify(4, 3))).toMatch(/x-big\.npy', row 1, column 3 is 1e\+39, beyond float32's range/);
  });

  it('refuses infinite regression targets and a target count other than the model\'s', () => {
    const t = put(dir, 't-inf.npy', npy(Float32Array.of(0, -Infinity, 1), [3]));
    expect(refusal({ data: x, labels: t }, regress(4, 1))).toMatch(/t-inf\.npy', row 1 is -Infinity; regression targets must be finite/);
    const t2 = put(dir, 't-two.npy', npy(Float32Array.of(1, 2, 3, 4, 5, 6), [3, 2]));
    expect(refusal({ data: x, labels: t2 }, regress(4, 3, 'r'))).toMatch(/t-two\.npy' has 2 targets per sample; model 'r' predicts 3/);
  });

  it('refuses features and labels of different sample counts, naming both files', () => {
    const short = put(dir, 'y-short.npy', npy(Int32Array.of(0, 1), [2]));
    expect(refusal({ data: x, labels: short }, classify(4, 3))).toBe(`'${x}' has 3 samples but '${short}' has 2 labels`);
  });

  it('refuses an empty set', () => {
    const empty = put(dir, 'x-empty.npy', npy(new Float32Array(0), [0, 4]));
    const none = put(dir, 'y-empty.npy', npy(new Int32Array(0), [0]));
    expect(refusal({ data: empty, labels: none }, classify(4, 3))).toBe(`'${empty}' holds no samples`);
  });
});

describe('refusals of malformed files', () => {
  const valid = npy(features, [3, 4]);
  const dict = (descr: string, shape = '(3, 4)', fortran = 'False') => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
  const cases: [string, Uint8Array, RegExp][] = [
    ['an unsupported dtype (complex)', npyWith(dict('<c8'), new Uint8Array(96)), /dtype '<c8', which is not supported/],
    ['an unsupported dtype (bool)', npyWith(dict('|b1'), new Uint8Array(12)), /dtype '\|b1', which is not supported/],
    ['an unsupported dtype (strings)', npyWith(dict('<U3'), new Uint8Array(144)), /dtype '<U3', which is not supported/],
    ['an unsupported dtype (objects)', npyWith(dict('|O'), new Uint8Array(96)), /dtype '\|O', which is not supported/],
    ['a big-endian file', npyWith(dict('>f4'), new Uint8Array(48)), /is big-endian \('>f4'\); save it little-endian/],
    ['a truncated file', valid.subarray(0, valid.length - 3), /shape \(3, 4\) of f4 needs 48 bytes of data, but 45 follow the header: the file is truncated/],
    ['bytes after the data', Uint8Array.from([...valid, 0, 0, 0, 0]), /needs 48 bytes of data, but 52 follow the header: the file is corrupt/],
    ['a file cut inside the header', valid.subarray(0, 30), /the header is \d+ bytes but only 20 follow: the file is truncated/],
    ['a file that is not .npy', new TextEncoder().encode('a,b\n1,2\n'), /is not a valid \.npy file: it does not start with the \.npy magic bytes/],
    ['an empty file', new Uint8Array(0), /is not a valid \.npy file: it does not start with the \.npy magic/],
    ['an unknown version', Uint8Array.from([...valid.subarray(0, 6), 9, 0, ...valid.subarray(8)]), /format version 9\.0 is unknown/],
    ['a header that is not a dict', npyWith("descr '<f4'", new Uint8Array(48)), /the header is not a Python dict literal/],
    ['a header without a shape', npyWith("{'descr': '<f4', 'fortran_order': False}", new Uint8Array(48)), /the header lacks 'shape'/],
    ['a shape that is not integers', npyWith(dict('<f4', '(3, -4)'), new Uint8Array(48)), /the shape \(3, -4\) is not a tuple of non-negative integers/],
    ['a shape beyond any file', npyWith(dict('<f4', '(99999999999, 99999999999)'), new Uint8Array(48)), /needs more bytes than any file holds/],
  ];

  it.each(cases)('refuses %s, naming the file', (name, bytes, problem) => {
    const path = put(dir, `bad-${name.replace(/[^a-z]+/g, '-')}.npy`, bytes);
    const message = refusal({ data: path, labels: y }, classify(4, 3));
    expect(message).toContain(`'${path}'`);
    expect(message).toMatch(problem);
  });

  it('refuses data that start off the element alignment instead of misreading them', () => {
    // An unpadded header puts the data at an odd offset.
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }\n";
    const file = new Uint8Array(10 + header.length + 4);
    file.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]);
    for (let i = 0; i < header.length; i++) file[10 + i] = header.charCodeAt(i);
    expect((10 + header.length) % 4).not.toBe(0);
    const path = put(dir, 'misaligned.npy', file);
    expect(refusal({ data: path, labels: y }, classify(1, 3))).toMatch(/its data start at byte \d+, not a multiple of the 4-byte element size/);
  });

  it('refuses a single number or a one-dimensional feature array', () => {
    const scalar = put(dir, 'scalar.npy', npyWith(`{'descr': '<f4', 'fortran_order': False, 'shape': (), }`, new Uint8Array(4)));
    expect(refusal({ data: scalar, labels: y }, classify(1, 3))).toMatch(/scalar\.npy' holds a single number \(shape \(\)\)/);
    const flat = put(dir, 'flat.npy', npy(Float32Array.of(1, 2, 3), [3]));
    expect(refusal({ data: flat, labels: y }, classify(4, 3))).toMatch(/flat\.npy' has 1 feature per sample; the model reads 4/);
  });

  it('raises only DataErrors on every truncation and on corrupted header bytes', () => {
    const file = npy(features, [3, 4]);
    const outcomes = new Set<string>();
    const attempt = (bytes: Uint8Array) => {
      try {
        readNpyTable('fuzz.npy', bytes);
        outcomes.add('read');
      } catch (e) {
        expect(e).toBeInstanceOf(DataError);
        expect((e as Error).message).toContain("'fuzz.npy'");
        outcomes.add('refused');
      }
    };
    for (let end = 0; end < file.length; end++) attempt(file.subarray(0, end));
    for (let at = 0; at < 80; at++) {
      for (const value of [0x00, 0x20, 0x27, 0x28, 0x29, 0x2c, 0x31, 0x39, 0x46, 0x54, 0x7b, 0x7d, 0xff]) {
        const bytes = Uint8Array.from(file);
        bytes[at] = value;
        attempt(bytes);
      }
    }
    expect(outcomes).toEqual(new Set(['read', 'refused']));
  });
});
