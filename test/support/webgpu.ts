// A real WebGPU device for tests, on a software driver (Dawn for Node, the npm package `webgpu`).
// Route 1: lavapipe unpacked into .cache/lavapipe by .ci/setup.d/webgpu.sh, core WebGPU.
// Route 2: stock Mesa through Dawn's OpenGL ES backend, compatibility mode.
// No adapter is a failure, never a skip: the WGSL backend is only tested if it runs.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { create, globals } from 'webgpu';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LAVAPIPE_ICD = join(repoRoot, '.cache', 'lavapipe', 'lvp_icd.json');

/** The core WebGPU defaults the generated code is written for; compatibility mode starts lower. */
export const CORE_LIMITS: Record<string, number> = {
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupSizeY: 256,
  maxComputeWorkgroupSizeZ: 64,
  maxStorageBuffersPerShaderStage: 8,
  maxComputeWorkgroupStorageSize: 16384,
};

export interface TestDevice {
  readonly device: GPUDevice;
  readonly route: 'vulkan' | 'opengles';
  /** Validation errors reported by the device so far (a broken pipeline would show up as zeros). */
  readonly errors: string[];
  destroy(): void;
}

let installedGlobals = false;

function prepareEnvironment(): void {
  // Mesa warns without it; the ICD file is set only if nobody chose a driver already.
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  if (!process.env.VK_ICD_FILENAMES && existsSync(LAVAPIPE_ICD)) process.env.VK_ICD_FILENAMES = LAVAPIPE_ICD;
  process.env.EGL_PLATFORM ??= 'surfaceless';
  if (!installedGlobals) {
    // GPUBufferUsage, GPUMapMode, ... as a browser has them.
    Object.assign(globalThis, globals);
    installedGlobals = true;
  }
}

async function tryRoute(route: TestDevice['route']): Promise<{ gpu: GPU; adapter: GPUAdapter } | undefined> {
  const gpu = route === 'vulkan' ? create(['backend=vulkan']) : create(['backend=opengles']);
  const adapter = await gpu.requestAdapter(route === 'vulkan' ? {} : { featureLevel: 'compatibility' });
  return adapter ? { gpu, adapter } : undefined;
}

/** Opens a device; throws (so the test fails) when no route gives an adapter. */
export async function openTestDevice(): Promise<TestDevice> {
  prepareEnvironment();
  const wanted = process.env.SPINAL_WEBGPU_BACKEND;
  const routes: TestDevice['route'][] = wanted === 'opengles' ? ['opengles'] : wanted === 'vulkan' ? ['vulkan'] : ['vulkan', 'opengles'];
  for (const route of routes) {
    const found = await tryRoute(route).catch(() => undefined);
    if (!found) continue;
    const device = await found.adapter.requestDevice({ requiredLimits: CORE_LIMITS });
    const errors: string[] = [];
    device.addEventListener('uncapturederror', (event) => {
      errors.push((event as GPUUncapturedErrorEvent).error.message);
    });
    return { device, route, errors, destroy: () => device.destroy() };
  }
  throw new Error(
    `no WebGPU adapter (tried ${routes.join(', ')}): run 'source .ci/setup.d/webgpu.sh' as root ` +
      `to install lavapipe into ${LAVAPIPE_ICD} and the OpenGL ES packages`,
  );
}
