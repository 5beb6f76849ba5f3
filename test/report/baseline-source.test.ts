import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { compile } from '../../src/compile.js';
import { denseBaseline } from '../../src/check/baseline.js';
import { modelReport } from '../../src/report/model-report.js';
import { baselineSource, BaselineSourceError } from '../../src/report/baseline-source.js';
import type { FlowSpec } from '../../src/check/spec.js';

const samples = readdirSync('samples').filter((f) => f.endsWith('.spinal')).map((f) => ({ path: `samples/${f}`, text: readFileSync(`samples/${f}`, 'utf8') }));

describe('the dense baseline as source', () => {
  it('writes the baseline of the MNIST head as a model', () => {
    const [model] = compile({ path: 'm.spinal', text: 'model m(w = 3) { input 10\n dense 7 tanh\n spinal { split 1:1\n width w\n layers 4\n activation gelu\n dropout 0.25 }\n batchnorm\n output 3 softmax }' }).models;
    expect(baselineSource(model.spec)).toEqual({
      path: '<dense baseline of m>',
      text: '# The dense baseline of m (w=3)\nmodel m_dense {\n  input 10\n  dense 7 tanh\n  dropout 0.25\n  dense 12 gelu\n  batchnorm\n  output 3 softmax\n}\n',
    });
  });

  it('compiles to the very model the counts use, for every sample model it can write', () => {
    let written = 0;
    for (const source of samples) {
      for (const model of compile(source).models) {
        const expected = denseBaseline(model.spec);
        let text;
        try {
          text = baselineSource(model.spec);
        } catch (e) {
          expect(e).toBeInstanceOf(BaselineSourceError);
          continue;
        }
        const compiled = compile(text);
        expect(compiled.diagnostics).toEqual([]);
        expect(compiled.models).toHaveLength(1);
        const [baseline] = compiled.models;
        expect(baseline.spec.name).toBe(expected.name);
        expect(baseline.spec.inputs).toEqual(expected.inputs);
        // The written source numbers its unnamed values anew; what each layer computes is the same.
        expect(baseline.spec.layers.map(settings)).toEqual(expected.layers.map(settings));
        expect(settings(baseline.spec.output)).toEqual(settings(expected.output));
        const report = modelReport(baseline);
        expect({ macs: report.macs, parameters: report.parameters }).toEqual(modelReport(model).baseline);
        written++;
      }
    }
    expect(written).toBeGreaterThanOrEqual(10);
  });

  it('refuses a block whose activation follows its batchnorm, which no dense statement can say', () => {
    const [model] = compile(samples.find((s) => s.path.endsWith('mnist_vgg5.spinal'))!).models;
    expect(() => baselineSource(model.spec)).toThrow(
      "the dense baseline of 'mnist_vgg5_spinal' applies relu after a batchnorm (from spinal block 1), which a .spinal model cannot state; train that baseline as a model of your own",
    );
    const [linear] = compile({ path: 'l.spinal', text: 'model l { input 4\n spinal { width 2\n layers 2\n batchnorm\n activation linear }\n output 2 }' }).models;
    expect(compile(baselineSource(linear.spec)).models[0].spec.layers.map((l) => l.kind)).toEqual(['dense', 'batchnorm']);
  });
});

function settings<T extends FlowSpec>(layer: T): Omit<T, keyof FlowSpec> {
  const { value: _value, reads: _reads, from: _from, ...rest } = layer;
  return rest;
}
