// A real WebGPU device for tests, on whatever Dawn finds: lavapipe from .cache/lavapipe (set up
// by .ci/setup.d/webgpu.sh, found by the path derived from this checkout), or Mesa's OpenGL ES.
// No adapter is a failure, never a skip: the WGSL backend is only tested if it runs.
import { openDawnDevice, type DawnRoute } from '../../src/verify/wgsl.js';

export interface TestDevice {
  readonly device: GPUDevice;
  readonly route: DawnRoute;
  readonly adapter: string;
  /** Validation errors the device reported (a broken pipeline would otherwise show up as zeros). */
  readonly errors: string[];
  destroy(): void;
}

export async function openTestDevice(): Promise<TestDevice> {
  const { device, route, adapter } = await openDawnDevice();
  const errors: string[] = [];
  device.addEventListener('uncapturederror', (event) => {
    errors.push((event as GPUUncapturedErrorEvent).error.message);
  });
  return { device, route, adapter, errors, destroy: () => device.destroy() };
}
