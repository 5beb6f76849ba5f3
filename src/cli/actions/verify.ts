// `spinal verify`'s work: each target's generated code on a seeded random batch, compared with
// the reference interpreter.
import type { Io } from '../io.js';
import type { VerifyOptions } from '../verify.js';
import { UsageError, UserError } from '../errors.js';
import { compileFiles, pickModel } from '../load.js';
import { checkOptionsFrom } from '../options.js';
import { readModelWeights } from '../weights-arg.js';
import { optimize } from '../../passes/optimize.js';
import { VERIFY_TARGETS } from '../../verify/targets.js';
import { checkBatch, verify as runVerify, type VerifyReport } from '../../verify/run.js';
import type { VerifyTarget } from '../../verify/target.js';

export async function verify(file: string, options: VerifyOptions, io: Io): Promise<void> {
  const targets = await chooseTargets(options.targets);
  const [compiled] = compileFiles([file], io, checkOptionsFrom(options));
  const model = pickModel(compiled, options.model);
  const graph = optimize(model.graph);
  try {
    checkBatch(graph, options.batch);
  } catch (e) {
    throw e instanceof RangeError ? new UserError(`--batch ${options.batch}: ${e.message}`) : e;
  }
  const { weights, bytes } = readModelWeights(options.weights, model.graph);
  const report = await runVerify({
    graph, weights, weightsBytes: bytes, targets,
    batch: options.batch, seed: options.seed, tolerance: options.tolerance,
  });
  io.out(options.json ? reportJson(report) : renderReport(report));
  const failed = Object.entries(report.targets).filter(([, r]) => !r.ok).map(([name]) => name);
  if (failed.length > 0) throw new UserError(`verification failed: ${failed.join(', ')}`);
}

async function chooseTargets(list: string): Promise<VerifyTarget[]> {
  const known = Object.keys(VERIFY_TARGETS);
  const names = list === 'all' ? known : [...new Set(list.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  if (names.length === 0) throw new UsageError('--targets names no target');
  const unknown = names.filter((n) => !(n in VERIFY_TARGETS));
  if (unknown.length > 0) throw new UsageError(`unknown target${unknown.length === 1 ? '' : 's'} ${unknown.map((n) => `'${n}'`).join(', ')}; choose from ${known.join(', ')}`);
  return Promise.all(names.map((n) => VERIFY_TARGETS[n]()));
}

/**
 * The report as JSON, the seed a number: written out digit for digit, since a seed may be up to
 * 2^64 - 1, past what a JavaScript number holds exactly.
 */
export function reportJson(report: VerifyReport): string {
  const text = JSON.stringify({ model: report.model, batch: report.batch, seed: 0, tolerance: report.tolerance, targets: report.targets }, null, 2);
  if (!/^\d+$/.test(report.seed)) throw new Error(`verify: seed '${report.seed}' is not an integer`);
  // Strings are escaped by JSON.stringify, so this line can only be the seed's own.
  return `${text.replace(/^ {2}"seed": 0,$/m, `  "seed": ${report.seed},`)}\n`;
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
