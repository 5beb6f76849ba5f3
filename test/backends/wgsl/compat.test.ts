// A compatibility-mode device grants less than core WebGPU unless asked (128 invocations per
// workgroup instead of 256): createModel reads device.limits and refuses such a device before
// any GPU work, naming each limit and the requiredLimits to ask for; a device made with exactly
// those runs the model as the interpreter does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { interpret } from '../../../src/ir/interpret.js';
import { writeSafetensors } from '../../../src/weights/safetensors.js';
import { LAVAPIPE_ICD } from '../../../src/verify/wgsl.js';
import { randomWeights } from '../../support/random-weights.js';
import { buildHost, optimizedGraphs, worstError } from './helpers.js';
import type { HostModule } from '../../../src/verify/wgsl.js';

const [graph] = optimizedGraphs('compat.spinal', 'model compat { input 6 batchnorm spinal { split 1:2 width 40 layers 3 batchnorm } output 3 softmax }');
const weights = randomWeights(graph, 2);

/** Kept for the life of the file: a device must not outlive its instance. */
let gpu: GPU | undefined;

/** A compatibility-mode adapter (one device each), on lavapipe or Mesa's OpenGL ES. */
async function compatAdapter(): Promise<GPUAdapter> {
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  process.env.EGL_PLATFORM ??= 'surfaceless';
  if (!process.env.VK_ICD_FILENAMES && existsSync(LAVAPIPE_ICD)) process.env.VK_ICD_FILENAMES = LAVAPIPE_ICD;
  const { create } = await import('webgpu');
  for (const backend of gpu ? [] : ['vulkan', 'opengles']) {
    const candidate = create([`backend=${backend}`]);
    if (await candidate.requestAdapter({ featureLevel: 'compatibility' })) {
      gpu = candidate;
      break;
    }
  }
  const adapter = await gpu?.requestAdapter({ featureLevel: 'compatibility' });
  if (!adapter) throw new Error('no compatibility-mode WebGPU adapter (see .ci/setup.d/webgpu.sh)');
  return adapter;
}

let host: HostModule;
const devices: GPUDevice[] = [];
beforeAll(async () => {
  host = await buildHost(graph);
});
afterAll(() => {
  for (const device of devices) device.destroy();
});

async function device(requiredLimits: Record<string, number> = {}): Promise<GPUDevice> {
  const d = await (await compatAdapter()).requestDevice({ requiredLimits });
  devices.push(d);
  return d;
}

/** The requiredLimits a refusal names, read back from its message. */
function requested(message: string): Record<string, number> {
  const list = /requiredLimits: \{ (.*) \} \}\)$/.exec(message)?.[1];
  if (!list) throw new Error(`no requiredLimits in: ${message}`);
  return Object.fromEntries(list.split(', ').map((pair) => {
    const [name, value] = pair.split(': ');
    return [name!, Number(value)];
  }));
}

describe('the wgsl host on a compatibility-mode device', () => {
  it('refuses a device with the default limits, naming each limit short and what to request', async () => {
    const small = await device();
    expect(small.limits.maxComputeInvocationsPerWorkgroup).toBeLessThan(256);
    for (const batchKernel of ['tiled', 'register'] as const) {
      const error = await host.createModel(small, writeSafetensors(weights), { batchKernel }).then(() => undefined, (e: Error) => e);
      expect(error).toBeInstanceOf(RangeError);
      const message = error!.message;
      expect(message).toContain(`maxComputeInvocationsPerWorkgroup 256 (the device allows ${small.limits.maxComputeInvocationsPerWorkgroup})`);
      expect(message).toContain(`maxComputeWorkgroupSizeX 256 (the device allows ${small.limits.maxComputeWorkgroupSizeX})`);
      expect(requested(message)).toMatchObject({ maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupSizeX: 256 });
    }
  });

  it('runs as the interpreter does on a device that asked for what the refusal named', async () => {
    const small = await device();
    const message = await host.createModel(small, writeSafetensors(weights)).then(() => '', (e: Error) => e.message);
    const enough = await device(requested(message));
    const batch = 37;
    const x = Float32Array.from({ length: batch * graph.inputSize }, (_, i) => Math.sin(i));
    const expected = interpret(graph, weights, x, batch);
    for (const batchKernel of ['tiled', 'register'] as const) {
      const model = await host.createModel(enough, writeSafetensors(weights), { batchKernel });
      for (const n of [1, batch]) expect(worstError(await model.predict(x.subarray(0, n * graph.inputSize), n), expected.subarray(0, n * graph.outputSize))).toBeLessThanOrEqual(1);
      model.destroy();
    }
  });
});
