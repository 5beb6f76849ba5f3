// The C++ target through the command line, as a user meets it: `spinal build --target cpp`
// (with and without weights compiled in) gives a header a plain program compiles and runs,
// and `spinal verify --targets cpp` checks it against the interpreter.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilerCommand, STRICT_FLAGS } from '../../../src/backends/cpp/toolchain.js';
import { run } from '../../support/cli.js';
import { scratch } from '../../support/scratch.js';

const SAMPLE = 'samples/mnist_cnn.spinal';
const USER_PROGRAM = `
#include "mnist_cnn_spinal.hpp"
#include <cstdio>
#include <vector>
int main(int argc, char** argv) {
  namespace m = spinal::mnist_cnn_spinal;
  const m::Model model = argc > 1 ? m::Model::load(argv[1]) : m::Model::embedded();
  std::vector<float> x(2 * m::kInputs, 0.5f), y(2 * m::kOutputs);
  model.predict(x.data(), y.data(), 2);
  for (float v : y) std::printf("%.9g\\n", v);
  return m::kMacs == 8480 ? 0 : 1;
}
`;

describe('spinal build --target cpp', () => {
  const dir = scratch('cpp-cli');
  const weights = join(dir, 'w.safetensors');

  it('writes a header that loads the weights file, or carries them compiled in', async () => {
    expect((await run('init', SAMPLE, '--model', 'mnist_cnn_spinal', '--seed', '3', '--out', weights)).code).toBe(0);
    const outputs: string[] = [];
    for (const [folder, extra] of [['plain', []], ['embedded', ['--weights', weights]]] as const) {
      const out = join(dir, folder);
      const r = await run('build', SAMPLE, '--model', 'mnist_cnn_spinal', '--target', 'cpp', '--out', out, ...extra);
      expect(r.stderr).toContain(`wrote 'mnist_cnn_spinal.hpp' into '${out}'`);
      expect(r.code).toBe(0);
      const header = readFileSync(join(out, 'mnist_cnn_spinal.hpp'), 'utf8');
      expect(header.includes('static Model embedded()')).toBe(folder === 'embedded');
      writeFileSync(join(out, 'main.cpp'), USER_PROGRAM.replace('m::Model::embedded()', folder === 'embedded' ? 'm::Model::embedded()' : 'm::Model::load(argv[1])'));
      execFileSync(compilerCommand(), [...STRICT_FLAGS, '-march=native', join(out, 'main.cpp'), '-o', join(out, 'main')]);
      outputs.push(execFileSync(join(out, 'main'), folder === 'embedded' ? [] : [weights], { encoding: 'utf8' }));
    }
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[0].trim().split('\n')).toHaveLength(20);
  });

  it('passes spinal verify --targets cpp', async () => {
    const r = await run('verify', SAMPLE, '--model', 'mnist_cnn_spinal', '--weights', weights, '--targets', 'cpp', '--batch', '12', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { targets: { cpp: { ok: boolean; maxRelError: number } } };
    expect(report.targets.cpp.ok).toBe(true);
    expect(report.targets.cpp.maxRelError).toBeLessThan(1e-4);
  });
});
