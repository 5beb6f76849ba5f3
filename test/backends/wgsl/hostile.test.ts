// Weights files the generated host must refuse before anything reaches the GPU, each with a
// message that names the tensor at fault; and models whose names are keywords in WGSL or
// TypeScript, built and run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../../src/weights/safetensors.js';
import { randomWeights } from '../../support/random-weights.js';
import { openTestDevice, type TestDevice } from '../../support/webgpu.js';
import { buildHost, optimizedGraphs } from './helpers.js';
import type { HostModule } from '../../../src/verify/wgsl.js';
import { entriesOf, hostileCases, rawSafetensors as rawFile } from '../../support/hostile-weights.js';

const [graph] = optimizedGraphs('hostile.spinal', 'model hostile { input 4 spinal { split 1:1 width 3 layers 2 batchnorm } output 2 }');

let gpu: TestDevice;
let host: HostModule;
beforeAll(async () => {
  gpu = await openTestDevice();
  host = await buildHost(graph);
});
afterAll(() => gpu?.destroy());

async function refusal(bytes: Uint8Array): Promise<string> {
  const error = await host.createModel(gpu.device, bytes).then(
    (model) => {
      model.destroy();
      return undefined;
    },
    (e: Error) => e,
  );
  if (!error) throw new Error('the weights were accepted');
  expect(error.name).toBe('WeightsError');
  return error.message;
}

describe('the wgsl host refuses hostile weights', () => {
  const entries = entriesOf(randomWeights(graph, 1));
  const first = entries[0].name;

  it('accepts the well-formed file the cases start from', async () => {
    const model = await host.createModel(gpu.device, rawFile(entries));
    model.destroy();
  });

  it('a truncated file', async () => {
    const good = writeSafetensors(randomWeights(graph, 1));
    expect(await refusal(good.subarray(0, 5))).toMatch(/too short for the 8 bytes/);
    expect(await refusal(good.subarray(0, good.length - 4))).toMatch(/run past the end of the data section/);
  });

  it('a header length beyond the file', async () => {
    expect(await refusal(rawFile(entries, { declaredHeaderBytes: 1_000_000n }))).toMatch(/header length 1000000 runs past the end of the file/);
  });

  it('a header that is not JSON, not an object, or not UTF-8', async () => {
    expect(await refusal(rawFile([], { header: '{"a": ' }))).toMatch(/not valid JSON/);
    expect(await refusal(rawFile([], { header: '[1, 2]' }))).toMatch(/not a JSON object/);
    const bad = rawFile(entries);
    bad[9] = 0xff;
    expect(await refusal(bad)).toMatch(/not valid UTF-8/);
  });

  it('offsets out of range, or overlapping', async () => {
    const outside = entries.map((e, i) => (i === 1 ? { ...e, offsets: [1 << 20, (1 << 20) + 4 * e.shape.reduce((a, b) => a * b, 1)] as const } : e));
    expect(await refusal(rawFile(outside))).toContain(`tensor '${entries[1].name}': data_offsets [1048576,`);
    const overlapping = entries.map((e, i) => (i === 1 ? { ...e, offsets: [4, 4 + 4 * e.shape.reduce((a, b) => a * b, 1)] as const } : e));
    expect(await refusal(rawFile(overlapping))).toMatch(/tensors '.*' and '.*' overlap/);
    const inconsistent = entries.map((e, i) => (i === 0 ? { ...e, offsets: [0, 4] as const } : e));
    expect(await refusal(rawFile(inconsistent))).toContain(`tensor '${first}': shape`);
  });

  it('a wrong dtype', async () => {
    const half = entries.map((e, i) => (i === 0 ? { ...e, dtype: 'F16' } : e));
    expect(await refusal(rawFile(half))).toContain(`tensor '${first}': expected dtype F32, found 'F16'`);
  });

  it('NaN or infinite values', async () => {
    const count = entries.reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1), 0);
    for (const bad of [NaN, Infinity, -Infinity]) {
      const values = Array.from({ length: count }, (_, i) => (i === 1 ? bad : 0.5));
      expect(await refusal(rawFile(entries, { values }))).toContain(`tensor '${first}' holds ${bad} at index 1`);
    }
  });

  it('a name given twice', async () => {
    expect(await refusal(rawFile([...entries, entries[3]]))).toContain(`tensor '${entries[3].name}' is listed twice`);
  });

  it('missing, unexpected and misshapen tensors, all named with both shapes', async () => {
    const message = await refusal(
      rawFile([
        ...entries.filter((e) => e.name !== 'output.bias').map((e) => (e.name === 'spinal1.sub2.weight' ? { ...e, shape: [3, 4] } : e)),
        { name: 'spinal1.sub3.weight\u001b[2J', shape: [1] },
      ]),
    );
    expect(message).toContain("missing tensor 'output.bias' (expected shape [2])");
    expect(message).toContain("tensor 'spinal1.sub2.weight': expected shape [3, 5], found [3, 4]");
    // Control characters from the file are escaped, never printed.
    expect(message).toContain("unexpected tensor 'spinal1.sub3.weight\\u001b[2J' (shape [1])");
  });
});

describe('the wgsl host refuses every hostile weights file, naming the tensor at fault', () => {
  it.each(hostileCases(randomWeights(graph, 1)).map((c) => [c.title, c] as const))('%s', async (_, c) => {
    const message = await refusal(c.bytes);
    if (c.tensor) expect(message).toContain(`'${c.tensor}'`);
    if (c.phrase) expect(message).toContain(c.phrase);
  });
});

describe('names that are keywords in WGSL or TypeScript', () => {
  it('build and run', async () => {
    const graphs = optimizedGraphs('names.spinal', ['fn', 'var', 'let', 'class', 'loop', 'override', 'Fn']
      .map((name) => `model ${name} { input 3 dense 2 sigmoid output 2 }`).join('\n'));
    for (const g of graphs) {
      const module = await buildHost(g);
      const model = await module.createModel(gpu.device, writeSafetensors(randomWeights(g, 3)));
      const y = await model.predict(new Float32Array([1, 2, 3]), 1);
      expect(y.length).toBe(2);
      model.destroy();
    }
    expect(gpu.errors).toEqual([]);
  });
});

describe('index bounds: a batch whose buffers pass what the device allows', () => {
  it('is refused before any GPU work, so no u32 index can wrap', async () => {
    // The host checks every buffer against the device's binding limit (at most 4 GiB), so
    // `sample * width + column` stays below 2^30 floats: a u32 never wraps.
    const [wide] = optimizedGraphs('wide.spinal', 'model wide { input 1 dense 4096 output 1 }');
    const module = await buildHost(wide);
    const model = await module.createModel(gpu.device, writeSafetensors(randomWeights(wide, 1)));
    const limit = Math.min(gpu.device.limits.maxStorageBufferBindingSize, gpu.device.limits.maxBufferSize);
    expect(limit).toBeLessThanOrEqual(2 ** 32);
    const batch = Math.floor(limit / (4096 * 4)) + 1;
    await expect(model.predict(new Float32Array(batch), batch)).rejects.toThrow(/needs \d+ bytes, more than the \d+ this device allows in one buffer/);
    model.destroy();
    expect(gpu.errors).toEqual([]);
  });
});
