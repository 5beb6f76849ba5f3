// Verify target `cpp`: the generated header compiled with the system's C++ compiler
// ($CXX, else g++) under the strict flags of the C++ tests plus -O2 -march=native, so the vector
// kernels of the machine run; the driver loads the safetensors file as a user would. It takes
// the packed batch (a sample's inputs side by side) and gives predict each input's own array.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VerifyInput, VerifyTarget } from './target.js';
import { buildDriver, compilerCommand, hasCompiler, runDriver } from '../backends/cpp/toolchain.js';

/** Extra flags: SPINAL_CXXFLAGS (split on spaces), else -march=native. */
function flags(): string[] {
  const custom = process.env.SPINAL_CXXFLAGS;
  return custom !== undefined ? custom.split(/\s+/).filter(Boolean) : ['-march=native'];
}

export const cppTarget: VerifyTarget = {
  name: 'cpp',
  async run(input: VerifyInput): Promise<Float32Array> {
    if (!(await hasCompiler())) {
      throw new Error(`the cpp target needs a C++17 compiler: '${compilerCommand()}' cannot be run (install g++ or set CXX)`);
    }
    const binary = await buildDriver(input.workDir, [{ graph: input.graph }], { flags: flags() });
    const weightsPath = join(input.workDir, 'weights.safetensors');
    await writeFile(weightsPath, input.weightsBytes);
    return runDriver(binary, 0, Float32Array.from(input.x), input.batch, { weightsPath });
  },
};

export default cppTarget;
