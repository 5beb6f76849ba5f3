import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
import { readSafetensors } from '../../src/weights/safetensors.js';
import { initWeights } from '../../src/weights/init.js';
import { f32Bytes, graphOf } from '../weights/helpers.js';
import { parseLayout } from '../../src/weights/safetensors-layout.js';
import { toFloat32 } from '../../src/weights/dtype.js';
import { SAMPLES_DIR } from '../support/samples.js';
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

  it('refuses a running variance with var + eps <= 0, naming the tensor, and writes nothing', async () => {
    const canonical = new Map(initWeights(narrow, 21, { batchnorm: 'random' }));
    const variance = Float32Array.from(canonical.get('spinal1.sub3.bn.running_var')!.data);
    variance[5] = -1;
    canonical.set('spinal1.sub3.bn.running_var', { shape: [8], data: variance });
    const source = torchFile('negative-var.safetensors', officialStateDict(canonical, { dropout: true, prefix: 'classifier.' }));
    const out = join(dir, 'w.safetensors');
    const r = await run('import', ...VGG5, '--from-torch', source, '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^spinal: '.*negative-var\.safetensors': tensor 'spinal1\.sub3\.bn\.running_var' holds -1 at index 5: a running variance must be greater than -eps/);
    expect(readdirSync(dir).sort()).toEqual(['negative-var.safetensors']);
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

// torch.save checkpoints made by test/fixtures/torch/make_fixtures.py (Python's zipfile and
// pickle, torch's layout and names, no torch); `<name>.expected.safetensors` holds their tensors.
const FIXTURES = join(SAMPLES_DIR, '..', 'test', 'fixtures', 'torch');
const fixture = (name: string) => join(FIXTURES, name);

/** The expected source tensors of a fixture, float32, by name. */
function expected(name: string): Map<string, Float32Array> {
  const bytes = new Uint8Array(readFileSync(fixture(`${name}.expected.safetensors`)));
  return new Map(parseLayout(bytes).entries.filter((e) => e.dtype === 'F32').map((e) => [e.name, toFloat32(e.name, e.dtype, bytes.subarray(e.begin, e.end))]));
}

describe('spinal import of .pt checkpoints', () => {
  it.each([
    ['mnist_net', ['samples/mnist_cnn.spinal', '--model', 'mnist_cnn_spinal'], 'no prefix)', { 'spinal1.sub1.weight': 'fc1.weight', 'spinal1.sub6.bias': 'fc1_5.bias', 'output.weight': 'fc2.weight' }],
    ['resnet_checkpoint', ['samples/resnet_cifar10.spinal', '--set', 'w=8'], "state_dict under key 'model', no prefix, 10 tensors converted from F16 to F32)", { 'spinal1.sub1.weight': 'fc1.weight', 'spinal1.sub4.weight': 'fc1_3.weight', 'output.bias': 'fc_layer.bias' }],
    ['customizable', ['samples/customizable.spinal'], "state_dict under key 'state_dict', prefix 'classifier.')", { 'spinal1.sub2.weight': 'classifier.fc2.weight', 'output.weight': 'classifier.fcx.weight' }],
    ['notebook', ['samples/transfer_notebook.spinal'], "prefix 'fc.', 26 tensors converted from BF16 to F32, 4 num_batches_tracked ignored)", { 'spinal1.sub3.bn.running_var': 'fc.layer3.2.running_var', 'output.weight': 'fc._out.1.weight' }],
    ['regression', ['samples/regression.spinal'], "no prefix, 4 of tied sub-layers not imported (the model uses their owners' Linear))", { 'spinal1.sub3.weight': 'fc3.weight', 'spinal1.sub4.bias': 'fc4.bias', 'output.weight': 'fcx.weight' }],
  ])('%s.pt imports with no flags, every value as saved', async (name, model, notes, pairs) => {
    const out = join(dir, 'w.safetensors');
    const r = await run('import', ...model, '--from-torch', fixture(`${name}.pt`), '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`from '${fixture(`${name}.pt`)}' (${notes}`);
    const written = readSafetensors(readFileSync(out));
    const source = expected(name);
    for (const [canonical, official] of Object.entries(pairs)) {
      // the half and bfloat16 fixtures hold values k/32, exact in float32
      expect(Array.from(written.get(canonical)!.data), canonical).toEqual(Array.from(source.get(official)!));
    }
  });

  it('the ResNet head into a model without interleaved rows is refused, saying why; nothing is written', async () => {
    const model = join(dir, 'plain.spinal');
    writeFileSync(model, 'model m { input 1024 spinal { split 1:1:1:1 width 8 layers 4 } output 10 }');
    const r = await run('import', model, '--from-torch', fixture('resnet_checkpoint.pt'), '--out', join(dir, 'w.safetensors'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the source names are those of the official ResNet head (fc1, fc1_1 .. fc1_3, fc_layer), whose rows are dealt out in turn");
    expect(r.stderr).toContain('write `split 1:1:1:1 interleaved`');
    expect(readdirSync(dir)).toEqual(['plain.spinal']);
  });

  it('--dry-run prints the mapping table and writes nothing', async () => {
    const r = await run('import', 'samples/mnist_cnn.spinal', '--model', 'mnist_cnn_spinal', '--from-torch', fixture('mnist_net.pt'), '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`'${fixture('mnist_net.pt')}': torch.save checkpoint; official names fc1, fc1_1 .. fc1_N, fc2 (MNIST/SpinalNet_MNIST.py); no prefix`);
    expect(lines[1]).toMatch(/^source tensor +shape +dtype +spinal name +by$/);
    expect(lines).toContain('conv1.weight   [10, 1, 5, 5]  F32    (unmapped)');
    expect(lines).toContain('fc1_5.weight   [8, 168]       F32    spinal1.sub6.weight');
    expect(r.stderr).toContain("fits model 'mnist_cnn_spinal'; nothing written (--dry-run)");
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--dry-run shows the tensors of tied sub-layers set aside, and the file holds the owners\' only', async () => {
    const r = await run('import', 'samples/regression.spinal', '--from-torch', fixture('regression.pt'), '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('fc5.weight     [50, 54]  F32    (tied sub-layer: not imported)');
    expect(lines).toContain('fc3.weight     [50, 54]  F32    spinal1.sub3.weight');
    const out = join(dir, 'w.safetensors');
    expect((await run('import', 'samples/regression.spinal', '--from-torch', fixture('regression.pt'), '--out', out)).code).toBe(0);
    expect([...readSafetensors(readFileSync(out)).keys()].sort()).toEqual(['output.bias', 'output.weight', ...[1, 2, 3, 4].flatMap((j) => [`spinal1.sub${j}.bias`, `spinal1.sub${j}.weight`])]);
  });

  it('--map names what no official scheme does, and --dry-run shows it', async () => {
    const map = join(dir, 'map.json');
    writeFileSync(map, JSON.stringify({ '/conv1\\.(weight|bias)/': null }));
    const r = await run('import', 'samples/mnist_cnn.spinal', '--model', 'mnist_cnn_spinal', '--from-torch', fixture('mnist_net.pt'), '--map', map, '--strict', '--out', join(dir, 'w.safetensors'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('2 skipped by --map');
  });

  it('lists candidate tensors with their shapes where a model tensor is named by nothing', async () => {
    const canonical = new Map(initWeights(narrow, 5));
    const sub4 = canonical.get('spinal1.sub4.weight')!;
    for (const p of ['weight', 'bias', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var']) canonical.delete(`spinal1.sub4.${p}`);
    const source = torchFile('renamed.safetensors', officialStateDict(canonical, {
      dropout: true,
      extra: [{ name: 'head.last.weight', dtype: 'F32', shape: [8, 136], bytes: f32Bytes(Array.from(sub4.data)) }],
    }));
    const r = await run('import', ...VGG5, '--from-torch', source, '--dry-run');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("could come from several or unnamed source tensors; name them with --map FILE.json:\n  'spinal1.sub4.weight' [8, 136] is named by no source tensor; candidates of its shape: 'head.last.weight' [8, 136]\n");

    const map = join(dir, 'map.json');
    writeFileSync(map, JSON.stringify({ 'head.last.weight': 'spinal1.sub4.weight' }));
    const mapped = await run('import', ...VGG5, '--from-torch', source, '--dry-run', '--map', map);
    expect(mapped.stdout).toMatch(/head\.last\.weight +\[8, 136\] +F32 +spinal1\.sub4\.weight +--map/);
    expect(mapped.stderr).toContain("missing tensor 'spinal1.sub4.bias' (shape [8])");
  });

  it('--key chooses the state_dict; a wrong one lists the keys', async () => {
    const r = await run('import', 'samples/resnet_cifar10.spinal', '--set', 'w=8', '--from-torch', fixture('resnet_checkpoint.pt'), '--key', 'epoch', '--dry-run');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--key 'epoch' holds a number, not a state_dict (a dict of tensors)");
  });

  it.each([
    ['os_system', "the pickle names the global 'os.system', which is refused"],
    ['op_inst', 'pickle opcode INST (0x69) at byte 3 is refused'],
    ['zip_bomb', "entry 'zip_bomb/data.pkl' expands to 3221225472 bytes"],
    ['truncated', 'not a readable zip archive'],
    ['legacy', 'the file is in the legacy torch.save format of PyTorch before 1.6'],
  ])('refuses the hostile %s.pt with exit 1 and one clear line', async (name, message) => {
    const r = await run('import', 'samples/mnist_cnn.spinal', '--model', 'mnist_cnn_spinal', '--from-torch', fixture(`hostile/${name}.pt`), '--out', join(dir, 'w.safetensors'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`spinal: '${fixture(`hostile/${name}.pt`)}': ${message}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('needs --out unless --dry-run', async () => {
    const r = await run('import', 'samples/mnist_cnn.spinal', '--model', 'mnist_cnn_spinal', '--from-torch', fixture('mnist_net.pt'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '--out <path>' not specified (or give --dry-run)");
  });
});
