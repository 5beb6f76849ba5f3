// What the tfjs backend emits, in full, for two samples a reviewer can read: test/golden/tfjs/.
import { describe, it } from 'vitest';
import { sampleModels } from '../../support/samples.js';
import { expectGolden } from '../../support/golden.js';
import { optimize } from '../../../src/passes/optimize.js';
import { emitTfjs } from '../../../src/backends/tfjs/index.js';

describe('golden tfjs modules', () => {
  for (const name of ['mnist_vgg5_spinal', 'three_rows_interleaved']) {
    it(name, () => {
      const model = sampleModels().find((m) => m.spec.name === name)!;
      const [file] = emitTfjs(optimize(model.graph));
      expectGolden(`tfjs/${file.path}`, file.contents as string);
    });
  }
});
