// The ONNX export run by ONNX Runtime (onnxruntime-node, CPU) against the float64 interpreter.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { exportOnnx, OPSET, type MultiInputStrategy } from '../../../src/backends/onnx/export.js';
import { onnxBackend } from '../../../src/backends/onnx/index.js';
import { BackendInputError } from '../../../src/backends/backend.js';
import { onlyModel } from '../../support/front.js';
import { onnx } from '../../../src/backends/onnx/proto.js';
import type { onnx as types } from 'onnx-proto';
import { onnxTarget } from '../../../src/verify/onnx.js';
import type { Graph } from '../../../src/ir/graph.js';
import { interpret, splitInputs } from '../../../src/ir/interpret.js';
import { lower } from '../../../src/ir/lower.js';
import { optimize } from '../../../src/passes/optimize.js';
import type { Weights } from '../../../src/tensor/tensor.js';
import { writeSafetensors } from '../../../src/weights/safetensors.js';
import { sampleModels } from '../../support/samples.js';
import { randomInput, randomWeights } from '../../support/random-weights.js';
import { randomSpec } from '../../support/random-spec.js';
import { compileModel, randomMultiInputModel } from '../../support/random-model.js';
import { keywordInputsModel } from '../../support/keyword-inputs-model.js';
import { scratch } from '../../support/scratch.js';

/** float32 arithmetic against float64: relative to the output's scale. */
function maxError(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / scale);
  return worst;
}

/** Runs the model on a packed batch: each input's columns fed to the graph input of its name (`input` alone). */
async function runOnnx(bytes: Uint8Array, graph: Graph, x: ArrayLike<number>, batch: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const parts = splitInputs(graph, x, batch);
    const name = (k: number) => (graph.inputs.length === 1 ? 'input' : graph.inputs[k].name);
    const feeds = Object.fromEntries(graph.inputs.map((input, k) => [name(k), new ort.Tensor('float32', Float32Array.from(parts.get(input.node)!), [batch, input.size])]));
    const out = await session.run(feeds);
    expect(out.output.dims).toEqual([batch, out.output.data.length / batch]);
    return out.output.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** The parts of a decoded model the structure tests look at, with int64s as numbers. */
function decode(bytes: Uint8Array) {
  const model = onnx.ModelProto.decode(bytes);
  // decode fills every repeated field, so the message classes' non-optional types hold
  const graph = model.graph as types.GraphProto;
  const value = (v: types.IValueInfoProto) => ({
    name: v.name,
    elemType: v.type!.tensorType!.elemType,
    dims: v.type!.tensorType!.shape!.dim!.map((d: types.TensorShapeProto.IDimension) => d.dimParam || Number(d.dimValue)),
  });
  return {
    opset: model.opsetImport.map((o) => [o.domain, Number(o.version)]),
    name: graph.name,
    inputs: graph.input.map(value),
    outputs: graph.output.map(value),
    nodes: (graph.node as types.NodeProto[]).map((n) => ({ name: n.name, opType: n.opType, input: n.input })),
    initializers: new Map((graph.initializer as types.TensorProto[]).map((t) => [t.name, { dims: t.dims.map(Number), int64: t.int64Data.map(Number) }])),
  };
}

async function agreement(graph: Graph, weights: Weights, batch: number, strategy: MultiInputStrategy): Promise<number> {
  const x = randomInput(graph.inputSize, batch, 7);
  const y = await runOnnx(exportOnnx(graph, weights, { strategy }), graph, x, batch);
  expect(y.length).toBe(batch * graph.outputSize);
  return maxError(interpret(graph, weights, x, batch), y);
}

describe('ONNX export of every sample', () => {
  for (const model of sampleModels()) {
    const strategies: MultiInputStrategy[] = model.spec.name === 'vgg19_default' ? ['concat-gemm'] : ['concat-gemm', 'matmul-add'];
    for (const strategy of strategies) {
      it(`${model.spec.name} (${strategy}) agrees with the interpreter`, async () => {
        const graph = optimize(model.graph);
        expect(await agreement(graph, randomWeights(model.graph, 11), 5, strategy)).toBeLessThan(1e-5);
      });
    }
  }
});

describe('ONNX model structure', () => {
  const [interleaved] = sampleModels().filter((m) => m.spec.name === 'three_rows_interleaved');
  const [vgg5] = sampleModels().filter((m) => m.spec.name === 'mnist_vgg5_spinal');

  it('is opset 17 with a float32 [batch, features] input and output, batch symbolic', () => {
    const graph = optimize(interleaved.graph);
    const model = decode(exportOnnx(graph, randomWeights(interleaved.graph, 1)));
    expect(model.opset).toEqual([['', OPSET]]);
    const FLOAT = onnx.TensorProto.DataType.FLOAT;
    expect(model.inputs).toEqual([{ name: 'input', elemType: FLOAT, dims: ['batch', 12] }]);
    expect(model.outputs).toEqual([{ name: 'output', elemType: FLOAT, dims: ['batch', 2] }]);
  });

  it('has one [batch, size] graph input per input of a model with several, named as in the source', () => {
    const [arch2] = sampleModels().filter((m) => m.spec.name === 'mnist_arch2');
    const model = decode(exportOnnx(optimize(arch2.graph), randomWeights(arch2.graph, 1)));
    const FLOAT = onnx.TensorProto.DataType.FLOAT;
    expect(model.inputs).toEqual([
      { name: 'pixels', elemType: FLOAT, dims: ['batch', 784] },
      { name: 'conv1', elemType: FLOAT, dims: ['batch', 1440] },
      { name: 'conv2', elemType: FLOAT, dims: ['batch', 320] },
    ]);
    expect(model.outputs).toEqual([{ name: 'output', elemType: FLOAT, dims: ['batch', 10] }]);
    // Each block's rows are sliced from its own input.
    const row = (id: string) => model.nodes.find((n) => n.name === id)!.input[0];
    expect(['spinal1.row2', 'spinal2.row1', 'spinal3.row2'].map(row)).toEqual(['pixels', 'conv1', 'conv2']);
  });

  it('keeps the graph input `input` for a model with one input, whatever the source calls it', () => {
    const graph = optimize(onlyModel('model one { pixels = input 6\n dense 3 from pixels\n output 2 }').graph);
    expect(graph.inputs.map((i) => i.name)).toEqual(['pixels']);
    expect(decode(exportOnnx(graph, randomWeights(graph, 1))).inputs.map((i) => i.name)).toEqual(['input']);
  });

  it('names graph inputs like keywords and Object.prototype properties as the source does, and runs them', async () => {
    const graph = optimize(compileModel(keywordInputsModel));
    const weights = randomWeights(graph, 2);
    expect(decode(exportOnnx(graph, weights)).inputs.map((i) => i.name)).toEqual(graph.inputs.map((i) => i.name));
    expect(await agreement(graph, weights, 2, 'matmul-add')).toBeLessThan(1e-5);
  });

  it('slices interleaved rows with a step, and writes each dense as one Gemm', () => {
    const model = decode(exportOnnx(optimize(interleaved.graph), randomWeights(interleaved.graph, 1)));
    const ops = model.nodes.map((n) => n.opType);
    expect(ops.filter((o) => o === 'Slice')).toHaveLength(3);
    expect(ops.filter((o) => o === 'Gemm')).toHaveLength(4);
    const row2 = model.nodes.find((n) => n.name === 'spinal1.row2')!;
    const [starts, ends, axes, steps] = row2.input.slice(1).map((name) => model.initializers.get(name)!.int64);
    expect({ starts, ends, axes, steps }).toEqual({ starts: [1], ends: [11], axes: [1], steps: [3] });
    expect(model.initializers.get('spinal1.sub2.weight')!.dims).toEqual([4, 8]);
  });

  it('folds batchnorm into the initializers: no BatchNormalization op, no batchnorm tensor', () => {
    const model = decode(exportOnnx(optimize(vgg5.graph), randomWeights(vgg5.graph, 1)));
    expect(model.nodes.map((n) => n.opType)).not.toContain('BatchNormalization');
    expect([...model.initializers.keys()].filter((n) => n.includes('bn'))).toEqual([]);
  });

  it('the backend writes <model>.onnx and needs weights', async () => {
    const graph = optimize(vgg5.graph);
    const files = await onnxBackend.emit(graph, { weights: randomWeights(vgg5.graph, 1) });
    expect(files.map((f) => f.path)).toEqual(['mnist_vgg5_spinal.onnx']);
    expect(() => onnxBackend.emit(graph, {})).toThrow(/give them with `weights`/);
  });
});

describe('ONNX export of random models (every activation, batchnorm, interleaved rows)', () => {
  it('agrees with the interpreter for 40 random models', async () => {
    await fc.assert(
      fc.asyncProperty(randomSpec, fc.integer({ min: 1, max: 1000 }), async (spec, seed) => {
        const unoptimized = lower(spec);
        const weights = randomWeights(unoptimized, seed);
        expect(await agreement(optimize(unoptimized), weights, 3, seed % 2 ? 'concat-gemm' : 'matmul-add')).toBeLessThan(1e-5);
      }),
      { numRuns: 40, seed: 20240611 },
    );
  });
});

describe('ONNX export of random models with several inputs (branches, joins)', () => {
  it('agrees with the interpreter for 20 random models', async () => {
    await fc.assert(
      fc.asyncProperty(randomMultiInputModel, fc.integer({ min: 1, max: 1000 }), async (m, seed) => {
        const unoptimized = compileModel(m);
        const weights = randomWeights(unoptimized, seed);
        expect(await agreement(optimize(unoptimized), weights, 3, seed % 2 ? 'concat-gemm' : 'matmul-add'), m.text).toBeLessThan(1e-5);
      }),
      { numRuns: 20, seed: 20261202 },
    );
  });
});

describe('verify target onnx', () => {
  const dir = scratch('onnx');

  it('runs the exported file on a batch from the canonical safetensors bytes', async () => {
    const [model] = sampleModels().filter((m) => m.spec.name === 'mnist_vgg5_spinal');
    const graph = optimize(model.graph);
    const weights = randomWeights(model.graph, 5);
    const x = randomInput(graph.inputSize, 4, 9);
    const y = await onnxTarget.run({ graph, weightsBytes: writeSafetensors(weights), x: Float32Array.from(x), batch: 4, workDir: dir });
    expect(y).toHaveLength(4 * 10);
    expect(maxError(interpret(graph, weights, x, 4), y)).toBeLessThan(1e-5);
    expect(decode(readFileSync(join(dir, 'mnist_vgg5_spinal.onnx'))).name).toBe('mnist_vgg5_spinal');
  });

  it('feeds each input of a model with several its columns of the packed batch', async () => {
    const [model] = sampleModels().filter((m) => m.spec.name === 'mnist_arch2');
    const graph = optimize(model.graph);
    const weights = randomWeights(model.graph, 5);
    const x = randomInput(graph.inputSize, 3, 9);
    const y = await onnxTarget.run({ graph, weightsBytes: writeSafetensors(weights), x: Float32Array.from(x), batch: 3, workDir: dir });
    expect(y).toHaveLength(3 * 10);
    expect(maxError(interpret(graph, weights, x, 3), y)).toBeLessThan(1e-5);
  });
});

describe('the 2 GiB ceiling of an .onnx file', () => {
  it('refuses a model whose weights do not fit, before converting any, as a user error', async () => {
    // 30000 x 30000 float32 weights: 3.6 GB, allowed by the checker (under 2^31 parameters).
    const huge = optimize(onlyModel('model huge { input 30000 dense 30000 output 2 }').graph);
    expect(() => onnxBackend.emit(huge, { weights: new Map() })).toThrow(BackendInputError);
    expect(() => onnxBackend.emit(huge, { weights: new Map() })).toThrow(/model 'huge' has 3600\d+ bytes of weights; an \.onnx file holds at most 2 GiB/);
  });
});
