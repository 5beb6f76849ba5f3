// `spinal evaluate`'s work: the model on labelled data through the interpreter and each target.
import type { Io } from '../io.js';
import { INTERPRETER, type EvaluateOptions } from '../evaluate.js';
import { UsageError, UserError } from '../errors.js';
import { compileFiles, pickModel } from '../load.js';
import { checkOptionsFrom } from '../options.js';
import { readModelWeights } from '../weights-arg.js';
import { checkDataInputs } from '../data-arg.js';
import { optimize } from '../../passes/optimize.js';
import { VERIFY_TARGETS } from '../../verify/targets.js';
import type { VerifyTarget } from '../../verify/target.js';
import { DataError, loadDataset } from '../../data/index.js';
import { evaluateModel, interpreterEvaluation, type EvaluationReport, type TargetEvaluation } from '../../evaluate/run.js';

export async function evaluate(file: string, options: EvaluateOptions, io: Io): Promise<void> {
  const names = targetNames(options.targets);
  const [compiled] = compileFiles([file], io, checkOptionsFrom(options));
  const model = pickModel(compiled, options.model);
  checkDataInputs(options.data, '--data', model.graph);
  const { weights, bytes } = readModelWeights(options.weights, model.graph);
  const regressionHead = options.loss === 'mse';
  const task = regressionHead ? { kind: 'regression' as const, targets: model.graph.outputSize } : { kind: 'classification' as const, classes: model.graph.outputSize };
  let dataset;
  try {
    dataset = loadDataset({
      data: options.data,
      ...(options.labels !== undefined ? { labels: options.labels } : {}),
      ...(options.labelColumn !== undefined ? { labelColumn: options.labelColumn } : {}),
    }, { features: model.graph.inputSize, inputs: model.graph.inputs, task, model: model.spec.name });
  } catch (e) {
    throw e instanceof DataError ? new UserError(e.message) : e;
  }
  const targets: VerifyTarget[] = await Promise.all(names.filter((n) => n !== INTERPRETER).map((n) => VERIFY_TARGETS[n]()));
  const report = await evaluateModel({ graph: optimize(model.graph), weights, weightsBytes: bytes, dataset, regression: regressionHead, targets });
  const shown = names.includes(INTERPRETER) ? { [INTERPRETER]: interpreterEvaluation(report.metrics), ...report.targets } : report.targets;
  io.out(options.json ? `${JSON.stringify(jsonReport(report, shown), null, 2)}\n` : renderReport(report, shown));
  const failed = Object.entries(shown).filter(([, r]) => r.error !== undefined).map(([n]) => n);
  if (failed.length > 0) throw new UserError(`target${failed.length === 1 ? '' : 's'} failed to run: ${failed.join(', ')}`);
}

function targetNames(list: string | undefined): string[] {
  const known = [INTERPRETER, ...Object.keys(VERIFY_TARGETS)];
  if (list === undefined) return [INTERPRETER];
  const names = list === 'all' ? known : [...new Set(list.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  if (names.length === 0) throw new UsageError('--targets names no target');
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new UsageError(`unknown target${unknown.length === 1 ? '' : 's'} ${unknown.map((n) => `'${n}'`).join(', ')}; choose from ${known.join(', ')}`);
  return names;
}

function jsonReport(report: EvaluationReport, targets: Readonly<Record<string, TargetEvaluation>>): object {
  const m = report.metrics;
  return {
    model: report.model,
    data: report.data,
    samples: m.samples,
    accuracy: m.kind === 'classification' ? m.accuracy : null,
    loss: m.loss,
    ...(m.kind === 'classification' ? { perClass: m.perClass, confusion: m.confusion } : {}),
    targets,
  };
}

const percent = (f: number | null) => (f === null ? '-' : `${(f * 100).toFixed(2)}%`);

function renderReport(report: EvaluationReport, targets: Readonly<Record<string, TargetEvaluation>>): string {
  const m = report.metrics;
  const samples = m.samples.toLocaleString('en-US');
  const lines: string[] = [];
  if (m.kind === 'regression') {
    lines.push(`model '${report.model}' on '${report.data}' (${samples} samples): mean squared error ${m.loss.toPrecision(6)}`);
  } else {
    lines.push(`model '${report.model}' on '${report.data}' (${samples} samples): accuracy ${percent(m.accuracy)}, loss ${m.loss.toFixed(4)}`);
    lines.push('', 'per class:');
    m.perClass.forEach((a, c) => lines.push(`  ${String(c).padStart(3)}  ${percent(a).padStart(7)}  (${m.confusion[c].reduce((x, y) => x + y, 0)} samples)`));
    lines.push('', 'confusion matrix (rows: label, columns: predicted):');
    const width = Math.max(3, ...m.confusion.flat().map((v) => String(v).length));
    lines.push(`      ${m.confusion.map((_, c) => String(c).padStart(width)).join(' ')}`);
    m.confusion.forEach((row, c) => lines.push(`  ${String(c).padStart(3)} ${row.map((v) => String(v).padStart(width)).join(' ')}`));
  }
  const entries = Object.entries(targets);
  if (entries.length > 0) {
    lines.push('', 'targets:');
    const width = Math.max(...entries.map(([n]) => n.length));
    for (const [name, r] of entries) {
      lines.push(r.error !== undefined
        ? `  ${name.padEnd(width)}  error: ${r.error}`
        : `  ${name.padEnd(width)}  accuracy ${percent(r.accuracy).padStart(7)}  agreement ${percent(r.agreement).padStart(7)}  max rel error ${r.maxError === null ? '-' : r.maxError.toExponential(2)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
