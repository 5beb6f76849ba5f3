// Names in generated code, for every backend. Models and parameters named
// like keywords and identifiers of TypeScript, C++ and WGSL build, get files of their own and
// run; a graph built through the API with a name made to break out of a comment, a string or a
// path cannot: file names are portable stems, comments never hold its closer or line break.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../src/backends/index.js';
import { optimize } from '../../src/passes/optimize.js';
import { compile } from '../../src/compile.js';
import { writeSafetensors } from '../../src/weights/safetensors.js';
import { importTfjsModule, runBatch, tfjsWithBackend } from '../../src/verify/tfjs-module.js';
import { randomWeights } from '../support/random-weights.js';
import { run } from '../support/cli.js';
import { scratch } from '../support/scratch.js';

const SOURCE = [
  'model delete(class = 3, fn = 2, std = 1) { input 4 spinal { split 1:1; width class; layers fn } dense std output 2 }',
  ...['std', 'main', 'Model', 'tf', 'inputSize', 'let', 'fn', 'class', 'var', 'loop', 'namespace', 'int'].map((n) => `model ${n} { input 3 dense 2 sigmoid output 2 }`),
].join('\n');
const MODELS = compile({ path: 'names.spinal', text: SOURCE }).models;
const TARGETS = ['tfjs', 'wgsl', 'onnx', 'cpp'];

const root = scratch('names');
const spinal = join(root, 'names.spinal');
writeFileSync(spinal, SOURCE);

describe.each(TARGETS)('%s: models and parameters named like keywords', (target) => {
  it('build into one folder, each into files of its own', async () => {
    expect(MODELS.length).toBe(13);
    const out = join(root, target);
    for (const { spec, graph } of MODELS) {
      const weights = join(root, `${spec.name}.safetensors`);
      writeFileSync(weights, writeSafetensors(randomWeights(graph, 1)));
      const built = await run('build', spinal, '--model', spec.name, '--target', target, '--out', out, '--weights', weights);
      expect(built.code, built.stderr).toBe(0);
    }
    const stems = new Set(readdirSync(out).filter((f) => !f.startsWith('.') && !f.endsWith('.safetensors')).map((f) => f.split('.')[0]));
    expect(stems.size).toBeGreaterThanOrEqual(MODELS.length);
  }, 60_000);
});

describe('keyword-named models run', () => {
  it('tfjs: each module imports, loads and predicts', async () => {
    const tf = await tfjsWithBackend('cpu');
    for (const { spec, graph } of MODELS) {
      const module = await importTfjsModule(optimize(graph), mkdtempSync(join(root, `tfjs-${spec.name}-`)));
      const y = runBatch(tf, module, writeSafetensors(randomWeights(graph, 2)), new Float32Array(graph.inputSize), 1);
      expect(y.length, spec.name).toBe(2);
    }
  }, 60_000);

  it('onnx: ONNX Runtime loads and runs each model', async () => {
    for (const { spec, graph } of MODELS) {
      const [file] = await (await BACKENDS.onnx()).emit(optimize(graph), { weights: randomWeights(graph, 2) });
      const session = await ort.InferenceSession.create(file.contents as Uint8Array);
      const result = await session.run({ input: new ort.Tensor('float32', new Float32Array(graph.inputSize), [1, graph.inputSize]) });
      expect(result.output.dims, spec.name).toEqual([1, 2]);
    }
  });
});

describe.each(TARGETS)('%s: a hostile name from the API', (target) => {
  const HOSTILE = 'x*/ evil1 // \n#include <evil2> ${evil3()} `\' ../../evil4';
  it('reaches no file name and no generated text raw', async () => {
    const [model] = MODELS.slice(1);
    const graph = { ...optimize(model.graph), name: HOSTILE };
    const files = await (await BACKENDS[target]()).emit(graph, { weights: randomWeights(model.graph, 1) });
    for (const file of files) {
      expect(file.path).toMatch(/^[A-Za-z0-9_]+\.[a-z]+$/);
      if (typeof file.contents !== 'string') continue;
      // No line break of the name survives (it would end a // comment or a string), and no
      // comment line holds its comment closer. In a string literal, escaped, `*/` is harmless.
      expect(file.contents).not.toContain('\n#include <evil2');
      const comments = file.contents.split('\n').filter((line) => /^\s*(\/\/|\/\*|\*)/.test(line));
      expect(comments.filter((line) => line.includes('*/ evil1'))).toEqual([]);
    }
  });
});
