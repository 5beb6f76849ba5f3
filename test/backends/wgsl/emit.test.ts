// What the WGSL backend writes, read without a GPU: the golden shaders of one sample and of a
// model with two inputs, the plan (slices in place, sub-layers in their slots, contiguous parts
// merged), the host modules (one input and several) type-checked under strict TypeScript, and
// names that are keywords elsewhere.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { emitWgsl } from '../../../src/backends/wgsl/index.js';
import { planModel } from '../../../src/backends/wgsl/plan.js';
import { BACKENDS } from '../../../src/backends/index.js';
import { expectGolden } from '../../support/golden.js';
import { optimizedGraphs } from './helpers.js';

const sample = (file: string) => optimizedGraphs(file, readFileSync(join('samples', file), 'utf8'));

/** Two inputs: a block on one, joined with the other; the join's dense reads three buffers. */
const TWO_INPUTS = `model two_inputs {
  image = input 6
  meta = input 3
  a = spinal from image { split 1:1; width 2; layers 2 }
  dense 4 relu from a, meta
  output 2 log_softmax
}`;

/** Uses the multi-input host the way docs/wgsl.md shows. */
const MULTI_INPUT_CONSUMER = `import { createModel, inputs, inputSize, type Inputs } from './mnist_arch2.js';

export async function run(device: GPUDevice, bytes: Uint8Array, batch: number): Promise<number> {
  const model = await createModel(device, bytes, { batchKernel: 'register' });
  const x: Inputs = { pixels: new Float32Array(batch * 784), conv1: new Float32Array(batch * 1440), conv2: new Float32Array(batch * 320) };
  const y: Float32Array = await model.predict(x, batch);
  model.destroy();
  const sizes: number = inputs.reduce((n, input) => n + input.size, 0);
  return y.length + sizes + inputSize + (inputs[0].name === 'pixels' ? 1 : 0);
}
`;

describe('wgsl emit', () => {
  it('is registered as the wgsl target', async () => {
    expect((await BACKENDS.wgsl()).name).toBe('wgsl');
  });

  it('writes the golden shaders of three_rows.spinal', () => {
    for (const graph of sample('three_rows.spinal')) {
      const files = emitWgsl(graph);
      expect(files.map((f) => f.path)).toEqual([`${graph.name}.wgsl`, `${graph.name}.ts`]);
      expectGolden(`wgsl/${graph.name}.wgsl`, files[0].contents as string);
    }
  });

  it('writes the golden shaders of a model with two inputs: each read from its own binding', () => {
    const [graph] = optimizedGraphs('two_inputs.spinal', TWO_INPUTS);
    const [wgsl, host] = emitWgsl(graph);
    expectGolden('wgsl/two_inputs.wgsl', wgsl.contents as string);
    expect(host.contents).toContain('predict(x: Inputs, batch: number): Promise<Float32Array>;');
    expect(host.contents).toContain('export interface Inputs {\n  readonly image: Float32Array;\n  readonly meta: Float32Array;\n}');
  });

  it('carries the .wgsl text inside the host module, byte for byte', async () => {
    const [graph] = sample('mnist_vgg5.spinal');
    const [wgsl, host] = emitWgsl(graph);
    mkdirSync(join('test', '.out', 'wgsl'), { recursive: true });
    const dir = mkdtempSync(join('test', '.out', 'wgsl', 'shader-'));
    const js = ts.transpileModule(host.contents as string, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(dir, 'host.mjs'), js);
    const module = (await import(join(process.cwd(), dir, 'host.mjs'))) as { shaderSource: string; macs: number };
    expect(module.shaderSource).toBe(wgsl.contents);
    expect(module.macs).toBe(4 * 128 * 128 + 3 * 128 * 128 + 512 * 10);
  });

  it('reads rows in place and writes sub-layers into the block buffer', () => {
    const [, interleaved] = sample('three_rows.spinal');
    const plan = planModel(interleaved);
    expect(plan.buffers).toEqual([{ label: 'input', width: 12 }, { label: 'spinal1.out', width: 12 }, { label: 'output', width: 2 }]);
    const [sub1, sub2, sub3, output] = plan.layers;
    expect(sub1.operands).toEqual([{ buffer: 0, column: 0, stride: 3, count: 4, weightColumn: 0, labels: ['spinal1.row1'] }]);
    expect(sub2.operands.map((o) => [o.buffer, o.column, o.stride, o.count, o.weightColumn])).toEqual([[0, 1, 3, 4, 0], [1, 0, 1, 4, 4]]);
    expect(sub3.out).toEqual({ buffer: 1, column: 8 });
    expect(sub2.sources).toEqual([0]);
    // h1 | h2 | h3 lie side by side: the output layer reads them as one operand.
    expect(output.operands).toEqual([{ buffer: 1, column: 0, stride: 1, count: 12, weightColumn: 0, labels: ['spinal1.sub1', 'spinal1.sub2', 'spinal1.sub3'] }]);
    expect(plan.result).toEqual({ buffer: 2, column: 0 });
  });

  it('emits a host that type-checks alone under strict TypeScript with only the WebGPU (and DOM) types', () => {
    const dir = join('test', '.out', 'wgsl', 'typecheck');
    mkdirSync(dir, { recursive: true });
    const files = [...sample('three_rows.spinal'), ...sample('mnist_vgg5.spinal'), ...sample('mnist_arch2.spinal')].map((graph) => {
      const host = emitWgsl(graph)[1];
      const path = join(dir, host.path);
      writeFileSync(path, host.contents);
      return path;
    });
    files.push(join(dir, 'consumer.ts'));
    writeFileSync(files[files.length - 1], MULTI_INPUT_CONSUMER);
    const program = ts.createProgram(files, {
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      noEmit: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noImplicitReturns: true,
      noImplicitOverride: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      // @webgpu/types builds on the DOM's declarations (EventTarget, BufferSource); TypeScript 6's
      // own DOM lib declares WebGPU too, and the two differ in details, so library files are not
      // checked against each other (skipLibCheck, as in most projects). The host itself is.
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      skipLibCheck: true,
      types: [],
      typeRoots: [join(process.cwd(), 'node_modules', '@types')],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  }, 60_000);

  it('never puts user text in identifiers, and model names that are keywords still compile', () => {
    const text = ['fn', 'let', 'class', 'function', 'struct', 'Model', 'createModel', 'shaderSource', 'a', 'A']
      .map((name) => `model ${name} { input 4 dense 3 gelu output 2 softmax }`)
      .join('\n');
    const graphs = optimizedGraphs('keywords.spinal', text);
    const shaders = graphs.map((g) => emitWgsl(g)[0].contents as string);
    expect(graphs.map((g) => emitWgsl(g)[1].path)).toEqual(['fn.ts', 'let.ts', 'class.ts', 'function.ts', 'struct.ts', 'Model.ts', 'createModel.ts', 'shaderSource.ts', 'a.ts', 'A.ts']);
    // Only the header comment differs: the code is the same for every name.
    const withoutHeader = (s: string) => s.split('\n').slice(1).join('\n');
    expect(new Set(shaders.map(withoutHeader)).size).toBe(1);
  });
});
