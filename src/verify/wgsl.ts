// Verify target `wgsl`: the generated host module, transpiled and imported, run on a Dawn
// device (the npm package `webgpu`). Without a GPU, Dawn runs on lavapipe (core WebGPU,
// installed into .cache/lavapipe by .ci/setup.d/webgpu.sh) or on stock Mesa's OpenGL ES
// (compatibility mode); both are asked for the core limits the generated code is written for.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { VerifyInput, VerifyTarget } from './target.js';
import type { Graph } from '../ir/graph.js';
import { splitInputs } from '../ir/interpret.js';
import { emitWgsl } from '../backends/wgsl/index.js';
import { PACKAGE_ROOT } from '../package-root.js';

export const LAVAPIPE_ICD = join(PACKAGE_ROOT, '.cache', 'lavapipe', 'lvp_icd.json');

/** WebGPU's core defaults for compute, which compatibility mode only grants when asked. */
export const CORE_COMPUTE_LIMITS: Readonly<Record<string, number>> = {
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupSizeY: 256,
  maxComputeWorkgroupSizeZ: 64,
  maxStorageBuffersPerShaderStage: 8,
  maxComputeWorkgroupStorageSize: 16384,
};

export type DawnRoute = 'vulkan' | 'opengles';

export interface DawnDevice {
  readonly device: GPUDevice;
  readonly route: DawnRoute;
  readonly adapter: string;
}

/**
 * One Dawn instance per route for the life of the process: a device must not outlive its
 * instance, and an instance only referenced by a local would be garbage collected under it.
 */
const instances = new Map<DawnRoute, GPU>();

/** The routes to try, in order; SPINAL_WEBGPU_BACKEND=vulkan|opengles picks one. */
function routes(): DawnRoute[] {
  const wanted = process.env.SPINAL_WEBGPU_BACKEND;
  if (wanted === 'vulkan' || wanted === 'opengles') return [wanted];
  return ['vulkan', 'opengles'];
}

/** Opens a Dawn device with the core compute limits; throws when no route has an adapter. */
export async function openDawnDevice(): Promise<DawnDevice> {
  // Mesa warns without a runtime dir; lavapipe is used unless a driver was chosen already.
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  if (!process.env.VK_ICD_FILENAMES && existsSync(LAVAPIPE_ICD)) process.env.VK_ICD_FILENAMES = LAVAPIPE_ICD;
  process.env.EGL_PLATFORM ??= 'surfaceless';
  let webgpu: typeof import('webgpu');
  try {
    webgpu = await import('webgpu');
  } catch {
    throw new Error("the wgsl target needs the npm package 'webgpu' (Dawn for Node): npm install webgpu");
  }
  const tried: string[] = [];
  for (const route of routes()) {
    let gpu = instances.get(route);
    if (!gpu) {
      gpu = webgpu.create([`backend=${route}`]);
      instances.set(route, gpu);
    }
    const adapter = await gpu.requestAdapter(route === 'opengles' ? { featureLevel: 'compatibility' } : {}).catch(() => null);
    if (!adapter) {
      tried.push(route);
      continue;
    }
    const device = await adapter.requestDevice({ requiredLimits: { ...CORE_COMPUTE_LIMITS } });
    const info = adapter.info;
    return { device, route, adapter: `${info.vendor} ${info.architecture} ${info.description}`.trim() };
  }
  throw new Error(
    `no WebGPU adapter (tried ${tried.join(', ')}). Without a GPU, run 'source .ci/setup.d/webgpu.sh' ` +
      `as root to install lavapipe into ${dirname(LAVAPIPE_ICD)} and Mesa's OpenGL ES`,
  );
}

/** A model's inputs as its host takes them: one array, or one array per input by name (see hostInputs). */
export type HostInputs = Float32Array | Readonly<Record<string, Float32Array>>;

/** What a generated `<model>.ts` exports. */
export interface HostModule {
  readonly inputSize: number;
  /** A model with several inputs: each one's name and features per sample, in declaration order. */
  readonly inputs?: readonly { readonly name: string; readonly size: number }[];
  readonly outputSize: number;
  readonly macs: number;
  readonly shaderSource: string;
  createModel(device: GPUDevice, weights: Uint8Array, options?: { batchKernel?: 'tiled' | 'register' }): Promise<{
    readonly batchKernel: 'tiled' | 'register';
    predict(x: HostInputs, batch: number): Promise<Float32Array>;
    destroy(): void;
  }>;
}

/**
 * A packed batch (each row holds every input side by side, docs/ir.md) as the host's `predict`
 * takes it: as it is for a model with one input, else each input's [batch, size] rows by name.
 */
export function hostInputs(graph: Graph, x: Float32Array, batch: number): HostInputs {
  if (graph.inputs.length === 1) return x;
  const blocks = splitInputs(graph, x, batch);
  return Object.fromEntries(graph.inputs.map((input) => [input.name, Float32Array.from(blocks.get(input.node)!)]));
}

/** Transpiles a host module's TypeScript (types only, nothing to check) and imports it. */
export async function importHost(source: string, dir: string, name: string): Promise<HostModule> {
  const { ts } = await import('ts-morph');
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const path = join(dir, `${name}.mjs`);
  writeFileSync(path, js);
  return (await import(pathToFileURL(path).href)) as HostModule;
}

/** Builds the model's host module in `workDir` and runs one batch on a fresh device. */
export async function runWgsl(input: VerifyInput): Promise<Float32Array> {
  const files = emitWgsl(input.graph);
  for (const file of files) writeFileSync(join(input.workDir, file.path), file.contents);
  const host = files.find((f) => f.path.endsWith('.ts'))!;
  const module = await importHost(host.contents as string, input.workDir, input.graph.name);
  const { device } = await openDawnDevice();
  const errors: string[] = [];
  device.addEventListener('uncapturederror', (event) => errors.push((event as GPUUncapturedErrorEvent).error.message));
  try {
    const model = await module.createModel(device, input.weightsBytes);
    try {
      const y = await model.predict(hostInputs(input.graph, input.x, input.batch), input.batch);
      if (errors.length > 0) throw new Error(`WebGPU validation errors: ${errors.join('; ')}`);
      return y;
    } finally {
      model.destroy();
    }
  } finally {
    device.destroy();
  }
}

export const wgslTarget: VerifyTarget = { name: 'wgsl', run: runWgsl };

export default wgslTarget;
