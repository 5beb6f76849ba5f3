// Every command prints its help and exits 0: a default value that cannot be shown, or a
// command that fails to register, shows up here.
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { COMMANDS } from '../../src/cli/commands.js';

const names = (() => {
  const program = new Command();
  for (const register of COMMANDS) register(program, memoryIo());
  return program.commands.map((c) => c.name());
})();

describe.each(names)('spinal %s --help', (name) => {
  it('prints usage and exits 0', async () => {
    const io = memoryIo();
    expect(await main([name, '--help'], io)).toBe(0);
    expect(io.stdout).toContain(`Usage: spinal ${name}`);
    expect(io.stderr).toBe('');
  });
});

describe('build with a target that needs weights, given none', () => {
  it('is a user error, not an internal one', async () => {
    const io = memoryIo();
    const code = await main(['build', 'samples/three_rows.spinal', '--model', 'three_rows', '--target', 'onnx', '--out', 'test/.out/no-weights'], io);
    expect(code).toBe(1);
    expect(io.stderr).toContain('--weights');
    expect(io.stderr).not.toContain('internal error');
  });
});
