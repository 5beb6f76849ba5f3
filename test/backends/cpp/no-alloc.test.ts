// predict with a Workspace allocates nothing, whatever the batch: a program that counts every
// call of operator new around it (and the convenience predict, which does allocate, as a check
// that the counting works).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { emitCpp } from '../../../src/backends/cpp/emit.js';
import { compilerCommand, STRICT_FLAGS } from '../../../src/backends/cpp/toolchain.js';
import { scratch } from '../../support/scratch.js';
import { optimizedSamples, withWeights } from './helpers.js';

const PROGRAM = `
#include "model.hpp"
#include <cstdio>
#include <cstdlib>
#include <new>
#include <vector>

static long allocations = 0;
void* operator new(std::size_t n) {
  ++allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t a) {
  ++allocations;
  const std::size_t align = static_cast<std::size_t>(a);
  if (void* p = std::aligned_alloc(align, (n + align - 1) / align * align)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

int main(int, char** argv) {
  namespace m = spinal::MODEL;
  const m::Model model = m::Model::load(argv[1]);
  m::Workspace ws(64);
  std::vector<float> x(300 * m::kInputs, 0.25f), y(300 * m::kOutputs);
  const long before = allocations;
  for (std::size_t batch : {1, 2, 3, 4, 17, 64, 65, 300}) model.predict(x.data(), y.data(), batch, ws);
  const long with_workspace = allocations - before;
  model.predict(x.data(), y.data(), 5);
  const long without = allocations - before - with_workspace;
  std::printf("%ld %ld\\n", with_workspace, without);
}
`;

const dir = scratch('cpp-alloc');
const models = withWeights(dir, optimizedSamples().filter((g) => ['mnist_vgg5_spinal', 'three_rows'].includes(g.name)));

it.each(models.map((m) => [m.graph.name, m] as const))('%s: predict with a Workspace makes no allocation', (name, m) => {
  writeFileSync(join(dir, 'model.hpp'), emitCpp(m.graph));
  writeFileSync(join(dir, `${name}.cpp`), PROGRAM.replace('MODEL', name));
  execFileSync(compilerCommand(), [...STRICT_FLAGS, '-march=native', '-Wno-mismatched-new-delete', join(dir, `${name}.cpp`), '-o', join(dir, name)]);
  const [withWorkspace, without] = execFileSync(join(dir, name), [m.path], { encoding: 'utf8' }).trim().split(' ').map(Number);
  expect(withWorkspace).toBe(0);
  expect(without).toBeGreaterThan(0);
});
