// Running the generated code in the page: the WGSL target on WebGPU where the browser gives an
// adapter, else the tfjs target on tfjs-core's CPU backend. Each module is the compiler's own
// output compiled to JavaScript by the worker, imported from a blob: URL.
import type { RunInputs } from './protocol.js';
import { moduleInput, type TfjsInput, type TfjsInputSizes } from '../../src/verify/tfjs-input.js';

export interface RunResult {
  readonly backend: string;
  readonly outputs: Float32Array;
}

async function importSource<T>(source: string): Promise<T> {
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  try {
    return (await import(/* @vite-ignore */ url)) as T;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The host's batch: one array, or with several inputs one array per input by name. */
type HostInput = Float32Array | Readonly<Record<string, Float32Array>>;

interface WgslModule {
  /** Only a host of a model with several inputs. */
  readonly inputs?: readonly { readonly name: string; readonly size: number }[];
  createModel(device: GPUDevice, weights: Uint8Array): Promise<{ predict(x: HostInput, batch: number): Promise<Float32Array>; destroy(): void }>;
}

interface TfjsModule extends TfjsInputSizes {
  load(weights: Uint8Array): { predict(x: TfjsInput): { dataSync(): Float32Array; dispose(): void }; dispose(): void };
}

/** The core limits the generated shaders are written for (docs/wgsl.md). */
const REQUIRED_LIMITS = { maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupSizeX: 256, maxComputeWorkgroupSizeY: 256, maxComputeWorkgroupSizeZ: 64, maxStorageBuffersPerShaderStage: 8, maxComputeWorkgroupStorageSize: 16384 };

async function webgpuDevice(): Promise<{ device: GPUDevice; name: string } | undefined> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return undefined;
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return undefined;
  const limits: Record<string, number> = {};
  for (const [k, v] of Object.entries(REQUIRED_LIMITS)) {
    const max = (adapter.limits as unknown as Record<string, number>)[k];
    if (max !== undefined) limits[k] = Math.min(v, max);
  }
  const device = await adapter.requestDevice({ requiredLimits: limits });
  const info = adapter.info;
  return { device, name: `WebGPU (${[info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'adapter'})` };
}

/** Runs the model's generated code: `auto` picks WGSL on WebGPU when there is an adapter. */
export async function runModel(inputs: RunInputs, target: 'auto' | 'tfjs'): Promise<RunResult> {
  const gpu = target === 'auto' ? await webgpuDevice() : undefined;
  if (gpu) {
    try {
      const errors: string[] = [];
      gpu.device.addEventListener('uncapturederror', (e) => errors.push((e as GPUUncapturedErrorEvent).error.message));
      const module = await importSource<WgslModule>(inputs.wgslModule);
      const model = await module.createModel(gpu.device, inputs.weights);
      const x: HostInput = module.inputs ? Object.fromEntries(inputs.inputs.map((i) => [i.name, i.x])) : inputs.x;
      const outputs = await model.predict(x, inputs.batch);
      model.destroy();
      if (errors.length > 0) throw new Error(errors.join('; '));
      return { backend: gpu.name, outputs };
    } finally {
      gpu.device.destroy();
    }
  }
  const tf = await import('@tensorflow/tfjs-core');
  await tf.setBackend('cpu');
  const module = await importSource<TfjsModule>(inputs.tfjsModule);
  const model = module.load(inputs.weights);
  // One tensor, or one per input by name for a model with several.
  const x = moduleInput(tf, module, inputs.x, inputs.batch);
  const y = model.predict(x);
  const outputs = Float32Array.from(y.dataSync());
  y.dispose();
  tf.dispose(x);
  model.dispose();
  return { backend: 'tfjs (CPU backend)', outputs };
}
