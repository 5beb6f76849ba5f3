import { describe, expect, it } from 'vitest';
import { compareModels, UnknownReferenceError, type ComparedModel } from '../../src/report/compare.js';
import { modelReport } from '../../src/report/model-report.js';
import { sampleFiles } from '../support/samples.js';
import { compile } from '../../src/compile.js';
import { readFileSync } from 'node:fs';

function compared(...names: string[]): ComparedModel[] {
  const all = sampleFiles().flatMap((path) =>
    compile({ path, text: readFileSync(path, 'utf8') }).models.map((m) => ({ file: path, report: modelReport(m) })),
  );
  return names.map((n) => all.find((m) => m.report.name === n)!);
}

describe('compareModels', () => {
  it('compares each model with its own dense baseline by default, exactly', () => {
    const [spinal, vgg] = compareModels(compared('mnist_cnn_spinal', 'vgg19_spinal'));
    // 160*8 + 5*(160+8)*8 + 48*10; baseline 320*48 + 48*10
    expect(spinal.report.macs).toBe(8480);
    expect(spinal.vs).toEqual({ name: 'mnist_cnn_spinal_dense', kind: 'dense baseline', macs: 15840, parameters: 15898, macsRatio: 8480 / 15840, parametersRatio: 8538 / 15898 });
    // 256*512 + 3*768*512 + 2048*10; baseline 512*2048 + 2048*10
    expect(vgg.report.macs).toBe(1331200);
    expect(vgg.vs.macs).toBe(1069056);
    expect(vgg.peakActivationBytes).toBe(vgg.report.memory.after.peakBytes);
  });

  it('uses a --vs model for the models of the same input and output size only', () => {
    const rows = compareModels(compared('mnist_cnn_spinal', 'mnist_cnn_default', 'vgg19_spinal', 'vgg19_default'), ['vgg19_default']);
    const by = new Map(rows.map((r) => [r.report.name, r]));
    // 512*4096 + 4096*4096 + 4096*10
    expect(by.get('vgg19_spinal')!.vs).toMatchObject({ name: 'vgg19_default', kind: 'model', macs: 18915328, parameters: 18923530 });
    expect(by.get('vgg19_spinal')!.vs.macsRatio).toBeCloseTo(1331200 / 18915328, 12);
    expect(by.get('vgg19_default')!.vs.macsRatio).toBe(1);
    expect(by.get('mnist_cnn_spinal')!.vs.kind).toBe('dense baseline');
  });

  it('takes the first matching reference among several', () => {
    const rows = compareModels(compared('mnist_cnn_spinal', 'mnist_cnn_default', 'vgg19_spinal', 'vgg19_default'), ['mnist_cnn_default', 'vgg19_default']);
    expect(rows.map((r) => r.vs.name)).toEqual(['mnist_cnn_default', 'mnist_cnn_default', 'vgg19_default', 'vgg19_default']);
    expect(rows[0].vs.macs).toBe(16500);
  });

  it('refuses a reference that names no model, listing the models', () => {
    expect(() => compareModels(compared('three_rows'), ['nope'])).toThrow(UnknownReferenceError);
    expect(() => compareModels(compared('three_rows'), ['nope'])).toThrow(/no model 'nope'; the models are three_rows/);
  });
});
