// CSV datasets: header detection, the label column, and refusals naming line and column.
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { parseCell } from '../../src/data/csv.js';
import { scratch } from '../support/scratch.js';
import { classify, put, refusal, regress, rows } from './helpers.js';

const dir = scratch('data-csv');

describe('reading', () => {
  it('reads a file without a header: the last column is the label', () => {
    const path = put(dir, 'plain.csv', '0.5,1,2\n-3,4e-1,0\n\n7,8,1\n');
    const ds = loadDataset({ data: path }, classify(2, 3));
    expect(ds.source).toBe(path);
    expect(rows(ds)).toEqual([[0.5, 1], [-3, Math.fround(0.4)], [7, 8]]);
    expect(Array.from(ds.y)).toEqual([2, 0, 1]);
    expect(ds.y).toBeInstanceOf(Int32Array);
  });

  it('detects a header row, and reads a label column by name', () => {
    const path = put(dir, 'header.csv', 'digit,a,b\n1,10,20\n0,30,40\n');
    const ds = loadDataset({ data: path, labelColumn: 'digit' }, classify(2, 2));
    expect(rows(ds)).toEqual([[10, 20], [30, 40]]);
    expect(Array.from(ds.y)).toEqual([1, 0]);
  });

  it('reads a label column by 0-based index without a header', () => {
    const path = put(dir, 'index.csv', '1,10,20\n0,30,40\n');
    const ds = loadDataset({ data: path, labelColumn: '0' }, classify(2, 2));
    expect(rows(ds)).toEqual([[10, 20], [30, 40]]);
    expect(Array.from(ds.y)).toEqual([1, 0]);
  });

  it('takes a header name over an index: pandas writes column names 0, 1, ... after an unnamed index column', () => {
    const path = put(dir, 'pandas.csv', ',0,1\n0,5,1\n1,6,0\n');
    const ds = loadDataset({ data: path, labelColumn: '1' }, classify(2, 2));
    expect(rows(ds)).toEqual([[0, 5], [1, 6]]);
    expect(Array.from(ds.y)).toEqual([1, 0]);
  });

  it('accepts a byte-order mark, CRLF line ends, spaces around cells and quoted numbers', () => {
    const path = put(dir, 'windows.csv', '\ufeffx, y ,label\r\n 1 ,"2",0\r\n3,4 , 1\r\n');
    const ds = loadDataset({ data: path }, classify(2, 2));
    expect(rows(ds)).toEqual([[1, 2], [3, 4]]);
    expect(Array.from(ds.y)).toEqual([0, 1]);
  });

  it('accepts whole-number labels written as decimals', () => {
    const path = put(dir, 'decimal-labels.csv', '1,2.0\n3,1.00\n');
    expect(Array.from(loadDataset({ data: path }, classify(1, 3)).y)).toEqual([2, 1]);
  });

  it('reads regression targets: the last T columns', () => {
    const path = put(dir, 'regression.csv', 'a,b,t1,t2\n1,2,0.5,-0.5\n3,4,1.5,2.5\n');
    const ds = loadDataset({ data: path }, regress(2, 2));
    expect(rows(ds)).toEqual([[1, 2], [3, 4]]);
    expect(ds.y).toBeInstanceOf(Float32Array);
    expect(Array.from(ds.y)).toEqual([0.5, -0.5, 1.5, 2.5]);
    const one = put(dir, 'regression1.csv', 't,a\n0.25,1\n');
    expect(Array.from(loadDataset({ data: one, labelColumn: 't' }, regress(1, 1)).y)).toEqual([0.25]);
  });

  it('recognizes numbers as written by common tools, and nothing else', () => {
    for (const cell of ['0', '-1', '+2.5', '.5', '5.', '1e-3', '1E+10', '-0.0']) expect(parseCell(cell)).toBe(Number(cell));
    expect(parseCell('nan')).toBeNaN();
    expect(parseCell('-inf')).toBe(-Infinity);
    expect(parseCell('Infinity')).toBe(Infinity);
    for (const cell of ['', 'abc', '0x10', '1,5', '1 2', '--1', 'e5', '1e', '.', 'true']) expect(parseCell(cell)).toBeUndefined();
  });
});

describe('refusals', () => {
  it('names the line and column of the first cell that is not a number', () => {
    const path = put(dir, 'word.csv', 'a,b,label\n1,2,0\n3,oops,1\n');
    expect(refusal({ data: path }, classify(2, 2))).toBe(`'${path}', line 3, column 2 ('b') holds 'oops', not a number`);
    const noHeader = put(dir, 'empty-cell.csv', '1,2,0\n\n3,,1\n');
    expect(refusal({ data: noHeader }, classify(2, 2))).toBe(`'${noHeader}', line 3, column 2 is empty`);
  });

  it('names the line and column of a NaN or infinite feature', () => {
    const path = put(dir, 'nan.csv', 'a,b,label\n1,2,0\n3,NaN,1\n');
    expect(refusal({ data: path }, classify(2, 2))).toBe(`'${path}', line 3, column 2 ('b') is NaN; features must be finite numbers`);
    const target = put(dir, 'inf-target.csv', '1,2,0.5\n3,4,inf\n');
    expect(refusal({ data: target }, regress(2, 1))).toMatch(/inf-target\.csv', line 2, column 3 is Infinity; regression targets must be finite/);
  });

  it('names the line and value of a label outside the classes or not an integer', () => {
    const path = put(dir, 'labels.csv', 'a,digit\n1,0\n2,10\n');
    expect(refusal({ data: path }, classify(1, 10, 'm'))).toBe(`'${path}', line 3, column 2 ('digit'): label 10 is outside [0, 10); model 'm' has 10 classes, so labels are integers 0 to 9`);
    const fraction = put(dir, 'fraction.csv', '1,0\n2,0.5\n');
    expect(refusal({ data: fraction }, classify(1, 10))).toMatch(/fraction\.csv', line 2, column 2: label 0\.5 is not an integer/);
  });

  it('names both widths when the feature count differs from the model', () => {
    const path = put(dir, 'narrow.csv', '1,2,0\n');
    expect(refusal({ data: path }, classify(784, 10, 'mnist_spinal'))).toBe(`'${path}' has 2 features per sample; model 'mnist_spinal' reads 784`);
  });

  it('refuses rows of different lengths, naming the line', () => {
    const path = put(dir, 'ragged.csv', '1,2,0\n3,4,1\n5,1\n');
    expect(refusal({ data: path }, classify(2, 2))).toBe(`'${path}' is not a valid CSV file: line 3 has 2 columns, but the first row has 3`);
  });

  it('refuses a quote that never closes', () => {
    const path = put(dir, 'quote.csv', '1,2,0\n3,"4,1\n');
    expect(refusal({ data: path }, classify(2, 2))).toMatch(/quote\.csv' is not a valid CSV file: .*[Qq]uote/);
  });

  it('refuses an empty file and a header without rows', () => {
    const empty = put(dir, 'empty.csv', '');
    expect(refusal({ data: empty }, classify(2, 2))).toBe(`'${empty}' holds no samples`);
    const headerOnly = put(dir, 'header-only.csv', 'a,b,label\n');
    expect(refusal({ data: headerOnly }, classify(2, 2))).toBe(`'${headerOnly}' holds no samples`);
  });

  it('refuses a label column that is not there', () => {
    const header = put(dir, 'named.csv', 'a,b,label\n1,2,0\n');
    expect(refusal({ data: header, labelColumn: 'class' }, classify(2, 2))).toBe(`'${header}' has no column named 'class': its header names 'a', 'b', 'label'`);
    expect(refusal({ data: header, labelColumn: '3' }, classify(2, 2))).toMatch(/has 3 columns, so label column index 3 \(0-based\) is not one of them/);
    const plain = put(dir, 'unnamed.csv', '1,2,0\n');
    expect(refusal({ data: plain, labelColumn: 'label' }, classify(2, 2))).toMatch(/unnamed\.csv' has no column named 'label': it has no header row, so name the label column by 0-based index/);
  });

  it('refuses a label column name given twice in the header', () => {
    const path = put(dir, 'twice.csv', 'y,a,y\n0,1,0\n');
    expect(refusal({ data: path, labelColumn: 'y' }, classify(1, 2))).toMatch(/twice\.csv' has 2 columns named 'y' \(columns 1, 3\)/);
  });

  it('refuses a file with no feature column, and a label column for several targets', () => {
    const path = put(dir, 'one-column.csv', '0\n1\n');
    expect(refusal({ data: path }, classify(1, 2))).toMatch(/one-column\.csv' has 1 column; it needs at least 2: features, then the label last/);
    const wide = put(dir, 'targets.csv', '1,2,3\n');
    expect(refusal({ data: wide, labelColumn: '0' }, regress(1, 2))).toMatch(/targets\.csv': a label column names one column, but the model predicts 2 targets/);
  });

  it('refuses a separate labels file: a CSV holds its labels', () => {
    const path = put(dir, 'with-labels.csv', '1,0\n');
    expect(refusal({ data: path, labels: 'y.npy' }, classify(1, 2))).toBe(`'${path}' holds its labels itself (a column); a separate labels file goes with .npy features only`);
  });
});
