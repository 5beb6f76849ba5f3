// Several inputs and named values (LANGUAGE.md, "Several inputs and named values"): what each
// statement reads, the diagnostics of the dataflow, and the graph it lowers to.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codesOf, compileText, onlyModel } from '../support/front.js';
import { count } from '../../src/passes/count.js';
import { optimize } from '../../src/passes/optimize.js';
import { lower } from '../../src/ir/lower.js';
import { denseBaseline } from '../../src/check/baseline.js';
import { interpret } from '../../src/ir/interpret.js';
import { randomWeights, randomInput } from '../support/random-weights.js';

const ARCH2 = readFileSync(new URL('../../samples/mnist_arch2.spinal', import.meta.url), 'utf8');

function errors(text: string) {
  return compileText(text).diagnostics.filter((d) => d.severity === 'error').map((d) => ({ code: d.code, message: d.message, hint: d.hint, line: d.range.start.line, column: d.range.start.column }));
}

describe('the flow of a model with several inputs', () => {
  it('reads named values and concatenations, in the order written', () => {
    const { spec, graph } = onlyModel(`model m {
  x = input 3
  y = input 2
  a = dense 4 from y, x
  output 2 from x, a
}`);
    expect(spec.inputs).toEqual([{ name: 'x', size: 3 }, { name: 'y', size: 2 }]);
    expect(spec.layers.map((l) => [l.value, l.reads, l.from])).toEqual([['a', ['y', 'x'], true]]);
    expect(spec.output.reads).toEqual(['x', 'a']);
    expect(graph.inputs).toEqual([{ name: 'x', size: 3, node: 'input.x' }, { name: 'y', size: 2, node: 'input.y' }]);
    expect(graph.inputSize).toBe(5);
    const dense = graph.nodes.find((n) => n.id === 'dense1')!;
    expect(dense.op === 'dense' && dense.inFeatures).toBe(5);
    const output = graph.nodes.find((n) => n.id === 'output')!;
    expect(output.op === 'dense' && output.inFeatures).toBe(7);
  });

  it('keeps a single-input chain exactly as before: one node named input, each statement reads the one before', () => {
    const { spec, graph } = onlyModel('model m { input 6 dense 4 spinal { width 2 layers 2 } output 2 }');
    expect(spec.inputs).toEqual([{ name: 'input', size: 6 }]);
    expect(spec.layers.map((l) => l.reads)).toEqual([['input'], ['#2']]);
    expect(graph.inputs).toEqual([{ name: 'input', size: 6, node: 'input' }]);
    expect(graph.nodes[0]).toMatchObject({ id: 'input', op: 'input', shape: [6] });
  });

  it('a named single input and forward references', () => {
    const { graph } = onlyModel(`model m {
  pixels = input 8
  j = dense 3 from a, b
  a = spinal from pixels { width 2 layers 2 }
  b = dense 2 from pixels
  output 2 from j
}`);
    expect(graph.inputs).toEqual([{ name: 'pixels', size: 8, node: 'input' }]);
    // Evaluated after its branches, whatever the order of the source; numbered in source order.
    const order = graph.nodes.filter((n) => n.op === 'dense').map((n) => n.id);
    expect(order.indexOf('dense1')).toBeGreaterThan(order.indexOf('dense2'));
    expect(order.indexOf('dense1')).toBeGreaterThan(order.indexOf('spinal1.sub2'));
  });

  it('interprets a multi-input batch as its inputs side by side', () => {
    const { graph } = onlyModel('model m { x = input 2 y = input 3 output 4 from y, x }');
    const swapped = onlyModel('model m { y = input 3 x = input 2 output 4 from y, x }').graph;
    const weights = randomWeights(graph, 7);
    const x = randomInput(2, 3, 1);
    const y = randomInput(3, 3, 2);
    const packed = (first: Float64Array, a: number, second: Float64Array, b: number) =>
      Float64Array.from({ length: 3 * (a + b) }, (_, i) => {
        const row = Math.floor(i / (a + b));
        const col = i % (a + b);
        return col < a ? first[row * a + col] : second[row * b + col - a];
      });
    // The same model with its inputs declared in the other order reads the same numbers.
    expect(interpret(graph, weights, packed(x, 2, y, 3), 3)).toEqual(interpret(swapped, weights, packed(y, 3, x, 2), 3));
  });
});

describe('diagnostics of the flow', () => {
  it('an unknown value, with the nearest name', () => {
    expect(errors('model m { pixels = input 4 output 2 from pixel }')).toEqual([
      { code: 'SPN070', message: "no value named 'pixel' in model 'm'", hint: "did you mean 'pixels'?", line: 1, column: 42 },
      { code: 'SPN072', message: "input 'pixels' is never read", hint: "read it with 'from pixels', or remove it", line: 1, column: 11 },
    ]);
  });

  it('suggests no name the list already holds', () => {
    const [unknown] = errors('model m { x = input 4 y = input 3 output 2 from x, z, y }');
    expect(unknown).toMatchObject({ code: 'SPN070', hint: "its values: 'x', 'y'" });
  });

  it('a value nothing reads, named or not', () => {
    expect(errors('model m { x = input 4 dense 3 output 2 from x }').map((e) => [e.code, e.message])).toEqual([['SPN073', "the value of this 'dense' is never read"]]);
    expect(errors('model m { x = input 4 h = dense 3 from x output 2 from x }').map((e) => [e.code, e.message])).toEqual([['SPN073', "the value of 'h' is never read"]]);
  });

  it('a cycle, once, with its path from the value written first', () => {
    const found = errors('model m { x = input 4 a = dense 2 from x, b b = dense 2 from a output 2 from b }');
    expect(found).toEqual([{ code: 'SPN074', message: "'a' depends on itself: a -> b -> a", hint: 'a value can read only values computed without it', line: 1, column: 23 }]);
    expect(errors('model m { x = input 4 a = dense 2 from a, x output 2 from a }').map((e) => e.message)).toEqual(["'a' depends on itself: a -> a"]);
  });

  it('duplicate names, a parameter name, a name listed twice, a named output, unnamed inputs among several', () => {
    expect(codesOf('model m { x = input 4 x = dense 2 output 2 }')).toContain('SPN071');
    expect(errors('model m(w = 2) { x = input 4 w = dense w from x output 2 }').map((e) => e.message)).toEqual(["'w' is a parameter of the model (line 1) and cannot also name a value"]);
    expect(codesOf('model m { x = input 4 output 2 from x, x }')).toEqual(['SPN075']);
    expect(codesOf('model m { input 4 y = output 2 }')).toEqual(['SPN076']);
    expect(codesOf('model m { x = input 4 input 3 output 2 from x }')).toContain('SPN077');
    expect(codesOf('model m { input 4 input 4 output 2 }')).toEqual(['SPN022']);
  });

  it('inputs come first', () => {
    expect(codesOf('model m { x = input 4 h = dense 2 from x y = input 3 output 2 from y, h }')).toEqual(['SPN021']);
  });

  it('the single-input errors are unchanged by the flow rules', () => {
    expect(codesOf('model m { dense 4 input 4 output 2 }')).toEqual(['SPN021']);
    expect(codesOf('model m { input 4 output 2 dense 3 }')).toEqual(['SPN024']);
    expect(codesOf('model m { dense 4 output 2 }')).toEqual(['SPN020']);
  });

  it('a layer refused for a cause reported elsewhere (a parameter too large to represent) leaves no model with a gap', () => {
    expect(codesOf('model m(w = 1e400) { input 8 spinal { width w layers 2 } output 2 }')).toEqual(['SPN005']);
    expect(compileText('model m(w = 1e400) { input 8 spinal { width w layers 2 } output 2 }').models).toEqual([]);
  });

  it("'from' is a keyword", () => {
    expect(codesOf('model m(from = 2) { input 4 output 2 }')).toEqual(['SPN004']);
  });
});

describe('the Arch2 sample', () => {
  const { spec, graph } = onlyModel(ARCH2);

  it('has the official script sizes and counts', () => {
    expect(graph.inputs.map((i) => [i.name, i.size])).toEqual([['pixels', 784], ['conv1', 1440], ['conv2', 320]]);
    const c = count(graph);
    // 392*30 + 9*422*30, 720*30 + 7*750*30, 160*30 + 7*190*30, 780*50, 50*10.
    expect(c.macs).toBe(125_700n + 179_100n + 44_700n + 39_000n + 500n);
    expect(c.parameters).toBe(389_000n + 300n + 240n + 240n + 50n + 10n);
    const baseline = count(lower(denseBaseline(spec)));
    // Each block replaced where it stands: 784*300, 1440*240, 320*240, then the same join.
    expect(baseline.macs).toBe(235_200n + 345_600n + 76_800n + 39_000n + 500n);
  });

  it('places the three blocks side by side, so the join copies nothing', () => {
    const opt = optimize(graph);
    const join = opt.nodes.find((n) => n.id === 'dense1')!;
    expect(join.op).toBe('dense');
    const placed = opt.nodes.filter((n) => n.op === 'dense' && n.place?.buffer === 'dense1.in');
    expect(placed).toHaveLength(26);
    expect(placed.map((n) => n.op === 'dense' && n.place!.column)).toEqual(Array.from({ length: 26 }, (_, k) => 30 * k));
    expect(count(opt).copiedBytes).toBe(0n);
  });
});
