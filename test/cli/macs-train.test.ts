// `spinal macs --train`: rows trained over seeds on worker threads, accuracy columns in every
// format, the dense baselines, the accuracy plot, failures and usage errors. Tiny models on a tiny
// CSV written here, and one short run on the embedded digits.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
import { scratch } from '../support/scratch.js';
import { SAMPLES_DIR } from '../support/samples.js';
import { svgProblems, svgTexts } from '../support/svg.js';

const dir = scratch('macs-train');
const models = join(dir, 'tiny.spinal');
writeFileSync(models, [
  'model tiny(w = 4) {', '  input 8', '  spinal {', '    width w', '    layers 2', '  }', '  output 3', '}',
  'model flat {', '  input 8', '  dense 6 relu', '  output 3', '}', '',
].join('\n'));

/** 240 samples of 8 features in three classes, by the sign pattern of two feature sums; a fixed LCG. */
function tinyCsv(path: string, features = 8): string {
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31 - 0.5;
  };
  const lines = [`${Array.from({ length: features }, (_, i) => `f${i}`).join(',')},label`];
  for (let n = 0; n < 240; n++) {
    const x = Array.from({ length: features }, next);
    const a = x[0] + x[1] + x[2];
    const label = a > 0.2 ? 0 : a < -0.2 ? 1 : 2;
    lines.push(`${x.map((v) => v.toFixed(4)).join(',')},${label}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
const csv = tinyCsv(join(dir, 'd.csv'));

describe('spinal macs --train', () => {
  it('a sweep trained over seeds gives the same table with one thread and with two', async () => {
    const args = ['macs', models, '--model', 'tiny', '--sweep', 'w=2:4:2', '--train', csv, '--epochs', '2', '--batch', '16', '--seeds', '2', '--csv'];
    const one = await run(...args, '--jobs', '1');
    expect(one.code, one.stderr).toBe(0);
    const two = await run(...args, '--jobs', '2');
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const [header, ...lines] = one.stdout.trim().split('\r\n');
    expect(header).toBe('model,settings,MACs,parameters,deployed,peak memory,vs,vs MACs,MACs ratio,params ratio,val acc mean,val acc std,Pareto');
    expect(lines.map((l) => l.split(',')[1])).toEqual(['w=2', 'w=4']);
    for (const line of lines) {
      const [mean, std, pareto] = line.split(',').slice(-3);
      expect(Number(mean)).toBeGreaterThanOrEqual(0);
      expect(Number(mean)).toBeLessThanOrEqual(1);
      expect(Number(std)).toBeGreaterThanOrEqual(0);
      expect(['true', 'false']).toContain(pareto);
    }
    // the cheapest row is always on the frontier
    expect(lines[0].endsWith(',true')).toBe(true);
    expect(one.stderr).toContain('training 2 rows x 2 seeds = 4 runs, 1 at a time\n');
    expect(two.stderr).toContain('training 2 rows x 2 seeds = 4 runs, 2 at a time\n');
    // one line per finished run, in whatever order they finish
    const finished = two.stderr.split('\n').filter((l) => l.startsWith('run '));
    expect(finished).toHaveLength(4);
    expect(finished.map((l) => /^run (\d)\/4: tiny w=[24], seed [12]: validation accuracy \d+\.\d\d%$/.exec(l)?.[1])).toEqual(['1', '2', '3', '4']);
  });

  it('a job that fails names the model, its settings and the seed, and stops the others', async () => {
    const wide = tinyCsv(join(dir, 'wide.csv'), 9);
    const r = await run('macs', models, '--train', wide, '--epochs', '1', '--seeds', '3', '--jobs', '2');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/spinal: (tiny w=4|flat), seed [123]: .*wide\.csv.* 9 features per sample; model '(tiny|flat)' reads 8/);
    const diverging = await run('macs', models, '--model', 'tiny', '--train', csv, '--epochs', '1', '--lr', '1e30', '--seeds', '2', '--jobs', '1');
    expect(diverging.code).toBe(1);
    expect(diverging.stderr).toMatch(/spinal: tiny w=4, seed 1: .*the training loss became NaN/);
  });

  it('refuses training options without --train, and a loss without accuracy', async () => {
    for (const flag of [['--epochs', '2'], ['--seeds', '2'], ['--jobs', '2'], ['--baseline'], ['--val-split', '0.2']]) {
      const r = await run('macs', models, ...flag);
      expect(r.code, flag.join(' ')).toBe(2);
      expect(r.stderr).toContain(`${flag[0]} is for training: add --train DATA`);
    }
    const mse = await run('macs', models, '--train', csv, '--loss', 'mse');
    expect(mse.code).toBe(2);
    expect(mse.stderr).toContain('--train compares classification accuracy: --loss mse has none');
    expect((await run('macs', models, '--plot', join(dir, 'x.svg'))).code).toBe(2);
  });

  it('--baseline refuses a baseline the language cannot state, before training anything', async () => {
    const r = await run('macs', 'samples/mnist_vgg5.spinal', '--train', 'mnist', '--baseline');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("spinal: --baseline: the dense baseline of 'mnist_vgg5_spinal' applies relu after a batchnorm");
    expect(r.stderr).not.toContain('training ');
  });

  it('on the embedded digits: each model and its dense baseline, JSON with every seed, and the plot', async () => {
    const digits = join(dir, 'digits.spinal');
    writeFileSync(digits, 'model digits(w = 4) {\n  input 784\n  spinal {\n    width w\n    layers 2\n  }\n  output 10\n}\n');
    const plot = join(dir, 'accuracy.svg');
    const r = await run('macs', digits, '--train', 'mnist', '--epochs', '1', '--seeds', '2', '--baseline', '--json', '--plot', plot);
    expect(r.code, r.stderr).toBe(0);
    const { models: rows } = JSON.parse(r.stdout);
    expect(rows.map((m: { name: string }) => m.name)).toEqual(['digits', 'digits_dense']);
    // the baseline: 784 -> 8 -> 10, with the model's settings and reference
    expect(rows[1]).toMatchObject({ macs: 784 * 8 + 8 * 10, params: { w: 4 }, vs: { name: 'digits_dense', kind: 'dense baseline', macsRatio: 1 } });
    for (const row of rows) {
      expect(row.accuracy.metric).toBe('validation');
      expect(row.accuracy.epochs).toBe(1);
      expect(row.accuracy.runs.map((s: { seed: string }) => s.seed)).toEqual(['1', '2']);
      // ten classes: chance is 10%; one epoch on 8,000 digits is well past it
      expect(row.accuracy.mean).toBeGreaterThan(0.3);
      expect(typeof row.pareto).toBe('boolean');
    }
    // the spinal head is the cheaper one, so it is on the frontier whatever its accuracy
    expect(rows[0].macs).toBeLessThan(rows[1].macs);
    expect(rows[0].pareto).toBe(true);
    const svg = readFileSync(plot, 'utf8');
    expect(svgProblems(svg)).toEqual([]);
    expect(svgTexts(svg)).toContain('accuracy against MACs');
    expect(svg.match(/class="mark-rule role-mark/g)).toHaveLength(1);
    expect(r.stderr).toContain(`wrote '${plot}'`);
  });
});

describe('spinal macs --train interrupted', () => {
  // The built command line (dist/, made by `npm test`) as a real process, since a signal is what is tested.
  it('Ctrl-C stops every thread, prints no table and exits 130', async () => {
    const child = spawn(process.execPath, ['bin/spinal.js', 'macs', models, '--model', 'tiny', '--train', csv, '--epochs', '400', '--seeds', '3', '--jobs', '1'], { cwd: join(SAMPLES_DIR, '..') });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    const firstRun = new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('run 1/3:')) resolve();
      });
    });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await Promise.race([firstRun, exit]);
    child.kill('SIGINT');
    // the process ends by itself: a thread left running would keep it alive
    expect(await exit, stderr).toBe(130);
    expect(stderr).toMatch(/spinal: interrupted: stopped after 1 of 3 runs, nothing printed\n$/);
    expect(stdout).toBe('');
  });
});
