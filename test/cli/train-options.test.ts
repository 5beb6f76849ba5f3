import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { addTrainOptions, trainSetup, type TrainFlags } from '../../src/cli/train-options.js';

function parse(args: string[], seed = true): TrainFlags {
  const command = addTrainOptions(new Command('t').exitOverride().configureOutput({ writeErr: () => {} }), { seed });
  command.parse(args, { from: 'user' });
  return command.opts<TrainFlags>();
}

describe('training options', () => {
  it('defaults to the settings of the training command, mnist validating on its held-out digits', () => {
    const setup = trainSetup('mnist', parse([]));
    expect(setup.settings).toEqual({ epochs: 10, batch: 64, optimizer: 'adam', lr: 1e-3, momentum: 0, weightDecay: 0, seed: 1n, loss: 'cross-entropy', backend: 'wasm' });
    expect(setup.data).toEqual({ data: 'mnist' });
    expect(setup.validation).toEqual({ kind: 'data', data: { data: 'mnist:test' } });
  });

  it('holds out a tenth of other data, or the --val-split fraction, or takes --val', () => {
    expect(trainSetup('x.npy', parse(['--labels', 'y.npy'])).validation).toEqual({ kind: 'split', fraction: 0.1 });
    expect(trainSetup('x.npy', parse(['--labels', 'y.npy'])).data).toEqual({ data: 'x.npy', labels: 'y.npy' });
    expect(trainSetup('mnist', parse(['--val-split', '0'])).validation).toEqual({ kind: 'split', fraction: 0 });
    expect(trainSetup('a.csv', parse(['--val', 'b.csv', '--label-column', 'digit'])).validation).toEqual({ kind: 'data', data: { data: 'b.csv', labelColumn: 'digit' } });
    expect(trainSetup('a.npy', parse(['--val', 'b.npy', '--val-labels', 'c.npy'])).validation).toEqual({ kind: 'data', data: { data: 'b.npy', labels: 'c.npy' } });
  });

  it('takes every setting, sgd defaulting to a learning rate of 1e-2', () => {
    const flags = parse(['--epochs', '3', '--batch', '32', '--optimizer', 'sgd', '--momentum', '0.9', '--weight-decay', '5e-4', '--seed', '18446744073709551615', '--loss', 'mse', '--backend', 'cpu']);
    expect(trainSetup('mnist', flags).settings).toEqual({ epochs: 3, batch: 32, optimizer: 'sgd', lr: 1e-2, momentum: 0.9, weightDecay: 5e-4, seed: 2n ** 64n - 1n, loss: 'mse', backend: 'cpu' });
    expect(trainSetup('mnist', parse(['--lr', '0.5'])).settings.lr).toBe(0.5);
  });

  it('without --seed, the command chooses the seed', () => {
    expect(() => parse(['--seed', '2'], false)).toThrow(/unknown option '--seed'/);
    expect(trainSetup('mnist', parse([], false), 7n).settings.seed).toBe(7n);
  });

  it('refuses bad values', () => {
    for (const args of [
      ['--epochs', '0'], ['--batch', '1.5'], ['--optimizer', 'rmsprop'], ['--lr', '0'], ['--lr', 'fast'],
      ['--momentum', '1'], ['--weight-decay', '-1'], ['--seed', '-1'], ['--loss', 'hinge'], ['--backend', 'webgl'],
      ['--val-split', '1'], ['--val', 'v.csv', '--val-split', '0.2'],
    ]) expect(() => parse(args), args.join(' ')).toThrow();
    expect(() => trainSetup('mnist', parse(['--val-labels', 'y.npy']))).toThrow(/--val-labels labels the --val data/);
    expect(() => trainSetup('mnist', parse(['--momentum', '0.9']))).toThrow(/--momentum is for --optimizer sgd/);
  });
});
