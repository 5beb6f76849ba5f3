// The front half's commands run in-process: check, macs, ir, help, exit codes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { MAX_SOURCE_BYTES } from '../../src/syntax/parse.js';
import { run } from '../support/cli.js';
import { sampleFiles } from '../support/samples.js';
import { scratch } from '../support/scratch.js';

const dir = scratch('cli');
function file(name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const SAMPLE_MACS: Record<string, number> = {
  cifar100_cnn_spinal: 2_396_160,
  cifar10_cnn_spinal: 1_102_848,
  mnist_cnn_spinal: 8_480,
  mnist_cnn_default: 16_500,
  mnist_vgg5_spinal: 119_808,
  three_rows: 104,
  three_rows_interleaved: 104,
  vgg19_spinal: 1_331_200,
  vgg19_default: 18_915_328,
  mnist_spinal: 54_528,
  mnist_dense: 101_632,
  mnist_mlp: 54_786,
  resnet_cifar10_spinal: 468_992,
  customizable_spinal: 195,
  transfer_notebook_spinal: 224,
  regression_spinal: 14_000,
  spinal_sw: 226_300,
  mnist_arch2: 389_000,
};

describe('spinal check', () => {
  it('exits 0 on the samples and says how many models it checked', async () => {
    const r = await run('check', ...sampleFiles());
    expect(r).toEqual({ code: 0, stdout: '', stderr: '13 files ok, 18 models\n' });
  });

  it('exits 1 with located diagnostics on stderr, and nothing on stdout', async () => {
    const bad = file('bad.spinal', 'model m {\n  input 4\n  dens 3\n  output 2\n}\n');
    const r = await run('check', bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${bad}:3:3: error[SPN003]: unknown keyword 'dens'\n> 3 |   dens 3\n    |   ^^^^\nhint: did you mean 'dense'?\n\nspinal: 1 error found\n`);
  });

  it('reports the errors of every file, then fails', async () => {
    const a = file('a.spinal', 'model a { input 0 output 2 }');
    const b = file('b.spinal', 'model b { input 4 }');
    const r = await run('check', a, b, ...sampleFiles());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${a}:1:17: error[SPN030]`);
    expect(r.stderr).toContain(`${b}:1:7: error[SPN023]`);
    expect(r.stderr.endsWith('spinal: 2 errors found\n')).toBe(true);
  });

  it('a missing file is a clean exit-1 message', async () => {
    const r = await run('check', join(dir, 'nothere.spinal'));
    expect(r).toEqual({ code: 1, stdout: '', stderr: `spinal: cannot read '${join(dir, 'nothere.spinal')}': no such file\n` });
  });

  it('refuses a file over 4 MiB by its size, before reading it', async () => {
    const big = file('big.spinal', new Uint8Array(4 * MAX_SOURCE_BYTES + 1).fill(0x20));
    const r = await run('check', big);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `spinal: '${big}' is ${4 * MAX_SOURCE_BYTES + 1} bytes; a .spinal file may have at most ${MAX_SOURCE_BYTES} characters\n` });
  });

  it('a directory is refused by name', async () => {
    const r = await run('check', dir);
    expect([r.code, r.stderr]).toEqual([1, `spinal: '${dir}' is a directory, not a .spinal file\n`]);
  });

  it('reads invalid UTF-8 and a byte-order mark as the decoder does', async () => {
    const bom = file('bom.spinal', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('model m { input 4 output 2 }')]));
    expect((await run('check', bom)).code).toBe(0);
    const junk = file('junk.spinal', Buffer.from([0x6d, 0xff, 0xfe, 0x0a]));
    const r = await run('check', junk);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(':1:2: error[SPN001]: unexpected character U+FFFD');
  });

  it('--set applies to check, and one no model takes is a usage error with a suggestion', async () => {
    const [mnist] = sampleFiles().filter((f) => f.endsWith('mnist_cnn.spinal'));
    expect((await run('check', mnist, '--set', 'depth=0')).stderr).toContain("layers must be a positive integer, got 0 (depth = 0, --set depth=0)");
    const r = await run('check', mnist, '--set', 'dpth=3');
    expect([r.code, r.stderr]).toEqual([2, "spinal: --set dpth: no model in this file has a parameter 'dpth'; did you mean 'depth'?\n(run with --help for usage)\n"]);
  });

  it('--max-parameters lowers the cap on model size', async () => {
    const m = file('small.spinal', 'model m { input 4 dense 4 output 2 }');
    expect((await run('check', m, '--max-parameters', '30')).code).toBe(0);
    const r = await run('check', m, '--max-parameters', '29');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[SPN050]: model 'm' needs 30 parameters, more than the limit 29");
    expect((await run('check', m, '--max-parameters', '0')).code).toBe(2);
  });
});

describe('spinal macs', () => {
  it('prints a table with every model of every sample and its exact MAC count', async () => {
    const r = await run('macs', ...sampleFiles());
    expect(r.code).toBe(0);
    for (const [name, macs] of Object.entries(SAMPLE_MACS)) {
      expect(r.stdout).toContain(`model ${name}`);
      expect(r.stdout).toMatch(new RegExp(`total\\s+│[^│]*│\\s+${macs.toLocaleString('en-US')}\\s+│`));
    }
  });

  it('--json has one entry per model and variant with counts, baseline and layers', async () => {
    const r = await run('macs', '--json', ...sampleFiles());
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { models: { name: string; macs: number; parameters: number; baseline: { macs: number; parameters: number }; layers: { macs: number }[] }[] };
    expect(Object.fromEntries(json.models.map((m) => [m.name, m.macs]))).toEqual(SAMPLE_MACS);
    for (const m of json.models) {
      expect(typeof m.parameters).toBe('number');
      expect(Object.keys(m.baseline).sort()).toEqual(['macs', 'parameters']);
      expect(m.layers.reduce((a, l) => a + l.macs, 0)).toBe(m.macs);
    }
    const vgg5 = json.models.find((m) => m.name === 'mnist_vgg5_spinal')!;
    expect([vgg5.parameters, vgg5.baseline]).toEqual([121_354, { macs: 136_192, parameters: 137_738 }]);
  });

  it('--set changes the counts', async () => {
    const [mnist] = sampleFiles().filter((f) => f.endsWith('mnist_cnn.spinal'));
    const json = JSON.parse((await run('macs', '--json', mnist, '--set', 'w=16')).stdout) as { models: { name: string; macs: number }[] };
    // 160*16 + 5*(160+16)*16 + 96*10
    expect(json.models[0]).toMatchObject({ name: 'mnist_cnn_spinal', macs: 160 * 16 + 5 * 176 * 16 + 96 * 10 });
  });
});

describe('spinal ir', () => {
  it('--json prints every model with typed nodes', async () => {
    const [three] = sampleFiles().filter((f) => f.endsWith('three_rows.spinal'));
    const r = await run('ir', '--json', three);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { models: { name: string; nodes: { id: string; op: string; inputs: string[]; shape: number[] }[] }[] };
    expect(json.models.map((m) => m.name)).toEqual(['three_rows', 'three_rows_interleaved']);
    const nodes = json.models[1].nodes;
    expect(nodes[0]).toMatchObject({ id: 'input', op: 'input', inputs: [], shape: [12] });
    expect(nodes.find((n) => n.id === 'spinal1.row2')).toMatchObject({ op: 'slice', inputs: ['input'], shape: [4], start: 1, stride: 3 });
    expect(nodes.find((n) => n.id === 'spinal1.sub2')).toMatchObject({ op: 'dense', shape: [4], inFeatures: 8, weight: 'spinal1.sub2.weight' });
    expect(nodes[nodes.length - 1]).toMatchObject({ id: 'result', op: 'output', inputs: ['output'], shape: [2] });
  });

  it('prints a readable listing of the lowered graph without --json', async () => {
    const m = file('ir.spinal', 'model m { input 4 spinal { width 1 layers 2 } output 1 }');
    const r = await run('ir', '--passes', 'none', m);
    expect(r.stdout.split('\n').slice(0, 5)).toEqual([
      'model m: 4 -> 1',
      '  input = input() : [4]',
      '  spinal1.row1 = slice(input) start=0 stride=1 : [2]',
      '  spinal1.row2 = slice(input) start=2 stride=1 : [2]',
      '  spinal1.sub1 = dense(spinal1.row1) act=relu in=2 : [1]',
    ]);
  });
});

describe('help and usage', () => {
  it.each(['check', 'macs', 'ir'])('%s --help describes the command and exits 0', async (command) => {
    const r = await run(command, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(`Usage: spinal ${command} [options] <files...>`)).toBe(true);
    expect(r.stdout).toContain('--set <name=value>');
  });

  it('--help lists the commands', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    for (const c of ['check', 'macs', 'ir']) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  });

  it.each([
    [[], 'no command'],
    [['check'], 'missing file argument'],
    [['frobnicate', 'x.spinal'], 'unknown command'],
    [['macs', '--bogus', 'x.spinal'], 'unknown option'],
    [['check', '--set', 'w', 'x.spinal'], 'malformed --set'],
    [['ir', '--set', 'w=-1', 'x.spinal'], 'negative --set'],
  ])('exit 2 for usage errors: %j (%s)', async (argv) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout === '' || r.stdout.startsWith('Usage:')).toBe(true);
    expect(r.stderr).not.toContain('internal error');
  });
});

describe('internal errors', () => {
  it('say so and ask for a report, with exit 70', async () => {
    const io = memoryIo();
    io.out = () => { throw new TypeError('broken pipe simulation'); };
    const [sample] = sampleFiles();
    const code = await main(['ir', sample], io);
    expect(code).toBe(70);
    expect(io.stderr).toContain('spinal: internal error: this is a bug in spinal, not in your files.');
    expect(io.stderr).toContain('Please report it');
    expect(io.stderr).toContain('TypeError: broken pipe simulation');
  });

  it('are never shown for a user mistake', async () => {
    const r = await run('check', file('x.spinal', '\0\0\0 model { } ) ( 1e999999'));
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('internal error');
  });
});

describe('spinal macs --max-parameters', () => {
  it('refuses a model over the cap and counts one under it', async () => {
    const m = file('cap.spinal', 'model m { input 4 dense 4 output 2 }');
    expect(JSON.parse((await run('macs', '--json', m, '--max-parameters', '30')).stdout).models[0].parameters).toBe(30);
    const r = await run('macs', m, '--max-parameters', '29');
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toContain('raise the limit with --max-parameters');
  });
});
