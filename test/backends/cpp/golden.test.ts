// The header the C++ backend writes for a sample, for review: a change to what the model makes
// of generated code shows up here. The static runtime (templates/cpp/runtime.hpp, compiled and
// tested as itself) is checked to be inside verbatim, and left out of the golden file with its
// version hash. Accept a change with `UPDATE_GOLDEN=1 npx vitest run test/backends/cpp/golden.test.ts`.
import { expect, it } from 'vitest';
import { emitCppFiles } from '../../../src/backends/cpp/index.js';
import { RUNTIME, RUNTIME_NAMESPACE } from '../../../src/backends/cpp/emit.js';
import { expectGolden } from '../../support/golden.js';
import { optimizedSamples } from './helpers.js';

it.each([
  ['mnist_vgg5_spinal', 'spinal blocks with folded batchnorm'],
  ['mnist_arch2', 'three inputs, three blocks side by side in one buffer'],
])('%s.hpp (%s)', (name) => {
  const graph = optimizedSamples().find((g) => g.name === name)!;
  const [file] = emitCppFiles(graph);
  expect(file.path).toBe(`${name}.hpp`);
  const contents = file.contents as string;
  expect(contents).toContain(`\n${RUNTIME}\n`);
  const hash = RUNTIME_NAMESPACE.slice('runtime_v'.length, -1);
  const model = contents.replace(RUNTIME, '// templates/cpp/runtime.hpp, verbatim').replaceAll(hash, '<hash>').replaceAll(hash.toUpperCase(), '<HASH>');
  expectGolden(`cpp/${name}.hpp`, model);
});
