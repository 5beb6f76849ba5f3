// The public API runs the whole pipeline on a sample: parse, check, lower, optimize, count,
// interpret and emit, as a library user would call them.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as spinal from '../src/index.js';
import { randomInput } from './support/random-weights.js';

describe('public API', () => {
  it('takes a sample from text to generated code and reference numbers', async () => {
    const text = readFileSync('samples/three_rows.spinal', 'utf8');
    const parsed = spinal.parse(text);
    expect(parsed.diagnostics).toEqual([]);
    const checked = spinal.check(parsed.ast!);
    const spec = checked.models.find((m) => m.name === 'three_rows')!;
    const graph = spinal.optimize(spinal.lower(spec));
    expect(spinal.count(graph).macs).toBe(104n);
    const weights = spinal.initWeights(graph, 7);
    const y = spinal.interpret(graph, weights, randomInput(12, 2, 1), 2);
    expect(y.length).toBe(4);
    // softmax output: each sample's row sums to 1
    expect(y[0] + y[1]).toBeCloseTo(1, 12);
    const files = await spinal.emit(graph, 'cpp');
    expect(files.map((f) => f.path)).toEqual(['three_rows.hpp']);
    expect(spinal.targets()).toEqual(expect.arrayContaining(['tfjs', 'wgsl', 'cpp', 'onnx']));
    await expect(spinal.emit(graph, 'nope')).rejects.toThrow(/unknown target 'nope'/);
  });
});
