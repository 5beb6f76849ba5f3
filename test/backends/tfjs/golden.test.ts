// What the tfjs backend emits for three samples a reviewer can read (mnist_arch2 with several
// inputs), test/golden/tfjs/: the module up to its runtime, which follows verbatim
// (runtime/tfjs-helpers.ts and safetensors-loader.ts, tested as themselves).
import { describe, expect, it } from 'vitest';
import { sampleModels } from '../../support/samples.js';
import { expectGolden } from '../../support/golden.js';
import { optimize } from '../../../src/passes/optimize.js';
import { emitTfjs } from '../../../src/backends/tfjs/index.js';
import { tfjsRuntimeSource } from '../../../src/backends/runtime/embed.js';

describe('golden tfjs modules', () => {
  for (const name of ['mnist_vgg5_spinal', 'three_rows_interleaved', 'mnist_arch2']) {
    it(name, () => {
      const model = sampleModels().find((m) => m.spec.name === name)!;
      const [file] = emitTfjs(optimize(model.graph));
      const contents = file.contents as string;
      expect(contents.endsWith(`\n${tfjsRuntimeSource()}`)).toBe(true);
      expectGolden(`tfjs/${file.path}`, contents.slice(0, -tfjsRuntimeSource().length));
    });
  }
});
