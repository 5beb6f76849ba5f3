import { describe, expect, it } from 'vitest';
import { codesOf, compileText, onlyModel } from '../support/front.js';
import { DEFAULT_LIMITS } from '../../src/check/limits.js';

function first(text: string) {
  const ds = compileText(text).diagnostics;
  expect(ds.length).toBeGreaterThan(0);
  return ds[0];
}

describe('check: the rules of "Meaning", each with its code', () => {
  it('a valid model has no diagnostics', () => {
    expect(codesOf('model m { input 4 dense 3 dropout 0 batchnorm output 2 }')).toEqual([]);
  });

  it('input comes first and once', () => {
    expect(codesOf('model m { dense 3 output 2 }')).toEqual(['SPN020']);
    expect(codesOf('model m { dense 3 input 4 output 2 }')).toEqual(['SPN021']);
    const dup = first('model m { input 4 input 5 output 2 }');
    expect([dup.code, dup.message, dup.range.start.column]).toEqual(['SPN022', "'input' is given twice; the first is on line 1", 19]);
  });

  it('output comes last and once', () => {
    expect(codesOf('model m { input 4 dense 3 }')).toEqual(['SPN023']);
    expect(codesOf('model m { input 4 output 2 dense 3 }')).toEqual(['SPN024']);
    expect(codesOf('model m { input 4 output 2 output 3 }')).toEqual(['SPN025']);
  });

  it.each([
    ['input 0', 'input size must be a positive integer, got 0'],
    ['input 2.5', 'input size must be a positive integer, got 2.5'],
  ])('sizes are positive integers: %s', (stmt, message) => {
    const d = first(`model m { ${stmt} output 2 }`);
    expect([d.code, d.message]).toEqual(['SPN030', message]);
  });

  it('widths, layers, ratios and dense sizes are positive integers', () => {
    expect(codesOf('model m { input 4 dense 0 output 2 }')).toEqual(['SPN030']);
    expect(codesOf('model m { input 4 spinal { width 0.5 layers 1 } output 2 }')).toEqual(['SPN030']);
    expect(codesOf('model m { input 4 spinal { width 1 layers 0 } output 2 }')).toEqual(['SPN030']);
    expect(codesOf('model m { input 4 spinal { split 1:0 width 1 layers 1 } output 2 }')).toEqual(['SPN030']);
    expect(codesOf('model m { input 4 output 0 }')).toEqual(['SPN030']);
  });

  it('a bad value from a parameter is reported at the parameter, naming where it came from', () => {
    const d = first('model m(w = 1.5) {\n  input 4\n  dense w\n  output 2\n}');
    expect(d.message).toBe("dense size must be a positive integer, got 1.5 (w = 1.5, default of 'm')");
    expect([d.range.start.line, d.range.start.column]).toEqual([1, 13]);
    const v = compileText('model m(w = 1) { input 4 dense w output 2 }\nmodel v = m(w = 0)').diagnostics;
    expect(v.map((x) => [x.code, x.range.start.line, x.message])).toEqual([
      ['SPN030', 2, "dense size must be a positive integer, got 0 (w = 0, argument of 'v')"],
    ]);
  });

  it('dropout is at least 0 and below 1', () => {
    expect(codesOf('model m { input 4 dropout 0 dropout 0.999 output 2 }')).toEqual([]);
    expect(codesOf('model m { input 4 dropout 1 output 2 }')).toEqual(['SPN031']);
    expect(codesOf('model m { input 4 spinal { width 1 layers 1 dropout 1.5 } output 2 }')).toEqual(['SPN031']);
  });

  it('unknown parameters and base models get a did-you-mean hint', () => {
    const param = first('model m(width_ = 3) { input 4 output 2 }\nmodel v = m(widht_ = 1)');
    expect([param.code, param.hint]).toEqual(['SPN013', "did you mean 'width_'?"]);
    const none = first('model m { input 4 output 2 }\nmodel v = m(q = 1)');
    expect([none.code, none.hint]).toEqual(['SPN013', "'m' has no parameters"]);
    const base = first('model mnist { input 4 output 2 }\nmodel v = minst()');
    expect([base.code, base.message, base.hint]).toEqual(['SPN011', "no model named 'minst'", "did you mean 'mnist'?"]);
    const name = first('model m(depth = 2) { input 4 dense deph output 2 }');
    expect([name.code, name.message, name.hint]).toEqual(['SPN015', "unknown name 'deph'", "did you mean 'depth'?"]);
  });

  it('model names are unique', () => {
    const d = first('model m { input 4 output 2 }\n\nmodel m = m()');
    expect([d.code, d.message, d.range.start.line]).toEqual(['SPN010', "model 'm' is already declared on line 1", 3]);
  });

  it('a parameter is declared once', () => {
    expect(codesOf('model m(a = 1, a = 2) { input 4 output 2 }')).toEqual(['SPN014']);
  });

  it('variant cycles are reported once per variant on the cycle', () => {
    const ds = compileText('model a = b()\nmodel b = c()\nmodel c = a()\nmodel d = a()').diagnostics;
    expect(ds.map((d) => [d.code, d.range.start.line])).toEqual([['SPN012', 1], ['SPN012', 2], ['SPN012', 3]]);
    expect(ds[0].message).toBe("variant 'a' derives from itself: 'a' -> 'b' -> 'c' -> 'a'");
    expect(ds[1].message).toBe("variant 'b' derives from itself: 'b' -> 'c' -> 'a' -> 'b'");
    expect(codesOf('model a = a()')).toEqual(['SPN012']);
  });

  it('a ring of 20,000 variants is reported in linear time and memory, each message short', () => {
    const n = 20_000;
    const text = ['model base(w = 2) { input 4 output 2 }', ...Array.from({ length: n }, (_, i) => `model v${i} = v${(i + 1) % n}(w = 3)`)].join('\n');
    const ds = compileText(text).diagnostics;
    expect(ds).toHaveLength(n);
    expect(ds[5].message).toBe("variant 'v5' derives from itself: 'v5' -> 'v6' -> 'v7' -> 'v8' -> ... -> 'v5' (20000 variants)");
    expect(Math.max(...ds.map((d) => d.message.length))).toBeLessThan(200);
  });

  it('a spinal block needs width and layers, each once', () => {
    expect(codesOf('model m { input 4 spinal { layers 1 } output 2 }')).toEqual(['SPN040']);
    expect(codesOf('model m { input 4 spinal { width 1 } output 2 }')).toEqual(['SPN041']);
    expect(codesOf('model m { input 4 spinal { } output 2 }')).toEqual(['SPN040', 'SPN041']);
    expect(codesOf('model m { input 4 spinal { width 1 layers 2 layers 2 } output 2 }')).toEqual(['SPN042']);
  });

  it('no split row may be empty', () => {
    const d = first('model m { input 2 spinal { split 1:1:2 width 2 layers 1 } output 2 }');
    expect([d.code, d.message]).toEqual(['SPN043', 'row 2 of 3 would be empty: 2 features split 1:1:2 gives rows of 1, 0, 1']);
    expect(codesOf('model m { input 3 spinal { split 1:1:2 width 2 layers 3 } output 2 }')).toEqual([]);
    expect(codesOf('model m { input 1 spinal { width 2 layers 1 } output 2 }')).toEqual(['SPN043']);
    // The block reads the previous layer's output, not the model's input.
    expect(codesOf('model m { input 8 dense 1 spinal { width 2 layers 1 } output 2 }')).toEqual(['SPN043']);
  });

  it('an interleaved split needs equal ratios', () => {
    expect(codesOf('model m { input 8 spinal { split 2:2 interleaved width 2 layers 2 } output 2 }')).toEqual([]);
    const d = first('model m { input 8 spinal { split 1:2 interleaved width 2 layers 1 } output 2 }');
    expect([d.code, d.hint]).toEqual(['SPN044', "use 1:1 interleaved, or drop 'interleaved'"]);
  });

  it('numbers that do not fit a double are refused where they are written', () => {
    const d = first('model m { input 1e400 output 2 }');
    expect([d.code, d.message, d.range.start.column]).toEqual(['SPN005', 'the number 1e400 is too large to represent', 17]);
    expect(codesOf('model m(w = 1e999) { input 4 output 2 }')).toEqual(['SPN005']);
  });

  it('enforces the limits on sizes, layers and model size', () => {
    expect(codesOf(`model m { input ${DEFAULT_LIMITS.maxSize} output 1 }`)).toEqual(['SPN050']);
    expect(codesOf(`model m { input ${DEFAULT_LIMITS.maxSize + 1} output 1 }`)).toEqual(['SPN032']);
    expect(codesOf(`model m { input 4 spinal { width 1 layers ${DEFAULT_LIMITS.maxLayers} } output 2 }`)).toEqual([]);
    const layers = first(`model m { input 4 spinal { width 1 layers ${DEFAULT_LIMITS.maxLayers + 1} } output 2 }`);
    expect([layers.code, layers.message]).toEqual(['SPN051', 'layers 4097 is larger than the limit 4096']);
    // The code follows what was measured, not which limit holds the same value.
    const equal = { ...DEFAULT_LIMITS, maxSize: 4096, maxLayers: 4096 };
    expect(codesOf('model m { input 4 dense 5000 output 2 }', { limits: equal })).toEqual(['SPN032']);
    expect(codesOf('model m { input 4 spinal { width 1 layers 5000 } output 2 }', { limits: equal })).toEqual(['SPN051']);
    const big = first('model m { input 50000 dense 50000 output 2 }');
    expect([big.code, big.message]).toEqual(['SPN050', "model 'm' needs 2500150002 parameters, more than the limit 2147483647"]);
    const limits = { ...DEFAULT_LIMITS, maxParameters: 26 };
    expect(codesOf('model m { input 4 dense 4 output 2 }', { limits })).toEqual(['SPN050']);
    expect(codesOf('model m { input 4 dense 3 output 2 }', { limits })).toEqual([]);
  });

  it('reports errors of several models in one run and keeps the valid ones', () => {
    const r = compileText('model a { input 4 output 2 }\nmodel b { input 0 output 2 }\nmodel c { output 2 }');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['SPN030', 'SPN020']);
    expect(r.models.map((m) => m.spec.name)).toEqual(['a']);
  });
});

describe('check: parameters, variants and --set', () => {
  const base = 'model m(w = 4, d = 2) { input 8 spinal { width w layers d } output 2 }\n';

  it('resolves defaults', () => {
    expect(onlyModel(base).spec.params).toEqual({ w: 4, d: 2 });
  });

  it('variant arguments override defaults, others keep theirs', () => {
    const models = compileText(`${base}model v = m(d = 3)`).models;
    expect(models.map((m) => [m.spec.name, m.spec.base, m.spec.params])).toEqual([
      ['m', undefined, { w: 4, d: 2 }],
      ['v', 'm', { w: 4, d: 3 }],
    ]);
    expect(models[1].spec.layers[0]).toMatchObject({ kind: 'spinal', width: 4, layers: 3 });
  });

  it('follows chains of variants, nearer arguments winning', () => {
    const models = compileText(`model u = v(w = 9)\n${base}model v = m(d = 3, w = 5)\nmodel t = u()`).models;
    expect(Object.fromEntries(models.map((m) => [m.spec.name, m.spec.params]))).toEqual({
      u: { w: 9, d: 3 },
      m: { w: 4, d: 2 },
      v: { w: 5, d: 3 },
      t: { w: 9, d: 3 },
    });
  });

  it('resolves a long chain of variants', () => {
    const chain = Array.from({ length: 2000 }, (_, i) => `model v${i} = ${i === 0 ? 'm' : `v${i - 1}`}(d = ${(i % 5) + 1})`).join('\n');
    const models = compileText(`${base}${chain}`).models;
    expect(models.length).toBe(2001);
    expect(models[2000].spec.params).toEqual({ w: 4, d: (1999 % 5) + 1 });
  });

  it('--set overrides defaults and variant arguments', () => {
    const models = compileText(`${base}model v = m(d = 3)`, { overrides: { w: 7 } }).models;
    expect(models.map((m) => m.spec.params)).toEqual([{ w: 7, d: 2 }, { w: 7, d: 3 }]);
  });

  it('a bad --set value is reported at its use, naming the override', () => {
    const d = compileText(base, { overrides: { w: 2.5 } }).diagnostics[0];
    expect([d.code, d.message, d.range.start.column]).toEqual(['SPN030', 'width must be a positive integer, got 2.5 (w = 2.5, --set w=2.5)', 48]);
  });
});

describe('check: the per-file layer budget', () => {
  it('stops at the model that crosses it, keeping the models before', () => {
    const limits = { ...DEFAULT_LIMITS, maxFileLayers: 10 };
    // each model: 4 sub-layers + output = 5 layers
    const r = compileText('model m { input 4 spinal { width 1 layers 4 } output 2 }\nmodel v = m()\nmodel u = m()', { limits });
    expect(r.diagnostics.map((d) => [d.code, d.range.start.line, d.message])).toEqual([
      ['SPN052', 3, "with 'u' this file declares 15 layers, more than the limit 10"],
    ]);
    expect(r.models.map((m) => m.spec.name)).toEqual(['m', 'v']);
  });
});

describe('check: variants of a model with errors', () => {
  it('yield no model, and the error is reported once, at the base', () => {
    const r = compileText('model m { dense 3 input 4 output 2 }\nmodel v = m()\nmodel u = v()');
    expect(r.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['SPN021', 1]]);
    expect(r.models).toEqual([]);
  });
});
