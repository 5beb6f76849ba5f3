// What can be named as data: the built-in sets and files by extension, read only when they are
// regular files within the size limit; usage mistakes are refused with the reason.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { MAX_DATA_FILE_BYTES, readDataFile } from '../../src/data/files.js';
import { scratch } from '../support/scratch.js';
import { classify, errorOf, npy, put, refusal } from './helpers.js';

const dir = scratch('data-files');
const x = put(dir, 'x.npy', npy(Float32Array.of(1, 2), [1, 2]));
const y = put(dir, 'y.npy', npy(Uint8Array.of(0), [1]));

describe('files', () => {
  it('refuses a missing file, naming it', () => {
    const missing = join(dir, 'missing.npy');
    expect(refusal({ data: missing, labels: y }, classify(2, 2))).toBe(`cannot read '${missing}': no such file`);
    expect(refusal({ data: x, labels: missing }, classify(2, 2))).toBe(`cannot read '${missing}': no such file`);
  });

  it('refuses a directory', () => {
    const folder = join(dir, 'folder.csv');
    mkdirSync(folder);
    expect(refusal({ data: folder }, classify(2, 2))).toBe(`cannot read '${folder}': it is a directory, not a data file`);
  });

  it('refuses a named pipe at once instead of waiting for a writer', () => {
    const fifo = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    expect(refusal({ data: fifo }, classify(2, 2))).toBe(`cannot read '${fifo}': it is not a regular file (a pipe, socket or device)`);
  });

  it("refuses a device, also behind a link with a data file's name", () => {
    const link = join(dir, 'endless.npy');
    symlinkSync('/dev/zero', link);
    expect(refusal({ data: link, labels: y }, classify(2, 2))).toBe(`cannot read '${link}': it is not a regular file (a pipe, socket or device)`);
    expect(errorOf(() => readDataFile('/dev/zero'))).toBe("cannot read '/dev/zero': it is not a regular file (a pipe, socket or device)");
  });

  it('follows a symbolic link to a regular file', () => {
    const link = join(dir, 'link.npy');
    symlinkSync(x, link);
    expect(Array.from(loadDataset({ data: link, labels: y }, classify(2, 2)).x)).toEqual([1, 2]);
  });

  it('refuses a file over the size limit before reading it', () => {
    const big = join(dir, 'big.csv');
    writeFileSync(big, '');
    truncateSync(big, MAX_DATA_FILE_BYTES + 1); // sparse: no disk space used
    expect(refusal({ data: big }, classify(2, 2))).toBe(`cannot read '${big}': it is ${MAX_DATA_FILE_BYTES + 1} bytes, more than the limit of ${MAX_DATA_FILE_BYTES} bytes (4 GiB)`);
    const small = put(dir, 'small.bin', new Uint8Array(20));
    expect(errorOf(() => readDataFile(small, 19))).toBe(`cannot read '${small}': it is 20 bytes, more than the limit of 19 bytes`);
    expect(readDataFile(small, 20)).toEqual(new Uint8Array(20));
  });
});

describe('what can be named', () => {
  it('refuses an unknown name or extension, listing what is read', () => {
    for (const data of ['mnist:train', 'cifar10', join(dir, 'data.json'), join(dir, 'x.npz')]) {
      expect(refusal({ data }, classify(2, 2))).toBe(`'${data}' is not a dataset spinal reads: expected 'mnist', 'mnist:test', or a .npy, .csv or .safetensors file`);
    }
  });

  it('reads extensions in any case', () => {
    const upper = put(dir, 'UPPER.CSV', '1,2,0\n');
    expect(loadDataset({ data: upper }, classify(2, 2)).n).toBe(1);
  });

  it('needs a labels file for .npy features, itself a .npy file', () => {
    expect(refusal({ data: x }, classify(2, 2))).toBe(`'${x}' holds the features only; give the labels too, as a second .npy file`);
    const csv = put(dir, 'labels.csv', '0\n');
    expect(refusal({ data: x, labels: csv }, classify(2, 2))).toBe(`'${csv}': labels for .npy features come in a .npy file too`);
    expect(refusal({ data: x, labels: y, labelColumn: '0' }, classify(2, 2))).toBe(`'${x}': a label column is chosen only in a CSV file`);
  });
});
