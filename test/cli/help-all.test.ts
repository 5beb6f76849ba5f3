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
  it('is a usage error (exit 2) naming --weights, before anything is compiled or written', async () => {
    const r = await run('build', 'samples/three_rows.spinal', '--model', 'three_rows', '--target', 'onnx', '--out', 'test/.out/no-weights');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('spinal: --target onnx needs --weights W.safetensors: the weights are stored in the .onnx file as initializers\n(run with --help for usage)\n');
  });
});

describe('build --help', () => {
  it('says what --weights does for every target', async () => {
    const r = await run('build', '--help');
    for (const target of ['tfjs', 'wgsl', 'onnx', 'cpp']) expect(r.stdout).toMatch(new RegExp(`\\n  ${target} +\\S`));
    expect(r.stdout).toContain('onnx  required: stored in the .onnx file as initializers');
  });
});
