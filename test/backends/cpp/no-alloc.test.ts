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

`;

/** One function a model, named after it, printing allocations with and without a Workspace. */
const COUNT = `
static void count_MODEL(const char* path) {
  namespace m = spinal::MODEL;
  const m::Model model = m::Model::load(path);
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

/** One program for every model, compiled once: `program K path` counts for model K. */
const program = (() => {
  const counts = models.map((m) => {
    writeFileSync(join(dir, `${m.graph.name}.hpp`), emitCpp(m.graph));
    return COUNT.replaceAll('MODEL', m.graph.name);
  });
  const includes = models.map((m) => `#include "${m.graph.name}.hpp"`).join('\n');
  const calls = models.map((m, k) => `  if (std::atoi(argv[1]) == ${k}) count_${m.graph.name}(argv[2]);`).join('\n');
  writeFileSync(join(dir, 'count.cpp'), `${includes}\n${PROGRAM}${counts.join('')}\nint main(int, char** argv) {\n${calls}\n}\n`);
  execFileSync(compilerCommand(), [...STRICT_FLAGS, '-march=native', '-Wno-mismatched-new-delete', join(dir, 'count.cpp'), '-o', join(dir, 'count')]);
  return join(dir, 'count');
})();

it.each(models.map((m, k) => [m.graph.name, k, m] as const))('%s: predict with a Workspace makes no allocation', (_name, k, m) => {
  const [withWorkspace, without] = execFileSync(program, [String(k), m.path], { encoding: 'utf8' }).trim().split(' ').map(Number);
  expect(withWorkspace).toBe(0);
  expect(without).toBeGreaterThan(0);
});
