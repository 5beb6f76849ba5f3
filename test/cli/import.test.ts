import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
import { readSafetensors } from '../../src/weights/safetensors.js';
import { initWeights } from '../../src/weights/init.js';
import { f32Bytes, graphOf } from '../weights/helpers.js';
import { officialStateDict } from '../weights/torch-layout.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'spinal-import-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// The paper's MNIST VGG-5 head, narrowed so the test files stay small.
const VGG5 = ['samples/mnist_vgg5.spinal', '--set', 'w=8'];
const narrow = graphOf('model mnist_vgg5_spinal { input 256\n spinal { split 1:1\n width 8\n layers 4\n dropout 0.5\n batchnorm }\n output 10 }');

function torchFile(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('spinal import', () => {
  it('converts the official VGG layout under a classifier. prefix to canonical names', async () => {
    const canonical = initWeights(narrow, 21, { batchnorm: 'random' });
    const source = torchFile('vgg5.safetensors', officialStateDict(canonical, { dropout: true, prefix: 'classifier.' }));
    const out = join(dir, 'w.safetensors');
    const r = await run('import', ...VGG5, '--from-torch', source, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`wrote '${out}': 26 tensors, 4,778 numbers of model 'mnist_vgg5_spinal' from '${source}' (prefix 'classifier.', 4 num_batches_tracked ignored)\n`);
    const written = readSafetensors(readFileSync(out));
    for (const [name, t] of canonical) expect(Array.from(written.get(name)!.data), name).toEqual(Array.from(t.data));
  });

  it('warns about unmapped tensors by name, and fails on them with --strict', async () => {
    const canonical = initWeights(narrow, 21);
    const source = torchFile('full.safetensors', officialStateDict(canonical, {
      dropout: true, prefix: 'fc.', dtype: 'BF16',
      extra: [{ name: 'features.0.weight', dtype: 'F32', shape: [2, 1, 3, 3], bytes: f32Bytes(Array(18).fill(0.5)) }],
    }));
    const out = join(dir, 'w.safetensors');
    const r = await run('import', ...VGG5, '--from-torch', source, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: 1 tensor of '${source}' maps to no canonical name:\n  'features.0.weight'\n`);
    expect(r.stderr).toContain("(prefix 'fc.', 26 tensors converted from BF16 to F32, 4 num_batches_tracked ignored)");

    rmSync(out);
    const strict = await run('import', ...VGG5, '--from-torch', source, '--out', out, '--strict');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^spinal: 1 tensor of .* maps to no canonical name:\n {2}'features.0.weight'\n\(remove --strict to skip them\)\n$/);
    expect(readdirSync(dir).sort()).toEqual(['full.safetensors']);
  });

  it('takes --prefix when the head appears under several prefixes', async () => {
    const canonical = initWeights(narrow, 2);
    const decoy = { name: 'teacher.fc_out.1.weight', dtype: 'F32', shape: [1, 1], bytes: f32Bytes([1]) };
    const source = torchFile('two.safetensors', officialStateDict(canonical, { dropout: true, prefix: 'student.', extra: [decoy] }));
    const out = join(dir, 'w.safetensors');
    const ambiguous = await run('import', ...VGG5, '--from-torch', source, '--out', out);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(/several prefixes \('student\.', 'teacher\.'\); choose one with --prefix/);
    const r = await run('import', ...VGG5, '--from-torch', source, '--out', out, '--prefix', 'student');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("'teacher.fc_out.1.weight'");
  });

  it('refuses weights that do not fit the model, listing every problem, and writes nothing', async () => {
    const canonical = initWeights(graphOf('model m { input 256\n spinal { width 8\n layers 3\n dropout 0.5\n batchnorm }\n output 12 }'), 1);
    const source = torchFile('other.safetensors', officialStateDict(canonical, { dropout: true }));
    const out = join(dir, 'w.safetensors');
    const r = await run('import', ...VGG5, '--from-torch', source, '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the weights do not fit model 'mnist_vgg5_spinal': 8 problems");
    expect(r.stderr).toContain("tensor 'output.weight': expected shape [10, 32], found [12, 24]");
    expect(r.stderr).toContain("missing tensor 'spinal1.sub4.bn.running_var' (shape [8])");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).toEqual(['other.safetensors']);
  });

  it('refuses a hostile file naming the file and the tensor', async () => {
    const bytes = officialStateDict(initWeights(narrow, 1), { dropout: true });
    const source = torchFile('cut.safetensors', bytes.subarray(0, bytes.length - 3));
    const r = await run('import', ...VGG5, '--from-torch', source, '--out', join(dir, 'w.safetensors'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^spinal: '${source}': tensor '.*': data_offsets \\[\\d+, \\d+\\] run past the end of the data section`));
  });

  it('refuses a file that does not exist', async () => {
    const missing = join(dir, 'nope.safetensors');
    const r = await run('import', ...VGG5, '--from-torch', missing, '--out', join(dir, 'w.safetensors'));
    expect(r).toMatchObject({ code: 1, stderr: `spinal: cannot read '${missing}': no such file\n` });
  });

  it('prints its help', async () => {
    const r = await run('import', '--help');
    expect(r.code).toBe(0);
    for (const option of ['--from-torch <path>', '--out <path>', '--prefix <prefix>', '--model <name>', '--strict', 'fc_spinal_layer{k}']) {
      expect(r.stdout).toContain(option);
    }
  });
});
