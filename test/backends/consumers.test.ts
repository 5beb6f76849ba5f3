// The generated TypeScript (the tfjs module and the WGSL host) in a user's project with the
// strictest settings `tsc --init` suggests: strict, noUncheckedIndexedAccess,
// exactOptionalPropertyTypes, verbatimModuleSyntax and isolatedModules, under TypeScript 6 (the
// project's) and TypeScript 7 (.cache/typescript7, installed by .ci/setup.d/typescript7.sh), in
// an ES module project and in a CommonJS one. The generated files are ES modules: a CommonJS
// project keeps them in a folder whose package.json says "type": "module" and requires them
// (Node 20.19 and later). Each project also holds a file with one error only
// noUncheckedIndexedAccess finds, so the check is known to be live.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { optimize } from '../../src/passes/optimize.js';
import { emitTfjs } from '../../src/backends/tfjs/index.js';
import { emitWgsl } from '../../src/backends/wgsl/index.js';
import { compileModel } from '../support/random-model.js';
import { everythingModel } from '../support/everything-model.js';
import { sampleModels } from '../support/samples.js';

const ROOT = join(import.meta.dirname, '..', '..');
const COMPILERS = {
  'TypeScript 6': join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
  'TypeScript 7': join(ROOT, '.cache', 'typescript7', 'node_modules', 'typescript', 'bin', 'tsc'),
};


const TSCONFIG = {
  compilerOptions: {
    target: 'es2022',
    module: 'nodenext',
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    isolatedModules: true,
    noEmit: true,
    // @webgpu/types and TypeScript's own DOM library both declare WebGPU, a little differently:
    // library files are not checked against each other, the project's files are.
    skipLibCheck: true,
    types: [],
  },
};

/** A file with one error only noUncheckedIndexedAccess finds, as each kind of module writes it. */
const BROKEN = {
  esm: 'const values: number[] = [];\nexport const first: number = values[0];\n',
  cjs: 'const values: number[] = [];\nconst first: number = values[0];\nexport = first;\n',
};
/** The error it must give, and the only one in the project. */
const LIVE = { esm: 'broken.ts(2,14)', cjs: 'broken.ts(2,7)' };
const LIVE_ERROR = "error TS2322: Type 'number | undefined' is not assignable to type 'number'.";

const graphs = [compileModel(everythingModel), sampleModels().find((m) => m.spec.name === 'mnist_vgg5_spinal')!.graph].map((g) => optimize(g));
/** A model with several inputs: its tfjs module takes a record of tensors by name, its WGSL host a record of arrays. */
const severalInputs = optimize(sampleModels().find((m) => m.spec.name === 'mnist_arch2')!.graph);

/** Uses every export of both modules the way the docs show, with optional options given; and a tfjs module with several inputs. */
function consumer(kind: 'esm' | 'cjs'): string {
  const lines: string[] = [];
  for (const [i, g] of graphs.entries()) {
    if (kind === 'esm') {
      lines.push(`import * as tfjs${i} from './gen/tfjs/${g.name}.js';`, `import * as wgsl${i} from './gen/wgsl/${g.name}.js';`);
    } else {
      lines.push(`import tfjs${i} = require('./gen/tfjs/${g.name}.js');`, `import wgsl${i} = require('./gen/wgsl/${g.name}.js');`);
    }
  }
  lines.push(kind === 'esm' ? `import * as several from './gen/tfjs/${severalInputs.name}.js';` : `import several = require('./gen/tfjs/${severalInputs.name}.js');`);
  lines.push(kind === 'esm' ? `import * as severalGpu from './gen/wgsl/${severalInputs.name}.js';` : `import severalGpu = require('./gen/wgsl/${severalInputs.name}.js');`);
  lines.push(kind === 'esm' ? "import type * as tf from '@tensorflow/tfjs-core';" : "import type tf = require('@tensorflow/tfjs-core');");
  lines.push('', `${kind === 'esm' ? 'export ' : ''}async function run(bytes: Uint8Array, device: GPUDevice, x: tf.Tensor2D, batch: number): Promise<number> {`, '  let sum = 0;');
  for (const i of graphs.keys()) {
    lines.push(
      `  const a${i} = tfjs${i}.load(bytes);`,
      `  const y${i}: tf.Tensor2D = a${i}.predict(x);`,
      `  a${i}.dispose();`,
      `  const b${i} = await wgsl${i}.createModel(device, bytes, { batchKernel: 'register' });`,
      `  const z${i}: Float32Array = await b${i}.predict(new Float32Array(batch * wgsl${i}.inputSize), batch);`,
      `  b${i}.destroy();`,
      `  sum += y${i}.size + z${i}.length + tfjs${i}.inputSize + tfjs${i}.outputSize + tfjs${i}.macs + wgsl${i}.macs;`,
      `  if (wgsl${i}.defaultBatchKernel(device) === b${i}.batchKernel) sum += 1;`,
    );
  }
  lines.push(
    '  const c = several.load(bytes);',
    '  const inputs: several.Inputs = { pixels: x, conv1: x, conv2: x };',
    '  const yc: tf.Tensor2D = c.predict(inputs);',
    '  c.dispose();',
    '  for (const input of several.inputs) sum += input.size;',
    '  sum += yc.size + several.inputSize + several.outputSize + several.macs;',
    "  const d = await severalGpu.createModel(device, bytes, { batchKernel: 'register' });",
    '  const arrays: severalGpu.Inputs = { pixels: new Float32Array(batch * 784), conv1: new Float32Array(batch * 1440), conv2: new Float32Array(batch * 320) };',
    '  const zd: Float32Array = await d.predict(arrays, batch);',
    '  d.destroy();',
    '  for (const input of severalGpu.inputs) sum += input.size;',
    '  sum += zd.length + severalGpu.inputSize + severalGpu.outputSize + severalGpu.macs;',
  );
  lines.push('  return sum;', '}', ...(kind === 'cjs' ? ['export = run;'] : []), '');
  return lines.join('\n');
}

function project(kind: 'esm' | 'cjs'): string {
  const base = join(ROOT, 'test', '.out', 'consumers');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${kind}-`));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: kind === 'esm' ? 'module' : 'commonjs' }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  for (const [target, emit] of [['tfjs', emitTfjs], ['wgsl', emitWgsl]] as const) {
    mkdirSync(join(dir, 'gen', target), { recursive: true });
    for (const g of graphs) {
      for (const file of emit(g)) writeFileSync(join(dir, 'gen', target, file.path), file.contents);
    }
  }
  for (const file of emitTfjs(severalInputs)) writeFileSync(join(dir, 'gen', 'tfjs', file.path), file.contents);
  for (const file of emitWgsl(severalInputs)) writeFileSync(join(dir, 'gen', 'wgsl', file.path), file.contents);
  if (kind === 'cjs') writeFileSync(join(dir, 'gen', 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(dir, kind === 'esm' ? 'main.ts' : 'main.cts'), consumer(kind));
  writeFileSync(join(dir, 'broken.ts'), BROKEN[kind]);
  return dir;
}

/** tsc's errors in the project, one a line, paths relative to it. */
function errors(compiler: string, dir: string): string[] {
  try {
    execFileSync(process.execPath, [compiler, '-p', dir, '--pretty', 'false'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    return [];
  } catch (e) {
    const out = (e as { stdout?: string }).stdout ?? '';
    if (!out.includes('error TS')) throw e;
    return out.split('\n').filter((line) => line.includes('error TS')).map((line) => line.replace(`${dir}/`, ''));
  }
}

describe.each(Object.entries(COMPILERS))('generated TypeScript under %s', (_name, compiler) => {
  it('is installed', () => {
    // .ci/setup.d/typescript7.sh puts TypeScript 7 there; a missing compiler fails, never skips.
    expect(existsSync(compiler), `${compiler}: run 'bash .ci/setup.d/typescript7.sh'`).toBe(true);
  });

  it.each(['esm', 'cjs'] as const)('compiles in a strict %s project, and the check finds a planted error', (kind) => {
    expect(errors(compiler, project(kind))).toEqual([`${LIVE[kind]}: ${LIVE_ERROR}`]);
  }, 120_000);
});
