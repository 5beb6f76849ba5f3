// Every command that compiles a model honours --max-parameters, as the SPN050 hint promises.
import { describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';

const SAMPLE = 'samples/vgg19_cifar10.spinal';
const MODEL = ['--model', 'vgg19_spinal'];

const commands: Record<string, string[]> = {
  check: ['check', SAMPLE],
  macs: ['macs', SAMPLE],
  ir: ['ir', SAMPLE],
  graph: ['graph', SAMPLE, ...MODEL, '--format', 'dot'],
  init: ['init', SAMPLE, ...MODEL, '--seed', '1', '--out', 'test/.out/never-written.safetensors'],
  import: ['import', SAMPLE, ...MODEL, '--from-torch', 'test/.out/never-read.safetensors', '--out', 'test/.out/never-written.safetensors'],
  build: ['build', SAMPLE, ...MODEL, '--target', 'tfjs', '--out', 'test/.out/never-built'],
};

describe.each(Object.entries(commands))('spinal %s --max-parameters', (_name, argv) => {
  it('refuses a model above the cap with SPN050', async () => {
    const r = await run(...argv, '--max-parameters', '1000');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[SPN050]: model 'vgg19_spinal' needs 1333258 parameters, more than the limit 1000");
  });
});

describe('spinal graph with a cap above every model of the file', () => {
  it('draws it', async () => {
    const r = await run('graph', SAMPLE, ...MODEL, '--format', 'dot', '--max-parameters', '20000000');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('digraph');
  });
});
