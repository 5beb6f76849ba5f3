// The header the C++ backend writes for a sample, whole, for review: a change to generated code
// shows up here. Accept one with `UPDATE_GOLDEN=1 npx vitest run test/backends/cpp/golden.test.ts`.
import { expect, it } from 'vitest';
import { emitCppFiles } from '../../../src/backends/cpp/index.js';
import { expectGolden } from '../../support/golden.js';
import { optimizedSamples } from './helpers.js';

it('mnist_vgg5_spinal.hpp (spinal blocks with folded batchnorm)', () => {
  const graph = optimizedSamples().find((g) => g.name === 'mnist_vgg5_spinal')!;
  const [file] = emitCppFiles(graph);
  expect(file.path).toBe('mnist_vgg5_spinal.hpp');
  expectGolden('cpp/mnist_vgg5_spinal.hpp', file.contents as string);
});
