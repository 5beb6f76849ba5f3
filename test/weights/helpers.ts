// Building weights files byte by byte, and compiling the samples, for the weights tests.
import { readFileSync } from 'node:fs';
import { compile } from '../../src/compile.js';
import type { Graph } from '../../src/ir/graph.js';
import { expect } from 'vitest';
import { WeightsError } from '../../src/tensor/errors.js';

/** A safetensors file with exactly this header text (or object) and data section. */
export function fileWith(header: string | object, data: Uint8Array = new Uint8Array(0), declaredLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const file = new Uint8Array(8 + json.length + data.length);
  new DataView(file.buffer).setBigUint64(0, declaredLength ?? BigInt(json.length), true);
  file.set(json, 8);
  file.set(data, 8 + json.length);
  return file;
}

export function f32Bytes(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return bytes;
}

export function sampleGraph(file: string, model?: string): Graph {
  const path = `samples/${file}`;
  const compiled = compile({ path, text: readFileSync(path, 'utf8') });
  const found = model === undefined ? compiled.models[0] : compiled.models.find((m) => m.spec.name === model);
  if (!found) throw new Error(`no model ${model} in ${path}`);
  return found.graph;
}

export function graphOf(source: string): Graph {
  const compiled = compile({ path: 'test.spinal', text: source });
  if (compiled.models.length !== 1) throw new Error(JSON.stringify(compiled.diagnostics));
  return compiled.models[0].graph;
}

/** The message of the WeightsError `work` throws; fails the test if it throws nothing or another error. */
export function refusal(work: () => unknown): string {
  try {
    work();
  } catch (e) {
    expect(e).toBeInstanceOf(WeightsError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}
