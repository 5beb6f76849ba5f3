// Every command prints its help and exits 0: a default value that cannot be shown, or a
// command that fails to register, shows up here.
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { run } from '../support/cli.js';
import { memoryIo } from '../../src/cli/io.js';
import { COMMANDS } from '../../src/cli/commands.js';

const names = (() => {
  const program = new Command();
  for (const register of COMMANDS) register(program, memoryIo());
  return program.commands.map((c) => c.name());
})();

describe.each(names)('spinal %s --help', (name) => {
  it('prints usage and exits 0', async () => {
    const r = await run(name, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: spinal ${name}`);
    expect(r.stderr).toBe('');
  });
});

describe('build with a target that needs weights, given none', () => {
  it('is a user error, not an internal one', async () => {
    const r = await run('build', 'samples/three_rows.spinal', '--model', 'three_rows', '--target', 'onnx', '--out', 'test/.out/no-weights');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--weights');
    expect(r.stderr).not.toContain('internal error');
  });
});
