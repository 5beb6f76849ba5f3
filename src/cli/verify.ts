// `spinal verify FILE --weights W`: the generated code of each target run on a seeded random
// batch and compared with the reference interpreter; exit 1 when any target is off.
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Io } from './io.js';
import { UsageError, UserError } from './errors.js';
import { compileFiles, pickModel } from './load.js';
import { checkOptionsFrom, positiveInteger, withCompileFlags, type CompileFlags } from './options.js';
import { parseSeed } from './init.js';
import { readModelWeights } from './weights-arg.js';
import { optimize } from '../passes/optimize.js';
import { VERIFY_TARGETS } from '../verify/targets.js';
import { verify, type VerifyReport } from '../verify/run.js';
import { DEFAULT_TOLERANCE } from '../verify/compare.js';
import type { VerifyTarget } from '../verify/target.js';

interface VerifyOptions extends CompileFlags {
  readonly model?: string;
  readonly weights: string;
  readonly targets: string;
  readonly batch: number;
  readonly seed: bigint;
  readonly tolerance: number;
  readonly json?: boolean;
}

export function registerVerify(program: Command, io: Io): void {
  withCompileFlags(program
    .command('verify')
    .description("run each target's generated code on a random batch and compare it with the reference interpreter")
    .argument('<file>', '.spinal file')
    .option('--model <name>', 'the model to verify (required when the file declares several)')
    .requiredOption('--weights <file>', 'safetensors weights of the model')
    .option('--targets <list>', `comma-separated targets, or 'all': ${Object.keys(VERIFY_TARGETS).join(', ')}`, 'tfjs')
    .option('--batch <n>', 'samples in the random batch', positiveInteger, 8)
    .addOption(new Option('--seed <n>', 'seed of the random batch').argParser(parseSeed).default(0n, '0'))
    .option('--tolerance <r>', 'largest maximum relative error accepted', parseTolerance, DEFAULT_TOLERANCE)
    .option('--json', 'print {"targets": {name: {maxAbsError, maxRelError, ok}}} as JSON'))
    .addHelpText('after', [
      '',
      'Relative error: |got - want| / max(|want|, 0.1 * max|want|), the maximum over the batch;',
      'a target fails above the tolerance (default 1e-4, for float32 code) or on NaN.',
      '',
      'Example:',
      '  spinal verify samples/mnist_cnn.spinal --model mnist_cnn_spinal --weights w.safetensors --targets tfjs,tfjs-wasm',
    ].join('\n'))
    .action(async (file: string, options: VerifyOptions) => {
      const targets = await chooseTargets(options.targets);
      const [compiled] = compileFiles([file], io, checkOptionsFrom(options));
      const model = pickModel(compiled, options.model);
      const { weights, bytes } = readModelWeights(options.weights, model.graph);
      const report = await verify({
        graph: optimize(model.graph), weights, weightsBytes: bytes, targets,
        batch: options.batch, seed: options.seed, tolerance: options.tolerance,
      });
      io.out(options.json ? `${JSON.stringify({ model: report.model, batch: report.batch, seed: report.seed, tolerance: report.tolerance, targets: report.targets }, null, 2)}\n` : renderReport(report));
      const failed = Object.entries(report.targets).filter(([, r]) => !r.ok).map(([name]) => name);
      if (failed.length > 0) throw new UserError(`verification failed: ${failed.join(', ')}`);
    });
}

async function chooseTargets(list: string): Promise<VerifyTarget[]> {
  const known = Object.keys(VERIFY_TARGETS);
  const names = list === 'all' ? known : [...new Set(list.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  if (names.length === 0) throw new UsageError('--targets names no target');
  const unknown = names.filter((n) => !(n in VERIFY_TARGETS));
  if (unknown.length > 0) throw new UsageError(`unknown target${unknown.length === 1 ? '' : 's'} ${unknown.map((n) => `'${n}'`).join(', ')}; choose from ${known.join(', ')}`);
  return Promise.all(names.map((n) => VERIFY_TARGETS[n]()));
}

function parseTolerance(text: string): number {
  const r = Number(text);
  if (!(r > 0) || !Number.isFinite(r)) throw new InvalidArgumentError(`expected a positive number, got '${text}'`);
  return r;
}

function renderReport(report: VerifyReport): string {
  const lines = [`model '${report.model}': batch ${report.batch}, seed ${report.seed}, tolerance ${report.tolerance} (max relative error)`];
  const width = Math.max(...Object.keys(report.targets).map((n) => n.length));
  for (const [name, r] of Object.entries(report.targets)) {
    const numbers = r.error !== undefined ? `error: ${r.error}` : `max abs error ${fmt(r.maxAbsError)}  max rel error ${fmt(r.maxRelError)}`;
    lines.push(`  ${name.padEnd(width)}  ${r.ok ? 'ok  ' : 'FAIL'}  ${numbers}`);
  }
  return `${lines.join('\n')}\n`;
}

function fmt(n: number | null): string {
  return n === null ? '-' : n.toExponential(2);
}
