// A model with several inputs in every report format: its inputs by name and size (JSON's
// `inputSizes`, an `inputs` column in the tables), per-layer rows as for any model, and the dense
// baseline that replaces each block where it stands. samples/mnist_arch2.spinal is the case.
import { describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';

const ARCH2 = 'samples/mnist_arch2.spinal';

describe('reports of a model with several inputs (samples/mnist_arch2.spinal)', () => {
  it('JSON: inputs keeps the features over all inputs, inputSizes names each; counts and baseline exact', async () => {
    const r = await run('macs', '--json', ARCH2);
    expect(r.code).toBe(0);
    const [m] = (JSON.parse(r.stdout) as { models: Record<string, unknown>[] }).models;
    expect(m.inputs).toBe(784 + 1440 + 320);
    expect(m.inputSizes).toEqual([{ name: 'pixels', size: 784 }, { name: 'conv1', size: 1440 }, { name: 'conv2', size: 320 }]);
    expect([m.outputs, m.macs, m.parameters]).toEqual([10, 389_000, 389_840]);
    // The baseline: a dense of 300, 240 and 240 neurons on pixels, conv1 and conv2, then dense1 and the output.
    expect(m.baseline).toEqual({ macs: 784 * 300 + 1440 * 240 + 320 * 240 + 780 * 50 + 50 * 10, parameters: 697_940 });
    const layers = m.layers as { layer: string; inFeatures: number; outFeatures: number }[];
    expect(layers.filter((l) => l.layer.endsWith('.sub1')).map((l) => l.inFeatures)).toEqual([392, 720, 160]);
    expect(layers.find((l) => l.layer === 'dense1')).toMatchObject({ inFeatures: 780, outFeatures: 50 });
  });

  it('a single input: inputSizes holds it as `input` unless the source names it', async () => {
    const one = JSON.parse((await run('macs', '--json', 'samples/mnist_pixels.spinal')).stdout) as { models: { inputs: number; inputSizes: unknown }[] };
    expect(one.models[0].inputs).toBe(784);
    expect(one.models[0].inputSizes).toEqual([{ name: 'input', size: 784 }]);
  });

  it('CSV and markdown: an inputs column after the settings, only when a model has several', async () => {
    const csv = (await run('macs', '--csv', ARCH2, 'samples/mnist_pixels.spinal')).stdout.split('\r\n');
    expect(csv[0]).toBe('model,settings,inputs,MACs,parameters,deployed,peak memory,vs,vs MACs,MACs ratio,params ratio');
    expect(csv[1]).toMatch(/^mnist_arch2,w=30,pixels=784 conv1=1440 conv2=320,389000,389840,/);
    expect(csv[2]).toMatch(/^mnist_spinal,w=32 depth=4,input=784,/);
    const md = (await run('macs', '--markdown', ARCH2)).stdout.split('\n');
    expect(md[0]).toBe('| model | settings | inputs | MACs | parameters | deployed | peak memory | vs | vs MACs | MACs ratio | params ratio |');
    expect(md[2]).toMatch(/^\| mnist_arch2 \| w=30 \| pixels 784 \+ conv1 1,440 \+ conv2 320 \| 389,000 \| 389,840 \|/);
    const single = (await run('macs', '--csv', 'samples/mnist_pixels.spinal')).stdout;
    expect(single.split('\r\n')[0]).not.toContain('inputs');
  });

  it('terminal: the inputs under the model\'s title, the per-layer rows and the totals', async () => {
    const r = await run('macs', '--layers', ARCH2);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('model mnist_arch2 (w=30)\ninputs pixels 784 + conv1 1,440 + conv2 320\n');
    expect(r.stdout).toMatch(/│ spinal3\.sub8 +│ +190 -> 30 │ +5,700 │ +5,730 │/);
    expect(r.stdout).toMatch(/│ total +│ 2,544 -> 10 │ 389,000 │ +389,840 │/);
    expect(r.stdout).toMatch(/│ dense baseline +│ +│ 697,100 │ +697,940 │/);
  });
});
