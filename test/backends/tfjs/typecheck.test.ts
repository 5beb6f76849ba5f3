// The emitted module type-checks under `tsc --strict` on its own: every sample, a model that
// uses every activation, both kinds of split and both kinds of batchnorm fold, and a model whose
// several inputs are named like keywords and the module's own names.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { sampleModels } from '../../support/samples.js';
import { compileModel } from '../../support/random-model.js';
import { everythingModel } from '../../support/everything-model.js';
import { keywordInputsModel } from '../../support/keyword-inputs-model.js';
import { optimize } from '../../../src/passes/optimize.js';
import { emitTfjs } from '../../../src/backends/tfjs/index.js';
import type { Graph } from '../../../src/ir/graph.js';


// Inside the repository, so that the module's import of @tensorflow/tfjs-core resolves.
const OUT = join(import.meta.dirname, '..', '..', '.out');

function diagnosticsOf(graphs: readonly Graph[]): string[] {
  mkdirSync(OUT, { recursive: true });
  const dir = mkdtempSync(join(OUT, 'tfjs-typecheck-'));
  const paths = graphs.map((g) => {
    const [file] = emitTfjs(optimize(g));
    const path = join(dir, file.path);
    writeFileSync(path, file.contents);
    return path;
  });
  const program = ts.createProgram(paths, {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true, noUnusedLocals: true, noUnusedParameters: true, noImplicitReturns: true, types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('the emitted module under tsc --strict', () => {
  it('has no errors for any sample or for a model using every feature', () => {
    const graphs = [...sampleModels().map((m) => m.graph), compileModel(everythingModel), compileModel(keywordInputsModel)];
    expect(diagnosticsOf(graphs)).toEqual([]);
  });

  it('reports errors when there are some (the check is live)', () => {
    mkdirSync(OUT, { recursive: true });
    const dir = mkdtempSync(join(OUT, 'tfjs-typecheck-'));
    writeFileSync(join(dir, 'broken.ts'), "import * as tf from '@tensorflow/tfjs-core';\nexport const y: tf.Tensor2D = tf.scalar(1);\n");
    const program = ts.createProgram([join(dir, 'broken.ts')], { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, types: [] });
    expect(ts.getPreEmitDiagnostics(program).length).toBeGreaterThan(0);
  });
});
